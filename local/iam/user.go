package iam

import (
	"net/http"
	"slices"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// Principal is an IAM user or group: what AWS::IAM::User and
// AWS::IAM::Group make. A key the local cloud is configured with as the
// user arn:aws:iam::ACCOUNT:user/NAME is held to the user's policies and
// to those of its groups.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html
type Principal struct {
	Name       string
	Path       string
	Arn        string
	ID         string
	CreateDate time.Time
	// Policies are inline policies by name, as JSON.
	Policies map[string]string `json:",omitempty"`
	// ManagedPolicyArns are the attached managed policies.
	ManagedPolicyArns []string `json:",omitempty"`
	// Groups are a user's groups, by name (empty for a group).
	Groups []string `json:",omitempty"`
	Tags   []Tag    `json:",omitempty"`
}

// PrincipalInput creates or updates a user or group.
type PrincipalInput struct {
	Name string
	// Path defaults to "/".
	Path string
	// Policies are inline policies by name, in any form ParsePolicy takes.
	Policies          map[string]any
	ManagedPolicyArns []string
	// Groups (users only) must exist.
	Groups []string
	Tags   []Tag
}

// principalKind tells users from groups: their store, ARN word, ID prefix
// and the nouns of their messages.
type principalKind struct {
	word, idPrefix string
}

var (
	userKind  = principalKind{"user", "AIDA"}
	groupKind = principalKind{"group", "AGPA"}
)

type principalEntry struct {
	Principal
	inline map[string]*Policy
}

func (s *Service) kindMaps(k principalKind) map[string]*principalEntry {
	if k == userKind {
		return s.users
	}
	return s.groups
}

func noSuchPrincipal(k principalKind, name string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchEntity", "The %s with name %s cannot be found.", k.word, name)
}

// putPrincipal creates (create) or replaces a user or group.
func (s *Service) putPrincipal(k principalKind, in PrincipalInput, create bool) (Principal, error) {
	if in.Path == "" {
		in.Path = "/"
	}
	if !roleNamePattern.MatchString(in.Name) {
		return Principal{}, validation("%s name %q must be 1 to 64 characters of letters, digits and +=,.@_-", k.word, in.Name)
	}
	if !rolePathPattern.MatchString(in.Path) || len(in.Path) > 512 {
		return Principal{}, validation("%s path %q must begin and end with /", k.word, in.Path)
	}
	p := Principal{Name: in.Name, Path: in.Path, Arn: "arn:aws:iam::" + s.cfg.AccountID + ":" + k.word + in.Path + in.Name,
		ID: k.idPrefix + randomID(17), CreateDate: time.Now().UTC().Truncate(time.Second),
		ManagedPolicyArns: slices.Clone(in.ManagedPolicyArns), Groups: slices.Clone(in.Groups), Tags: slices.Clone(in.Tags)}
	e := &principalEntry{inline: map[string]*Policy{}}
	for name, doc := range in.Policies {
		parsed, raw, err := parseDocument(doc)
		if err != nil {
			return Principal{}, err
		}
		if p.Policies == nil {
			p.Policies = map[string]string{}
		}
		p.Policies[name], e.inline[name] = raw, parsed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.kindMaps(k)
	old, exists := m[in.Name]
	switch {
	case create && exists:
		return Principal{}, core.Errorf(http.StatusConflict, "EntityAlreadyExists", "%s with name %s already exists.", capitalized(k.word), in.Name)
	case !create && !exists:
		return Principal{}, noSuchPrincipal(k, in.Name)
	case !create:
		p.ID, p.CreateDate = old.ID, old.CreateDate
	}
	if err := s.checkAttachableLocked(p.ManagedPolicyArns); err != nil {
		return Principal{}, err
	}
	for _, g := range p.Groups {
		if _, ok := s.groups[g]; !ok {
			return Principal{}, noSuchPrincipal(groupKind, g)
		}
	}
	if err := s.principalStore(k).Put(p.Name, p); err != nil {
		return Principal{}, err
	}
	e.Principal = p
	m[p.Name] = e
	return p, nil
}

// CreateUser stores an IAM user with its inline and managed policies and
// its groups.
func (s *Service) CreateUser(in PrincipalInput) (Principal, error) {
	return s.putPrincipal(userKind, in, true)
}

// UpdateUser replaces a user's path, policies, groups and tags; the name
// stays (CloudFormation replaces the user instead).
func (s *Service) UpdateUser(in PrincipalInput) (Principal, error) {
	return s.putPrincipal(userKind, in, false)
}

// CreateGroup stores an IAM group with its inline and managed policies.
func (s *Service) CreateGroup(in PrincipalInput) (Principal, error) {
	in.Groups = nil
	return s.putPrincipal(groupKind, in, true)
}

// UpdateGroup replaces a group's path and policies; the name stays.
func (s *Service) UpdateGroup(in PrincipalInput) (Principal, error) {
	in.Groups = nil
	return s.putPrincipal(groupKind, in, false)
}

// DeleteUser deletes a user; NoSuchEntity when there is none.
func (s *Service) DeleteUser(name string) error { return s.deletePrincipal(userKind, name) }

// DeleteGroup deletes a group; a group that still has members is
// DeleteConflict, as on AWS.
func (s *Service) DeleteGroup(name string) error { return s.deletePrincipal(groupKind, name) }

func (s *Service) deletePrincipal(k principalKind, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.kindMaps(k)
	if _, ok := m[name]; !ok {
		return noSuchPrincipal(k, name)
	}
	if k == groupKind {
		for _, u := range s.users {
			if slices.Contains(u.Groups, name) {
				return core.Errorf(http.StatusConflict, "DeleteConflict", "Cannot delete entity, must remove users from group first.")
			}
		}
	}
	if err := s.principalStore(k).Delete(name); err != nil {
		return err
	}
	delete(m, name)
	return nil
}

// GetUser returns the user named name, or NoSuchEntity.
func (s *Service) GetUser(name string) (Principal, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.users[name]
	if !ok {
		return Principal{}, noSuchPrincipal(userKind, name)
	}
	return e.Principal, nil
}

// AuthorizeUser checks that the IAM user name may perform req.Action on
// req.Resource: its inline and managed policies, the AWS::IAM::Policy and
// customer managed policies that name it, and all of those of its groups,
// evaluated together. It returns nil or an *AccessDeniedError.
func (s *Service) AuthorizeUser(name string, req Request) error {
	s.mu.RLock()
	u, ok := s.users[name]
	var policies []*Policy
	arn := "arn:aws:iam::" + s.cfg.AccountID + ":user/" + name
	if ok {
		arn = u.Arn
		policies = s.principalPoliciesLocked(userKind, u)
		for _, g := range u.Groups {
			if ge, ok := s.groups[g]; ok {
				policies = append(policies, s.principalPoliciesLocked(groupKind, ge)...)
			}
		}
	}
	s.mu.RUnlock()
	if d := Evaluate(req, policies...); d != Allow {
		return &AccessDeniedError{Principal: arn, Action: req.Action, Resource: req.Resource, Decision: d}
	}
	return nil
}

// principalPoliciesLocked returns the identity policies of one user or
// group (not a user's groups'). The caller holds s.mu.
func (s *Service) principalPoliciesLocked(k principalKind, e *principalEntry) []*Policy {
	var out []*Policy
	for _, n := range sortedKeys(e.inline) {
		out = append(out, e.inline[n])
	}
	for _, arn := range e.ManagedPolicyArns {
		if p, ok := s.resolveManagedLocked(arn); ok {
			out = append(out, p)
		}
	}
	for _, id := range sortedKeys(s.attached) {
		if a := s.attached[id]; slices.Contains(a.namesOf(k), e.Name) {
			out = append(out, a.doc)
		}
	}
	for _, arn := range sortedKeys(s.managed) {
		if m := s.managed[arn]; slices.Contains(m.namesOf(k), e.Name) && !slices.Contains(e.ManagedPolicyArns, arn) {
			out = append(out, m.doc)
		}
	}
	return out
}

func (a *attachedEntry) namesOf(k principalKind) []string {
	if k == userKind {
		return a.Users
	}
	return a.Groups
}

func (m *managedEntry) namesOf(k principalKind) []string {
	if k == userKind {
		return m.Users
	}
	return m.Groups
}

func capitalized(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
