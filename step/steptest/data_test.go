//go:build !lambdabinary

package steptest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
	"github.com/sparta-go/sparta/step/steptest"
)

func sightingsData(t *testing.T) *step.OfflineData {
	t.Helper()
	table := service.NewDynamoDBTable("Sightings", service.KeyAttribute{Name: "id", Type: "S"})
	queue := service.NewSQSQueue("Confirmations")
	data, err := step.NewOfflineData([]*service.DynamoDBTable{table}, []*service.SQSQueue{queue})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// storeMachine writes a sighting once (a second write of the same id fails
// its condition and is caught), reads it back, raises its heads with
// UpdateItem and deletes it when asked: the four item integrations.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
func storeMachine(t *testing.T) *step.StateMachine {
	t.Helper()
	key, err := step.DynamoDBItem(map[string]any{"id": step.DynamoDBPath{Type: "S", Path: "$.id"}})
	if err != nil {
		t.Fatal(err)
	}
	item, err := step.DynamoDBItem(map[string]any{
		"id":    step.DynamoDBPath{Type: "S", Path: "$.id"},
		"heads": step.DynamoDBPath{Type: "N", Path: "$.heads"},
		"kind":  "dragon",
	})
	if err != nil {
		t.Fatal(err)
	}
	table := cfn.Ref("Sightings")
	done := step.NewSuccessState("Done")
	known := step.NewPassState("AlreadyKnown").WithResult(true).WithResultPath("$.known").Next(done)
	forget := step.NewDynamoDBDeleteItemState("Forget", table, map[string]any{"Key": key}).WithResultPath(step.JSONNull).Next(done)
	choose := step.NewChoiceState("Forget?", step.When(&step.BooleanEquals{Variable: "$.forget", Value: true}, forget)).WithDefault(done)
	grow := step.NewDynamoDBUpdateItemState("Grow", table, map[string]any{
		"Key": key, "UpdateExpression": "SET heads = heads + :one",
		"ExpressionAttributeValues": map[string]any{":one": map[string]any{"N": "1"}},
		"ReturnValues":              "UPDATED_NEW",
	}).WithResultSelector(map[string]any{"heads.$": "$.Attributes.heads.N"}).WithResultPath("$.grown").Next(choose)
	read := step.NewDynamoDBGetItemState("Read", table, map[string]any{"Key": key}).
		WithResultSelector(map[string]any{"kind.$": "$.Item.kind.S"}).WithResultPath("$.stored").Next(grow)
	store := step.NewDynamoDBPutItemState("Store", table, map[string]any{"Item": item, "ConditionExpression": "attribute_not_exists(id)"}).
		WithResultPath(step.JSONNull).
		WithCatchers(step.Catcher{ErrorEquals: []string{"DynamoDB.ConditionalCheckFailedException"}, Next: known, ResultPath: "$.error"}).
		Next(read)
	return step.NewStateMachine("Store", store)
}

func TestOfflineDynamoDB(t *testing.T) {
	data := sightingsData(t)
	sm := storeMachine(t)
	steptest.Run(t, sm, steptest.Case{
		Data:   data,
		Input:  `{"id":"smaug","heads":3,"forget":false}`,
		Path:   []string{"Store", "Read", "Grow", "Forget?", "Done"},
		Output: `{"id":"smaug","heads":3,"forget":false,"stored":{"kind":"dragon"},"grown":{"heads":"4"}}`,
	})
	got, err := data.Item("Sightings", map[string]any{"id": "smaug"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": map[string]any{"S": "smaug"}, "heads": map[string]any{"N": "4"}, "kind": map[string]any{"S": "dragon"}}
	if b, w := mustJSON(t, got), mustJSON(t, want); b != w {
		t.Errorf("stored item = %s, want %s", b, w)
	}

	// The condition fails on the second write, with the local cloud's
	// error name and DynamoDB's message.
	exec := steptest.Run(t, sm, steptest.Case{
		Data:  data,
		Input: `{"id":"smaug","heads":3}`,
		Path:  []string{"Store", "AlreadyKnown", "Done"},
	})
	var out struct {
		Error struct{ Error, Cause string }
	}
	if err := json.Unmarshal(exec.Output, &out); err != nil {
		t.Fatal(err)
	}
	if out.Error.Error != "DynamoDB.ConditionalCheckFailedException" ||
		!strings.HasPrefix(out.Error.Cause, "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException;") {
		t.Errorf("caught = %+v", out.Error)
	}

	steptest.Run(t, sm, steptest.Case{Data: data, Input: `{"id":"smaug","heads":3,"forget":true}`,
		Path: []string{"Store", "AlreadyKnown", "Done"}})
	steptest.Run(t, sm, steptest.Case{Data: data, Input: `{"id":"nessie","heads":1,"forget":true}`,
		Path: []string{"Store", "Read", "Grow", "Forget?", "Forget", "Done"}})
	if items, err := data.Items("Sightings"); err != nil || len(items) != 1 {
		t.Errorf("Items = %v, %v; want smaug only", items, err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Without data, a table or queue is missing, as on a cloud without it.
func TestOfflineDataMissing(t *testing.T) {
	exec := steptest.Run(t, storeMachine(t), steptest.Case{
		Input: `{"id":"smaug","heads":3}`, Status: step.StatusFailed, Error: "DynamoDB.ResourceNotFoundException",
	})
	if !strings.HasPrefix(exec.Cause, "Requested resource not found (Service: AmazonDynamoDBv2;") || !strings.Contains(exec.Cause, "step.WithOfflineData") {
		t.Errorf("Cause = %q", exec.Cause)
	}
	send := step.NewStateMachine("Send", step.NewSQSSendMessageState("Send", cfn.Ref("Nowhere"), map[string]any{"MessageBody": "x"}))
	exec = steptest.Run(t, send, steptest.Case{Data: sightingsData(t), Status: step.StatusFailed, Error: "SQS.QueueDoesNotExistException"})
	if !strings.HasPrefix(exec.Cause, "The specified queue does not exist. (Service: AmazonSQS; Status Code: 400; Error Code: QueueDoesNotExist;") {
		t.Errorf("Cause = %q", exec.Cause)
	}
}

// confirmMachine sends the sighting with its task token and waits for the
// consumer's answer, as the workshop's confirmation step does.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
func confirmMachine(heartbeat int) *step.StateMachine {
	confirm := step.NewSQSSendMessageState("Confirm", cfn.Ref("Confirmations"), map[string]any{
		"MessageBody": map[string]any{"id.$": "$.id", "token.$": "$$.Task.Token"},
	}).WaitForTaskToken().WithResultPath("$.confirmation")
	if heartbeat > 0 {
		confirm = confirm.WithHeartbeatSeconds(heartbeat)
	}
	return step.NewStateMachine("Confirm", confirm)
}

func TestOfflineSQSCallback(t *testing.T) {
	data := sightingsData(t)
	var tokens []string
	exec := steptest.Run(t, confirmMachine(3600), steptest.Case{
		Data:  data,
		Input: `{"id":"smaug"}`,
		Callbacks: func(task *step.CallbackTask) {
			var body struct{ ID, Token string }
			if err := json.Unmarshal([]byte(task.Message), &body); err != nil || body.ID != "smaug" || body.Token != task.Token {
				t.Errorf("message = %s (%v), token %s", task.Message, err, task.Token)
			}
			if task.State != "Confirm" || task.HeartbeatTimeout != time.Hour {
				t.Errorf("task = %s, heartbeat %s", task.State, task.HeartbeatTimeout)
			}
			tokens = append(tokens, task.Token)
			if err := task.Success(map[string]any{"confirmed": true}); err != nil {
				t.Error(err)
			}
			if err := task.Success(map[string]any{}); err != step.ErrTaskAnswered {
				t.Errorf("second answer = %v, want ErrTaskAnswered", err)
			}
		},
		Output: `{"id":"smaug","confirmation":{"confirmed":true}}`,
	})
	msgs, err := data.Messages("Confirmations")
	if err != nil || len(msgs) != 1 || len(tokens) != 1 || !strings.Contains(msgs[0].Body, tokens[0]) {
		t.Fatalf("messages = %+v, %v; tokens %v", msgs, err, tokens)
	}
	events := steptest.Events(exec)
	if !strings.HasSuffix(events[4], "TaskSubmitted") || !strings.HasSuffix(events[5], "TaskSucceeded") {
		t.Errorf("history = %v", events)
	}
	steptest.Run(t, confirmMachine(0), steptest.Case{Data: data, Input: `{"id":"x"}`,
		Callbacks: steptest.Fail(t, "Unconfirmed", "nobody saw it"), Status: step.StatusFailed, Error: "Unconfirmed", Cause: "nobody saw it"})
}

// HeartbeatSeconds run on the virtual clock: a beat within it keeps the
// task alive, silence past it is States.HeartbeatTimeout.
func TestOfflineHeartbeat(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	alive := steptest.Run(t, confirmMachine(60), steptest.Case{
		Data: sightingsData(t), Input: `{"id":"smaug"}`,
		Options: []step.ExecuteOption{step.WithVirtualClockAt(start)},
		Callbacks: func(task *step.CallbackTask) {
			_ = task.Advance(50 * time.Second)
			if err := task.Heartbeat(); err != nil {
				t.Error(err)
			}
			_ = task.Advance(50 * time.Second) // 100s since the start, 50s since the beat
			if err := task.Success(`"ok"`); err != nil {
				t.Errorf("Success after a beat = %v", err)
			}
		},
	})
	if d := alive.StopDate.Sub(alive.StartDate); d != 100*time.Second {
		t.Errorf("the run took %s on the virtual clock, want 100s", d)
	}
	late := steptest.Run(t, confirmMachine(60), steptest.Case{
		Data: sightingsData(t), Input: `{"id":"smaug"}`, Status: step.StatusFailed, Error: "States.HeartbeatTimeout",
		Callbacks: func(task *step.CallbackTask) {
			_ = task.Advance(61 * time.Second)
			if err := task.Success(`"late"`); err != step.ErrTaskTimedOut {
				t.Errorf("Success after the heartbeat = %v, want ErrTaskTimedOut", err)
			}
		},
	})
	if ev := steptest.Events(late); !strings.HasSuffix(ev[len(ev)-2], "TaskTimedOut") {
		t.Errorf("history = %v", ev)
	}
	// Nobody answers: the virtual clock runs to the heartbeat at once.
	silent := steptest.Run(t, confirmMachine(3600), steptest.Case{
		Data: sightingsData(t), Input: `{"id":"smaug"}`, Status: step.StatusFailed, Error: "States.HeartbeatTimeout",
		Options: []step.ExecuteOption{step.WithVirtualClockAt(start)},
	})
	if d := silent.StopDate.Sub(silent.StartDate); d != time.Hour {
		t.Errorf("the silent run took %s on the virtual clock, want 1h", d)
	}
	// With no bound, nothing would ever answer: a clear failure instead.
	never := steptest.Run(t, confirmMachine(0), steptest.Case{
		Data: sightingsData(t), Input: `{"id":"smaug"}`, Status: step.StatusFailed, Error: "States.Runtime",
	})
	if !strings.Contains(never.Cause, "nothing answered the task token of state 'Confirm'") {
		t.Errorf("Cause = %q", never.Cause)
	}
}

type ask struct {
	Question string `json:"question"`
	Token    string `json:"token"`
}

// lambda:invoke.waitForTaskToken calls the Go function with the token in
// its payload; sns:publish.waitForTaskToken goes to the publish handler.
func TestOfflineLambdaAndSNSCallbacks(t *testing.T) {
	var asked []ask
	fn, err := service.NewAWSLambda("askWitness", func(a ask) error { asked = append(asked, a); return nil }, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	published := 0
	publish := step.NewSNSPublishState("Publish", "arn:aws:sns:us-east-1:000000000000:witnesses", map[string]any{
		"Message": map[string]any{"token.$": "$$.Task.Token"},
	}).WaitForTaskToken().WithResultPath("$.published")
	invoke := step.NewLambdaTaskState("Ask", fn).WithInvokeIntegration().WaitForTaskToken().
		WithParameters(map[string]any{"FunctionName": step.FunctionPlaceholder("askWitness"), "Payload": map[string]any{"question": "seen?", "token.$": "$$.Task.Token"}}).
		WithResultPath("$.answer").Next(publish)
	sm := step.NewStateMachine("Witness", invoke)
	steptest.Run(t, sm, steptest.Case{
		Options: []step.ExecuteOption{step.WithTaskHandler(step.ResourceSNSPublish, func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
			published++
			return json.RawMessage(`{"MessageId":"1"}`), nil
		})},
		Callbacks: func(task *step.CallbackTask) {
			if !strings.Contains(task.Message, task.Token) {
				t.Errorf("%s: message %s lacks the token", task.State, task.Message)
			}
			_ = task.Success(map[string]string{"from": task.State})
		},
		Output: `{"answer":{"from":"Ask"},"published":{"from":"Publish"}}`,
	})
	if len(asked) != 1 || asked[0].Question != "seen?" || asked[0].Token == "" || published != 1 {
		t.Errorf("asked %+v, published %d", asked, published)
	}
}
