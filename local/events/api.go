package events

import (
	"context"
	"strconv"

	"github.com/sparta-go/sparta/local/core"
)

// operations maps EventBridge's operations to their implementations.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Operations.html
func (s *Service) operations() map[string]core.JSONOperation {
	return map[string]core.JSONOperation{
		"PutRule":               core.Op(s.opPutRule),
		"DescribeRule":          core.Op(s.opDescribeRule),
		"ListRules":             core.Op(s.opListRules),
		"DeleteRule":            core.Op(s.opDeleteRule),
		"EnableRule":            core.Op(s.opEnableRule),
		"DisableRule":           core.Op(s.opDisableRule),
		"PutTargets":            core.Op(s.opPutTargets),
		"RemoveTargets":         core.Op(s.opRemoveTargets),
		"ListTargetsByRule":     core.Op(s.opListTargets),
		"ListRuleNamesByTarget": core.Op(s.opListRuleNamesByTarget),
		"PutEvents":             core.Op(s.opPutEvents),
		"TestEventPattern":      core.Op(s.opTestEventPattern),
		"CreateEventBus":        core.Op(s.opCreateEventBus),
		"DeleteEventBus":        core.Op(s.opDeleteEventBus),
		"DescribeEventBus":      core.Op(s.opDescribeEventBus),
		"ListEventBuses":        core.Op(s.opListEventBuses),
	}
}

type ruleRef struct {
	Name, Rule, EventBusName string
	Force                    bool
}

func (s *Service) opPutRule(_ context.Context, in PutRuleInput) (any, error) {
	arn, err := s.PutRule(in)
	if err != nil {
		return nil, err
	}
	return map[string]string{"RuleArn": arn}, nil
}

// ruleOut is DescribeRule's answer and ListRules' element.
type ruleOut struct {
	Name               string
	Arn                string
	EventBusName       string
	EventPattern       string `json:",omitempty"`
	ScheduleExpression string `json:",omitempty"`
	State              string
	Description        string `json:",omitempty"`
	RoleArn            string `json:",omitempty"`
	CreatedBy          string `json:",omitempty"`
}

func (s *Service) ruleOut(r Rule) ruleOut {
	return ruleOut{Name: r.Name, Arn: r.Arn, EventBusName: r.EventBusName, EventPattern: r.EventPattern, ScheduleExpression: r.ScheduleExpression,
		State: r.State, Description: r.Description, RoleArn: r.RoleArn, CreatedBy: s.env.AccountID}
}

func (s *Service) opDescribeRule(_ context.Context, in ruleRef) (any, error) {
	r, err := s.DescribeRule(in.Name, in.EventBusName)
	if err != nil {
		return nil, err
	}
	return s.ruleOut(r), nil
}

type listIn struct {
	NamePrefix   string
	EventBusName string
	NextToken    string
	Limit        int
}

// page cuts a listing at NextToken (an offset) and Limit (default 100).
func page[T any](all []T, token string, limit int) ([]T, string, error) {
	start := 0
	if token != "" {
		n, err := strconv.Atoi(token)
		if err != nil || n < 0 || n > len(all) {
			return nil, "", errValidation("The nextToken provided is invalid.")
		}
		start = n
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	end := min(start+limit, len(all))
	next := ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return all[start:end], next, nil
}

func (s *Service) opListRules(_ context.Context, in listIn) (any, error) {
	rules, err := s.ListRules(in.EventBusName, in.NamePrefix)
	if err != nil {
		return nil, err
	}
	out := make([]ruleOut, len(rules))
	for i, r := range rules {
		out[i] = s.ruleOut(r)
	}
	p, next, err := page(out, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	return struct {
		Rules     []ruleOut
		NextToken string `json:",omitempty"`
	}{p, next}, nil
}

func (s *Service) opDeleteRule(_ context.Context, in ruleRef) (any, error) {
	return nil, s.DeleteRule(in.Name, in.EventBusName, in.Force)
}

func (s *Service) opEnableRule(_ context.Context, in ruleRef) (any, error) {
	return nil, s.SetRuleState(in.Name, in.EventBusName, true)
}

func (s *Service) opDisableRule(_ context.Context, in ruleRef) (any, error) {
	return nil, s.SetRuleState(in.Name, in.EventBusName, false)
}

type failedOut struct {
	FailedEntryCount int
	FailedEntries    []FailedEntry
}

func (s *Service) opPutTargets(ctx context.Context, in struct {
	Rule, EventBusName string
	Targets            []Target
}) (any, error) {
	failed, err := s.PutTargets(ctx, in.Rule, in.EventBusName, in.Targets)
	if err != nil {
		return nil, err
	}
	return failedOut{len(failed), failed}, nil
}

func (s *Service) opRemoveTargets(_ context.Context, in struct {
	Rule, EventBusName string
	Ids                []string
	Force              bool
}) (any, error) {
	failed, err := s.RemoveTargets(in.Rule, in.EventBusName, in.Ids)
	if err != nil {
		return nil, err
	}
	return failedOut{len(failed), failed}, nil
}

func (s *Service) opListTargets(_ context.Context, in struct {
	Rule, EventBusName, NextToken string
	Limit                         int
}) (any, error) {
	targets, err := s.Targets(in.Rule, in.EventBusName)
	if err != nil {
		return nil, err
	}
	if targets == nil {
		targets = []Target{}
	}
	p, next, err := page(targets, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	return struct {
		Targets   []Target
		NextToken string `json:",omitempty"`
	}{p, next}, nil
}

func (s *Service) opPutEvents(_ context.Context, in struct{ Entries []Entry }) (any, error) {
	return s.PutEvents(in.Entries)
}

func (s *Service) opTestEventPattern(_ context.Context, in struct{ EventPattern, Event string }) (any, error) {
	ok, err := s.TestEventPattern(in.EventPattern, in.Event)
	if err != nil {
		return nil, err
	}
	return map[string]bool{"Result": ok}, nil
}

func (s *Service) opCreateEventBus(_ context.Context, in struct{ Name, Description string }) (any, error) {
	arn, err := s.CreateEventBus(in.Name, in.Description)
	if err != nil {
		return nil, err
	}
	return map[string]string{"EventBusArn": arn}, nil
}

func (s *Service) opDeleteEventBus(_ context.Context, in struct{ Name string }) (any, error) {
	return nil, s.DeleteEventBus(in.Name)
}

type busOut struct {
	Name, Arn   string
	Description string `json:",omitempty"`
}

func (s *Service) opDescribeEventBus(_ context.Context, in struct{ Name string }) (any, error) {
	b, err := s.DescribeEventBus(in.Name)
	if err != nil {
		return nil, err
	}
	return busOut{b.Name, b.Arn, b.Description}, nil
}

func (s *Service) opListEventBuses(_ context.Context, in listIn) (any, error) {
	var out []busOut
	for _, b := range s.ListEventBuses(in.NamePrefix) {
		out = append(out, busOut{b.Name, b.Arn, b.Description})
	}
	p, next, err := page(out, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	return struct {
		EventBuses []busOut
		NextToken  string `json:",omitempty"`
	}{p, next}, nil
}

func (s *Service) opListRuleNamesByTarget(_ context.Context, in struct {
	TargetArn, EventBusName, NextToken string
	Limit                              int
}) (any, error) {
	if in.TargetArn == "" {
		return nil, errValidation("1 validation error detected: Value null at 'targetArn' failed to satisfy constraint: Member must not be null")
	}
	names, err := s.RuleNamesByTarget(in.TargetArn, in.EventBusName)
	if err != nil {
		return nil, err
	}
	p, next, err := page(names, in.NextToken, in.Limit)
	if err != nil {
		return nil, err
	}
	return struct {
		RuleNames []string
		NextToken string `json:",omitempty"`
	}{p, next}, nil
}
