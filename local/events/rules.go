package events

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/sparta-go/sparta/internal/eventpattern"
	"github.com/sparta-go/sparta/internal/schedule"
)

// PutRuleInput is PutRule's request.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
type PutRuleInput struct {
	Name               string
	EventBusName       string
	EventPattern       string
	ScheduleExpression string
	State              string
	Description        string
	RoleArn            string
}

// PutRule creates a rule or updates the one of that name, keeping its
// targets, and returns its ARN.
func (s *Service) PutRule(in PutRuleInput) (string, error) {
	if !ruleName.MatchString(in.Name) {
		return "", errValidation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64", in.Name)
	}
	if in.EventPattern == "" && in.ScheduleExpression == "" {
		return "", errValidation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	switch in.State {
	case "":
		in.State = "ENABLED"
	case "ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS":
	default:
		return "", errValidation("1 validation error detected: Value '%s' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]", in.State)
	}
	bus := busNameOf(in.EventBusName)
	if in.ScheduleExpression != "" && bus != DefaultBus {
		return "", errValidation("ScheduleExpression is supported only on the default event bus.")
	}
	if in.EventPattern != "" {
		if _, err := eventpattern.Compile(in.EventPattern); err != nil {
			return "", errPattern(err)
		}
	}
	if in.ScheduleExpression != "" {
		if _, err := schedule.Parse(in.ScheduleExpression); err != nil {
			return "", errSchedule()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.buses[bus]; !ok {
		return "", errBusNotFound(bus)
	}
	r := Rule{Name: in.Name, Arn: s.ruleARN(bus, in.Name), EventBusName: bus, EventPattern: in.EventPattern,
		ScheduleExpression: in.ScheduleExpression, State: in.State, Description: in.Description, RoleArn: in.RoleArn,
		Created: s.env.Clock.Now().UTC()}
	if old, ok := s.rules[ruleKey(bus, in.Name)]; ok {
		r.Targets = old.Targets
		if old.ScheduleExpression == in.ScheduleExpression {
			r.Created = old.Created
		}
	}
	c, err := compileRule(r)
	if err != nil {
		return "", err
	}
	if err := s.saveLocked(c); err != nil {
		return "", err
	}
	s.sched.wake()
	return r.Arn, nil
}

// DescribeRule returns a rule (without its targets).
func (s *Service) DescribeRule(name, bus string) (Rule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.ruleLocked(busNameOf(bus), name)
	if err != nil {
		return Rule{}, err
	}
	out := r.Rule
	out.Targets = slices.Clone(r.Targets)
	return out, nil
}

// DeleteRule deletes a rule, which must have no targets unless force.
func (s *Service) DeleteRule(name, bus string, force bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	bus = busNameOf(bus)
	if _, ok := s.buses[bus]; !ok {
		return errBusNotFound(bus)
	}
	r, ok := s.rules[ruleKey(bus, name)]
	if !ok {
		return nil // "If you call delete rule multiple times for the same rule, all calls will succeed."
	}
	if len(r.Targets) > 0 && !force {
		return errValidation("Rule can't be deleted since it has targets.")
	}
	if err := s.rulesColl().Delete(ruleKey(bus, name)); err != nil {
		return err
	}
	delete(s.rules, ruleKey(bus, name))
	s.sched.wake()
	return nil
}

// SetRuleState enables or disables a rule.
func (s *Service) SetRuleState(name, bus string, enabled bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.ruleLocked(busNameOf(bus), name)
	if err != nil {
		return err
	}
	c := *r
	c.State = "DISABLED"
	if enabled {
		c.State = "ENABLED"
	}
	if err := s.saveLocked(&c); err != nil {
		return err
	}
	s.sched.wake()
	return nil
}

// ListRules returns the rules of a bus whose name starts with prefix.
func (s *Service) ListRules(bus, prefix string) ([]Rule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	bus = busNameOf(bus)
	if _, ok := s.buses[bus]; !ok {
		return nil, errBusNotFound(bus)
	}
	var out []Rule
	for _, r := range s.rulesOfLocked(bus) {
		if strings.HasPrefix(r.Name, prefix) {
			rr := r.Rule
			rr.Targets = nil
			out = append(out, rr)
		}
	}
	return out, nil
}

// FailedEntry is one target PutTargets or RemoveTargets did not change.
type FailedEntry struct {
	TargetId     string
	ErrorCode    string
	ErrorMessage string
}

// PutTargets adds or replaces targets of a rule (by Id).
func (s *Service) PutTargets(_ context.Context, name, bus string, targets []Target) ([]FailedEntry, error) {
	if len(targets) == 0 || len(targets) > maxTargetsPerCall {
		return nil, errValidation("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length less than or equal to %d and greater than or equal to 1", maxTargetsPerCall)
	}
	for i, t := range targets {
		if !targetID.MatchString(t.Id) {
			return nil, errValidation("1 validation error detected: Value '%s' at 'targets.%d.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length between 1 and 64", t.Id, i+1)
		}
		if !strings.HasPrefix(t.Arn, "arn:") {
			return nil, errValidation("Parameter %s is not valid.", t.Arn)
		}
		if t.Input != "" && (t.InputPath != "" || t.InputTransformer != nil) || t.InputPath != "" && t.InputTransformer != nil {
			return nil, errValidation("Only one of Input, InputPath, or InputTransformer must be provided.")
		}
		if t.Input != "" && !json.Valid([]byte(t.Input)) {
			return nil, errValidation("Target %s: Input is not valid JSON text.", t.Id)
		}
		if strings.Contains(t.Arn, ":states:") && t.RoleArn == "" {
			return nil, errValidation("RoleArn is required for target arn %s.", t.Arn)
		}
		if t.InputPath != "" {
			if _, err := parsePath(t.InputPath); err != nil {
				return nil, errValidation("Target %s: InputPath %q is not valid: %v", t.Id, t.InputPath, err)
			}
		}
		if err := checkTransformer(t.InputTransformer); err != nil {
			return nil, errValidation("Target %s: %v", t.Id, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.ruleLocked(busNameOf(bus), name)
	if err != nil {
		return nil, err
	}
	c := *r
	c.Targets = slices.Clone(r.Targets)
	for _, t := range targets {
		i := slices.IndexFunc(c.Targets, func(x Target) bool { return x.Id == t.Id })
		if i >= 0 {
			c.Targets[i] = t
			continue
		}
		if len(c.Targets) >= maxTargetsPerRule {
			return nil, errLimit()
		}
		c.Targets = append(c.Targets, t)
	}
	return []FailedEntry{}, s.saveLocked(&c)
}

// RemoveTargets removes targets of a rule by Id; missing Ids are not an
// error.
func (s *Service) RemoveTargets(name, bus string, ids []string) ([]FailedEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.ruleLocked(busNameOf(bus), name)
	if err != nil {
		return nil, err
	}
	c := *r
	c.Targets = slices.DeleteFunc(slices.Clone(r.Targets), func(t Target) bool { return slices.Contains(ids, t.Id) })
	return []FailedEntry{}, s.saveLocked(&c)
}

// Targets returns a rule's targets.
func (s *Service) Targets(name, bus string) ([]Target, error) {
	r, err := s.DescribeRule(name, bus)
	return r.Targets, err
}

// RuleNamesByTarget returns the names of the rules of a bus that have a
// target with that ARN, sorted.
func (s *Service) RuleNamesByTarget(targetARN, bus string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	bus = busNameOf(bus)
	if _, ok := s.buses[bus]; !ok {
		return nil, errBusNotFound(bus)
	}
	names := []string{}
	for _, r := range s.rulesOfLocked(bus) {
		if slices.ContainsFunc(r.Targets, func(t Target) bool { return t.Arn == targetARN }) {
			names = append(names, r.Name)
		}
	}
	return names, nil
}
