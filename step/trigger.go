package step

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/sparta-go/sparta/internal/eventpattern"
	"github.com/sparta-go/sparta/internal/schedule"
)

// Trigger is an EventBridge rule that starts executions of a state
// machine: on a schedule (rate() or cron()), or for every event matching a
// pattern, or both. The machine's decorator emits the rule
// (AWS::Events::Rule, its target the machine) and one role per machine
// that only events.amazonaws.com may assume, allowed exactly
// states:StartExecution on that machine.
//
// The zero value of each optional field is EventBridge's default: the
// default event bus, and the event itself as the execution's input.
//
// See https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
// and https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-cloudwatch-events-s3.html.
type Trigger struct {
	// Name names the trigger within its machine (letters, digits, "-" and
	// "_"); it goes into the rule's logical ID. Required.
	Name string
	// Description is the rule's description.
	Description string
	// Schedule is rate(value unit) or cron(minutes hours day-of-month
	// month day-of-week year), evaluated in UTC.
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
	Schedule string
	// EventPattern is an event pattern as a JSON object.
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
	EventPattern map[string]any
	// EventBusName is the bus an EventPattern rule listens on; empty is
	// the default bus. Schedules run on the default bus only.
	EventBusName string
	// Input, when set, is the execution's input (JSON text) instead of
	// the event; InputPath instead selects part of the event ("$.detail").
	// At most one of them.
	Input     string
	InputPath string
}

// WithSchedule starts the machine on a schedule: expression is rate(...)
// or cron(...) as EventBridge takes them (in UTC); each execution's input
// is the scheduled event ({"source": "aws.events", "detail-type":
// "Scheduled Event", "resources": [ruleArn], "time": ..., "detail": {}}).
// name names the trigger within the machine (letters, digits, '-', '_').
// Validate, and so provision before anything is built, checks the
// expression as EventBridge would ("rate(1 minutes)" is refused).
//
// The machine's StateMachineDecorator emits the rule
// (StateMachineTriggerLogicalID(machine, name)) and the role EventBridge
// starts executions under (StateMachineTriggerRoleLogicalID(machine):
// states:StartExecution on this machine only). On the local cloud
// (provision --local) the local EventBridge fires the schedule on the
// cloud's clock; execute --offline and steptest run the machine once with
// the input given, as if the schedule had fired.
//
//	report := step.NewStateMachine("NightlyReport", start).
//		WithSchedule("nightly", "cron(0 2 * * ? *)") // 02:00 UTC every day
func (sm *StateMachine) WithSchedule(name, expression string) *StateMachine {
	return sm.WithTrigger(Trigger{Name: name, Schedule: expression})
}

// WithEventPattern starts the machine for every event on the default bus
// that matches pattern (a JSON object, e.g. {"source": ["dragons"]}); the
// event is the execution's input. name names the trigger within the
// machine.
func (sm *StateMachine) WithEventPattern(name string, pattern map[string]any) *StateMachine {
	return sm.WithTrigger(Trigger{Name: name, EventPattern: pattern})
}

// WithTrigger adds a trigger with every option (another bus, a constant
// Input or an InputPath).
func (sm *StateMachine) WithTrigger(t Trigger) *StateMachine {
	sm.triggers = append(sm.triggers, t)
	sm.touch()
	return sm
}

// Triggers returns the machine's triggers.
func (sm *StateMachine) Triggers() []Trigger { return append([]Trigger(nil), sm.triggers...) }

var triggerName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// triggers checks each trigger as PutRule and PutTargets would.
func (v *validator) triggers(sm *StateMachine) {
	seen := map[string]bool{}
	for i, t := range sm.triggers {
		field := fmt.Sprintf("Triggers[%d]", i)
		if t.Name != "" {
			field = fmt.Sprintf("Triggers[%q]", t.Name)
		}
		if !triggerName.MatchString(t.Name) {
			v.addNamed("", "", field, "Name %q: use 1 to 64 letters, digits, '-' and '_'", t.Name)
		} else if seen[t.Name] {
			v.addNamed("", "", field, "another trigger has the same Name; give each its own")
		}
		seen[t.Name] = true
		if t.Schedule == "" && len(t.EventPattern) == 0 {
			v.addNamed("", "", field, "has neither Schedule nor EventPattern; set one")
		}
		if t.Schedule != "" {
			if _, err := schedule.Parse(t.Schedule); err != nil {
				v.addNamed("", "", field+".Schedule", "%v", err)
			}
			if t.EventBusName != "" && t.EventBusName != "default" {
				v.addNamed("", "", field+".EventBusName", "is %q, but schedules run on the default event bus only; leave it empty", t.EventBusName)
			}
		}
		if len(t.EventPattern) > 0 {
			b, err := json.Marshal(t.EventPattern)
			if err == nil {
				_, err = eventpattern.Compile(string(b))
			}
			if err != nil {
				v.addNamed("", "", field+".EventPattern", "%v", err)
			}
		}
		if t.Input != "" && t.InputPath != "" {
			v.addNamed("", "", field, "sets both Input and InputPath; EventBridge takes one")
		}
		if t.Input != "" && !json.Valid([]byte(t.Input)) {
			v.addNamed("", "", field+".Input", "is not JSON text")
		}
	}
}
