//go:build !lambdabinary

package step_test

import (
	"context"
	"fmt"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

// A machine with a table and a callback queue runs in-process: the item
// lands in the in-memory table, and the consumer passed to WithCallbacks
// answers the task token the message carried.
func ExampleWithOfflineData() {
	table := service.NewDynamoDBTable("Sightings", service.KeyAttribute{Name: "id", Type: "S"})
	queue := service.NewSQSQueue("Confirmations")
	data, err := step.NewOfflineData([]*service.DynamoDBTable{table}, []*service.SQSQueue{queue})
	if err != nil {
		fmt.Println(err)
		return
	}
	item, _ := step.DynamoDBItem(map[string]any{"id": step.DynamoDBPath{Type: "S", Path: "$.id"}})
	store := step.NewDynamoDBPutItemState("Store", cfn.Ref("Sightings"), map[string]any{"Item": item}).WithResultPath(step.JSONNull)
	confirm := step.NewSQSSendMessageState("Confirm", cfn.Ref("Confirmations"), map[string]any{
		"MessageBody": map[string]any{"id.$": "$.id", "token.$": "$$.Task.Token"},
	}).WaitForTaskToken().WithHeartbeatSeconds(3600).WithResultPath("$.witness").Next(store)
	sm := step.NewStateMachine("Sightings", confirm)

	exec, err := sm.Execute(context.Background(), map[string]any{"id": "smok"},
		step.WithVirtualClock(), step.WithOfflineData(data),
		step.WithCallbacks(func(task *step.CallbackTask) {
			_ = task.Success(map[string]any{"seen": true})
		}))
	if err != nil {
		fmt.Println(err)
		return
	}
	stored, _ := data.Item("Sightings", map[string]any{"id": "smok"})
	msgs, _ := data.Messages("Confirmations")
	fmt.Println(exec.Status, string(exec.Output))
	fmt.Println("stored:", stored)
	fmt.Println("messages sent:", len(msgs))
	// Output:
	// SUCCEEDED {"id":"smok","witness":{"seen":true}}
	// stored: map[id:map[S:smok]]
	// messages sent: 1
}
