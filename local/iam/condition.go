package iam

import (
	"strings"
)

// Condition operators the evaluator implements.
// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
var conditionOperators = map[string]struct {
	match   func(pattern, value string) bool
	negated bool
}{
	"StringEquals":              {func(p, v string) bool { return p == v }, false},
	"StringNotEquals":           {func(p, v string) bool { return p == v }, true},
	"StringEqualsIgnoreCase":    {strings.EqualFold, false},
	"StringNotEqualsIgnoreCase": {strings.EqualFold, true},
	"StringLike":                {Glob, false},
	"StringNotLike":             {Glob, true},
	"ArnEquals":                 {arnLike, false},
	"ArnLike":                   {arnLike, false},
	"ArnNotEquals":              {arnLike, true},
	"ArnNotLike":                {arnLike, true},
}

// conditionsHold evaluates a statement's Condition block: every operator
// must hold, every key of an operator must hold, and a key holds when any
// of its values matches (for negated operators: when none does).
//
// An operator the evaluator does not implement is read the safe way for the
// statement's effect: it does not hold in an Allow statement and holds in a
// Deny statement, so that the local cloud never allows what AWS denies.
func conditionsHold(cond map[string]map[string][]string, ctx map[string]string, deny bool) bool {
	for _, op := range sortedKeys(cond) {
		name, ifExists := strings.CutSuffix(op, "IfExists")
		impl, ok := conditionOperators[name]
		if !ok {
			if !deny {
				return false
			}
			continue
		}
		for _, key := range sortedKeys(cond[op]) {
			value, present := lookupKey(ctx, key)
			if !present && !modeledKey(key) {
				// A key the local cloud does not model may be present
				// on AWS: read it the safe way, as an unsupported
				// operator.
				if !deny {
					return false
				}
				continue
			}
			if !present {
				// A missing key satisfies ...IfExists and negated
				// operators, and fails the others, as IAM documents.
				if ifExists || impl.negated {
					continue
				}
				return false
			}
			matched := false
			for _, pattern := range cond[op][key] {
				if impl.match(pattern, value) {
					matched = true
					break
				}
			}
			if matched == impl.negated {
				return false
			}
		}
	}
	return true
}

// modeledKeys are the condition keys the local cloud supplies whenever AWS
// would: their absence means what it means on AWS.
var modeledKeys = []string{"aws:SourceAccount", "aws:SourceArn"}

func modeledKey(key string) bool {
	for _, k := range modeledKeys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// lookupKey finds a condition key; key names are case-insensitive.
func lookupKey(ctx map[string]string, key string) (string, bool) {
	if v, ok := ctx[key]; ok {
		return v, true
	}
	for k, v := range ctx {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// arnLike implements ArnLike and ArnEquals: each of the six colon-separated
// parts of the ARN is matched separately, with wildcards, so a "*" in the
// region does not swallow the account.
func arnLike(pattern, arn string) bool {
	pp := strings.SplitN(pattern, ":", 6)
	ap := strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return false
	}
	for i := range pp {
		if !Glob(pp[i], ap[i]) {
			return false
		}
	}
	return true
}
