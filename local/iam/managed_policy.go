package iam

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// ManagedPolicy is a customer managed policy (CreatePolicy,
// AWS::IAM::ManagedPolicy): a standalone document with its own ARN that
// roles attach through their ManagedPolicyArns, or that the policy attaches
// to the roles its Roles property lists.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html
type ManagedPolicy struct {
	PolicyName  string
	Path        string
	Arn         string
	PolicyID    string
	Description string `json:",omitempty"`
	// Document is the policy (its only version, v1 locally) as JSON.
	Document   string
	CreateDate time.Time
	UpdateDate time.Time
	// Roles, Users and Groups are those the policy attaches itself to (the
	// properties of AWS::IAM::ManagedPolicy), by name.
	Roles  []string `json:",omitempty"`
	Users  []string `json:",omitempty"`
	Groups []string `json:",omitempty"`
}

// ManagedPolicyInput creates or updates a customer managed policy.
type ManagedPolicyInput struct {
	PolicyName string
	// Path defaults to "/".
	Path        string
	Description string
	// Document is the policy in any form ParsePolicy takes.
	Document any
	// Roles, Users and Groups attach the policy to these (which must
	// exist).
	Roles, Users, Groups []string
}

type managedEntry struct {
	ManagedPolicy
	doc *Policy
}

var policyNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)

// PolicyARN returns the ARN of a customer managed policy:
// arn:aws:iam::ACCOUNT:policy/PATH/NAME.
func PolicyARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":policy" + path + name
}

// notAttachable is IAM's error for an ARN no attachable policy has, the
// text CloudFormation shows on the role.
func notAttachable(arn string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
}

// CreatePolicy stores a customer managed policy and attaches it to
// in.Roles. It fails with EntityAlreadyExists when the name is taken in the
// account (whatever the path), MalformedPolicyDocument when the document
// is not a policy, and NoSuchEntity when a role does not exist.
func (s *Service) CreatePolicy(in ManagedPolicyInput) (ManagedPolicy, error) {
	if in.Path == "" {
		in.Path = "/"
	}
	if !policyNamePattern.MatchString(in.PolicyName) {
		return ManagedPolicy{}, validation("policy name %q must be 1 to 128 characters of letters, digits and +=,.@_-", in.PolicyName)
	}
	if !rolePathPattern.MatchString(in.Path) || len(in.Path) > 512 {
		return ManagedPolicy{}, validation("policy path %q must begin and end with /", in.Path)
	}
	doc, raw, err := parseDocument(in.Document)
	if err != nil {
		return ManagedPolicy{}, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	m := ManagedPolicy{
		PolicyName: in.PolicyName, Path: in.Path, Description: in.Description,
		Arn:      PolicyARN(s.cfg.AccountID, in.Path, in.PolicyName),
		PolicyID: "ANPA" + randomID(17), Document: raw,
		CreateDate: now, UpdateDate: now,
		Roles: slices.Clone(in.Roles), Users: slices.Clone(in.Users), Groups: slices.Clone(in.Groups),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.managed {
		if e.PolicyName == m.PolicyName {
			return ManagedPolicy{}, core.Errorf(http.StatusConflict, "EntityAlreadyExists",
				"A policy called %s already exists. Duplicate names are not allowed.", m.PolicyName)
		}
	}
	if err := s.attachableToLocked(m.Roles, m.Users, m.Groups); err != nil {
		return ManagedPolicy{}, err
	}
	if err := s.managedStore.Put(m.PolicyID, m); err != nil {
		return ManagedPolicy{}, err
	}
	s.managed[m.Arn] = &managedEntry{ManagedPolicy: m, doc: doc}
	return m, nil
}

// UpdatePolicy replaces a customer managed policy's document and the
// roles, users and groups it attaches itself to, from in; name, path and
// description cannot change (CloudFormation replaces the policy instead).
func (s *Service) UpdatePolicy(arn string, in ManagedPolicyInput) (ManagedPolicy, error) {
	doc, raw, err := parseDocument(in.Document)
	if err != nil {
		return ManagedPolicy{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.managed[arn]
	if !ok {
		return ManagedPolicy{}, noSuchPolicy(arn)
	}
	if err := s.attachableToLocked(in.Roles, in.Users, in.Groups); err != nil {
		return ManagedPolicy{}, err
	}
	m := e.ManagedPolicy
	m.Document, m.Roles, m.Users, m.Groups = raw, slices.Clone(in.Roles), slices.Clone(in.Users), slices.Clone(in.Groups)
	m.UpdateDate = time.Now().UTC().Truncate(time.Second)
	if err := s.managedStore.Put(m.PolicyID, m); err != nil {
		return ManagedPolicy{}, err
	}
	s.managed[arn] = &managedEntry{ManagedPolicy: m, doc: doc}
	return m, nil
}

// DeletePolicy deletes a customer managed policy, detaching it from the
// roles, users and groups its own lists name. A role, user or group that
// still lists it in ManagedPolicyArns is a DeleteConflict, as on AWS.
func (s *Service) DeletePolicy(arn string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.managed[arn]
	if !ok {
		return noSuchPolicy(arn)
	}
	if s.attachmentCountLocked(arn, false) > 0 {
		return core.Errorf(http.StatusConflict, "DeleteConflict", "Cannot delete a policy attached to entities.")
	}
	if err := s.managedStore.Delete(e.PolicyID); err != nil {
		return err
	}
	delete(s.managed, arn)
	return nil
}

// GetPolicy returns the customer managed policy arn, or NoSuchEntity.
func (s *Service) GetPolicy(arn string) (ManagedPolicy, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.managed[arn]
	if !ok {
		return ManagedPolicy{}, noSuchPolicy(arn)
	}
	return e.ManagedPolicy, nil
}

// attachmentCountLocked counts the roles, users and groups a managed
// policy is attached to through their ManagedPolicyArns, and, with own,
// through its own Roles, Users and Groups.
func (s *Service) attachmentCountLocked(arn string, own bool) int {
	e := s.managed[arn]
	n := 0
	for name, r := range s.byName {
		if slices.Contains(r.ManagedPolicyArns, arn) || own && e != nil && slices.Contains(e.Roles, name) {
			n++
		}
	}
	for _, k := range []principalKind{userKind, groupKind} {
		for name, p := range s.kindMaps(k) {
			if slices.Contains(p.ManagedPolicyArns, arn) || own && e != nil && slices.Contains(e.namesOf(k), name) {
				n++
			}
		}
	}
	return n
}

// AttachedRolePolicies returns the ARNs of every managed policy attached
// to the role, sorted: its ManagedPolicyArns and the customer managed
// policies whose Roles name it.
func (s *Service) AttachedRolePolicies(role string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.byName[role]
	if !ok {
		return nil, noSuchRole(role)
	}
	out := slices.Clone(e.ManagedPolicyArns)
	for arn, m := range s.managed {
		if slices.Contains(m.Roles, role) && !slices.Contains(out, arn) {
			out = append(out, arn)
		}
	}
	sort.Strings(out)
	return out, nil
}

// AttachRolePolicy adds arn to the role's ManagedPolicyArns.
func (s *Service) AttachRolePolicy(role, arn string) error {
	return s.editManagedArns(role, func(arns []string) ([]string, error) {
		if slices.Contains(arns, arn) {
			return arns, nil
		}
		if _, ok := s.resolveManagedLocked(arn); !ok {
			return nil, notAttachable(arn)
		}
		return append(arns, arn), nil
	})
}

// DetachRolePolicy removes arn from the role's ManagedPolicyArns.
func (s *Service) DetachRolePolicy(role, arn string) error {
	return s.editManagedArns(role, func(arns []string) ([]string, error) {
		i := slices.Index(arns, arn)
		if i < 0 {
			return nil, core.Errorf(http.StatusNotFound, "NoSuchEntity", "Policy %s was not found.", arn)
		}
		return slices.Delete(arns, i, i+1), nil
	})
}

func (s *Service) editManagedArns(role string, edit func([]string) ([]string, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byName[role]
	if !ok {
		return noSuchRole(role)
	}
	arns, err := edit(slices.Clone(e.ManagedPolicyArns))
	if err != nil {
		return err
	}
	r := e.Role
	r.ManagedPolicyArns = arns
	if err := s.roles.Put(role, r); err != nil {
		return err
	}
	s.byName[role] = &roleEntry{Role: r, trust: e.trust, inline: e.inline}
	return nil
}

// resolveManagedLocked returns the document of an attachable managed
// policy: an AWS managed one from the embedded snapshot, or a customer
// managed one of this account. The caller holds s.mu.
func (s *Service) resolveManagedLocked(arn string) (*Policy, bool) {
	if strings.HasPrefix(arn, AWSManagedPrefix) {
		return AWSManagedPolicy(arn)
	}
	if e, ok := s.managed[arn]; ok {
		return e.doc, true
	}
	return nil, false
}

// checkAttachableLocked fails with AWS's message for the first ARN no
// attachable policy has. The caller holds s.mu.
func (s *Service) checkAttachableLocked(arns []string) error {
	for _, arn := range arns {
		if _, ok := s.resolveManagedLocked(arn); !ok {
			return notAttachable(arn)
		}
	}
	return nil
}

// attachableToLocked checks that every role, user and group exists. The
// caller holds s.mu.
func (s *Service) attachableToLocked(roles, users, groups []string) error {
	for _, r := range roles {
		if _, ok := s.byName[r]; !ok {
			return noSuchRole(r)
		}
	}
	for _, u := range users {
		if _, ok := s.users[u]; !ok {
			return noSuchPrincipal(userKind, u)
		}
	}
	for _, g := range groups {
		if _, ok := s.groups[g]; !ok {
			return noSuchPrincipal(groupKind, g)
		}
	}
	return nil
}

func (s *Service) principalStore(k principalKind) *store.Collection {
	if k == userKind {
		return s.userStore
	}
	return s.groupStore
}

// parseDocument parses a policy and returns it with its JSON text (a
// string document is kept as written).
func parseDocument(document any) (*Policy, string, error) {
	doc, err := ParsePolicy(document)
	if err != nil {
		return nil, "", asMalformed(err)
	}
	if s, ok := document.(string); ok {
		return doc, s, nil
	}
	raw, err := policyJSON(document)
	if err != nil {
		return nil, "", asMalformed(err)
	}
	return doc, string(raw), nil
}

func noSuchPolicy(arn string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchEntity", "Policy %s was not found.", arn)
}
