package stepfunctions

import (
	"net/http"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps a Step Functions request to states:<Operation> on the
// machine or execution it names (CreateStateMachine: the ARN the machine
// will have), and to iam:PassRole on the role CreateStateMachine and
// UpdateStateMachine hand to the service. SendTask* name the machine whose
// task holds the token.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	op := core.Operation(r)
	resource := "*"
	for _, field := range []string{"executionArn", "stateMachineArn"} {
		if v := core.JSONString(r, field); v != "" {
			resource = v
			break
		}
	}
	if token := core.JSONString(r, "taskToken"); token != "" {
		// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat act on the
		// machine whose task holds the token, so a role may be granted them
		// on that machine only.
		s.mu.Lock()
		if t := s.tokens[token]; t != nil && t.machine != "" {
			resource = t.machine
		}
		s.mu.Unlock()
	}
	if op == "CreateStateMachine" {
		if name := core.JSONString(r, "name"); name != "" {
			resource = "arn:aws:states:" + s.cfg.Region + ":" + s.cfg.AccountID + ":stateMachine:" + name
		}
	}
	perms := []core.Permission{{Action: "states:" + op, Resource: resource}}
	if op == "CreateStateMachine" || op == "UpdateStateMachine" {
		if role := core.JSONString(r, "roleArn"); role != "" {
			perms = append(perms, core.PassRole(role))
		}
	}
	return perms, nil
}
