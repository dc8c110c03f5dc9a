//go:build !lambdabinary

package step

import (
	"strings"

	"github.com/sparta-go/sparta/cfn"
)

// putEvents grants events:PutEvents on the bus of each entry: the default
// bus when an entry names none, the bus's ARN for a name, an ARN or a Ref
// to an AWS::Events::EventBus. A bus chosen at run time cannot be named.
// https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-iam.html
func (g *policyGrants) putEvents(t *TaskState, params any, subs map[string]string) {
	m, _ := params.(map[string]any)
	entries, _ := m["Entries"].([]any)
	if _, dynamic := m["Entries.$"]; dynamic || len(entries) == 0 {
		g.warnf("state %q: its Entries are chosen at run time, so the role cannot name their event buses; add events:PutEvents with WithRolePrivileges", t.name)
		return
	}
	var buses []string
	seen := map[string]bool{}
	for _, e := range entries {
		bus, dynamic := stringParam(e, "EventBusName", subs)
		if dynamic {
			g.warnf("state %q: EventBusName is chosen at run time, so the role cannot name it; add events:PutEvents with WithRolePrivileges", t.name)
			continue
		}
		arn := eventBusARN(bus)
		if !seen[arn] {
			seen[arn] = true
			buses = append(buses, arn)
		}
	}
	if len(buses) > 0 {
		g.allow(buses, "events:PutEvents")
	}
}

// eventBusARN turns a bus (empty, a name, an ARN or a Ref) into its ARN.
func eventBusARN(bus string) string {
	switch {
	case bus == "":
		return cfn.ARN("events", "event-bus/default")
	case strings.HasPrefix(bus, "arn:") || isTemplateIntrinsic(bus) && !isRef(bus):
		return bus
	}
	if id, ok := refTarget(bus); ok {
		return cfn.GetAtt(id, "Arn")
	}
	return cfn.ARN("events", "event-bus/"+bus)
}

func isRef(s string) bool {
	_, ok := refTarget(s)
	return ok
}
