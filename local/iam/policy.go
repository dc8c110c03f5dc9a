package iam

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Policy is a parsed IAM policy document.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
type Policy struct {
	Version    string
	Statements []Statement
}

// Statement is one statement of a policy. String-or-list fields are
// normalized to lists; a field that is absent is nil.
type Statement struct {
	Sid    string
	Effect string // "Allow" or "Deny"
	// Principal and NotPrincipal map a principal type ("AWS", "Service",
	// "Federated", "CanonicalUser") to its values; the policy-wide "*" is
	// {"*": ["*"]}.
	Principal, NotPrincipal map[string][]string
	Action, NotAction       []string
	Resource, NotResource   []string
	// Condition maps an operator (StringEquals...) to condition keys and
	// their values.
	Condition map[string]map[string][]string
}

// ParsePolicy parses a policy document given as JSON bytes, a JSON string
// holding the document (as CloudFormation and the IAM API accept), or an
// already decoded value (a template's map). It checks what IAM checks when
// it stores a policy and names the statement at fault.
func ParsePolicy(doc any) (*Policy, error) {
	raw, err := policyJSON(doc)
	if err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return nil, malformed("the policy is not a JSON object: %v", err)
	}
	p := &Policy{}
	for k, v := range top {
		switch k {
		case "Version":
			if err := json.Unmarshal(v, &p.Version); err != nil {
				return nil, malformed("Version must be a string")
			}
		case "Id":
		case "Statement":
			var list []json.RawMessage
			if err := json.Unmarshal(v, &list); err != nil {
				list = []json.RawMessage{v} // a single statement object
			}
			for i, s := range list {
				st, err := parseStatement(s)
				if err != nil {
					return nil, malformed("Statement[%d]: %v", i, err)
				}
				p.Statements = append(p.Statements, st)
			}
		default:
			return nil, malformed("unknown field %s", k)
		}
	}
	if top["Statement"] == nil {
		return nil, malformed("the policy has no Statement")
	}
	return p, nil
}

// policyJSON returns the JSON of a policy given in any of the forms
// ParsePolicy accepts.
func policyJSON(doc any) ([]byte, error) {
	switch d := doc.(type) {
	case nil:
		return nil, malformed("the policy document is missing")
	case []byte:
		return d, nil
	case json.RawMessage:
		return d, nil
	case string:
		return []byte(d), nil
	default:
		b, err := json.Marshal(d)
		if err != nil {
			return nil, malformed("the policy document cannot be encoded as JSON: %v", err)
		}
		return b, nil
	}
}

func parseStatement(raw json.RawMessage) (Statement, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return Statement{}, errors.New("a statement must be a JSON object")
	}
	var st Statement
	var err error
	for k, v := range m {
		switch k {
		case "Sid":
			if json.Unmarshal(v, &st.Sid) != nil {
				return st, errors.New("Sid must be a string")
			}
		case "Effect":
			if json.Unmarshal(v, &st.Effect) != nil {
				return st, errors.New("Effect must be a string")
			}
		case "Principal":
			st.Principal, err = parsePrincipal(v)
		case "NotPrincipal":
			st.NotPrincipal, err = parsePrincipal(v)
		case "Action":
			st.Action, err = stringList(k, v)
		case "NotAction":
			st.NotAction, err = stringList(k, v)
		case "Resource":
			st.Resource, err = stringList(k, v)
		case "NotResource":
			st.NotResource, err = stringList(k, v)
		case "Condition":
			st.Condition, err = parseCondition(v)
		default:
			return st, fmt.Errorf("unknown field %s", k)
		}
		if err != nil {
			return st, err
		}
	}
	switch {
	case st.Effect != "Allow" && st.Effect != "Deny":
		return st, fmt.Errorf("Effect must be Allow or Deny, not %q", st.Effect)
	case (st.Action == nil) == (st.NotAction == nil):
		return st, errors.New("a statement needs exactly one of Action and NotAction")
	case st.Resource != nil && st.NotResource != nil:
		return st, errors.New("a statement may not have both Resource and NotResource")
	case st.Principal != nil && st.NotPrincipal != nil:
		return st, errors.New("a statement may not have both Principal and NotPrincipal")
	}
	for _, a := range append(append([]string(nil), st.Action...), st.NotAction...) {
		if a != "*" && !strings.Contains(a, ":") {
			return st, fmt.Errorf("action %q must be of the form service:Action or *", a)
		}
	}
	return st, nil
}

// stringList decodes a string or a list of strings.
func stringList(field string, raw json.RawMessage) ([]string, error) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("%s must be a string or a list of strings", field)
	}
	if len(many) == 0 {
		return nil, fmt.Errorf("%s must not be empty", field)
	}
	return many, nil
}

func parsePrincipal(raw json.RawMessage) (map[string][]string, error) {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return nil, fmt.Errorf("Principal must be \"*\" or an object, not %q", star)
		}
		return map[string][]string{"*": {"*"}}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, errors.New("Principal must be \"*\" or an object")
	}
	out := make(map[string][]string, len(m))
	for k, v := range m {
		vals, err := stringList("Principal."+k, v)
		if err != nil {
			return nil, err
		}
		out[k] = vals
	}
	return out, nil
}

func parseCondition(raw json.RawMessage) (map[string]map[string][]string, error) {
	var ops map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil {
		return nil, errors.New("Condition must be an object of operators to objects of keys to values")
	}
	out := make(map[string]map[string][]string, len(ops))
	for op, keys := range ops {
		out[op] = make(map[string][]string, len(keys))
		for k, v := range keys {
			vals, err := conditionValues(v)
			if err != nil {
				return nil, fmt.Errorf("Condition.%s.%s: %v", op, k, err)
			}
			out[op][k] = vals
		}
	}
	return out, nil
}

// conditionValues accepts strings, numbers and booleans, alone or in a list,
// as IAM does, and keeps their text.
func conditionValues(raw json.RawMessage) ([]string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // account IDs written as numbers keep their digits
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case bool:
			out = append(out, fmt.Sprint(x))
		default:
			return nil, errors.New("values must be strings, numbers or booleans")
		}
	}
	return out, nil
}

// MalformedPolicyError is IAM's MalformedPolicyDocument error.
type MalformedPolicyError struct{ Reason string }

func (e *MalformedPolicyError) Error() string { return "MalformedPolicyDocument: " + e.Reason }

func malformed(format string, args ...any) error {
	return &MalformedPolicyError{Reason: fmt.Sprintf(format, args...)}
}

// sortedKeys returns m's keys in order, so that evaluation and messages do
// not depend on map order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
