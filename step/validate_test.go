package step_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/step"
)

// asl is a one-state-machine shorthand for table tests.
func fromJSON(t *testing.T, asl string) *step.StateMachine {
	t.Helper()
	sm, err := step.FromJSON([]byte(asl))
	if err != nil {
		t.Fatalf("FromJSON(%s) = %v", asl, err)
	}
	return sm.WithName("Orders")
}

func TestValidate(t *testing.T) {
	pass := func(name string) *step.PassState { return step.NewPassState(name) }
	tests := []struct {
		name    string
		machine func(t *testing.T) *step.StateMachine
		// wantState and wantText must both appear in one error.
		wantState string
		wantText  string
	}{
		{
			name: "Next target exists",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}`)
			},
			wantState: "A", wantText: `Next: no state named "Nowhere"`,
		},
		{
			name: "Default target exists",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"E"}],"Default":"Gone"},"E":{"Type":"Succeed"}}}`)
			},
			wantState: "C", wantText: `Default: no state named "Gone"`,
		},
		{
			name: "Catch target exists",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:a","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Gone"}]}}}`)
			},
			wantState: "T", wantText: `Catch[0].Next: no state named "Gone"`,
		},
		{
			name: "StartAt exists",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"Missing","States":{"A":{"Type":"Succeed"}}}`)
			},
			wantState: "", wantText: `StartAt: no state named "Missing"`,
		},
		{
			name: "every state reachable",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"A","States":{"A":{"Type":"Succeed"},"Orphan":{"Type":"Succeed"}}}`)
			},
			wantState: "Orphan", wantText: `is not reachable from StartAt "A"`,
		},
		{
			name: "ends one way: neither Next nor End",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"A","States":{"A":{"Type":"Pass"}}}`)
			},
			wantState: "A", wantText: "has neither Next nor End",
		},
		{
			name: "ends one way: both Next and End",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","End":true},"B":{"Type":"Succeed"}}}`)
			},
			wantState: "A", wantText: "End: cannot be combined with Next",
		},
		{
			name: "names unique across branches",
			machine: func(t *testing.T) *step.StateMachine {
				p := step.NewParallelState("P", step.NewBranch(pass("Same").End()))
				return step.NewStateMachine("Orders", pass("Same").Next(p))
			},
			wantState: "Same", wantText: "state names must be unique across the whole machine",
		},
		{
			name: "name at most 80 characters",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewSuccessState(strings.Repeat("n", 81)))
			},
			wantState: strings.Repeat("n", 81), wantText: "name is 81 characters; at most 80",
		},
		{
			name: "name without control characters",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewSuccessState("bad\tname"))
			},
			wantState: "bad\tname", wantText: "control character",
		},
		{
			name: "machine name alphabet",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders/2", step.NewSuccessState("A"))
			},
			wantState: "", wantText: `name: contains '/'`,
		},
		{
			name: "Choice has rules",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewChoiceState("C").WithDefault(step.NewSuccessState("S")))
			},
			wantState: "C", wantText: "needs at least one rule",
		},
		{
			name: "Choice rule has Next",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewChoiceState("C", step.When(&step.IsNull{Variable: "$.a", Value: true}, nil)))
			},
			wantState: "C", wantText: "Choices[0].Next: is required",
		},
		{
			name: "Choice rule Variable is a reference path",
			machine: func(t *testing.T) *step.StateMachine {
				s := step.NewSuccessState("S")
				return step.NewStateMachine("Orders", step.NewChoiceState("C", step.When(&step.IsNull{Variable: "$.items[*]", Value: true}, s)))
			},
			wantState: "C", wantText: "Choices[0].Variable",
		},
		{
			name: "Choice And is not empty",
			machine: func(t *testing.T) *step.StateMachine {
				s := step.NewSuccessState("S")
				return step.NewStateMachine("Orders", step.NewChoiceState("C", &step.And{Next: s}))
			},
			wantState: "C", wantText: "Choices[0].And: needs at least one rule",
		},
		{
			name: "nested rule has no Next",
			machine: func(t *testing.T) *step.StateMachine {
				s := step.NewSuccessState("S")
				return step.NewStateMachine("Orders", step.NewChoiceState("C",
					&step.Or{Comparison: []step.Comparison{&step.Not{Comparison: &step.IsNull{Variable: "$.a"}, Next: s}}, Next: s}))
			},
			wantState: "C", wantText: "Choices[0].Or[0].Not.Next: is allowed only in top-level choice rules",
		},
		{
			name: "Path operator value is a path",
			machine: func(t *testing.T) *step.StateMachine {
				s := step.NewSuccessState("S")
				return step.NewStateMachine("Orders", step.NewChoiceState("C", step.When(&step.NumericEqualsPath{Variable: "$.a", Value: "limit"}, s)))
			},
			wantState: "C", wantText: "Choices[0].NumericEqualsPath",
		},
		{
			name: "Retry States.ALL alone",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewResourceTaskState("ChargeCard", "arn:aws:states:us-east-1:123456789012:activity:charge", nil).
					WithRetriers(step.Retrier{ErrorEquals: []string{"Oops"}}, step.Retrier{ErrorEquals: []string{step.ErrorAll, "Oops"}}))
			},
			wantState: "ChargeCard", wantText: `state machine "Orders": state "ChargeCard" (Task): Retry[1].ErrorEquals: States.ALL must be alone and last`,
		},
		{
			name: "Catch States.ALL last",
			machine: func(t *testing.T) *step.StateMachine {
				s := step.NewSuccessState("S")
				return step.NewStateMachine("Orders", step.NewResourceTaskState("T", "arn:aws:states:us-east-1:123456789012:activity:a", nil).
					WithCatchers(step.Catcher{ErrorEquals: []string{step.ErrorAll}, Next: s}, step.Catcher{ErrorEquals: []string{"Oops"}, Next: s}).Next(s))
			},
			wantState: "T", wantText: "Catch[0].ErrorEquals: States.ALL must be alone and last",
		},
		{
			name: "Retry values in range",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewResourceTaskState("T", "arn:aws:states:us-east-1:123456789012:activity:a", nil).
					WithRetriers(step.Retrier{ErrorEquals: []string{"Oops"}, BackoffRate: 0.5}))
			},
			wantState: "T", wantText: "Retry[0].BackoffRate: is 0.5; want at least 1.0",
		},
		{
			name: "Retry ErrorEquals not empty",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewResourceTaskState("T", "arn:aws:states:us-east-1:123456789012:activity:a", nil).
					WithRetriers(step.Retrier{}))
			},
			wantState: "T", wantText: "Retry[0].ErrorEquals: is empty",
		},
		{
			name: "InputPath is JSONPath",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithInputPath("$.a[").End())
			},
			wantState: "P", wantText: "InputPath: parsing path",
		},
		{
			name: "ResultPath is a reference path into the input",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithResultPath("$$.Execution.Id").End())
			},
			wantState: "P", wantText: "ResultPath: \"$$.Execution.Id\" must start with $",
		},
		{
			name: "payload template paths parse",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithParameters(map[string]any{"nested": map[string]any{"bad.$": "$..["}}).End())
			},
			wantState: "P", wantText: "Parameters.nested.bad.$",
		},
		{
			name: "payload template .$ value is a string",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithParameters(map[string]any{"n.$": 3}).End())
			},
			wantState: "P", wantText: "a key ending in .$ needs a path or intrinsic function string",
		},
		{
			name: "intrinsic function arity",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithParameters(map[string]any{"id.$": "States.MathAdd($.a)"}).End())
			},
			wantState: "P", wantText: "Parameters.id.$",
		},
		{
			name: "unknown intrinsic function",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithParameters(map[string]any{"id.$": "States.Nope()"}).End())
			},
			wantState: "P", wantText: "Parameters.id.$",
		},
		{
			name: "branch cannot transition outside",
			machine: func(t *testing.T) *step.StateMachine {
				after := step.NewSuccessState("After")
				p := step.NewParallelState("P", step.NewBranch(pass("Inner").Next(after))).Next(after)
				return step.NewStateMachine("Orders", p)
			},
			wantState: "Inner", wantText: `Next: state "After" belongs to another scope`,
		},
		{
			name: "parsed branch cannot transition outside",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"After","Branches":[{"StartAt":"Inner","States":{"Inner":{"Type":"Pass","Next":"After"}}}]},"After":{"Type":"Succeed"}}}`)
			},
			wantState: "Inner", wantText: `Next: state "After" belongs to another scope`,
		},
		{
			name: "map processor cannot transition outside",
			machine: func(t *testing.T) *step.StateMachine {
				after := step.NewSuccessState("After")
				m := step.NewMapState("M", step.NewBranch(pass("Item").Next(after))).Next(after)
				return step.NewStateMachine("Orders", m)
			},
			wantState: "Item", wantText: `state "After" belongs to another scope`,
		},
		{
			name: "Parallel has branches",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewParallelState("P").End())
			},
			wantState: "P", wantText: "needs at least one branch",
		},
		{
			name: "Map has a processor",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewMapState("M", nil).End())
			},
			wantState: "M", wantText: "needs an item processor",
		},
		{
			name: "Map tolerated failure percentage in range",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewMapState("M", step.NewBranch(pass("I").End())).WithToleratedFailurePercentage(150).End())
			},
			wantState: "M", wantText: "ToleratedFailurePercentage: is 150",
		},
		{
			name: "Wait has exactly one duration",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}}}`)
			},
			wantState: "W", wantText: "exactly one of Seconds, SecondsPath, Timestamp and TimestampPath",
		},
		{
			name: "Wait timestamp is RFC 3339",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"tomorrow","End":true}}}`)
			},
			wantState: "W", wantText: `Timestamp: "tomorrow" is not an RFC 3339 timestamp`,
		},
		{
			name: "Fail Error and ErrorPath exclusive",
			machine: func(t *testing.T) *step.StateMachine {
				return fromJSON(t, `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}}`)
			},
			wantState: "F", wantText: "ErrorPath: cannot be combined with Error",
		},
		{
			name: "Task heartbeat below timeout",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewResourceTaskState("T", "arn:aws:states:us-east-1:123456789012:activity:a", nil).
					WithTimeoutSeconds(10).WithHeartbeatSeconds(10))
			},
			wantState: "T", wantText: "HeartbeatSeconds: is 10; it must be less than TimeoutSeconds (10)",
		},
		{
			name: "Task has a resource",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewResourceTaskState("T", "", nil))
			},
			wantState: "T", wantText: "Resource: is required",
		},
		{
			name: "waitForTaskToken where supported",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewDynamoDBGetItemState("Get", "Orders", map[string]any{"Key": map[string]any{}, "Token.$": "$$.Task.Token"}).WaitForTaskToken())
			},
			wantState: "Get", wantText: "does not support the .waitForTaskToken integration pattern",
		},
		{
			name: "waitForTaskToken not on a function ARN",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewLambdaTaskState("L", rollDieLambda(t)).WaitForTaskToken())
			},
			wantState: "L", wantText: "call WithInvokeIntegration",
		},
		{
			// dynamodb:query exists only as an AWS SDK integration
			// (recorded AWS behaviour; https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html).
			name: "an optimized integration that does not exist",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewResourceTaskState("Query", "arn:aws:states:::dynamodb:query", nil))
			},
			wantState: "Query", wantText: "arn:aws:states:::aws-sdk:dynamodb:query",
		},
		{
			// CreateStateMachine rejects it as MISSING_END_STATE (recorded
			// AWS behaviour).
			name: "no terminal state",
			machine: func(t *testing.T) *step.StateMachine {
				a := step.NewPassState("A")
				b := step.NewPassState("B").Next(a)
				a.Next(b)
				return step.NewStateMachine("Orders", a)
			},
			wantText: "MISSING_END_STATE",
		},
		{
			name: "sync only where supported",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", step.NewSNSPublishState("Pub", "arn:aws:sns:us-east-1:123456789012:t", nil).Sync())
			},
			wantState: "Pub", wantText: "does not support the .sync integration pattern",
		},
		{
			name: "JSONata state has no JSONPath fields",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithQueryLanguage(step.JSONata).WithInputPath("$.a").End())
			},
			wantState: "P", wantText: "InputPath: is a JSONPath field, not allowed in a JSONata state",
		},
		{
			name: "JSONPath state has no JSONata fields",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithOutput("{% $states.input %}").End())
			},
			wantState: "P", wantText: "Output: is a JSONata field",
		},
		{
			name: "JSONata machine state cannot go back to JSONPath",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithQueryLanguage(step.JSONPath).End()).WithQueryLanguage(step.JSONata)
			},
			wantState: "P", wantText: "QueryLanguage: cannot be JSONPath inside a JSONata machine",
		},
		{
			name: "JSONata Choice rule is a Condition",
			machine: func(t *testing.T) *step.StateMachine {
				s := step.NewSuccessState("S")
				return step.NewStateMachine("Orders", step.NewChoiceState("C", step.When(&step.IsNull{Variable: "$.a", Value: true}, s))).WithQueryLanguage(step.JSONata)
			},
			wantState: "C", wantText: "a JSONata Choice rule is a Condition",
		},
		{
			name: "JSONata expression closes",
			machine: func(t *testing.T) *step.StateMachine {
				s := step.NewSuccessState("S")
				return step.NewStateMachine("Orders", step.NewChoiceState("C", step.When(step.Condition("{% $x > 1"), s))).WithQueryLanguage(step.JSONata)
			},
			wantState: "C", wantText: "does not close it with %}",
		},
		{
			name: "Assign variable names",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("P").WithAssign(map[string]any{"1st": 1}).End())
			},
			wantState: "P", wantText: `"1st" is not a valid variable name`,
		},
		{
			name: "definition at most 1 MB",
			machine: func(t *testing.T) *step.StateMachine {
				return step.NewStateMachine("Orders", pass("Big").WithResult(strings.Repeat("x", 1<<20)).End())
			},
			wantState: "", wantText: "Step Functions accepts at most 1048576 (1 MB)",
		},
		{
			name: "Choice Variable matches the handler output struct",
			machine: func(t *testing.T) *step.StateMachine {
				task := step.NewLambdaTaskState("lambdaRollDie", rollDieLambda(t))
				s := step.NewSuccessState("success")
				task.Next(step.NewChoiceState("checkRoll", step.When(&step.NumericGreaterThan{Variable: "$.rol", Value: 3}, s)).WithDefault(s))
				return step.NewStateMachine("Orders", task)
			},
			wantState: "checkRoll", wantText: `Choices[0].Variable: "$.rol" reads "rol", but function "StepRollDie" (Task state "lambdaRollDie") returns step_test.rollResponse, whose JSON fields are roll`,
		},
		{
			name: "Choice Variable under ResultPath matches the handler output",
			machine: func(t *testing.T) *step.StateMachine {
				task := step.NewLambdaTaskState("lambdaRollDie", rollDieLambda(t)).WithResultPath("$.die")
				s := step.NewSuccessState("success")
				task.Next(step.NewChoiceState("checkRoll",
					step.When(&step.And{Comparison: []step.Comparison{
						&step.IsPresent{Variable: "$.other", Value: true},
						&step.NumericGreaterThanPath{Variable: "$.die.roll", Value: "$.die.Roll"},
					}}, s)).WithDefault(s))
				return step.NewStateMachine("Orders", task)
			},
			wantState: "checkRoll", wantText: `Choices[0].And[1].NumericGreaterThanPath: "$.die.Roll" reads "Roll"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sm := tt.machine(t)
			err := sm.Validate()
			var found bool
			for _, ve := range step.ValidationErrors(err) {
				if ve.State == tt.wantState && strings.Contains(ve.Error(), tt.wantText) {
					found = true
				}
			}
			if !found {
				t.Errorf("Validate() = %v, want an error for state %q containing %q", err, tt.wantState, tt.wantText)
			}
			var ve *step.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("errors.As(%v, *ValidationError) = false", err)
			}
		})
	}
}

// TestValidateReportsEverything wants every problem of a broken machine in
// one error, not only the first.
func TestValidateReportsEverything(t *testing.T) {
	sm := fromJSON(t, `{"StartAt":"A","States":{
		"A":{"Type":"Pass","Next":"Nowhere"},
		"B":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:a","End":true,
			"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}]}}}`)
	errs := step.ValidationErrors(sm.Validate())
	want := []string{
		`state machine "Orders": state "A" (Pass): Next: no state named "Nowhere"`,
		`state machine "Orders": state "B" (Task): is not reachable from StartAt "A"`,
		`state machine "Orders": state "B" (Task): Retry[0].ErrorEquals: States.ALL must be alone and last`,
	}
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Validate() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestValidateValidMachines(t *testing.T) {
	for name, build := range map[string]func(testing.TB) *step.StateMachine{
		"rolldie": rollDieMachine, "every state": everyStateMachine, "integrations": integrationsMachine,
	} {
		if err := build(t).Validate(); err != nil {
			t.Errorf("%s: Validate() = %v, want nil", name, err)
		}
	}
}
