package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/ecs"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/sns"
)

// Factory builds the Step Functions service of a local cloud: its state in
// the store's "states" collection, Lambda tasks run by the cloud's "lambda"
// service, sns:publish by its "sns" service and roles checked by its "iam"
// service, each looked up when first needed (services are built in order,
// so a factory cannot look them up itself).
func Factory(env *core.Env) (core.Service, error) {
	return New(Config{
		Store:     env.Store.Collection("states"),
		Region:    env.Region,
		AccountID: env.AccountID,
		Lambda:    LocalLambda{Env: env},
		SNS:       LocalSNS{Env: env},
		ECS:       LocalECS{Env: env},
		DynamoDB:  LocalDynamoDB{Env: env},
		SQS:       LocalSQS{Env: env},
		Events:    LocalEvents{Env: env},
		IAM:       &LocalIAM{Env: env},
		Log:       env.Log.WithField(core.FieldService, "states"),
	})
}

// LocalLambda is a LambdaInvoker running functions on the cloud's Lambda
// service.
type LocalLambda struct{ Env *core.Env }

// Invoke invokes synchronously through the Lambda service's Go API.
func (l LocalLambda) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, string, error) {
	svc, _ := l.Env.Lookup("lambda")
	s, ok := svc.(*lambda.Service)
	if !ok {
		return nil, "", errors.New("the local cloud runs no Lambda service")
	}
	res, err := s.Invoke(ctx, fn, payload)
	if err != nil {
		return nil, "", err
	}
	return res.Payload, res.FunctionError, nil
}

// LocalECS is an ECSRunner running tasks on the cloud's ECS service.
type LocalECS struct{ Env *core.Env }

// RunTaskSync runs the task through the ECS service's Go API.
func (e LocalECS) RunTaskSync(ctx context.Context, parameters map[string]any) (map[string]any, error) {
	svc, _ := e.Env.Lookup("ecs")
	s, ok := svc.(*ecs.Service)
	if !ok {
		return nil, errors.New("the local cloud runs no ECS service")
	}
	return s.RunTaskSync(ctx, parameters)
}

// TaskRoles returns the roles a task of these runTask parameters passes
// to ECS.
func (e LocalECS) TaskRoles(parameters map[string]any) []string {
	svc, _ := e.Env.Lookup("ecs")
	s, ok := svc.(*ecs.Service)
	if !ok {
		return nil
	}
	def, _ := parameters["TaskDefinition"].(string)
	var ov ecs.TaskOverride
	if raw, err := json.Marshal(parameters["Overrides"]); err == nil {
		_ = json.Unmarshal(raw, &ov)
	}
	_, roles := s.TaskRoles(def, ov)
	return roles
}

// LocalSNS is a Publisher publishing to the cloud's SNS service.
type LocalSNS struct{ Env *core.Env }

// Publish publishes through the SNS service's Go API.
func (p LocalSNS) Publish(_ context.Context, topicARN, subject, message string) (string, error) {
	svc, _ := p.Env.Lookup("sns")
	s, ok := svc.(*sns.Service)
	if !ok {
		return "", errors.New("the local cloud runs no SNS service")
	}
	m, err := s.Publish(sns.Message{TopicARN: topicARN, Subject: subject, Message: message})
	if err != nil {
		return "", err
	}
	return m.MessageID, nil
}

// LocalIAM is a RoleChecker backed by the cloud's IAM service. A cloud
// without one does not enforce roles, and says so once in its log.
type LocalIAM struct {
	Env  *core.Env
	once sync.Once
}

func (l *LocalIAM) service() *iam.Service {
	svc, _ := l.Env.Lookup("iam")
	s, ok := svc.(*iam.Service)
	if !ok {
		l.once.Do(func() {
			l.Env.Log.Warn("the local cloud runs no IAM service: Step Functions does not enforce machine roles")
		})
		return nil
	}
	return s
}

// Authorize checks the role through the IAM service.
func (l *LocalIAM) Authorize(roleARN, session string, req iam.Request) error {
	if s := l.service(); s != nil {
		return s.Authorize(roleARN, session, req)
	}
	return nil
}

// CheckTrust checks the trust policy through the IAM service.
func (l *LocalIAM) CheckTrust(roleARN string, principals []string, ctx map[string]string) bool {
	if s := l.service(); s != nil {
		return s.CheckTrust(roleARN, principals, ctx)
	}
	return true
}
