package iam

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// Config configures [New].
type Config struct {
	// Store is the collection IAM keeps its state in, e.g.
	// env.Store.Collection("iam").
	Store *store.Collection
	// AccountID goes into role ARNs ("000000000000").
	AccountID string
	// Log receives the service's diagnostics; nil discards.
	Log logrus.FieldLogger
}

// Role is a stored IAM role.
// See https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
type Role struct {
	RoleName           string
	Path               string
	Arn                string
	RoleID             string
	CreateDate         time.Time
	Description        string `json:",omitempty"`
	MaxSessionDuration int    `json:",omitempty"`
	// AssumeRolePolicyDocument is the trust policy as JSON.
	AssumeRolePolicyDocument string
	// Policies are the role's inline policies, by name, as JSON.
	Policies map[string]string `json:",omitempty"`
	// ManagedPolicyArns are the attached managed policies.
	ManagedPolicyArns []string `json:",omitempty"`
	Tags              []Tag    `json:",omitempty"`
}

// Tag is a role tag.
type Tag struct{ Key, Value string }

// RoleInput creates a role with [Service.CreateRole].
type RoleInput struct {
	RoleName string
	// Path defaults to "/".
	Path string
	// AssumeRolePolicyDocument is the trust policy: JSON bytes, a JSON
	// string or a decoded value.
	AssumeRolePolicyDocument any
	// Policies are inline policies by name, in any form ParsePolicy takes.
	Policies           map[string]any
	ManagedPolicyArns  []string
	Description        string
	MaxSessionDuration int
	Tags               []Tag
}

// AttachedPolicy is an AWS::IAM::Policy: an inline policy document that
// CloudFormation puts on roles, users and groups (with PutRolePolicy,
// PutUserPolicy, PutGroupPolicy) under its PolicyName.
type AttachedPolicy struct {
	ID         string
	PolicyName string
	Document   string
	Roles      []string
	Users      []string `json:",omitempty"`
	Groups     []string `json:",omitempty"`
}

// Service is the local IAM. Build it with [New].
type Service struct {
	cfg      Config
	roles    *store.Collection
	policies *store.Collection
	log      logrus.FieldLogger
	query    core.QueryService

	// managedStore holds customer managed policies by policy ID.
	managedStore *store.Collection
	// userStore and groupStore hold IAM users and groups by name.
	userStore, groupStore *store.Collection

	mu       sync.RWMutex
	byName   map[string]*roleEntry
	attached map[string]*attachedEntry
	managed  map[string]*managedEntry // customer managed policies by ARN
	users    map[string]*principalEntry
	groups   map[string]*principalEntry
}

// roleEntry is a role with its documents parsed once.
type roleEntry struct {
	Role
	trust  *Policy
	inline map[string]*Policy
}

type attachedEntry struct {
	AttachedPolicy
	doc *Policy
}

var _ core.Service = (*Service)(nil)

// New builds the IAM service and loads its roles and policies from the
// store.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("iam: Config.Store is nil: pass the collection IAM keeps its state in, e.g. env.Store.Collection(\"iam\")")
	}
	if cfg.AccountID == "" {
		return nil, errors.New("iam: Config.AccountID is empty: pass the local cloud's account, e.g. 000000000000")
	}
	log := cfg.Log
	if log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		log = l
	}
	s := &Service{
		cfg: cfg, log: log,
		roles:        cfg.Store.Sub("roles"),
		policies:     cfg.Store.Sub("policies"),
		managedStore: cfg.Store.Sub("managed"),
		userStore:    cfg.Store.Sub("users"),
		groupStore:   cfg.Store.Sub("groups"),
		byName:       map[string]*roleEntry{},
		attached:     map[string]*attachedEntry{},
		managed:      map[string]*managedEntry{},
		users:        map[string]*principalEntry{},
		groups:       map[string]*principalEntry{},
	}
	err := store.ScanAs(s.roles, "iam: role", func(key string, r Role) error {
		e, err := newRoleEntry(r)
		if err != nil {
			return fmt.Errorf("iam: role %s: %w", key, err)
		}
		s.byName[r.RoleName] = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = store.ScanAs(s.policies, "iam: policy", func(key string, p AttachedPolicy) error {
		doc, err := ParsePolicy(p.Document)
		if err != nil {
			return fmt.Errorf("iam: policy %s: %w", key, err)
		}
		s.attached[p.ID] = &attachedEntry{AttachedPolicy: p, doc: doc}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = store.ScanAs(s.managedStore, "iam: managed policy", func(key string, m ManagedPolicy) error {
		doc, err := ParsePolicy(m.Document)
		if err != nil {
			return fmt.Errorf("iam: managed policy %s: %w", key, err)
		}
		s.managed[m.Arn] = &managedEntry{ManagedPolicy: m, doc: doc}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, k := range []principalKind{userKind, groupKind} {
		err = store.ScanAs(s.principalStore(k), "iam: "+k.word, func(key string, p Principal) error {
			e := &principalEntry{Principal: p, inline: map[string]*Policy{}}
			for name, doc := range p.Policies {
				parsed, err := ParsePolicy(doc)
				if err != nil {
					return fmt.Errorf("iam: %s %s: policy %s: %w", k.word, key, name, err)
				}
				e.inline[name] = parsed
			}
			s.kindMaps(k)[p.Name] = e
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	s.initQuery()
	return s, nil
}

// Name returns "iam", IAM's signing name.
func (s *Service) Name() string { return "iam" }

// ServeHTTP serves the IAM query API (see the package documentation).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.query.ServeHTTP(w, r) }

func newRoleEntry(r Role) (*roleEntry, error) {
	trust, err := ParsePolicy(r.AssumeRolePolicyDocument)
	if err != nil {
		return nil, fmt.Errorf("AssumeRolePolicyDocument: %w", err)
	}
	e := &roleEntry{Role: r, trust: trust, inline: map[string]*Policy{}}
	for name, doc := range r.Policies {
		p, err := ParsePolicy(doc)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", name, err)
		}
		e.inline[name] = p
	}
	return e, nil
}

var (
	roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	rolePathPattern = regexp.MustCompile(`^/([\x21-\x7E]*/)?$`)
)

// CreateRole stores a new role. It fails with EntityAlreadyExists when the
// name is taken, MalformedPolicyDocument when a document is not a policy,
// and NoSuchEntity ("Policy ARN does not exist or is not attachable.")
// when a managed policy ARN names neither an AWS managed policy nor a
// customer managed policy of the account.
func (s *Service) CreateRole(in RoleInput) (Role, error) {
	if in.Path == "" {
		in.Path = "/"
	}
	if !roleNamePattern.MatchString(in.RoleName) {
		return Role{}, core.Errorf(http.StatusBadRequest, "ValidationError",
			"role name %q must be 1 to 64 characters of letters, digits and +=,.@_-", in.RoleName)
	}
	if !rolePathPattern.MatchString(in.Path) || len(in.Path) > 512 {
		return Role{}, core.Errorf(http.StatusBadRequest, "ValidationError", "role path %q must begin and end with /", in.Path)
	}
	r := Role{
		RoleName: in.RoleName, Path: in.Path,
		Arn:         RoleARN(s.cfg.AccountID, in.Path, in.RoleName),
		RoleID:      "AROA" + randomID(17),
		CreateDate:  time.Now().UTC().Truncate(time.Second),
		Description: in.Description, MaxSessionDuration: in.MaxSessionDuration,
		ManagedPolicyArns: append([]string(nil), in.ManagedPolicyArns...),
		Tags:              append([]Tag(nil), in.Tags...),
	}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = 3600
	}
	if err := fillDocuments(&r, in.AssumeRolePolicyDocument, in.Policies); err != nil {
		return Role{}, err
	}
	e, err := newRoleEntry(r)
	if err != nil {
		return Role{}, asMalformed(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.byName[r.RoleName]; dup {
		return Role{}, core.Errorf(http.StatusConflict, "EntityAlreadyExists", "Role with name %s already exists.", r.RoleName)
	}
	if err := s.checkAttachableLocked(r.ManagedPolicyArns); err != nil {
		return Role{}, err
	}
	if err := s.roles.Put(r.RoleName, r); err != nil {
		return Role{}, err
	}
	s.byName[r.RoleName] = e
	return r, nil
}

// UpdateRole replaces what can change in place on an existing role: the
// trust policy, inline policies, managed policy ARNs, description, session
// duration and tags. Name and path cannot change (CloudFormation replaces
// the role instead).
func (s *Service) UpdateRole(in RoleInput) (Role, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.byName[in.RoleName]
	if !ok {
		return Role{}, noSuchRole(in.RoleName)
	}
	r := old.Role
	r.Description, r.Tags = in.Description, append([]Tag(nil), in.Tags...)
	r.ManagedPolicyArns = append([]string(nil), in.ManagedPolicyArns...)
	if in.MaxSessionDuration != 0 {
		r.MaxSessionDuration = in.MaxSessionDuration
	}
	if err := fillDocuments(&r, in.AssumeRolePolicyDocument, in.Policies); err != nil {
		return Role{}, err
	}
	e, err := newRoleEntry(r)
	if err != nil {
		return Role{}, asMalformed(err)
	}
	if err := s.checkAttachableLocked(r.ManagedPolicyArns); err != nil {
		return Role{}, err
	}
	if err := s.roles.Put(r.RoleName, r); err != nil {
		return Role{}, err
	}
	s.byName[r.RoleName] = e
	return r, nil
}

// fillDocuments stores the trust policy and inline policies as JSON.
func fillDocuments(r *Role, trust any, inline map[string]any) error {
	raw, err := policyJSON(trust)
	if err != nil {
		return asMalformed(fmt.Errorf("AssumeRolePolicyDocument: %w", err))
	}
	r.AssumeRolePolicyDocument = string(raw)
	r.Policies = nil
	for name, doc := range inline {
		raw, err := policyJSON(doc)
		if err != nil {
			return asMalformed(fmt.Errorf("policy %s: %w", name, err))
		}
		if r.Policies == nil {
			r.Policies = map[string]string{}
		}
		r.Policies[name] = string(raw)
	}
	return nil
}

// asMalformed turns a policy parsing error into IAM's
// MalformedPolicyDocument API error, keeping the path to the problem.
func asMalformed(err error) error {
	var m *MalformedPolicyError
	if errors.As(err, &m) {
		msg := strings.Replace(err.Error(), "MalformedPolicyDocument: ", "", 1)
		return core.Errorf(http.StatusBadRequest, "MalformedPolicyDocument", "%s", msg)
	}
	return err
}

// GetRole returns the role named name, or NoSuchEntity.
func (s *Service) GetRole(name string) (Role, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.byName[name]
	if !ok {
		return Role{}, noSuchRole(name)
	}
	return e.Role, nil
}

// Roles returns every role, sorted by name.
func (s *Service) Roles() []Role {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Role, 0, len(s.byName))
	for _, e := range s.byName {
		out = append(out, e.Role)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RoleName < out[j].RoleName })
	return out
}

// DeleteRole deletes a role with its inline policies. Deleting a role that
// does not exist is NoSuchEntity.
func (s *Service) DeleteRole(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byName[name]; !ok {
		return noSuchRole(name)
	}
	if err := s.roles.Delete(name); err != nil {
		return err
	}
	delete(s.byName, name)
	return nil
}

// PutRolePolicy adds or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(roleName, policyName string, doc any) error {
	p, err := ParsePolicy(doc)
	if err != nil {
		return asMalformed(err)
	}
	raw, _ := policyJSON(doc)
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byName[roleName]
	if !ok {
		return noSuchRole(roleName)
	}
	r := e.Role
	r.Policies = make(map[string]string, len(e.Policies)+1)
	for k, v := range e.Policies {
		r.Policies[k] = v
	}
	r.Policies[policyName] = string(raw)
	if err := s.roles.Put(roleName, r); err != nil {
		return err
	}
	inline := make(map[string]*Policy, len(e.inline)+1)
	for k, v := range e.inline {
		inline[k] = v
	}
	inline[policyName] = p
	s.byName[roleName] = &roleEntry{Role: r, trust: e.trust, inline: inline}
	return nil
}

// DeleteRolePolicy removes an inline policy of a role.
func (s *Service) DeleteRolePolicy(roleName, policyName string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byName[roleName]
	if !ok {
		return noSuchRole(roleName)
	}
	if _, ok := e.Policies[policyName]; !ok {
		return core.Errorf(http.StatusNotFound, "NoSuchEntity", "The role policy with name %s cannot be found.", policyName)
	}
	r := e.Role
	r.Policies = map[string]string{}
	inline := map[string]*Policy{}
	for k, v := range e.Policies {
		if k != policyName {
			r.Policies[k], inline[k] = v, e.inline[k]
		}
	}
	if err := s.roles.Put(roleName, r); err != nil {
		return err
	}
	s.byName[roleName] = &roleEntry{Role: r, trust: e.trust, inline: inline}
	return nil
}

// PutAttachedPolicy stores an AWS::IAM::Policy under its ID: a document
// that applies to each of its roles, users and groups as an inline policy
// would. Every one of them must exist.
func (s *Service) PutAttachedPolicy(p AttachedPolicy) error {
	doc, err := ParsePolicy(p.Document)
	if err != nil {
		return asMalformed(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.attachableToLocked(p.Roles, p.Users, p.Groups); err != nil {
		return err
	}
	if err := s.policies.Put(p.ID, p); err != nil {
		return err
	}
	s.attached[p.ID] = &attachedEntry{AttachedPolicy: p, doc: doc}
	return nil
}

// DeleteAttachedPolicy removes an AWS::IAM::Policy; a missing one is not an
// error.
func (s *Service) DeleteAttachedPolicy(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.policies.Delete(id); err != nil {
		return err
	}
	delete(s.attached, id)
	return nil
}

func noSuchRole(name string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchEntity", "The role with name %s cannot be found.", name)
}

// RoleARN returns the ARN of a role: arn:aws:iam::ACCOUNT:role/PATH/NAME.
func RoleARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":role" + path + name
}

// RoleNameFromARN returns the name in a role ARN (the part after the last
// slash), or false when arn is not a role ARN.
func RoleNameFromARN(arn string) (string, bool) {
	const marker = ":role/"
	if !strings.HasPrefix(arn, "arn:") {
		return "", false
	}
	i := strings.Index(arn, marker)
	if i < 0 {
		return "", false
	}
	rest := arn[i+len(marker):]
	name := rest[strings.LastIndex(rest, "/")+1:]
	return name, name != ""
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// randomID returns n random characters of IAM's unique-ID alphabet.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// Factory builds the IAM service of a local cloud, its state in the
// store's "iam" collection.
func Factory(env *core.Env) (core.Service, error) {
	return New(Config{Store: env.Store.Collection("iam"), AccountID: env.AccountID, Log: env.Log.WithField(core.FieldService, "iam")})
}
