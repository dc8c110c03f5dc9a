//go:build !lambdabinary

package step_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cfnlint"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

func reportMachine() *step.StateMachine {
	return step.NewStateMachine("Report", step.NewPassState("Summarize"))
}

// A schedule and an event pattern become two rules targeting the machine
// under one role that events.amazonaws.com may assume for this account
// only, allowed exactly states:StartExecution on this machine (no "*");
// the template passes cfn-lint.
func TestTriggersTemplate(t *testing.T) {
	sm := reportMachine().
		WithSchedule("nightly", "cron(0 2 * * ? *)").
		WithTrigger(step.Trigger{Name: "sightings", EventPattern: map[string]any{"source": []string{"dragons"}}, InputPath: "$.detail"})
	sc := newServiceContext(t)
	decorate(t, sm, sc)
	tmpl := templateJSON(t, sc.Template)
	res := tmpl["Resources"].(map[string]any)
	machineID := step.StateMachineLogicalID("Report")
	roleID := step.StateMachineTriggerRoleLogicalID("Report")

	role := res[roleID].(map[string]any)
	roleJSON, _ := json.Marshal(role)
	if strings.Contains(string(roleJSON), `"*"`) || strings.Contains(string(roleJSON), `:*`) {
		t.Errorf("the trigger role has a wildcard: %s", roleJSON)
	}
	props := role["Properties"].(map[string]any)
	policies := props["Policies"].([]any)
	stmts := policies[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	got, _ := json.Marshal(stmts)
	want := `[{"Action":["states:StartExecution"],"Effect":"Allow","Resource":[{"Ref":"` + machineID + `"}]}]`
	if len(policies) != 1 || string(got) != want {
		t.Errorf("trigger role statements = %s, want %s", got, want)
	}
	trust, _ := json.Marshal(props["AssumeRolePolicyDocument"])
	if !strings.Contains(string(trust), `"Service":"events.amazonaws.com"`) || !strings.Contains(string(trust), `"aws:SourceAccount":{"Ref":"AWS::AccountId"}`) {
		t.Errorf("trust policy = %s", trust)
	}

	nightly := res[step.StateMachineTriggerLogicalID("Report", "nightly")].(map[string]any)["Properties"].(map[string]any)
	target, _ := json.Marshal(nightly["Targets"])
	if nightly["ScheduleExpression"] != "cron(0 2 * * ? *)" ||
		string(target) != `[{"Arn":{"Ref":"`+machineID+`"},"Id":"StateMachine","RoleArn":{"Fn::GetAtt":["`+roleID+`","Arn"]}}]` {
		t.Errorf("nightly rule = %v, targets %s", nightly, target)
	}
	sightings := res[step.StateMachineTriggerLogicalID("Report", "sightings")].(map[string]any)["Properties"].(map[string]any)
	if sightings["EventPattern"] == nil || sightings["Targets"].([]any)[0].(map[string]any)["InputPath"] != "$.detail" {
		t.Errorf("sightings rule = %v", sightings)
	}

	b, err := cfn.Marshal(sc.Template)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "triggers.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cfnlint.Check(t, p)
}

// Bad triggers are refused by Validate, all at once, naming the trigger
// and the field.
func TestTriggersValidate(t *testing.T) {
	sm := reportMachine().
		WithSchedule("a", "rate(1 minutes)").
		WithSchedule("a", "cron(0 2 * * ? *)").
		WithEventPattern("b", map[string]any{"source": "dragons"}).
		WithTrigger(step.Trigger{Name: "c"}).
		WithTrigger(step.Trigger{Name: "bad name", Schedule: "rate(1 hour)", EventBusName: "other"}).
		WithTrigger(step.Trigger{Name: "d", Schedule: "rate(1 hour)", Input: "{}", InputPath: "$"})
	err := sm.Validate()
	var ve *step.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate() = %v, want *step.ValidationError", err)
	}
	for _, want := range []string{
		`state machine "Report": Triggers["a"].Schedule: schedule expression "rate(1 minutes)" is not valid: a rate of 1 takes the singular unit "minute"`,
		`Triggers["a"]: another trigger has the same Name`,
		`Triggers["b"].EventPattern: Event pattern is not valid. Reason: "source" must be an object or an array`,
		`Triggers["c"]: has neither Schedule nor EventPattern`,
		`Triggers["bad name"]: Name "bad name"`,
		`Triggers["bad name"].EventBusName: is "other", but schedules run on the default event bus only`,
		`Triggers["d"]: sets both Input and InputPath`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v\nwant it to contain %q", err, want)
		}
	}
}

// A state machine that runs every night at 02:00 UTC: the decorator adds
// the rule and a role allowed to start this machine only.
func ExampleStateMachine_WithSchedule() {
	report := step.NewStateMachine("NightlyReport", step.NewPassState("Summarize")).
		WithSchedule("nightly", "cron(0 2 * * ? *)")
	if err := report.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	// sparta.MainEx(..., &service.WorkflowHooks{ServiceDecorators: ...
	// report.StateMachineDecorator()}) does this during provision:
	sc := &service.ServiceContext{Service: "Reports", Template: cloudformation.NewTemplate(), Values: map[string]any{}}
	if err := report.StateMachineDecorator().DecorateService(context.Background(), sc); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := sc.Template.JSON()
	var tmpl struct{ Resources map[string]json.RawMessage }
	_ = json.Unmarshal(b, &tmpl)
	var rule struct {
		Type       string
		Properties struct{ ScheduleExpression string }
	}
	_ = json.Unmarshal(tmpl.Resources[step.StateMachineTriggerLogicalID("NightlyReport", "nightly")], &rule)
	fmt.Println(rule.Type, rule.Properties.ScheduleExpression)
	var role struct {
		Properties struct {
			Policies []struct {
				PolicyDocument struct{ Statement []struct{ Action []string } }
			}
		}
	}
	_ = json.Unmarshal(tmpl.Resources[step.StateMachineTriggerRoleLogicalID("NightlyReport")], &role)
	fmt.Println(role.Properties.Policies[0].PolicyDocument.Statement[0].Action)
	// Output:
	// AWS::Events::Rule cron(0 2 * * ? *)
	// [states:StartExecution]
}
