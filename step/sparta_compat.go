package step

import (
	"encoding/json"
	"time"
)

// This file holds the names and shapes of Sparta 1.15's aws/step package
// that differ from this package's own, each a thin layer over the one
// model: a Sparta program compiles with only its import paths changed.

// StateError is an ASL error name, as Sparta types them.
type StateError string

// Sparta's typed error names (see the Error... constants).
const (
	StatesAll                    StateError = ErrorAll
	StatesTimeout                StateError = ErrorTimeout
	StatesTaskFailed             StateError = ErrorTaskFailed
	StatesPermissions            StateError = ErrorPermissions
	StatesResultPathMatchFailure StateError = ErrorResultPathMatchFailure
	StatesBranchFailed           StateError = ErrorBranchFailed
	StatesNoChoiceMatched        StateError = ErrorNoChoiceMatched
)

func errorNames(errs []StateError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = string(e)
	}
	return out
}

// RetryPolicy is what WithRetriers takes: a Retrier, or a *Retrier such as
// Sparta's NewTaskRetry builds.
type RetryPolicy interface{ retrier() Retrier }

func (r Retrier) retrier() Retrier { return r }

// CatchPolicy is what WithCatchers takes: a Catcher, or a *Catcher such as
// Sparta's NewTaskCatch builds.
type CatchPolicy interface{ catcher() Catcher }

func (c Catcher) catcher() Catcher { return c }

func appendRetriers(to []Retrier, rs []RetryPolicy) []Retrier {
	for _, r := range rs {
		if p, ok := r.(*Retrier); ok && p == nil {
			continue
		}
		to = append(to, r.retrier())
	}
	return to
}

func appendCatchers(to []Catcher, cs []CatchPolicy) []Catcher {
	for _, c := range cs {
		if p, ok := c.(*Catcher); ok && p == nil {
			continue
		}
		to = append(to, c.catcher())
	}
	return to
}

// TaskRetry is Sparta's name for a Retrier.
type TaskRetry = Retrier

// NewTaskRetry starts a retry policy for Sparta's fluent builders
// (WithErrors, WithInterval, WithMaxAttempts, WithBackoffRate).
func NewTaskRetry() *TaskRetry { return &Retrier{} }

// WithErrors adds error names to ErrorEquals.
func (r *Retrier) WithErrors(errs ...StateError) *Retrier {
	r.ErrorEquals = append(r.ErrorEquals, errorNames(errs)...)
	return r
}

// WithInterval sets IntervalSeconds, in whole seconds as ASL counts them.
func (r *Retrier) WithInterval(interval time.Duration) *Retrier {
	r.IntervalSeconds = int(interval / time.Second)
	return r
}

// WithMaxAttempts sets MaxAttempts.
func (r *Retrier) WithMaxAttempts(maxAttempts int) *Retrier {
	r.MaxAttempts = maxAttempts
	return r
}

// WithBackoffRate sets BackoffRate.
func (r *Retrier) WithBackoffRate(backoffRate float32) *Retrier {
	r.BackoffRate = float64(backoffRate)
	return r
}

// TaskCatch is Sparta's name for a Catcher.
type TaskCatch = Catcher

// NewTaskCatch is a Catcher that goes to nextState on errs, Sparta's shape.
func NewTaskCatch(nextState State, errs ...StateError) *TaskCatch {
	return &Catcher{ErrorEquals: errorNames(errs), Next: nextState}
}

// SNSTaskParameters is the request of Sparta's SNS publish task. TopicArn
// and TargetArn are literals or template references (cloudformation.Ref,
// GetAtt: strings in goformation, where Sparta took a gocf.Stringable).
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html.
type SNSTaskParameters struct {
	Message           string
	Subject           string
	MessageAttributes map[string]interface{}
	MessageStructure  string
	PhoneNumber       string
	TargetArn         string
	TopicArn          string
}

// NewSNSTaskState is Sparta's SNS publish task: NewSNSPublishState with
// the parameters that are set.
func NewSNSTaskState(name string, p SNSTaskParameters) *TaskState {
	params := map[string]any{}
	set := func(k, v string) {
		if v != "" {
			params[k] = v
		}
	}
	set("Message", p.Message)
	set("Subject", p.Subject)
	set("MessageStructure", p.MessageStructure)
	set("PhoneNumber", p.PhoneNumber)
	if len(p.MessageAttributes) > 0 {
		params["MessageAttributes"] = p.MessageAttributes
	}
	if p.TopicArn == "" {
		t := NewResourceTaskState(name, ResourceSNSPublish, params)
		if p.TargetArn != "" {
			params["TargetArn"] = t.bind("SNSTopic", p.TargetArn)
		}
		return t
	}
	return NewSNSPublishState(name, p.TopicArn, params)
}

// awsvpcOf reads the AWSVPCConfiguration of a FargateNetworkConfiguration:
// an AwsvpcConfiguration, or any value with its JSON field names, as
// goformation's *ecs.Service_AwsVpcConfiguration has (Subnets,
// SecurityGroups, AssignPublicIp).
func awsvpcOf(v any) AwsvpcConfiguration {
	switch c := v.(type) {
	case nil:
		return AwsvpcConfiguration{}
	case AwsvpcConfiguration:
		return c
	case *AwsvpcConfiguration:
		if c == nil {
			return AwsvpcConfiguration{}
		}
		return *c
	}
	var out AwsvpcConfiguration
	if b, err := json.Marshal(v); err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}
