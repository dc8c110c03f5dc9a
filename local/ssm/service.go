package ssm

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// TargetPrefix is the X-Amz-Target prefix of Systems Manager.
const TargetPrefix = "AmazonSSM"

// maxVersions is how many versions of a parameter AWS keeps.
const maxVersions = 100

// Service is the local Parameter Store. Build it with [New].
type Service struct {
	core.JSONService
	env  *core.Env
	coll *store.Collection

	mu     sync.RWMutex
	params map[string]*parameter
}

var _ core.Service = (*Service)(nil)

// parameter is one stored parameter with its history, oldest first.
type parameter struct {
	Name     string
	Versions []version
}

// version is one value a parameter held.
type version struct {
	Version          int64
	Type             string
	Value            string
	Description      string `json:",omitempty"`
	AllowedPattern   string `json:",omitempty"`
	DataType         string
	LastModifiedDate time.Time
	Tags             map[string]string `json:",omitempty"`
}

func (p *parameter) latest() version { return p.Versions[len(p.Versions)-1] }

// New builds the Parameter Store, reloading its parameters from the store.
func New(env *core.Env) (core.Service, error) {
	s := &Service{env: env, coll: env.Store.Collection("ssm", "parameters"), params: map[string]*parameter{}}
	s.JSONService = core.JSONService{
		Service:      "Systems Manager",
		TargetPrefix: TargetPrefix,
		ContentType:  "application/x-amz-json-1.1",
		Operations: map[string]core.JSONOperation{
			"PutParameter":     core.Op(s.putParameter),
			"GetParameter":     core.Op(s.getParameter),
			"GetParameters":    core.Op(s.getParameters),
			"DeleteParameter":  core.Op(s.deleteParameter),
			"DeleteParameters": core.Op(s.deleteParameters),
		},
	}
	err := store.ScanAs(s.coll, "ssm parameter", func(_ string, p parameter) error {
		if len(p.Versions) == 0 {
			return fmt.Errorf("parameter %s has no versions", p.Name)
		}
		s.params[p.Name] = &p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ssm: reloading state: %w", err)
	}
	return s, nil
}

// Name returns "ssm", Systems Manager's signing name.
func (s *Service) Name() string { return "ssm" }

// ARN returns a parameter's ARN: a name with a leading slash follows
// "parameter" directly, others after a slash.
func (s *Service) ARN(name string) string {
	if strings.HasPrefix(name, "/") {
		return s.env.ARN("ssm", "parameter"+name)
	}
	return s.env.ARN("ssm", "parameter/"+name)
}

var namePattern = regexp.MustCompile(`^[a-zA-Z0-9_.\-/]+$`)

// checkName applies Parameter Store's naming rules.
// See https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html#sysman-parameter-name-constraints
func checkName(name string) error {
	switch {
	case name == "" || len(name) > 2048:
		return validationErr("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must have length between 1 and 2048", name)
	case !namePattern.MatchString(name):
		return validationErr("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.")
	case strings.Contains(name, "/") && !strings.HasPrefix(name, "/"):
		return validationErr("Parameter name must be a fully qualified name.")
	case strings.Count(name, "/") > 15:
		return validationErr("The parameter name %s has more than 15 levels of hierarchy.", name)
	}
	base := strings.ToLower(strings.TrimPrefix(name, "/"))
	if strings.HasPrefix(base, "aws") || strings.HasPrefix(base, "ssm") {
		return validationErr("No access to reserved parameter name: %s.", name)
	}
	return nil
}

// nameFromARN accepts a parameter's ARN where a name is expected.
func (s *Service) nameFromARN(name string) string {
	prefix := s.env.ARN("ssm", "parameter")
	if rest, ok := strings.CutPrefix(name, prefix); ok {
		if strings.Count(rest, "/") > 1 {
			return rest // /a/b: hierarchical
		}
		return strings.TrimPrefix(rest, "/")
	}
	return name
}

// splitSelector splits NAME:VERSION; a label selector is refused.
func splitSelector(name string) (string, int64, error) {
	i := strings.LastIndex(name, ":")
	if i < 0 || strings.HasPrefix(name, "arn:") && strings.Count(name, ":") <= 5 {
		return name, 0, nil
	}
	sel := name[i+1:]
	v, err := strconv.ParseInt(sel, 10, 64)
	if err != nil || v < 1 {
		return "", 0, validationErr("parameter labels (%s) are not supported by the local cloud: select a version by number (NAME:VERSION)", name)
	}
	return name[:i], v, nil
}

// Parameter returns the value of a String or StringList parameter at a
// version (0 for the latest), for the local CloudFormation's
// {{resolve:ssm:...}} references; ok is false when the parameter or the
// version does not exist.
func (s *Service) Parameter(name string, ver int64) (value string, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := s.params[name]
	if p == nil {
		return "", false
	}
	if ver == 0 {
		return p.latest().Value, true
	}
	for _, v := range p.Versions {
		if v.Version == ver {
			return v.Value, true
		}
	}
	return "", false
}

func validationErr(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "ValidationException", format, args...)
}
