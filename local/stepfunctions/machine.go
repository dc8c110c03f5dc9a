package stepfunctions

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
	"github.com/sparta-go/sparta/step/engine"
)

// Machine types.
const (
	TypeStandard = "STANDARD"
	TypeExpress  = "EXPRESS"
)

// StateMachine is a stored state machine.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachine.html
type StateMachine struct {
	Name                 string
	ARN                  string
	Definition           string
	RoleARN              string
	Type                 string
	Description          string `json:",omitempty"`
	CreationDate         time.Time
	UpdateDate           time.Time       `json:",omitempty"`
	RevisionID           string          `json:",omitempty"`
	LoggingConfiguration json.RawMessage `json:",omitempty"`
	TracingConfiguration json.RawMessage `json:",omitempty"`
	Tags                 []Tag           `json:",omitempty"`
}

// Tag is a resource tag, in the API's lowercase shape.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// machine is a state machine with its compiled program.
type machine struct {
	StateMachine
	prog *engine.Program
}

// CreateStateMachineInput creates a machine with [Service.CreateStateMachine].
type CreateStateMachineInput struct {
	Name       string          `json:"name"`
	Definition string          `json:"definition"`
	RoleARN    string          `json:"roleArn"`
	Type       string          `json:"type,omitempty"`
	Logging    json.RawMessage `json:"loggingConfiguration,omitempty"`
	Tracing    json.RawMessage `json:"tracingConfiguration,omitempty"`
	Tags       []Tag           `json:"tags,omitempty"`
	Publish    bool            `json:"publish,omitempty"`
}

// UpdateStateMachineInput changes a machine with [Service.UpdateStateMachine];
// empty fields keep their value.
type UpdateStateMachineInput struct {
	StateMachineARN string          `json:"stateMachineArn"`
	Definition      string          `json:"definition,omitempty"`
	RoleARN         string          `json:"roleArn,omitempty"`
	Logging         json.RawMessage `json:"loggingConfiguration,omitempty"`
	Tracing         json.RawMessage `json:"tracingConfiguration,omitempty"`
	Publish         bool            `json:"publish,omitempty"`
}

func (s *Service) loadMachines() error {
	return store.ScanAs(s.machinesC, "stepfunctions: state machine", func(key string, sm StateMachine) error {
		prog, err := engine.Compile([]byte(sm.Definition))
		if err != nil {
			// The engine may have grown stricter since the machine was
			// stored: keep the machine visible, fail its executions.
			s.log.WithField("stateMachine", sm.Name).Warnf("stored definition no longer compiles: %v", err)
		}
		s.machines[sm.Name] = &machine{StateMachine: sm, prog: prog}
		return nil
	})
}

// compile checks a definition as CreateStateMachine does.
func compile(definition string) (*engine.Program, error) {
	if strings.TrimSpace(definition) == "" {
		return nil, apiError("ValidationException", "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null")
	}
	if len(definition) > 1<<20 {
		return nil, apiError("ValidationException", "the definition is larger than 1,048,576 bytes")
	}
	prog, err := engine.Compile([]byte(definition))
	if err != nil {
		return nil, apiError("InvalidDefinition", "Invalid State Machine Definition: '%s'", flatten(err))
	}
	return prog, nil
}

// flatten joins the problems of an errors.Join on one line, as AWS lists
// definition errors ("SCHEMA_VALIDATION_FAILED: ... at /States/...").
func flatten(err error) string {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		parts := make([]string, 0, len(j.Unwrap()))
		for _, e := range j.Unwrap() {
			parts = append(parts, e.Error())
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// checkRole verifies that the role trusts Step Functions, the global
// service principal or the regional one, as CreateStateMachine does.
func (s *Service) checkRole(roleARN, machineARN string) error {
	if roleARN == "" {
		return apiError("ValidationException", "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
	}
	if !strings.HasPrefix(roleARN, "arn:aws:iam::") || !strings.Contains(roleARN, ":role/") {
		return apiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s'", roleARN)
	}
	if s.cfg.IAM == nil {
		return nil
	}
	principals := []string{"states.amazonaws.com", "states." + s.cfg.Region + ".amazonaws.com"}
	ctx := map[string]string{"aws:SourceAccount": s.cfg.AccountID, "aws:SourceArn": machineARN}
	if !s.cfg.IAM.CheckTrust(roleARN, principals, ctx) {
		return apiError("AccessDeniedException",
			"Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.")
	}
	return nil
}

// CreateStateMachine creates a machine. As on AWS it is idempotent: the
// same name with the same definition, role and type returns the existing
// machine; a different one is StateMachineAlreadyExists.
func (s *Service) CreateStateMachine(in CreateStateMachineInput) (StateMachine, error) {
	if !validName(in.Name) {
		return StateMachine{}, apiError("InvalidName", "Invalid Name: '%s'", in.Name)
	}
	if in.Type == "" {
		in.Type = TypeStandard
	}
	if in.Type != TypeStandard && in.Type != TypeExpress {
		return StateMachine{}, apiError("ValidationException", "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", in.Type)
	}
	prog, err := compile(in.Definition)
	if err != nil {
		return StateMachine{}, err
	}
	arn := s.arn("stateMachine", in.Name)
	if err := s.checkRole(in.RoleARN, arn); err != nil {
		return StateMachine{}, err
	}
	now := time.Now().UTC()
	sm := StateMachine{
		Name: in.Name, ARN: arn, Definition: in.Definition, RoleARN: in.RoleARN, Type: in.Type,
		CreationDate: now, RevisionID: core.NewRequestID(),
		LoggingConfiguration: in.Logging, TracingConfiguration: in.Tracing, Tags: in.Tags,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.machines[in.Name]; ok {
		if old.Definition == in.Definition && old.RoleARN == in.RoleARN && old.Type == in.Type {
			return old.StateMachine, nil
		}
		return StateMachine{}, apiError("StateMachineAlreadyExists", "State Machine Already Exists: '%s'", arn)
	}
	if err := s.machinesC.Put(sm.Name, sm); err != nil {
		return StateMachine{}, err
	}
	s.machines[sm.Name] = &machine{StateMachine: sm, prog: prog}
	return sm, nil
}

// UpdateStateMachine changes a machine's definition, role or
// configuration. Running executions keep the definition they started
// with, as on AWS.
func (s *Service) UpdateStateMachine(in UpdateStateMachineInput) (StateMachine, error) {
	name, ok := s.machineARNName(in.StateMachineARN)
	if !ok {
		return StateMachine{}, apiError("InvalidArn", "Invalid Arn: '%s'", in.StateMachineARN)
	}
	if in.Definition == "" && in.RoleARN == "" && in.Logging == nil && in.Tracing == nil {
		return StateMachine{}, apiError("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration or the TracingConfiguration must be specified")
	}
	var prog *engine.Program
	if in.Definition != "" {
		var err error
		if prog, err = compile(in.Definition); err != nil {
			return StateMachine{}, err
		}
	}
	if in.RoleARN != "" {
		if err := s.checkRole(in.RoleARN, in.StateMachineARN); err != nil {
			return StateMachine{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[name]
	if !ok {
		return StateMachine{}, stateMachineDoesNotExist(in.StateMachineARN)
	}
	sm := m.StateMachine
	if prog != nil {
		sm.Definition = in.Definition
	} else {
		prog = m.prog
	}
	if in.RoleARN != "" {
		sm.RoleARN = in.RoleARN
	}
	if in.Logging != nil {
		sm.LoggingConfiguration = in.Logging
	}
	if in.Tracing != nil {
		sm.TracingConfiguration = in.Tracing
	}
	sm.UpdateDate = time.Now().UTC()
	sm.RevisionID = core.NewRequestID()
	if err := s.machinesC.Put(sm.Name, sm); err != nil {
		return StateMachine{}, err
	}
	s.machines[name] = &machine{StateMachine: sm, prog: prog}
	return sm, nil
}

// DescribeStateMachine returns a machine.
func (s *Service) DescribeStateMachine(arn string) (StateMachine, error) {
	m, err := s.machine(arn)
	if err != nil {
		return StateMachine{}, err
	}
	return m.StateMachine, nil
}

func (s *Service) machine(arn string) (*machine, error) {
	name, ok := s.machineARNName(arn)
	if !ok {
		return nil, apiError("InvalidArn", "Invalid Arn: '%s'", arn)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[name]
	if !ok {
		return nil, stateMachineDoesNotExist(arn)
	}
	return m, nil
}

// ListStateMachines returns every machine, sorted by name.
func (s *Service) ListStateMachines() []StateMachine {
	s.mu.Lock()
	out := make([]StateMachine, 0, len(s.machines))
	for _, m := range s.machines {
		out = append(out, m.StateMachine)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// DeleteStateMachine deletes a machine: its running executions are
// stopped and its executions and histories removed. Deleting a machine
// that does not exist succeeds, as on AWS.
func (s *Service) DeleteStateMachine(arn string) error {
	name, ok := s.machineARNName(arn)
	if !ok {
		return apiError("InvalidArn", "Invalid Arn: '%s'", arn)
	}
	s.mu.Lock()
	_, exists := s.machines[name]
	delete(s.machines, name)
	var runs []*run
	for _, r := range s.running {
		if r.ref.machine == name {
			runs = append(runs, r)
		}
	}
	s.mu.Unlock()
	if !exists {
		return nil
	}
	for _, r := range runs {
		if e := r.engine(); e != nil {
			e.Stop("States.Aborted", "The state machine was deleted")
		}
		<-r.finished
	}
	return errors.Join(
		s.machinesC.Delete(name),
		s.executionsOf(name).Drop(),
		s.historiesOf(name).Drop(),
	)
}

func (s *Service) executionsOf(machine string) *store.Collection {
	return s.cfg.Store.Sub("executions", machine)
}

func (s *Service) historiesOf(machine string) *store.Collection {
	return s.cfg.Store.Sub("history", machine)
}
