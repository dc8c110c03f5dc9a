//go:build !lambdabinary

package step_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

func lambdaFn(t *testing.T, name string, handler any) *service.LambdaAWSInfo {
	t.Helper()
	fn, err := service.NewAWSLambda(name, handler, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

// rolldieMachine is examples/rolldie's machine with a scripted die.
func rolldieMachine(t *testing.T, rolls ...int) *step.StateMachine {
	i := 0
	roll := lambdaFn(t, "rollDie", func(ctx context.Context) (map[string]int, error) {
		r := rolls[i%len(rolls)]
		i++
		return map[string]int{"roll": r}, nil
	})
	task := step.NewLambdaTaskState("lambdaRollDie", roll)
	success := step.NewSuccessState("success")
	delay := step.NewWaitDelayState("tryAgainShortly", 3*time.Second).Next(task)
	choice := step.NewChoiceState("checkRoll",
		&step.Not{Comparison: &step.NumericGreaterThan{Variable: "$.roll", Value: 3}, Next: delay},
	).WithDefault(success)
	task.Next(choice)
	return step.NewStateMachine("SampleStepFunction", task)
}

func TestExecuteRolldieUnderVirtualClock(t *testing.T) {
	sm := rolldieMachine(t, 1, 2, 5)
	start := time.Now()
	exec, err := sm.Execute(context.Background(), map[string]any{}, step.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status != step.StatusSucceeded {
		t.Fatalf("Status = %s (%s: %s), want SUCCEEDED", exec.Status, exec.Error, exec.Cause)
	}
	want := []string{"lambdaRollDie", "checkRoll", "tryAgainShortly", "lambdaRollDie", "checkRoll", "tryAgainShortly", "lambdaRollDie", "checkRoll", "success"}
	if diff := cmp.Diff(want, exec.Path); diff != "" {
		t.Errorf("Path (-want +got):\n%s", diff)
	}
	if string(exec.Output) != `{"roll":5}` {
		t.Errorf("Output = %s, want {\"roll\":5}", exec.Output)
	}
	if real := time.Since(start); real > 2*time.Second {
		t.Errorf("two 3 s waits took %s of real time under the virtual clock", real)
	}
	if virt := exec.StopDate.Sub(exec.StartDate); virt < 6*time.Second {
		t.Errorf("virtual duration = %s, want at least the two 3 s waits", virt)
	}
	// Running again starts from scratch: no state is kept on the machine.
	again, err := sm.Execute(context.Background(), nil, step.WithVirtualClock())
	if err != nil || again.Status != step.StatusSucceeded {
		t.Fatalf("second Execute = %v, %v", again, err)
	}
}

type dragonError struct{ reason string }

func (e *dragonError) Error() string { return e.reason }

func TestLambdaErrorsAreNamedAsLambdaNamesThem(t *testing.T) {
	tests := []struct {
		name      string
		handler   any
		wantError string
		wantCause string
	}{
		{"Go error type", func(context.Context) error { return &dragonError{"too big"} }, "dragonError", `{"errorMessage":"too big","errorType":"dragonError"}`},
		{"errors.New", func(context.Context) error { return errors.New("plain") }, "errorString", `{"errorMessage":"plain","errorType":"errorString"}`},
		{"NewTaskError", func(context.Context) error { return step.NewTaskError("DragonValidationFailed", "no name") }, "DragonValidationFailed", `{"errorMessage":"no name","errorType":"DragonValidationFailed"}`},
		{"panic", func(context.Context) error { panic("boom") }, "string", `{"errorMessage":"boom","errorType":"string"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := step.NewLambdaTaskState("call", lambdaFn(t, "fn", tt.handler)).End()
			exec, err := step.NewStateMachine("m", task).Execute(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if exec.Status != step.StatusFailed || exec.Error != tt.wantError || exec.Cause != tt.wantCause {
				t.Fatalf("Execute = %s %q %q, want FAILED %q %q", exec.Status, exec.Error, exec.Cause, tt.wantError, tt.wantCause)
			}
		})
	}
}

func TestCatchMatchesTheLambdaErrorType(t *testing.T) {
	fn := lambdaFn(t, "validate", func(context.Context, map[string]any) (map[string]any, error) {
		return nil, step.NewTaskError("DragonValidationFailed", "no name")
	})
	alert := step.NewPassState("alert").End()
	task := step.NewLambdaTaskState("validate", fn).WithCatchers(step.Catcher{
		ErrorEquals: []string{"DragonValidationFailed"}, Next: alert, ResultPath: "$.error",
	}).End()
	exec, err := step.NewStateMachine("m", task).Execute(context.Background(), json.RawMessage(`{"dragon":"x"}`))
	if err != nil || exec.Status != step.StatusSucceeded {
		t.Fatalf("Execute = %+v, %v", exec, err)
	}
	var out map[string]any
	if err := json.Unmarshal(exec.Output, &out); err != nil {
		t.Fatal(err)
	}
	if e := out["error"].(map[string]any); e["Error"] != "DragonValidationFailed" || out["dragon"] != "x" {
		t.Errorf("Output = %s, want the input with the caught error in $.error", exec.Output)
	}
}

func TestLambdaTimeoutFailsTheTask(t *testing.T) {
	fn := lambdaFn(t, "slow", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	fn.Options = &service.LambdaFunctionOptions{Timeout: 1}
	exec, err := step.NewStateMachine("m", step.NewLambdaTaskState("slow", fn).End()).Execute(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Error != "Sandbox.Timedout" || !strings.Contains(exec.Cause, "Task timed out after 1.00 seconds") {
		t.Fatalf("Execute = %s %q %q, want Sandbox.Timedout", exec.Status, exec.Error, exec.Cause)
	}
}

func TestLambdaInvokeIntegrationWrapsThePayload(t *testing.T) {
	fn := lambdaFn(t, "echo", func(_ context.Context, in map[string]any) (map[string]any, error) { return in, nil })
	task := step.NewResourceTaskState("invoke", "arn:aws:states:::lambda:invoke", map[string]any{
		"FunctionName": step.FunctionPlaceholder("echo"),
		"Payload.$":    "$",
	}).End()
	// The machine only knows the function through a Lambda task; reference
	// it the usual way in a branch that never runs.
	exec, err := step.NewStateMachine("m", task).Execute(context.Background(), map[string]int{"n": 1},
		step.WithTaskHandler(step.FunctionPlaceholder("echo"), func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
			return in, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(exec.Output, &out); err != nil {
		t.Fatalf("Output %s: %v", exec.Output, err)
	}
	if out["StatusCode"] != float64(200) || out["Payload"].(map[string]any)["n"] != float64(1) {
		t.Errorf("Output = %s, want {Payload: {n: 1}, StatusCode: 200, ...}", exec.Output)
	}
	_ = fn
}

func TestUnservedResourceFailsClearly(t *testing.T) {
	task := step.NewResourceTaskState("notify", "arn:aws:states:::sns:publish", map[string]any{"TopicArn": "arn:aws:sns:us-east-1:000000000000:t", "Message.$": "$"}).End()
	exec, err := step.NewStateMachine("m", task).Execute(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if exec.Status != step.StatusFailed || exec.Error != "States.Runtime" || !strings.Contains(exec.Cause, `step.WithTaskHandler("arn:aws:states:::sns:publish"`) {
		t.Fatalf("Execute = %s %q %q, want States.Runtime telling how to serve the resource", exec.Status, exec.Error, exec.Cause)
	}
	var published []string
	exec, err = step.NewStateMachine("m", task).Execute(context.Background(), "hello",
		step.WithTaskHandler("arn:aws:states:::sns:publish", func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
			published = append(published, string(in))
			return json.RawMessage(`{"MessageId":"1"}`), nil
		}))
	if err != nil || exec.Status != step.StatusSucceeded {
		t.Fatalf("Execute = %+v, %v", exec, err)
	}
	if len(published) != 1 || !strings.Contains(published[0], `"Message":"hello"`) {
		t.Errorf("published = %v, want the effective Parameters", published)
	}
}

func TestExecuteRefusesWhatCannotStart(t *testing.T) {
	sm := step.NewStateMachine("m", step.NewPassState("p").End())
	if _, err := sm.Execute(context.Background(), json.RawMessage(`{not json`)); err == nil || !strings.Contains(err.Error(), "input") {
		t.Errorf("Execute(bad JSON) = %v, want an input error", err)
	}
	bad := step.NewStateMachine("m", step.NewChoiceState("pick"))
	if _, err := bad.Execute(context.Background(), nil); err == nil || !strings.Contains(err.Error(), `"pick"`) {
		t.Errorf("Execute(invalid machine) = %v, want a validation error naming the state", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	wait := step.NewWaitDelayState("w", time.Hour).Next(step.NewSuccessState("done"))
	if _, err := step.NewStateMachine("m", wait).Execute(ctx, nil); err == nil {
		t.Error("Execute with an ended context = nil error, want the context's")
	}
}

// FromJSON decodes a definition once, for its typed states and for the
// engine; the typed model's exported values (a Choice rule's Assign) are
// its own copies, so changing one in place leaves the definition as
// written, which is what an unchanged FromJSON machine runs.
func TestFromJSONRunsTheDefinitionAsWrittenAfterAnInPlaceChange(t *testing.T) {
	sm, err := step.FromJSON([]byte(`{"StartAt":"C","States":{
		"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Assign":{"x":1},"Next":"S"}],"Default":"S"},
		"S":{"Type":"Pass","Parameters":{"x.$":"$x"},"End":true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	sm.WithName("AsWritten")
	sm.Walk(func(s, _ step.State) bool {
		if c, ok := s.(*step.ChoiceState); ok {
			c.Choices()[0].Assign["x"] = 2
		}
		return true
	})
	ex, err := sm.Execute(context.Background(), json.RawMessage(`{"a":0}`), step.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != step.StatusSucceeded || string(ex.Output) != `{"x":1}` {
		t.Errorf("Execute = %s %s %s, want SUCCEEDED with {\"x\":1}", ex.Status, ex.Output, ex.Cause)
	}
}
