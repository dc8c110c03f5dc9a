package events

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps an EventBridge request to events:<Operation> on the
// rule or event bus it names, as the service authorization reference
// lists them: rule operations act on the rule's ARN, PutEvents on each
// bus it puts to, bus operations on the bus; ListRules, ListEventBuses and
// TestEventPattern have no resource. A rule's RoleArn (PutRule) and a
// target's RoleArn (PutTargets) are passed roles: iam:PassRole on each.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	op := core.Operation(r)
	f := core.JSONFields(r)
	str := func(name string) string {
		var v string
		_ = json.Unmarshal(f[name], &v)
		return v
	}
	action := "events:" + op
	bus := busNameOf(str("EventBusName"))
	switch op {
	case "PutRule", "DescribeRule", "DeleteRule", "EnableRule", "DisableRule":
		perms := []core.Permission{{Action: action, Resource: s.ruleARN(bus, str("Name"))}}
		if role := str("RoleArn"); role != "" && op == "PutRule" {
			perms = append(perms, core.PassRole(role))
		}
		return perms, nil
	case "PutTargets", "RemoveTargets", "ListTargetsByRule":
		perms := []core.Permission{{Action: action, Resource: s.ruleARN(bus, str("Rule"))}}
		var targets []struct{ RoleArn string }
		_ = json.Unmarshal(f["Targets"], &targets)
		for _, t := range targets {
			if t.RoleArn != "" {
				perms = append(perms, core.PassRole(t.RoleArn))
			}
		}
		return perms, nil
	case "PutEvents":
		var entries []struct{ EventBusName string }
		_ = json.Unmarshal(f["Entries"], &entries)
		buses := map[string]bool{}
		for _, e := range entries {
			buses[busNameOf(e.EventBusName)] = true
		}
		names := make([]string, 0, len(buses))
		for b := range buses {
			names = append(names, b)
		}
		sort.Strings(names)
		perms := make([]core.Permission, 0, len(names))
		for _, b := range names {
			perms = append(perms, core.Permission{Action: action, Resource: s.busARN(b)})
		}
		return perms, nil
	case "CreateEventBus", "DeleteEventBus", "DescribeEventBus":
		return []core.Permission{{Action: action, Resource: s.busARN(busNameOf(str("Name")))}}, nil
	}
	return []core.Permission{{Action: action, Resource: "*"}}, nil
}
