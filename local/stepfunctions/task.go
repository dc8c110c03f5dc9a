package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/step/engine"
)

// Task resources the local cloud runs.
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
// and https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
const (
	resourceLambdaInvoke = "arn:aws:states:::lambda:invoke"
	resourceSNSPublish   = "arn:aws:states:::sns:publish"
	resourceECSRunSync   = "arn:aws:states:::ecs:runTask.sync"
	suffixWaitForToken   = ".waitForTaskToken"
)

// invoker returns the engine's Invoke for one execution: it routes each
// Task by resource, checking the machine's role first.
func (s *Service) invoker(r *run) func(ctx context.Context, req *engine.TaskRequest) (any, error) {
	return func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		if req.TaskToken != "" {
			s.mu.Lock()
			s.tokens[req.TaskToken] = &tokenEntry{run: r, execution: req.ExecutionARN, machine: r.rec.StateMachineARN}
			s.mu.Unlock()
		}
		if req.Credentials != nil {
			return nil, &engine.TaskError{Name: engine.ErrRuntime,
				Cause: fmt.Sprintf("The state '%s' has Credentials (cross-account role assumption), which the local cloud does not support; remove them for local runs", req.StateName)}
		}
		base := strings.TrimSuffix(req.Resource, suffixWaitForToken)
		switch {
		case strings.HasPrefix(base, "arn:aws:lambda:") && base == req.Resource:
			return s.lambdaFunctionTask(ctx, r, req)
		case base == resourceLambdaInvoke:
			return s.lambdaInvokeTask(ctx, r, req)
		case base == resourceSNSPublish:
			return s.snsPublishTask(ctx, r, req)
		case req.Resource == resourceECSRunSync:
			return s.ecsRunTaskSync(ctx, r, req)
		case dynamoDBActions[req.Resource] != "":
			return s.dynamoDBTask(ctx, r, req)
		case base == resourceSQSSendMessage:
			return s.sqsSendMessageTask(ctx, r, req)
		case base == resourceEventsPutEvents:
			return s.eventsPutEventsTask(ctx, r, req)
		}
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf(
			"The resource '%s' of state '%s' is not supported by the local cloud, which runs Lambda functions (function ARNs and %s), %s, %s, %s, arn:aws:states:::dynamodb:getItem, putItem, updateItem and deleteItem; run this machine on AWS",
			req.Resource, req.StateName, resourceLambdaInvoke, resourceSNSPublish, resourceSQSSendMessage, resourceECSRunSync)}
	}
}

// authorize checks the machine's role before an integration call and
// returns the task error AWS reports when the role lacks the permission.
func (s *Service) authorize(r *run, action, resourceARN string, denied func(*iam.AccessDeniedError) error) error {
	if s.cfg.IAM == nil {
		return nil
	}
	err := s.cfg.IAM.Authorize(r.role, r.session, iam.Request{Action: action, Resource: resourceARN})
	var ad *iam.AccessDeniedError
	if errors.As(err, &ad) {
		return denied(ad)
	}
	return err
}

// lambdaDenied is how a Lambda task fails when the role may not invoke the
// function: Lambda's AccessDeniedException, as Step Functions wraps it.
func lambdaDenied(ad *iam.AccessDeniedError) error {
	return &engine.TaskError{Name: "Lambda.AWSLambdaException", Cause: fmt.Sprintf(
		"%s (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: %s; Proxy: null)", ad, core.NewRequestID())}
}

func snsDenied(ad *iam.AccessDeniedError) error {
	return &engine.TaskError{Name: "SNS.AuthorizationErrorException", Cause: fmt.Sprintf(
		"%s (Service: Sns, Status Code: 403, Request ID: %s)", ad, core.NewRequestID())}
}

// lambdaFunctionTask runs a Task whose resource is a function ARN: the
// state's effective input is the payload and the function's result is the
// task's result. A function error fails the task with the payload's
// errorType as Error and the whole payload as Cause.
func (s *Service) lambdaFunctionTask(ctx context.Context, r *run, req *engine.TaskRequest) (any, error) {
	payload, err := json.Marshal(req.Input)
	if err != nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("encoding the input of state '%s': %v", req.StateName, err)}
	}
	arn := req.Resource
	if err := s.authorize(r, "lambda:InvokeFunction", arn, lambdaDenied); err != nil {
		return nil, err
	}
	out, err := s.callLambda(ctx, arn, payload)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(out), nil
}

// lambdaInvokeTask runs arn:aws:states:::lambda:invoke: Parameters carry
// FunctionName, Payload, Qualifier and InvocationType, and the result is
// Lambda's response (StatusCode, Payload, ...).
func (s *Service) lambdaInvokeTask(ctx context.Context, r *run, req *engine.TaskRequest) (any, error) {
	params, _ := req.Input.(map[string]any)
	fn, _ := params["FunctionName"].(string)
	if fn == "" {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf(
			"The state '%s' calls %s without a FunctionName string in its Parameters", req.StateName, req.Resource)}
	}
	qualifier, _ := params["Qualifier"].(string)
	arn := s.lambdaFunctionARN(fn, qualifier)
	payload := []byte("{}")
	if p, ok := params["Payload"]; ok {
		var err error
		if payload, err = json.Marshal(p); err != nil {
			return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("encoding the Payload of state '%s': %v", req.StateName, err)}
		}
	}
	if err := s.authorize(r, "lambda:InvokeFunction", arn, lambdaDenied); err != nil {
		return nil, err
	}
	switch typ, _ := params["InvocationType"].(string); typ {
	case "", "RequestResponse":
	case "Event":
		// Asynchronous: Lambda accepts the event and Step Functions moves
		// on; the function's outcome is not the task's.
		go func() { _, _ = s.callLambda(context.WithoutCancel(ctx), arn, payload) }()
		return lambdaResponse(202, ""), nil
	case "DryRun":
		return lambdaResponse(204, ""), nil
	default:
		return nil, &engine.TaskError{Name: "Lambda.InvalidParameterValueException", Cause: fmt.Sprintf("InvocationType %q is not one of RequestResponse, Event, DryRun", typ)}
	}
	out, err := s.callLambda(ctx, arn, payload)
	if err != nil {
		return nil, err
	}
	var result any = json.RawMessage(out)
	if len(out) == 0 || !json.Valid(out) {
		result = string(out)
	}
	return engine.WrapLambdaInvokeResult(result), nil
}

// lambdaResponse is the integration's result for asynchronous and dry-run
// invocations, which carry no payload.
func lambdaResponse(status int, payload string) map[string]any {
	res := engine.WrapLambdaInvokeResult(payload).(map[string]any)
	res["StatusCode"] = json.Number(fmt.Sprint(status))
	return res
}

// callLambda invokes through the configured invoker and classifies its
// failures as Step Functions names them.
func (s *Service) callLambda(ctx context.Context, arn string, payload []byte) ([]byte, error) {
	if s.cfg.Lambda == nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: "the local cloud runs no Lambda service, so function " + arn + " cannot be invoked"}
	}
	out, fnErr, err := s.cfg.Lambda.Invoke(ctx, arn, payload)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &engine.TaskError{Name: "Lambda." + errorCode(err, "ServiceException"), Cause: err.Error()}
	}
	if fnErr != "" {
		var doc struct {
			ErrorType string `json:"errorType"`
		}
		_ = json.Unmarshal(out, &doc)
		name := doc.ErrorType
		if name == "" {
			name = "Lambda.Unknown"
		}
		return nil, &engine.TaskError{Name: name, Cause: string(out)}
	}
	return out, nil
}

// errorCode returns the AWS error code an error carries (a smithy API
// error's ErrorCode, a *core.Error's Code), with "Exception" appended as
// Step Functions names SDK exceptions, or fallback.
func errorCode(err error, fallback string) string {
	code := ""
	var api interface{ ErrorCode() string }
	var ce *core.Error
	switch {
	case errors.As(err, &api):
		code = api.ErrorCode()
	case errors.As(err, &ce):
		code = ce.Code
	}
	if code == "" {
		return fallback
	}
	if !strings.HasSuffix(code, "Exception") {
		code += "Exception"
	}
	return code
}

// snsPublishTask runs arn:aws:states:::sns:publish: Parameters carry
// TopicArn, Message (a string, or any JSON value, which is sent as its
// JSON text) and Subject; the result is {"MessageId": ...} with the SDK
// metadata AWS adds.
func (s *Service) snsPublishTask(ctx context.Context, r *run, req *engine.TaskRequest) (any, error) {
	params, _ := req.Input.(map[string]any)
	topic, _ := params["TopicArn"].(string)
	if topic == "" {
		if _, ok := params["TargetArn"]; ok {
			return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("The state '%s' publishes to a TargetArn (mobile endpoints), which the local cloud does not support; use TopicArn", req.StateName)}
		}
		if _, ok := params["PhoneNumber"]; ok {
			return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("The state '%s' publishes to a PhoneNumber (SMS), which the local cloud does not support; use TopicArn", req.StateName)}
		}
		return nil, &engine.TaskError{Name: "SNS.InvalidParameterException", Cause: fmt.Sprintf("The state '%s' calls %s without a TopicArn in its Parameters", req.StateName, req.Resource)}
	}
	var message string
	switch m := params["Message"].(type) {
	case string:
		message = m
	case nil:
		return nil, &engine.TaskError{Name: "SNS.InvalidParameterException", Cause: "Invalid parameter: Empty message"}
	default:
		b, err := json.Marshal(m)
		if err != nil {
			return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("encoding the Message of state '%s': %v", req.StateName, err)}
		}
		message = string(b)
	}
	subject, _ := params["Subject"].(string)
	if err := s.authorize(r, "sns:Publish", topic, snsDenied); err != nil {
		return nil, err
	}
	if s.cfg.SNS == nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: "the local cloud runs no SNS service, so topic " + topic + " cannot be published to"}
	}
	id, err := s.cfg.SNS.Publish(ctx, topic, subject, message)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &engine.TaskError{Name: "SNS." + errorCode(err, "AmazonSNSException"), Cause: err.Error()}
	}
	return map[string]any{
		"MessageId": id,
		"SdkHttpMetadata": map[string]any{
			"AllHttpHeaders": map[string]any{},
			"HttpHeaders":    map[string]any{"Content-Type": "text/xml"},
			"HttpStatusCode": json.Number("200"),
		},
		"SdkResponseMetadata": map[string]any{"RequestId": core.NewRequestID()},
	}, nil
}

// ecsRunTaskSync runs arn:aws:states:::ecs:runTask.sync: the role must
// allow ecs:RunTask on the task definition, then the task runs to its end
// and the stopped task is the result.
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html.
func (s *Service) ecsRunTaskSync(ctx context.Context, r *run, req *engine.TaskRequest) (any, error) {
	if s.cfg.ECS == nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("state '%s': this local cloud runs no ECS service", req.StateName)}
	}
	params, ok := req.Input.(map[string]any)
	if !ok {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("state '%s': ecs:runTask.sync needs Parameters with Cluster and TaskDefinition", req.StateName)}
	}
	// The engine's values hold json.Number; ECS decodes plain JSON.
	var plain map[string]any
	raw, err := json.Marshal(params)
	if err == nil {
		err = json.Unmarshal(raw, &plain)
	}
	if err != nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("state '%s': %v", req.StateName, err)}
	}
	taskDef, _ := plain["TaskDefinition"].(string)
	if err := s.authorize(r, "ecs:RunTask", taskDef, ecsDenied); err != nil {
		return nil, err
	}
	// The machine's role hands the task its roles: AWS checks
	// iam:PassRole on each.
	if tr, ok := s.cfg.ECS.(TaskRoler); ok {
		for _, role := range tr.TaskRoles(plain) {
			if err := s.authorize(r, "iam:PassRole", role, ecsDenied); err != nil {
				return nil, err
			}
		}
	}
	return s.cfg.ECS.RunTaskSync(ctx, plain)
}

// TaskRoler is implemented by an ECSRunner that can tell the roles a
// task's parameters pass to ECS (the task definition's task and execution
// roles, the overrides'), for the iam:PassRole check.
type TaskRoler interface {
	TaskRoles(parameters map[string]any) []string
}

func ecsDenied(ad *iam.AccessDeniedError) error {
	return &engine.TaskError{Name: "ECS.AccessDeniedException", Cause: fmt.Sprintf(
		"%s (Service: AmazonECS; Status Code: 400; Error Code: AccessDeniedException; Request ID: %s; Proxy: null)", ad, core.NewRequestID())}
}
