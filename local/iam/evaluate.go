package iam

import (
	"strings"
)

// Request is what a policy is asked about.
type Request struct {
	// Action is "service:Action", e.g. "lambda:InvokeFunction". Actions
	// match case-insensitively, as in IAM.
	Action string
	// Resource is the ARN acted on. Resources match case-sensitively.
	Resource string
	// Principal is the caller, for trust (resource-based) policies: a
	// principal type and value, e.g. {"Service": "states.amazonaws.com"}.
	// Identity-based policies ignore it.
	Principal map[string]string
	// Context holds the condition keys of the request
	// ("aws:SourceAccount", "aws:SourceArn"); key names match
	// case-insensitively.
	Context map[string]string
}

// Decision is the outcome of an evaluation.
type Decision int

// Decisions, in AWS's words.
const (
	// ImplicitDeny: no statement allows the request.
	ImplicitDeny Decision = iota
	// Allow: a statement allows it and none denies it.
	Allow
	// ExplicitDeny: a Deny statement applies; it wins over any Allow.
	ExplicitDeny
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	default:
		return "ImplicitDeny"
	}
}

// Evaluate decides req against policies: an explicit Deny in any of them
// wins, else any Allow allows, else the request is implicitly denied.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
func Evaluate(req Request, policies ...*Policy) Decision {
	d := ImplicitDeny
	for _, p := range policies {
		if p == nil {
			continue
		}
		for i := range p.Statements {
			st := &p.Statements[i]
			if !st.applies(req) {
				continue
			}
			if st.Effect == "Deny" {
				return ExplicitDeny
			}
			d = Allow
		}
	}
	return d
}

// applies reports whether the statement matches the request: its principal
// (when it names one), action, resource and condition.
func (st *Statement) applies(req Request) bool {
	deny := st.Effect == "Deny"
	if st.Principal != nil && !principalMatches(st.Principal, req.Principal) {
		return false
	}
	if st.NotPrincipal != nil && principalMatches(st.NotPrincipal, req.Principal) {
		return false
	}
	if st.Action != nil && !anyMatch(st.Action, req.Action, actionMatch) {
		return false
	}
	if st.NotAction != nil && anyMatch(st.NotAction, req.Action, actionMatch) {
		return false
	}
	// A statement without Resource (a trust policy's) covers the resource
	// the policy is attached to.
	if st.Resource != nil && !anyMatch(st.Resource, req.Resource, resourceMatch) {
		return false
	}
	if st.NotResource != nil && anyMatch(st.NotResource, req.Resource, resourceMatch) {
		return false
	}
	return conditionsHold(st.Condition, req.Context, deny)
}

func anyMatch(patterns []string, value string, match func(pattern, value string) bool) bool {
	for _, p := range patterns {
		if match(p, value) {
			return true
		}
	}
	return false
}

// actionMatch matches "service:Action" patterns case-insensitively.
func actionMatch(pattern, action string) bool {
	return Glob(strings.ToLower(pattern), strings.ToLower(action))
}

// resourceMatch matches a Resource element. "*" matches everything; an ARN
// pattern matches the ARN as one string, where "*" may span colons, as IAM
// documents for the Resource element.
func resourceMatch(pattern, resource string) bool {
	return Glob(pattern, resource)
}

// principalMatches reports whether the statement's principal covers the
// caller: "*" (or {"AWS": "*"}) covers everyone; otherwise one of the
// caller's type/value pairs must be listed. Service principals compare
// case-insensitively.
func principalMatches(stmt map[string][]string, caller map[string]string) bool {
	if _, ok := stmt["*"]; ok {
		return true
	}
	for _, v := range stmt["AWS"] {
		if v == "*" {
			return true
		}
	}
	for typ, val := range caller {
		for _, v := range stmt[typ] {
			if v == val || (typ == "Service" && strings.EqualFold(v, val)) {
				return true
			}
		}
	}
	return false
}

// Glob matches value against pattern, where "*" matches any run of
// characters (including none) and "?" any one character, as IAM's
// Action, Resource and StringLike do.
func Glob(pattern, value string) bool {
	// Iterative matching with backtracking to the last star: linear in
	// practice and never exponential, whatever a policy holds.
	p, v := 0, 0
	star, mark := -1, 0
	for v < len(value) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == value[v]):
			p++
			v++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, v
			p++
		case star >= 0:
			p = star + 1
			mark++
			v = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
