package step_test

import (
	"github.com/sparta-go/sparta/internal/golden"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step"
)

// everyStateMachine uses every state type, every choice operator and the
// fields of each state, in JSONPath, with a JSONata branch.
func everyStateMachine(t testing.TB) *step.StateMachine {
	fn := rollDieLambda(t)
	ts := time.Date(2016, 3, 14, 1, 59, 0, 0, time.UTC)
	done := step.NewSuccessState("Done").WithComment("all good").WithInputPath("$.result").WithOutputPath("$.summary")
	failed := step.NewFailState("Failed", "States.TaskFailed", "something broke")
	failedPath := step.NewFailState("FailedFromInput", "", "").WithErrorPath("$.error.name").WithCausePath("States.Format('cause: {}', $.error.cause)")

	notify := step.NewSNSPublishState("Notify", "arn:aws:sns:us-east-1:123456789012:alerts", map[string]any{"Message.$": "$.message"}).
		WithResultPath(step.JSONNull).Next(done)
	mapper := step.NewMapState("EachItem", step.NewBranch(
		step.NewPassState("Double").WithParameters(map[string]any{"value.$": "States.MathAdd($.value, $.value)"}).End(),
	)).WithItemsPath("$.items").WithItemSelector(map[string]any{"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"}).
		WithMaxConcurrency(5).WithToleratedFailurePercentage(10).WithResultPath("$.doubled").
		WithProcessorConfig(step.Inline, "").Next(notify)
	jsonataBranch := step.NewBranch(
		step.NewPassState("Shape").WithQueryLanguage(step.JSONata).
			WithOutput(map[string]any{"total": "{% $sum($states.input.items.value) %}"}).
			WithAssign(map[string]any{"seen": "{% $count($states.input.items) %}"}).End(),
	)
	parallel := step.NewParallelState("FanOut",
		step.NewBranch(step.NewWaitDynamicState("WaitFromInput", "$.delay").End()),
		step.NewBranch(step.NewWaitUntilState("WaitUntil", ts).Next(step.NewWaitDynamicUntilState("WaitUntilFromInput", "$.until").End())),
		jsonataBranch,
	).WithResultSelector(map[string]any{"first.$": "$[0]"}).WithResultPath("$.parallel").
		WithRetriers(step.Retrier{ErrorEquals: []string{step.ErrorAll}, MaxAttempts: step.NoRetry}).
		WithCatchers(step.Catcher{ErrorEquals: []string{step.ErrorAll}, ResultPath: "$.error", Next: failed}).
		Next(mapper)

	v := "$.value"
	s := "$.name"
	tsv := "$.when"
	b := "$.flag"
	rules := []step.ChoiceBranch{
		step.When(&step.StringEquals{Variable: s, Value: "a"}, parallel).WithComment("string operators"),
		step.When(&step.StringLessThan{Variable: s, Value: "b"}, parallel),
		step.When(&step.StringGreaterThan{Variable: s, Value: "c"}, parallel),
		step.When(&step.StringLessThanEquals{Variable: s, Value: "d"}, parallel),
		step.When(&step.StringGreaterThanEquals{Variable: s, Value: "e"}, parallel),
		step.When(&step.StringMatches{Variable: s, Value: "log-*.txt"}, parallel),
		step.When(&step.StringEqualsPath{Variable: s, Value: "$.other"}, parallel),
		step.When(&step.StringLessThanPath{Variable: s, Value: "$.other"}, parallel),
		step.When(&step.StringGreaterThanPath{Variable: s, Value: "$.other"}, parallel),
		step.When(&step.StringLessThanEqualsPath{Variable: s, Value: "$.other"}, parallel),
		step.When(&step.StringGreaterThanEqualsPath{Variable: s, Value: "$.other"}, parallel),
		step.When(&step.NumericEquals{Variable: v, Value: 1}, parallel),
		step.When(&step.NumericLessThan{Variable: v, Value: 2.5}, parallel),
		step.When(&step.NumericGreaterThan{Variable: v, Value: 3}, parallel),
		step.When(&step.NumericLessThanEquals{Variable: v, Value: 4}, parallel),
		step.When(&step.NumericGreaterThanEquals{Variable: v, Value: 5}, parallel),
		step.When(&step.NumericEqualsPath{Variable: v, Value: "$.limit"}, parallel),
		step.When(&step.NumericLessThanPath{Variable: v, Value: "$.limit"}, parallel),
		step.When(&step.NumericGreaterThanPath{Variable: v, Value: "$.limit"}, parallel),
		step.When(&step.NumericLessThanEqualsPath{Variable: v, Value: "$.limit"}, parallel),
		step.When(&step.NumericGreaterThanEqualsPath{Variable: v, Value: "$.limit"}, parallel),
		step.When(&step.TimestampEquals{Variable: tsv, Value: ts}, parallel),
		step.When(&step.TimestampLessThan{Variable: tsv, Value: ts}, parallel),
		step.When(&step.TimestampGreaterThan{Variable: tsv, Value: ts}, parallel),
		step.When(&step.TimestampLessThanEquals{Variable: tsv, Value: ts}, parallel),
		step.When(&step.TimestampGreaterThanEquals{Variable: tsv, Value: ts}, parallel),
		step.When(&step.TimestampEqualsPath{Variable: tsv, Value: "$.deadline"}, parallel),
		step.When(&step.TimestampLessThanPath{Variable: tsv, Value: "$.deadline"}, parallel),
		step.When(&step.TimestampGreaterThanPath{Variable: tsv, Value: "$.deadline"}, parallel),
		step.When(&step.TimestampLessThanEqualsPath{Variable: tsv, Value: "$.deadline"}, parallel),
		step.When(&step.TimestampGreaterThanEqualsPath{Variable: tsv, Value: "$.deadline"}, parallel),
		step.When(&step.BooleanEquals{Variable: b, Value: true}, parallel),
		step.When(&step.BooleanEqualsPath{Variable: b, Value: "$.expected"}, parallel),
		step.When(&step.IsNull{Variable: v, Value: true}, failedPath),
		step.When(&step.IsPresent{Variable: v, Value: false}, failedPath),
		step.When(&step.IsNumeric{Variable: v, Value: false}, failedPath),
		step.When(&step.IsString{Variable: s, Value: false}, failedPath),
		step.When(&step.IsBoolean{Variable: b, Value: false}, failedPath),
		step.When(&step.IsTimestamp{Variable: tsv, Value: false}, failedPath),
		&step.And{Comparison: []step.Comparison{
			&step.IsPresent{Variable: v, Value: true},
			&step.Or{Comparison: []step.Comparison{
				&step.NumericEquals{Variable: v, Value: 7},
				&step.Not{Comparison: &step.StringEquals{Variable: s, Value: "x"}},
			}},
		}, Next: parallel},
		step.When(&step.IsPresent{Variable: "$.assign"}, parallel).WithAssign(map[string]any{"picked.$": "$.value"}),
	}
	choice := step.NewChoiceState("Route", rules...).WithDefault(failed).WithInputPath("$").WithOutputPath("$")

	task := step.NewLambdaTaskState("Roll", fn).
		WithComment("roll the die").
		WithInputPath("$.input").
		WithParameters(map[string]any{"seed.$": "$.seed", "constant": 1, "nested": map[string]any{"id.$": "States.UUID()"}}).
		WithResultSelector(map[string]any{"roll.$": "$.roll"}).
		WithResultPath("$.result").
		WithOutputPath("$").
		WithTimeoutSeconds(30).
		WithHeartbeatSeconds(10).
		WithAssign(map[string]any{"lastRoll.$": "$.result.roll"}).
		WithRetriers(
			step.Retrier{ErrorEquals: []string{step.ErrorLambdaServiceException, step.ErrorTimeout}, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: step.JitterFull},
			step.Retrier{ErrorEquals: []string{step.ErrorAll}},
		).
		WithCatchers(step.Catcher{ErrorEquals: []string{step.ErrorAll}, ResultPath: "$.error", Next: failedPath}).
		Next(choice)
	start := step.NewPassState("Start").WithResult(map[string]any{"seed": 42}).WithResultPath("$.input").Next(task)
	return step.NewStateMachine("EveryState", start).WithComment("every state type and every choice operator").WithTimeoutSeconds(3600)
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name    string
		machine func(testing.TB) *step.StateMachine
	}{
		{"rolldie", rollDieMachine},
		{"every_state", everyStateMachine},
		{"integrations", integrationsMachine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm := tt.machine(t)
			if err := sm.Validate(); err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			got, err := sm.MarshalIndent()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", tt.name+".asl.json")
			want := golden.JSON(t, path, got)
			// The golden file reads back to the same definition.
			parsed, err := step.FromJSON(want)
			if err != nil {
				t.Fatalf("FromJSON(%s): %v", path, err)
			}
			back, _ := parsed.MarshalJSON()
			if diff := cmp.Diff(semantic(t, want), semantic(t, back)); diff != "" {
				t.Errorf("round trip of %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestMarshalDeterministic marshals the same machine twice, and two
// machines built the same way, and wants identical bytes.
func TestMarshalDeterministic(t *testing.T) {
	for _, build := range []func(testing.TB) *step.StateMachine{rollDieMachine, everyStateMachine, integrationsMachine} {
		sm := build(t)
		a, err := sm.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := sm.MarshalJSON()
		c, _ := build(t).MarshalJSON()
		if string(a) != string(b) || string(a) != string(c) {
			t.Errorf("MarshalJSON is not deterministic:\n%s\n%s\n%s", a, b, c)
		}
	}
}

// integrationsMachine uses every typed service integration.
func integrationsMachine(t testing.TB) *step.StateMachine {
	fn := rollDieLambda(t)
	end := step.NewSuccessState("End")
	ecs := step.NewECSRunTaskState("RunTask", step.ECSRunTask{
		Cluster:        "arn:aws:ecs:us-east-1:123456789012:cluster/work",
		TaskDefinition: "arn:aws:ecs:us-east-1:123456789012:task-definition/job:1",
		LaunchType:     "FARGATE",
		PassRoles:      []string{"arn:aws:iam::123456789012:role/jobTask"},
	}).Sync().Next(end)
	child := step.NewStartExecutionState("StartChild", "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
		map[string]any{"Input.$": "$"}).Sync2().Next(ecs)
	put := step.NewDynamoDBPutItemState("PutItem", "Orders", map[string]any{"Item": map[string]any{"id": map[string]any{"S.$": "$.id"}}}).Next(child)
	get := step.NewDynamoDBGetItemState("GetItem", "Orders", map[string]any{"Key": map[string]any{"id": map[string]any{"S.$": "$.id"}}}).
		WithResultPath("$.item").Next(put)
	sqs := step.NewSQSSendMessageState("Enqueue", "https://sqs.us-east-1.amazonaws.com/123456789012/work",
		map[string]any{"MessageBody": map[string]any{"token.$": "$$.Task.Token"}}).WaitForTaskToken().Next(get)
	sns := step.NewSNSPublishState("Publish", "arn:aws:sns:us-east-1:123456789012:alerts", map[string]any{"Message.$": "$.message"}).Next(sqs)
	invoke := step.NewLambdaTaskState("Invoke", fn).WithInvokeIntegration().
		WithResultSelector(map[string]any{"roll.$": "$.Payload.roll"}).Next(sns)
	generic := step.NewResourceTaskState("Activity", "arn:aws:states:us-east-1:123456789012:activity:approve", nil).
		WithHeartbeatSecondsPath("$.heartbeat").WithTimeoutSecondsPath("$.timeout").Next(invoke)
	return step.NewStateMachine("Integrations", generic)
}
