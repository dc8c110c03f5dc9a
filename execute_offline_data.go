//go:build !lambdabinary

package sparta

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

// offlineData creates in memory the tables and queues the service
// declares (cfn.DataDecorator), for `execute --offline`; it returns the
// logical IDs of the tables, to print them after the run.
func offlineData(svc *serviceDefinition) (*step.OfflineData, []string, error) {
	var tables []*service.DynamoDBTable
	var queues []*service.SQSQueue
	for _, d := range svc.decorators() {
		if dd, ok := service.Unwrap(d).(interface {
			Declarations() ([]*service.DynamoDBTable, []*service.SQSQueue)
		}); ok {
			t, q := dd.Declarations()
			tables, queues = append(tables, t...), append(queues, q...)
		}
	}
	data, err := step.NewOfflineData(tables, queues)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(tables))
	for i, t := range tables {
		ids[i] = t.LogicalID
	}
	return data, ids, nil
}

// taskSuccessOutput reads --task-success; nil when it is not given.
func taskSuccessOutput(f executeFlags) (json.RawMessage, error) {
	switch {
	case f.taskSuccess == "":
		return nil, nil
	case !f.offline:
		return nil, fmt.Errorf("--task-success answers callback tasks offline: use it with --offline")
	case !json.Valid([]byte(f.taskSuccess)):
		return nil, fmt.Errorf("--task-success %q is not valid JSON: give the output the consumer would send with SendTaskSuccess", truncate(f.taskSuccess, 60))
	}
	return json.RawMessage(f.taskSuccess), nil
}

// offlineCallback says what becomes of a ".waitForTaskToken" task offline:
// it is answered with answer (--task-success) or, when answer is nil, left
// to time out, since no consumer runs offline.
func offlineCallback(w io.Writer, answer json.RawMessage) func(*step.CallbackTask) {
	return func(task *step.CallbackTask) {
		if answer != nil {
			fmt.Fprintf(w, "Task %s (offline) sent %s; answered with --task-success %s\n", task.State, task.Message, answer)
			if err := task.Success(answer); err != nil {
				fmt.Fprintf(w, "Task %s (offline): %v\n", task.State, err)
			}
			return
		}
		switch {
		case task.HeartbeatTimeout > 0 || task.Timeout > 0:
			fmt.Fprintf(w, "Task %s (offline) waits for its token; nothing answers it offline, so it times out: %s\n", task.State, task.Message)
		default:
			fmt.Fprintf(w, "Task %s (offline) waits for its token; nothing answers it offline: %s\n", task.State, task.Message)
		}
	}
}

// printOfflineTables prints the items the run left in each table.
func printOfflineTables(w io.Writer, data *step.OfflineData, tables []string) {
	for _, t := range tables {
		items, err := data.Items(t)
		if err != nil {
			fmt.Fprintf(w, "DynamoDB (offline) %s: %v\n", t, err)
			continue
		}
		fmt.Fprintf(w, "DynamoDB (offline) %s: %d items\n", t, len(items))
		for _, it := range items {
			b, _ := json.Marshal(it)
			fmt.Fprintf(w, "  %s\n", b)
		}
	}
}
