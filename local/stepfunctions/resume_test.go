package stepfunctions_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// startWaiting starts callbackMachine and returns the execution and the
// task token it published.
func startWaiting(t *testing.T, f *fixture, order string) (string, string, string) {
	t.Helper()
	return startWaitingOn(t, f, order, callbackMachine)
}

// startWaitingOn is startWaiting with another definition that publishes
// {"token": ...} to topic.
func startWaitingOn(t *testing.T, f *fixture, order, def string) (string, string, string) {
	t.Helper()
	tokens := make(chan string, 1)
	f.sns.onPublish = func(p published) {
		var m struct{ Token string }
		_ = json.Unmarshal([]byte(p.Message), &m)
		tokens <- m.Token
	}
	m := f.machine("Approve"+order, def, f.role("r"+order, allow("sns:Publish", topic)))
	out, err := f.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(m), Input: aws.String(`{"order":"` + order + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case tok := <-tokens:
		// The token is published before the task's checkpoint is stored
		// (a kill in between fails the execution): wait for the marker.
		arn := aws.ToString(out.ExecutionArn)
		deadline := time.Now().Add(10 * time.Second)
		for {
			var marker struct{ Waiting *struct{ Token string } }
			if err := f.st.Collection("states").Sub("running").Get(arn, &marker); err == nil && marker.Waiting != nil && marker.Waiting.Token == tok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the task's checkpoint was never stored")
			}
			time.Sleep(5 * time.Millisecond)
		}
		return m, arn, tok
	case <-time.After(10 * time.Second):
		t.Fatal("no token published")
	}
	return "", "", ""
}

// checkResumed answers the token after a restart and checks that the
// execution goes on to its end with one continuous history.
func checkResumed(t *testing.T, f *fixture, arn, token string) {
	t.Helper()
	ctx := context.Background()
	d, err := f.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil || d.Status != sfntypes.ExecutionStatusRunning {
		t.Fatalf("after restart: %v %v %s", d.Status, err, aws.ToString(d.Cause))
	}
	if got := types(f.history(arn)); len(got) != 5 || got[4] != "TaskSubmitted" {
		t.Errorf("history while it waits after restart = %v, want it up to TaskSubmitted", got)
	}
	if _, err := f.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)}); err != nil {
		t.Errorf("SendTaskHeartbeat after restart = %v", err)
	}
	if _, err := f.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"approved":true}`)}); err != nil {
		t.Fatalf("SendTaskSuccess after restart = %v", err)
	}
	out := f.wait(arn)
	if out.Status != sfntypes.ExecutionStatusSucceeded || aws.ToString(out.Output) != `{"approved":true}` {
		t.Errorf("resumed execution = %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Cause))
	}
	events := f.history(arn)
	want := []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}
	if got := types(events); len(got) != len(want) {
		t.Fatalf("history = %v, want %v", got, want)
	}
	for i, e := range events {
		if string(e.Type) != want[i] || e.Id != int64(i+1) {
			t.Errorf("event %d = %d %s, want %d %s", i, e.Id, e.Type, i+1, want[i])
		}
	}
	if events[5].PreviousEventId != 5 {
		t.Errorf("TaskSucceeded links to %d, want the TaskSubmitted event 5", events[5].PreviousEventId)
	}
	// The token is spent: a second answer is refused as on AWS.
	_, err = f.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{}`)})
	if apiCode(err) != "TaskDoesNotExist" {
		t.Errorf("second SendTaskSuccess = %v, want TaskDoesNotExist", err)
	}
}

// A task waiting for its token survives Close and reopen on the same state
// directory: SendTaskSuccess after the restart resumes the execution.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
func TestTaskTokenSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	f.clock = nil
	f.close()
	f.open()
	_, arn, token := startWaiting(t, f, "a")
	f.close()
	f.open()
	checkResumed(t, f, arn, token)
}

// The same after a kill: the service never closes.
func TestTaskTokenSurvivesKill(t *testing.T) {
	f := newFixture(t)
	f.clock = nil
	f.close()
	f.open()
	_, arn, token := startWaiting(t, f, "b")
	old := f.svc
	f.srv.Close()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open()
	checkResumed(t, f, arn, token)
	// The killed service's goroutines would have died with its process.
	t.Cleanup(func() { _ = old.Close() })
}

// HeartbeatSeconds count from the last heartbeat across a restart, on the
// wall clock, as on AWS: a task heartbeaten before the restart is still
// alive after it; one left silent times out.
func TestHeartbeatSurvivesRestart(t *testing.T) {
	def := strings.Replace(callbackMachine, `"HeartbeatSeconds":60`, `"HeartbeatSeconds":5`, 1)
	f := newFixture(t)
	f.clock = nil
	f.close()
	f.open()
	_, alive, aliveToken := startWaitingOn(t, f, "hb", def)
	_, silent, _ := startWaitingOn(t, f, "quiet", def)
	time.Sleep(2 * time.Second)
	if _, err := f.client.SendTaskHeartbeat(context.Background(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(aliveToken)}); err != nil {
		t.Fatal(err)
	}
	f.close()
	f.open()
	reopened := time.Now()
	time.Sleep(3500 * time.Millisecond) // 5.5s since the start, about 3.5s since the beat
	if _, err := f.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(aliveToken), Output: aws.String(`{}`)}); err != nil {
		t.Errorf("SendTaskSuccess within HeartbeatSeconds of the beat = %v", err)
	}
	if d := f.wait(alive); d.Status != sfntypes.ExecutionStatusSucceeded {
		t.Errorf("heartbeaten execution = %s %s", d.Status, aws.ToString(d.Error))
	}
	// The silent task's 5 seconds ran out about 3s after the reopen, not
	// 5s after it: the time before the restart counted.
	if d := f.wait(silent); d.Status != sfntypes.ExecutionStatusFailed || aws.ToString(d.Error) != "States.HeartbeatTimeout" {
		t.Errorf("silent execution = %s %s", d.Status, aws.ToString(d.Error))
	} else if late := aws.ToTime(d.StopDate).Sub(reopened); late > 4200*time.Millisecond {
		t.Errorf("silent execution timed out %s after the reopen, want about 3s (5s from its start)", late)
	}
}
