package stepfunctions

import (
	"strings"
	"unicode"
)

// validName reports whether s is a valid state machine or execution name:
// 1 to 80 characters without whitespace, brackets, wildcards, the
// characters " # % \ ^ | ~ ` $ & , ; : / or control characters.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html#StepFunctions-StartExecution-request-name
func validName(s string) bool {
	if s == "" || len([]rune(s)) > 80 {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r) {
			return false
		}
	}
	return true
}

// machineARNName returns the machine name of a state machine ARN
// (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME), or false.
func (s *Service) machineARNName(arn string) (string, bool) {
	name, ok := strings.CutPrefix(arn, s.arn("stateMachine")+":")
	if !ok || !validName(name) {
		return "", false
	}
	return name, true
}

// executionRef locates an execution from its ARN: the machine's name and
// the execution's key in the machine's collections. Standard executions
// are arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME; express ones
// arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID, whose key is
// NAME:ID (express names need not be unique).
type executionRef struct {
	machine, key, name string
	express            bool
}

func (s *Service) parseExecutionARN(arn string) (executionRef, bool) {
	if rest, ok := strings.CutPrefix(arn, s.arn("execution")+":"); ok {
		m, name, ok := strings.Cut(rest, ":")
		if !ok || !validName(m) || !validName(name) {
			return executionRef{}, false
		}
		return executionRef{machine: m, key: name, name: name}, true
	}
	if rest, ok := strings.CutPrefix(arn, s.arn("express")+":"); ok {
		parts := strings.Split(rest, ":")
		if len(parts) != 3 || !validName(parts[0]) || !validName(parts[1]) || parts[2] == "" {
			return executionRef{}, false
		}
		return executionRef{machine: parts[0], key: parts[1] + ":" + parts[2], name: parts[1], express: true}, true
	}
	return executionRef{}, false
}

// lambdaFunctionARN normalizes a Lambda function reference the way Lambda
// accepts it (a name, name:qualifier, a partial ARN ACCOUNT:function:NAME or
// a full ARN) into a full ARN, with qualifier appended when the reference
// has none. The result is the resource IAM evaluates.
func (s *Service) lambdaFunctionARN(ref, qualifier string) string {
	var arn string
	switch {
	case strings.HasPrefix(ref, "arn:"):
		arn = ref
	case strings.Contains(ref, ":function:"):
		arn = "arn:aws:lambda:" + s.cfg.Region + ":" + ref
	default:
		arn = "arn:aws:lambda:" + s.cfg.Region + ":" + s.cfg.AccountID + ":function:" + ref
	}
	// arn:aws:lambda:REGION:ACCOUNT:function:NAME has 7 parts; an 8th is
	// the qualifier.
	if qualifier != "" && strings.Count(arn, ":") == 6 {
		arn += ":" + qualifier
	}
	return arn
}
