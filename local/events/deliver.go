package events

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/sns"
	"github.com/sparta-go/sparta/local/sqs"
	"github.com/sparta-go/sparta/local/stepfunctions"
)

// principal is the service principal EventBridge acts as towards
// functions' resource policies and targets' roles.
const principal = "events.amazonaws.com"

// Metrics counts a rule's deliveries, as EventBridge's CloudWatch metrics
// Invocations and FailedInvocations do.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
type Metrics struct {
	Invocations       int
	FailedInvocations int
}

type metrics struct {
	mu     sync.Mutex
	byRule map[string]*Metrics
}

// Metrics returns the deliveries of the rule with ARN ruleARN since the
// cloud started.
func (s *Service) Metrics(ruleARN string) Metrics {
	s.metrics.mu.Lock()
	defer s.metrics.mu.Unlock()
	if m := s.metrics.byRule[ruleARN]; m != nil {
		return *m
	}
	return Metrics{}
}

func (s *Service) count(ruleARN string, failed bool) {
	s.metrics.mu.Lock()
	defer s.metrics.mu.Unlock()
	if s.metrics.byRule == nil {
		s.metrics.byRule = map[string]*Metrics{}
	}
	m := s.metrics.byRule[ruleARN]
	if m == nil {
		m = &Metrics{}
		s.metrics.byRule[ruleARN] = m
	}
	m.Invocations++
	if failed {
		m.FailedInvocations++
	}
}

// dispatch delivers d to every target of r in the background. Nothing a
// target does (refuse, fail, panic) reaches the caller: failures are
// logged and counted.
func (s *Service) dispatch(r Rule, d *delivery) {
	for _, t := range r.Targets {
		s.dmu.Lock()
		if s.closing {
			s.dmu.Unlock()
			return
		}
		s.deliveries.Add(1)
		s.dmu.Unlock()
		go func() {
			defer s.deliveries.Done()
			log := s.log.WithFields(logrus.Fields{"rule": r.Arn, "target": t.Id})
			defer func() {
				if p := recover(); p != nil {
					log.Errorf("events: delivering to %s panicked: %v", t.Arn, p)
					s.count(r.Arn, true)
				}
			}()
			err := s.deliver(r, t, d.input(t))
			if err != nil {
				log.WithError(err).Warnf("events: delivery to %s failed", t.Arn)
			}
			s.count(r.Arn, err != nil)
		}()
	}
}

// deliver sends one input to one target.
func (s *Service) deliver(r Rule, t Target, input []byte) error {
	switch {
	case strings.Contains(t.Arn, ":lambda:") && strings.Contains(t.Arn, ":function:"):
		return s.invokeFunction(r, t, input)
	case strings.Contains(t.Arn, ":states:") && strings.Contains(t.Arn, ":stateMachine:"):
		return s.startExecution(r, t, input)
	case strings.HasPrefix(t.Arn, "arn:aws:sqs:"):
		return s.sendMessage(t, input)
	case strings.HasPrefix(t.Arn, "arn:aws:sns:"):
		return s.publish(t, input)
	}
	return fmt.Errorf("the local cloud delivers to Lambda functions, Step Functions state machines, SQS queues and SNS topics only, not to %s", t.Arn)
}

// sendMessage sends the input to an SQS queue. AWS also requires the
// queue's policy to allow events.amazonaws.com; the local SQS keeps
// policies without enforcing them, so neither does this.
func (s *Service) sendMessage(t Target, input []byte) error {
	svc, _ := s.env.Lookup("sqs")
	q, ok := svc.(*sqs.Service)
	if !ok {
		return fmt.Errorf("the local cloud runs no SQS service")
	}
	url, err := q.QueueURLByARN(t.Arn)
	if err != nil {
		return err
	}
	_, err = q.Send(url, sqs.SendInput{Body: string(input)})
	return err
}

// publish publishes the input to an SNS topic (whose policy, as the
// queue's, is not enforced locally).
func (s *Service) publish(t Target, input []byte) error {
	svc, _ := s.env.Lookup("sns")
	topics, ok := svc.(*sns.Service)
	if !ok {
		return fmt.Errorf("the local cloud runs no SNS service")
	}
	_, err := topics.Publish(sns.Message{TopicARN: t.Arn, Message: string(input)})
	return err
}

// invokeFunction invokes the function asynchronously once its resource
// policy allows events.amazonaws.com from this rule, as AWS::Lambda::
// Permission with SourceArn grants it.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
func (s *Service) invokeFunction(r Rule, t Target, input []byte) error {
	svc, _ := s.env.Lookup("lambda")
	fns, ok := svc.(*lambda.Service)
	if !ok {
		return fmt.Errorf("the local cloud runs no Lambda service")
	}
	ctx := context.Background()
	policy, err := fns.GetPolicy(ctx, t.Arn)
	if err != nil {
		return fmt.Errorf("function %s has no resource policy allowing %s to invoke it (add an AWS::Lambda::Permission with SourceArn %s): %w", t.Arn, principal, r.Arn, err)
	}
	var doc any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return err
	}
	p, err := iam.ParsePolicy(doc)
	if err != nil {
		return fmt.Errorf("the resource policy of %s: %w", t.Arn, err)
	}
	req := iam.Request{Action: "lambda:InvokeFunction", Resource: t.Arn, Principal: map[string]string{"Service": principal},
		Context: map[string]string{"aws:SourceArn": r.Arn, "aws:SourceAccount": s.env.AccountID}}
	if iam.Evaluate(req, p) != iam.Allow {
		return fmt.Errorf("the resource policy of %s does not allow %s to invoke it from rule %s", t.Arn, principal, r.Arn)
	}
	_, err = fns.InvokeWith(ctx, lambda.InvokeInput{FunctionName: t.Arn, Payload: input, InvocationType: lambda.InvocationEvent})
	return err
}

// startExecution starts an execution under the target's role: the role
// must trust events.amazonaws.com and allow states:StartExecution on the
// machine.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html
func (s *Service) startExecution(r Rule, t Target, input []byte) error {
	if t.RoleArn == "" {
		return fmt.Errorf("target %s of rule %s has no RoleArn: EventBridge starts executions under the target's role", t.Id, r.Name)
	}
	if svc, ok := s.env.Lookup("iam"); ok {
		if roles, ok := svc.(*iam.Service); ok {
			ctx := map[string]string{"aws:SourceAccount": s.env.AccountID, "aws:SourceArn": r.Arn}
			if !roles.CheckTrust(t.RoleArn, []string{principal}, ctx) {
				return fmt.Errorf("role %s does not let %s assume it (its trust policy)", t.RoleArn, principal)
			}
			if err := roles.Authorize(t.RoleArn, "", iam.Request{Action: "states:StartExecution", Resource: t.Arn}); err != nil {
				return err
			}
		}
	}
	svc, _ := s.env.Lookup("states")
	sfn, ok := svc.(*stepfunctions.Service)
	if !ok {
		return fmt.Errorf("the local cloud runs no Step Functions service")
	}
	in := string(input)
	_, err := sfn.StartExecution(stepfunctions.StartExecutionInput{StateMachineARN: t.Arn, Input: &in})
	return err
}
