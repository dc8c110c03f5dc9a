package service

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// IAMRoleDefinition is the role a function runs as: either a role the
// framework creates with exactly Privileges (plus writing to the function's
// own log group), or an existing role named by ExistingRole.
type IAMRoleDefinition struct {
	// Privileges are the statements added to the generated role.
	Privileges []IAMRolePrivilege
	// ExistingRole is the name or ARN of a role to use instead of a
	// generated one. It cannot be combined with Privileges.
	ExistingRole string
}

// IAMRolePrivilege is one Allow statement.
type IAMRolePrivilege struct {
	// Actions such as "s3:GetObject".
	Actions []string
	// Resource is an ARN string, a goformation intrinsic (for example
	// cloudformation.GetAtt("Bucket", "Arn")), a []string of ARNs, or a
	// JSON intrinsic such as map[string]any{"Fn::Sub": "..."}.
	Resource any
}

var (
	iamActionPattern = regexp.MustCompile(`^(\*|[a-z0-9-]+:[A-Za-z0-9*]+)$`)
	roleNamePattern  = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	roleARNPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$`)
)

// ExistingRoleARN returns the ExistingRole as an ARN, or as a name the
// template expands into one, and whether the definition names a role at all.
func (r IAMRoleDefinition) ExistingRoleARN() (arn string, isARN bool, ok bool) {
	if r.ExistingRole == "" {
		return "", false, false
	}
	return r.ExistingRole, strings.HasPrefix(r.ExistingRole, "arn:"), true
}

func (r IAMRoleDefinition) validate() []error {
	var errs []error
	if r.ExistingRole != "" {
		if len(r.Privileges) > 0 {
			errs = append(errs, errors.New("ExistingRole and Privileges cannot be combined: add the privileges to the existing role, or drop ExistingRole"))
		}
		if !roleNamePattern.MatchString(r.ExistingRole) && !roleARNPattern.MatchString(r.ExistingRole) {
			errs = append(errs, fmt.Errorf("ExistingRole %q is neither a role name nor a role ARN", r.ExistingRole))
		}
	}
	for i, p := range r.Privileges {
		if len(p.Actions) == 0 {
			errs = append(errs, fmt.Errorf("Privileges[%d]: no Actions", i))
		}
		for _, a := range p.Actions {
			if !iamActionPattern.MatchString(a) {
				errs = append(errs, fmt.Errorf("Privileges[%d]: action %q is not of the form service:Action", i, a))
			}
		}
		switch res := p.Resource.(type) {
		case string:
			if res == "" {
				errs = append(errs, fmt.Errorf("Privileges[%d]: empty Resource; name the ARN (or \"*\" where the action allows no narrower resource)", i))
			}
		case []string:
			if len(res) == 0 {
				errs = append(errs, fmt.Errorf("Privileges[%d]: empty Resource list", i))
			}
		case map[string]any:
			if len(res) != 1 {
				errs = append(errs, fmt.Errorf("Privileges[%d]: Resource map must be a single intrinsic function such as {\"Fn::GetAtt\": [...]}", i))
			}
		case nil:
			errs = append(errs, fmt.Errorf("Privileges[%d]: no Resource", i))
		default:
			errs = append(errs, fmt.Errorf("Privileges[%d]: Resource of type %T: use a string, []string or an intrinsic", i, res))
		}
	}
	return errs
}
