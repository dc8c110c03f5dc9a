//go:build !lambdabinary

package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/step"
	"github.com/sparta-go/sparta/step/steptest"
)

func machineForTest() *step.StateMachine {
	return newMachine(newLambda("validateName", validateName), newLambda("validateLocation", validateLocation), newLambda("addDragon", addDragon))
}

func dataForTest(t *testing.T) *step.OfflineData {
	t.Helper()
	data, err := step.NewOfflineData([]*sparta.DynamoDBTable{sightingsTable}, []*sparta.SQSQueue{confirmationsQueue})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// offlineAnswerer stands in for Step Functions' API under confirmSighting:
// SendTaskSuccess answers the waiting task of the offline run.
type offlineAnswerer struct{ task *step.CallbackTask }

func (a offlineAnswerer) SendTaskSuccess(_ context.Context, in *sfn.SendTaskSuccessInput, _ ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	if aws.ToString(in.TaskToken) != a.task.Token {
		return nil, &sfntypes.InvalidToken{Message: aws.String("Invalid Token")}
	}
	switch err := a.task.Success(json.RawMessage(aws.ToString(in.Output))); {
	case errors.Is(err, step.ErrTaskTimedOut):
		return nil, &sfntypes.TaskTimedOut{Message: aws.String("Task Timed Out")}
	case errors.Is(err, step.ErrTaskAnswered):
		return nil, &sfntypes.TaskDoesNotExist{Message: aws.String("Task Does Not Exist")}
	case err != nil:
		return nil, err
	}
	return &sfn.SendTaskSuccessOutput{}, nil
}

// viaConfirmSighting delivers each message AwaitConfirmation sends to the
// confirmSighting handler, as the queue's event source mapping does.
func viaConfirmSighting(t *testing.T) func(*step.CallbackTask) {
	return func(task *step.CallbackTask) {
		c := &confirmer{client: offlineAnswerer{task}}
		event := events.SQSEvent{Records: []events.SQSMessage{{MessageId: "m-1", Body: task.Message}}}
		if err := c.confirmSighting(context.Background(), event); err != nil {
			t.Errorf("confirmSighting: %v", err)
		}
	}
}

func TestDragonsOffline(t *testing.T) {
	var alerts []string
	sns := step.WithTaskHandler("arn:aws:states:::sns:publish", offlineSNS(&alerts))
	silent := func(task *step.CallbackTask) { _ = task.Advance(2 * time.Hour) }
	// A witness who answers after the heartbeat: confirmSighting drops
	// the message (no error, so SQS does not deliver it again).
	late := func(task *step.CallbackTask) {
		_ = task.Advance(2 * time.Hour)
		viaConfirmSighting(t)(task)
	}
	tests := []struct {
		name       string
		c          steptest.Case
		wantAlerts int
		wantStored bool
	}{
		{"witnessed sighting is stored", steptest.Case{
			Input: `{"dragonName":"Bahamut","reportedBy":"Ana","location":{"latitude":48.1,"longitude":11.6},"sizeFeet":120}`,
			Path:  []string{"ValidateReport", "AddDragon", "Confirmed?", "StoreSighting", "CountSighting", "DragonAdded"},
		}, 0, true},
		{"sighting needing confirmation waits for the witness, then is stored", steptest.Case{
			Input:     `{"dragonName":"Smok","confirmationRequired":true,"location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`,
			Callbacks: viaConfirmSighting(t),
			Path:      []string{"ValidateReport", "AddDragon", "Confirmed?", "AwaitConfirmation", "Witnessed?", "StoreSighting", "CountSighting", "DragonAdded"},
		}, 0, true},
		{"unanswered confirmation times out into an alert", steptest.Case{
			Input:     `{"dragonName":"Smok","confirmationRequired":true,"location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`,
			Callbacks: silent,
			Path:      []string{"ValidateReport", "AddDragon", "Confirmed?", "AwaitConfirmation", "AlertUnconfirmed", "PendingConfirmation"},
		}, 1, false},
		{"a late confirmation is dropped", steptest.Case{
			Input:     `{"dragonName":"Smok","confirmationRequired":true,"location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`,
			Callbacks: late,
			Path:      []string{"ValidateReport", "AddDragon", "Confirmed?", "AwaitConfirmation", "AlertUnconfirmed", "PendingConfirmation"},
		}, 1, false},
		{"sighting without witness alerts", steptest.Case{
			Input: `{"dragonName":"Smok","location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`,
			Path:  []string{"ValidateReport", "AddDragon", "Confirmed?", "AlertUnconfirmed", "PendingConfirmation"},
		}, 1, false},
		{"nameless report is rejected after an alert", steptest.Case{
			Input:  `{"dragonName":"","location":{"latitude":48.1,"longitude":11.6},"sizeFeet":120}`,
			Status: step.StatusFailed, Error: "InvalidReport",
			Path: []string{"ValidateReport", "AlertInvalidReport", "ReportRejected"},
		}, 1, false},
		{"impossible location is rejected", steptest.Case{
			Input:  `{"dragonName":"Nessie","location":{"latitude":123,"longitude":11.6},"sizeFeet":30}`,
			Status: step.StatusFailed, Error: "InvalidReport",
			Path: []string{"ValidateReport", "AlertInvalidReport", "ReportRejected"},
		}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alerts = nil
			tt.c.Data = dataForTest(t)
			tt.c.Options = append(tt.c.Options, sns, step.WithExecutionName("sighting-1"))
			steptest.Run(t, machineForTest(), tt.c)
			if len(alerts) != tt.wantAlerts {
				t.Errorf("alerts = %q, want %d", alerts, tt.wantAlerts)
			}
			items, err := tt.c.Data.Items(sightingsTable.LogicalID)
			if err != nil {
				t.Fatal(err)
			}
			if stored := len(items) == 2; stored != tt.wantStored {
				t.Errorf("items = %v, want stored %v", items, tt.wantStored)
			}
			if tt.wantStored {
				var in Sighting
				_ = json.Unmarshal([]byte(tt.c.Input.(string)), &in)
				id := strings.ToLower(in.DragonName)
				item, err := tt.c.Data.Item(sightingsTable.LogicalID, map[string]any{"dragonId": id, "sightingId": "sighting-1"})
				if err != nil || item == nil || item["sizeFeet"].(map[string]any)["N"] == "" {
					t.Errorf("stored item of %s = %v, %v", id, item, err)
				}
			}
		})
	}
}

// The report machine reads the count the workflow keeps.
func TestDragonReportOffline(t *testing.T) {
	data := dataForTest(t)
	var alerts []string
	sns := step.WithTaskHandler("arn:aws:states:::sns:publish", offlineSNS(&alerts))
	steptest.Run(t, newReportMachine(), steptest.Case{Data: data, Path: []string{"ReadCount", "AnySightings?", "NothingToReport"}})
	for _, name := range []string{"Bahamut", "Frank"} {
		steptest.Run(t, machineForTest(), steptest.Case{Data: data, Options: []step.ExecuteOption{sns},
			Input: `{"dragonName":"` + name + `","reportedBy":"Ana","location":{"latitude":1,"longitude":1},"sizeFeet":10}`})
	}
	steptest.Run(t, newReportMachine(), steptest.Case{Data: data, Options: []step.ExecuteOption{sns},
		Path: []string{"ReadCount", "AnySightings?", "PublishReport", "Reported"}})
	if len(alerts) != 1 || alerts[0] != "2 dragon sightings stored so far" {
		t.Errorf("report = %q", alerts)
	}
}

// BenchmarkConfirmedSightingOffline is one offline run of the confirmation
// path: validation, the callback through confirmSighting, the putItem and
// the count.
func BenchmarkConfirmedSightingOffline(b *testing.B) {
	sm := machineForTest()
	data, err := step.NewOfflineData([]*sparta.DynamoDBTable{sightingsTable}, []*sparta.SQSQueue{confirmationsQueue})
	if err != nil {
		b.Fatal(err)
	}
	consumer := func(task *step.CallbackTask) {
		c := &confirmer{client: offlineAnswerer{task}}
		if err := c.confirmSighting(context.Background(), events.SQSEvent{Records: []events.SQSMessage{{MessageId: "m", Body: task.Message}}}); err != nil {
			b.Fatal(err)
		}
	}
	var alerts []string
	opts := []step.ExecuteOption{step.WithVirtualClock(), step.WithOfflineData(data), step.WithCallbacks(consumer),
		step.WithTaskHandler("arn:aws:states:::sns:publish", offlineSNS(&alerts))}
	input := json.RawMessage(`{"dragonName":"Smok","confirmationRequired":true,"location":{"latitude":50.05,"longitude":19.93},"sizeFeet":60}`)
	b.ReportAllocs()
	for b.Loop() {
		exec, err := sm.Execute(context.Background(), input, opts...)
		if err != nil || exec.Status != step.StatusSucceeded {
			b.Fatalf("%v %v", exec, err)
		}
	}
}
