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

// offlineCallback says what becomes of a ".waitForTaskToken" task offline,
// where no consumer answers it.
func offlineCallback(w io.Writer) func(*step.CallbackTask) {
	return func(task *step.CallbackTask) {
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
