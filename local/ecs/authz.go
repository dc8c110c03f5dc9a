package ecs

import (
	"encoding/json"
	"net/http"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps an ECS request to ecs:<Operation>: RunTask on its task
// definition's ARN with iam:PassRole on every role the task will run with
// (the definition's task and execution roles and the overrides'), other
// operations on "*".
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
// and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	op := core.Operation(r)
	if op != "RunTask" {
		return []core.Permission{{Action: "ecs:" + op, Resource: "*"}}, nil
	}
	var in RunTaskInput
	_ = json.Unmarshal(core.PeekBody(r), &in)
	def, roles := s.TaskRoles(in.TaskDefinition, in.Overrides)
	perms := []core.Permission{{Action: "ecs:RunTask", Resource: def}}
	for _, role := range roles {
		perms = append(perms, core.PassRole(role))
	}
	return perms, nil
}

// TaskRoles returns the ARN of the task definition ref (an ARN,
// family:revision or family) and the roles a task of it passes to ECS with
// overrides: what iam:PassRole is checked on when RunTask (or Step
// Functions' ecs:runTask) starts it. An unknown definition yields its
// reference as given and no roles (RunTask then refuses it).
func (s *Service) TaskRoles(ref string, overrides TaskOverride) (string, []string) {
	s.mu.Lock()
	def, err := s.taskDefinitionOf(ref)
	s.mu.Unlock()
	if err != nil {
		return ref, nil
	}
	var roles []string
	for _, r := range []string{def.TaskRoleArn, def.ExecutionRoleArn, overrides.TaskRoleArn, overrides.ExecutionRoleArn} {
		if r != "" {
			roles = append(roles, r)
		}
	}
	return def.TaskDefinitionArn, roles
}
