package stepfunctions

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers returns the CloudFormation provider of
// AWS::StepFunctions::StateMachine.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{"AWS::StepFunctions::StateMachine": machineProvider{s}}
}

// machineProvider implements AWS::StepFunctions::StateMachine: Ref is the
// ARN; GetAtt Arn, Name and StateMachineRevisionId. The definition comes
// from DefinitionString or Definition (an object), with
// DefinitionSubstitutions applied; DefinitionS3Location is refused.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html
type machineProvider struct{ s *Service }

var _ resource.Provider = machineProvider{}

func (p machineProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	def, err := definition(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	name, _ := req.Properties["StateMachineName"].(string)
	if name == "" {
		name = generatedName(req.LogicalID)
	}
	typ, _ := req.Properties["StateMachineType"].(string)
	in := CreateStateMachineInput{Name: name, Definition: def, Type: typ}
	if err := machineConfig(req.Properties, &in.RoleARN, &in.Logging, &in.Tracing); err != nil {
		return resource.Result{}, err
	}
	if in.Tags, err = tags(req.Properties["Tags"]); err != nil {
		return resource.Result{}, err
	}
	if _, exists := p.s.machineExists(name); exists {
		return resource.Result{}, apiError("StateMachineAlreadyExists", "State Machine Already Exists: '%s'", p.s.arn("stateMachine", name))
	}
	sm, err := p.s.CreateStateMachine(in)
	if err != nil {
		return resource.Result{}, err
	}
	return machineResult(sm), nil
}

func (p machineProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	def, err := definition(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	in := UpdateStateMachineInput{StateMachineARN: req.PhysicalID, Definition: def}
	if err := machineConfig(req.Properties, &in.RoleARN, &in.Logging, &in.Tracing); err != nil {
		return resource.Result{}, err
	}
	sm, err := p.s.UpdateStateMachine(in)
	if err != nil {
		return resource.Result{}, err
	}
	return machineResult(sm), nil
}

func (p machineProvider) Delete(_ context.Context, req resource.Request) error {
	err := p.s.DeleteStateMachine(req.PhysicalID)
	var e *core.Error
	if errors.As(err, &e) && e.Code == "InvalidArn" {
		return nil // never created: CloudFormation deletes what it tracked
	}
	return err
}

// RequiresReplacement: StateMachineName and StateMachineType are "Update
// requires: Replacement".
func (machineProvider) RequiresReplacement(old, new map[string]any) bool {
	if resource.ReplaceOnChange(old, new, "StateMachineName") {
		return true
	}
	typ := func(m map[string]any) string {
		if t, _ := m["StateMachineType"].(string); t != "" {
			return t
		}
		return TypeStandard
	}
	return typ(old) != typ(new)
}

func machineResult(sm StateMachine) resource.Result {
	return resource.Result{
		PhysicalID: sm.ARN,
		Attributes: map[string]any{"Arn": sm.ARN, "Name": sm.Name, "StateMachineRevisionId": sm.RevisionID},
	}
}

func (s *Service) machineExists(name string) (*machine, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[name]
	return m, ok
}

// definition returns the machine's definition with its
// DefinitionSubstitutions applied.
func definition(props map[string]any) (string, error) {
	if _, ok := props["DefinitionS3Location"]; ok {
		return "", validationError("DefinitionS3Location is not supported by the local cloud: inline the definition with DefinitionString or Definition")
	}
	var def string
	switch d := props["DefinitionString"].(type) {
	case string:
		def = d
	case nil:
		obj, ok := props["Definition"]
		if !ok || obj == nil {
			return "", validationError("one of DefinitionString and Definition is required")
		}
		if _, isObj := obj.(map[string]any); !isObj {
			return "", validationError("Definition must be an object (the state machine's JSON), not %T", obj)
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return "", validationError("Definition cannot be encoded as JSON: %v", err)
		}
		def = string(b)
	default:
		return "", validationError("DefinitionString must be a string, not %T", d)
	}
	if props["DefinitionString"] != nil && props["Definition"] != nil {
		return "", validationError("DefinitionString and Definition are mutually exclusive")
	}
	subs, ok := props["DefinitionSubstitutions"].(map[string]any)
	if !ok {
		if props["DefinitionSubstitutions"] != nil {
			return "", validationError("DefinitionSubstitutions must be an object of names to values")
		}
		return def, nil
	}
	pairs := make([]string, 0, 2*len(subs))
	for k, v := range subs {
		var text string
		switch x := v.(type) {
		case string:
			text = x
		case bool, float64, json.Number:
			text = fmt.Sprint(x)
		default:
			return "", validationError("DefinitionSubstitutions.%s must be a string, number or boolean, not %T", k, v)
		}
		pairs = append(pairs, "${"+k+"}", text)
	}
	return strings.NewReplacer(pairs...).Replace(def), nil
}

// machineConfig reads RoleArn (required), LoggingConfiguration and
// TracingConfiguration.
func machineConfig(props map[string]any, role *string, logging, tracing *json.RawMessage) error {
	r, _ := props["RoleArn"].(string)
	if r == "" {
		return validationError("Property RoleArn cannot be empty.")
	}
	*role = r
	for key, dst := range map[string]*json.RawMessage{"LoggingConfiguration": logging, "TracingConfiguration": tracing} {
		if v, ok := props[key]; ok && v != nil {
			b, err := json.Marshal(lowerFirst(v))
			if err != nil {
				return validationError("%s: %v", key, err)
			}
			*dst = b
		}
	}
	return nil
}

// lowerFirst turns a CloudFormation property value (PascalCase members)
// into the API's camelCase shape, recursively.
func lowerFirst(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if k != "" {
				k = strings.ToLower(k[:1]) + k[1:]
			}
			out[k] = lowerFirst(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = lowerFirst(e)
		}
		return out
	}
	return v
}

func tags(v any) ([]Tag, error) {
	if v == nil {
		return nil, nil
	}
	b, _ := json.Marshal(v)
	var in []struct{ Key, Value string }
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, validationError("Tags must be a list of {Key, Value}")
	}
	out := make([]Tag, len(in))
	for i, t := range in {
		out[i] = Tag{Key: t.Key, Value: t.Value}
	}
	return out, nil
}

func validationError(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "ValidationError", format, args...)
}

// generatedName is the name CloudFormation gives a machine without
// StateMachineName: the logical ID and 12 random characters, within the
// 80-character limit. It differs on purpose from resource.PhysicalName:
// CloudFormation leaves the stack name out of state machine names and
// draws the suffix from mixed-case letters.
func generatedName(logicalID string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	if len(logicalID) > 80-13 {
		logicalID = logicalID[:80-13]
	}
	return logicalID + "-" + string(b)
}
