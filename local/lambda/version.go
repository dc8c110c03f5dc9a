package lambda

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

var aliasPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)

// accountPattern is a principal written as an account ID. Compiled once:
// every API Gateway request, S3 notification and EventBridge delivery
// reads the function's policy.
var accountPattern = regexp.MustCompile(`^\d{12}$`)

// publish snapshots $LATEST as the next version, unless it is unchanged
// since the last published version (Lambda then returns that version).
func publish(f *function, description string) version {
	if n := len(f.Versions); n > 0 && sameRelease(f.Versions[n-1], f.Latest) {
		return f.Versions[n-1]
	}
	v := f.Latest
	v.Config.Version = strconv.Itoa(f.NextVersion)
	v.Config.FunctionArn = f.Latest.Config.FunctionArn + ":" + v.Config.Version
	v.Config.Description = description
	v.Config.RevisionID = core.NewRequestID()
	v.Config.LastModified = formatTime(time.Now())
	f.NextVersion++
	f.Versions = append(f.Versions, v)
	return v
}

// sameRelease reports whether two versions have the same code and
// configuration, ignoring what differs between any two versions.
func sameRelease(a, b version) bool {
	strip := func(c FunctionConfiguration) FunctionConfiguration {
		c.FunctionArn, c.Version, c.LastModified, c.RevisionID, c.Description = "", "", "", "", ""
		return c
	}
	return a.Code == b.Code && reflect.DeepEqual(strip(a.Config), strip(b.Config))
}

// PublishVersion publishes $LATEST as a new version. A non-empty codeSHA256
// must match $LATEST's CodeSha256, as Lambda checks it.
// See https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
func (s *Service) PublishVersion(_ context.Context, ref, description, codeSHA256 string) (FunctionConfiguration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name, f, err := s.lookup(ref)
	if err != nil {
		return FunctionConfiguration{}, err
	}
	if codeSHA256 != "" && codeSHA256 != f.Latest.Config.CodeSha256 {
		return FunctionConfiguration{}, errInvalid("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.",
			codeSHA256, f.Latest.Config.CodeSha256)
	}
	nf := f.clone()
	v := publish(nf, description)
	if err := s.put(name, nf); err != nil {
		return FunctionConfiguration{}, err
	}
	return v.Config, nil
}

// ListVersions returns $LATEST and the published versions of a function.
func (s *Service) ListVersions(_ context.Context, ref string) ([]FunctionConfiguration, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, f, err := s.lookup(ref)
	if err != nil {
		return nil, err
	}
	out := []FunctionConfiguration{f.Latest.Config}
	for _, v := range f.Versions {
		out = append(out, v.Config)
	}
	return out, nil
}

func aliasWeights(a AliasConfiguration) map[string]float64 {
	if a.RoutingConfig == nil {
		return nil
	}
	return a.RoutingConfig.AdditionalVersionWeights
}

// checkAlias validates an alias's versions against the function.
func (s *Service) checkAlias(name string, f *function, in CreateAliasInput) error {
	if !aliasPattern.MatchString(in.Name) || versionPattern.MatchString(in.Name) || in.Name == LatestVersion {
		return errValidation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)", in.Name)
	}
	if _, ok := f.version(in.FunctionVersion); !ok || in.FunctionVersion == "" {
		return errNotFound(s.qualifiedARN(name, in.FunctionVersion))
	}
	if in.RoutingConfig != nil {
		total := 0.0
		for v, w := range in.RoutingConfig.AdditionalVersionWeights {
			if _, ok := f.version(v); !ok || v == LatestVersion {
				return errInvalid("alias %s routes to version %s, which is not a published version of %s", in.Name, v, name)
			}
			if w < 0 || w > 1 {
				return errInvalid("alias %s gives version %s the weight %v: weights are between 0.0 and 1.0", in.Name, v, w)
			}
			total += w
		}
		if total > 1 {
			return errInvalid("alias %s: the additional version weights add up to %v, more than 1.0", in.Name, total)
		}
	}
	return nil
}

// CreateAlias creates an alias naming a version, optionally sending a
// share of invocations to other versions.
// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html
func (s *Service) CreateAlias(_ context.Context, in CreateAliasInput) (AliasConfiguration, error) {
	return s.putAlias(in, true)
}

// UpdateAlias changes an alias; empty FunctionVersion keeps the version.
// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html
func (s *Service) UpdateAlias(_ context.Context, in CreateAliasInput) (AliasConfiguration, error) {
	return s.putAlias(in, false)
}

func (s *Service) putAlias(in CreateAliasInput, create bool) (AliasConfiguration, error) {
	name, _, err := s.parseRef(in.FunctionName)
	if err != nil {
		return AliasConfiguration{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.get(name)
	if err != nil {
		return AliasConfiguration{}, err
	}
	old, exists := f.Aliases[in.Name]
	arn := s.qualifiedARN(name, in.Name)
	switch {
	case create && exists:
		return AliasConfiguration{}, errConflict("Alias already exists: %s", arn)
	case !create && !exists:
		return AliasConfiguration{}, core.Errorf(http.StatusNotFound, CodeResourceNotFound, "Alias not found: %s", arn)
	case !create:
		if in.FunctionVersion == "" {
			in.FunctionVersion = old.FunctionVersion
		}
		if in.RoutingConfig == nil {
			in.RoutingConfig = old.RoutingConfig
		}
	}
	if err := s.checkAlias(name, f, in); err != nil {
		return AliasConfiguration{}, err
	}
	a := AliasConfiguration{AliasArn: arn, Name: in.Name, FunctionVersion: in.FunctionVersion,
		Description: in.Description, RoutingConfig: in.RoutingConfig, RevisionID: core.NewRequestID()}
	nf := f.clone()
	nf.Aliases[in.Name] = a
	if err := s.put(name, nf); err != nil {
		return AliasConfiguration{}, err
	}
	return a, nil
}

// GetAlias returns an alias.
func (s *Service) GetAlias(_ context.Context, ref, alias string) (AliasConfiguration, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	name, f, err := s.lookup(ref)
	if err != nil {
		return AliasConfiguration{}, err
	}
	a, ok := f.Aliases[alias]
	if !ok {
		return AliasConfiguration{}, core.Errorf(http.StatusNotFound, CodeResourceNotFound, "Alias not found: %s", s.qualifiedARN(name, alias))
	}
	return a, nil
}

// ListAliases returns a function's aliases by name.
func (s *Service) ListAliases(_ context.Context, ref string) ([]AliasConfiguration, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, f, err := s.lookup(ref)
	if err != nil {
		return nil, err
	}
	out := make([]AliasConfiguration, 0, len(f.Aliases))
	for _, a := range f.Aliases {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// DeleteAlias deletes an alias; a missing one is not an error, as on AWS.
func (s *Service) DeleteAlias(_ context.Context, ref, alias string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	name, f, err := s.lookup(ref)
	if err != nil {
		return err
	}
	if _, ok := f.Aliases[alias]; !ok {
		return nil
	}
	nf := f.clone()
	delete(nf.Aliases, alias)
	return s.put(name, nf)
}

// pickAliasVersion chooses the version an invocation of alias a runs,
// honouring its routing weights.
func pickAliasVersion(a AliasConfiguration) string {
	w := aliasWeights(a)
	if len(w) == 0 {
		return a.FunctionVersion
	}
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	r := rand.Float64()
	for _, k := range keys {
		if r < w[k] {
			return k
		}
		r -= w[k]
	}
	return a.FunctionVersion
}

// PutFunctionConcurrency reserves concurrency for a function: at most n of
// its invocations run at once (0 throttles every invocation).
// See https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
func (s *Service) PutFunctionConcurrency(_ context.Context, ref string, n *int) error {
	name, _, err := s.parseRef(ref)
	if err != nil {
		return err
	}
	if n != nil && (*n < 0 || *n > s.cfg.MaxConcurrency) {
		return errInvalid("ReservedConcurrentExecutions %d for function %s must be between 0 and the local cloud's concurrency limit, %d", *n, name, s.cfg.MaxConcurrency)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.get(name)
	if err != nil {
		return err
	}
	nf := f.clone()
	nf.Reserved = n
	return s.put(name, nf)
}

// FunctionConcurrency returns a function's reserved concurrency, nil when
// none is reserved.
func (s *Service) FunctionConcurrency(_ context.Context, ref string) (*int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, f, err := s.lookup(ref)
	if err != nil {
		return nil, err
	}
	return f.Reserved, nil
}

// AddPermission adds a statement to a function's resource policy and
// returns it as JSON. Statements are kept, not enforced.
// See https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
func (s *Service) AddPermission(_ context.Context, in AddPermissionInput) (string, error) {
	name, q, err := s.parseRefQualifier(in.FunctionName, in.Qualifier)
	if err != nil {
		return "", err
	}
	if in.StatementID == "" || in.Action == "" || in.Principal == "" {
		return "", errValidation("StatementId, Action and Principal are required to add a permission to %s", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.get(name)
	if err != nil {
		return "", err
	}
	if q != "" {
		if _, err := s.lookupVersion(name, f, q); err != nil {
			return "", err
		}
	}
	for _, st := range f.Policy {
		if st.Sid == in.StatementID {
			return "", errConflict("The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", in.StatementID)
		}
	}
	st := policyStatement{Sid: in.StatementID, Qualifier: q, Action: in.Action, Principal: in.Principal,
		SourceArn: in.SourceArn, Account: in.SourceAccount, OrgID: in.PrincipalOrgID}
	nf := f.clone()
	nf.Policy = append(nf.Policy, st)
	if err := s.put(name, nf); err != nil {
		return "", err
	}
	b, _ := json.Marshal(s.statementDoc(name, st))
	return string(b), nil
}

// RemovePermission removes a statement from a function's resource policy.
func (s *Service) RemovePermission(_ context.Context, ref, sid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	name, f, err := s.lookup(ref)
	if err != nil {
		return err
	}
	nf := f.clone()
	nf.Policy = nf.Policy[:0]
	for _, st := range f.Policy {
		if st.Sid != sid {
			nf.Policy = append(nf.Policy, st)
		}
	}
	if len(nf.Policy) == len(f.Policy) {
		return core.Errorf(http.StatusNotFound, CodeResourceNotFound, "Statement %s is not found in resource policy.", sid)
	}
	return s.put(name, nf)
}

// GetPolicy returns a function's resource policy as a JSON document.
func (s *Service) GetPolicy(_ context.Context, ref string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	name, f, err := s.lookup(ref)
	if err != nil {
		return "", err
	}
	if len(f.Policy) == 0 {
		return "", core.Errorf(http.StatusNotFound, CodeResourceNotFound, "The resource you requested does not exist.")
	}
	var sts []any
	for _, st := range f.Policy {
		sts = append(sts, s.statementDoc(name, st))
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": sts})
	return string(b), nil
}

func (s *Service) statementDoc(name string, st policyStatement) map[string]any {
	principal := any(map[string]string{"Service": st.Principal})
	if accountPattern.MatchString(st.Principal) {
		principal = map[string]string{"AWS": "arn:aws:iam::" + st.Principal + ":root"}
	} else if st.Principal == "*" {
		principal = "*"
	}
	doc := map[string]any{"Sid": st.Sid, "Effect": "Allow", "Principal": principal, "Action": st.Action,
		"Resource": s.qualifiedARN(name, st.Qualifier)}
	cond := map[string]any{}
	if st.SourceArn != "" {
		cond["ArnLike"] = map[string]string{"AWS:SourceArn": st.SourceArn}
	}
	if st.Account != "" {
		cond["StringEquals"] = map[string]string{"AWS:SourceAccount": st.Account}
	}
	if len(cond) > 0 {
		doc["Condition"] = cond
	}
	return doc
}
