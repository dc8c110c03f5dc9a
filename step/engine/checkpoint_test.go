package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A top-level callback task checkpoints; an execution stopped while it
// waits continues from the checkpoint in a new Execution, where the same
// token completes the task and the history goes on where it stopped.
func TestCheckpointResume(t *testing.T) {
	def := `{"StartAt":"Prepare","States":{
	  "Prepare":{"Type":"Pass","Result":"ready","ResultPath":"$.prepared","Assign":{"who":"ranger"},"Next":"Ask"},
	  "Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","HeartbeatSeconds":600,
	    "Parameters":{"MessageBody.$":"$$.Task.Token"},"ResultPath":"$.answer",
	    "Retry":[{"ErrorEquals":["Later"],"IntervalSeconds":1,"MaxAttempts":3}],"Next":"Done"},
	  "Done":{"Type":"Pass","Parameters":{"answer.$":"$.answer","prepared.$":"$.prepared","who.$":"$who"},"End":true}}}`
	p, err := Compile([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	cps := make(chan *Checkpoint, 8)
	opts := Options{
		Clock:      NewVirtualClock(testStart),
		Invoke:     func(context.Context, *TaskRequest) (any, error) { return map[string]any{"MessageId": "m"}, nil },
		Checkpoint: func(cp *Checkpoint) { cps <- cp },
	}
	first, err := p.Start(context.Background(), json.RawMessage(`{"id":7}`), opts)
	if err != nil {
		t.Fatal(err)
	}
	cp := <-cps
	if cp == nil || cp.State != "Ask" || cp.Token == "" || cp.Heartbeat != 600*time.Second || cp.Events != 7 || cp.SubmittedEventID != 7 {
		t.Fatalf("checkpoint = %+v", cp)
	}
	// The first attempt fails with a retried error; the retry checkpoints
	// again with its attempt number.
	if err := first.SendTaskFailure(cp.Token, "Later", "not yet"); err != nil {
		t.Fatal(err)
	}
	if <-cps != nil {
		t.Fatal("no nil checkpoint when the first attempt stopped waiting")
	}
	cp = <-cps
	if cp == nil || cp.RetryCount != 1 || len(cp.RetryCounts) != 1 || cp.RetryCounts[0] != 1 {
		t.Fatalf("retry checkpoint = %+v", cp)
	}
	// A restart: the process stops the execution; its checkpoint is kept.
	first.Stop("Shutdown", "the process stopped")
	first.Wait()
	saved, err := json.Marshal(cp)
	if err != nil {
		t.Fatal(err)
	}
	var restored Checkpoint
	if err := json.Unmarshal(saved, &restored); err != nil {
		t.Fatal(err)
	}

	opts.Resume = &restored
	opts.Checkpoint = func(*Checkpoint) {}
	second, err := p.Start(context.Background(), json.RawMessage(`{"id":7}`), opts)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for second.SendTaskSuccess(restored.Token, json.RawMessage(`{"ok":true}`)) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the resumed task never waited for its token")
		}
		time.Sleep(time.Millisecond)
	}
	res := second.Wait()
	if res.Status != StatusSucceeded {
		t.Fatalf("resumed execution = %s %s %s", res.Status, res.Error, res.Cause)
	}
	jsonEqual(t, res.Output, `{"answer":{"ok":true},"prepared":"ready","who":"ranger"}`)
	if got := strings.Join(res.Path, ","); got != "Prepare,Ask,Done" {
		t.Errorf("Path = %s", got)
	}
	hist := res.History()
	if hist[0].ID != restored.Events+1 || hist[0].PreviousEventID != restored.SubmittedEventID || hist[0].Type != "TaskSucceeded" {
		t.Errorf("first resumed event = %+v, want TaskSucceeded %d after %d", hist[0], restored.Events+1, restored.SubmittedEventID)
	}
	if !res.StartDate.Equal(restored.StartDate) {
		t.Errorf("StartDate = %s, want the original %s", res.StartDate, restored.StartDate)
	}
}

func TestResumeRefusesAnotherState(t *testing.T) {
	p, err := Compile([]byte(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Start(context.Background(), nil, Options{Resume: &Checkpoint{State: "P", Token: "t", SubmittedEventID: 1, Events: 1}})
	if err == nil || !strings.Contains(err.Error(), `cannot resume at state "P"`) {
		t.Errorf("Start = %v", err)
	}
}
