package ssm

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

type tagIn struct{ Key, Value string }

type putParameterIn struct {
	Name           string
	Value          string
	Type           string
	Overwrite      bool
	Description    string
	AllowedPattern string
	DataType       string
	Tier           string
	KeyId          string
	Policies       string
	Tags           []tagIn
}

// PutInput is a parameter to write with [Service.Put].
type PutInput struct {
	Name  string
	Value string
	// Type is String or StringList; empty keeps the existing type.
	Type           string
	Description    string
	AllowedPattern string
	// Overwrite replaces an existing parameter with a new version.
	Overwrite bool
	Tags      map[string]string
}

// Put creates a parameter (version 1) or, with Overwrite, adds a version.
// It returns the new version.
// See https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
func (s *Service) Put(in PutInput) (int64, error) {
	if err := checkName(in.Name); err != nil {
		return 0, err
	}
	switch in.Type {
	case "", "String", "StringList":
	case "SecureString":
		return 0, validationErr("SecureString parameters are not supported by the local cloud: it runs no KMS to encrypt %s; use String for local runs", in.Name)
	default:
		return 0, validationErr("1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]", in.Type)
	}
	if in.Value == "" || len(in.Value) > 4096 {
		return 0, validationErr("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length between 1 and 4096")
	}
	if in.AllowedPattern != "" {
		re, err := regexp.Compile(in.AllowedPattern)
		if err != nil {
			return 0, validationErr("The AllowedPattern %s is not a valid regular expression: %v", in.AllowedPattern, err)
		}
		if !re.MatchString(in.Value) {
			return 0, core.Errorf(http.StatusBadRequest, "ParameterPatternMismatchException", "Parameter value, cannot be validated against allowedPattern: %s", in.AllowedPattern)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.params[in.Name]
	v := version{Version: 1, Type: in.Type, Value: in.Value, Description: in.Description, AllowedPattern: in.AllowedPattern,
		DataType: "text", LastModifiedDate: time.Now().UTC().Truncate(time.Millisecond), Tags: in.Tags}
	p := &parameter{Name: in.Name}
	if old != nil {
		if !in.Overwrite {
			return 0, core.Errorf(http.StatusBadRequest, "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
		}
		if len(in.Tags) > 0 {
			return 0, validationErr("tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")
		}
		last := old.latest()
		v.Version, v.Tags = last.Version+1, last.Tags
		if v.Type == "" {
			v.Type = last.Type
		}
		if v.Description == "" {
			v.Description = last.Description
		}
		p.Versions = slices.Clone(old.Versions)
		if len(p.Versions) >= maxVersions {
			p.Versions = p.Versions[len(p.Versions)-maxVersions+1:]
		}
	} else if v.Type == "" {
		return 0, validationErr("A parameter type is required when you create a parameter.")
	}
	p.Versions = append(p.Versions, v)
	if err := s.coll.Put(p.Name, p); err != nil {
		return 0, err
	}
	s.params[p.Name] = p
	return v.Version, nil
}

func (s *Service) putParameter(_ context.Context, in putParameterIn) (any, error) {
	if in.Tier != "" && in.Tier != "Standard" {
		return nil, validationErr("the %s tier is not supported by the local cloud: use Standard", in.Tier)
	}
	if in.Policies != "" {
		return nil, validationErr("parameter policies are not supported by the local cloud")
	}
	if in.DataType != "" && in.DataType != "text" {
		return nil, validationErr("the data type %s is not supported by the local cloud: use text", in.DataType)
	}
	var tags map[string]string
	for _, t := range in.Tags {
		if tags == nil {
			tags = map[string]string{}
		}
		tags[t.Key] = t.Value
	}
	v, err := s.Put(PutInput{Name: in.Name, Value: in.Value, Type: in.Type, Description: in.Description,
		AllowedPattern: in.AllowedPattern, Overwrite: in.Overwrite, Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Version": v, "Tier": "Standard"}, nil
}

// wireParameter is a Parameter in the API's JSON.
// See https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Parameter.html
type wireParameter struct {
	Name             string
	Type             string
	Value            string
	Version          int64
	Selector         string `json:",omitempty"`
	LastModifiedDate float64
	ARN              string
	DataType         string
}

// lookupLocked finds a parameter by name, NAME:VERSION or ARN. The caller holds
// s.mu.
func (s *Service) lookupLocked(ref string) (wireParameter, error) {
	name, ver, err := splitSelector(s.nameFromARN(ref))
	if err != nil {
		return wireParameter{}, err
	}
	p := s.params[name]
	if p == nil {
		return wireParameter{}, core.Errorf(http.StatusBadRequest, "ParameterNotFound", "")
	}
	v := p.latest()
	selector := ""
	if ver != 0 {
		i := slices.IndexFunc(p.Versions, func(v version) bool { return v.Version == ver })
		if i < 0 {
			return wireParameter{}, core.Errorf(http.StatusBadRequest, "ParameterVersionNotFound",
				"Systems Manager could not find version %d of %s. Verify the version and try again.", ver, name)
		}
		v, selector = p.Versions[i], ":"+strconv.FormatInt(ver, 10)
	}
	return wireParameter{Name: name, Type: v.Type, Value: v.Value, Version: v.Version, Selector: selector,
		LastModifiedDate: float64(v.LastModifiedDate.UnixMilli()) / 1000, ARN: s.ARN(name), DataType: v.DataType}, nil
}

type getParameterIn struct {
	Name           string
	WithDecryption bool
}

func (s *Service) getParameter(_ context.Context, in getParameterIn) (any, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, err := s.lookupLocked(in.Name)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Parameter": p}, nil
}

type getParametersIn struct {
	Names          []string
	WithDecryption bool
}

// getParameters answers each name found in Parameters and each other in
// InvalidParameters, as AWS does; at most 10 names.
func (s *Service) getParameters(_ context.Context, in getParametersIn) (any, error) {
	if len(in.Names) == 0 || len(in.Names) > 10 {
		return nil, validationErr("1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := struct {
		Parameters        []wireParameter
		InvalidParameters []string
	}{Parameters: []wireParameter{}, InvalidParameters: []string{}}
	for _, n := range in.Names {
		p, err := s.lookupLocked(n)
		if err != nil {
			if ce := core.AsError(err); ce.Code == "ValidationException" {
				return nil, err
			}
			out.InvalidParameters = append(out.InvalidParameters, n)
			continue
		}
		out.Parameters = append(out.Parameters, p)
	}
	return out, nil
}

type deleteParameterIn struct{ Name string }

// Delete removes a parameter with all its versions.
func (s *Service) Delete(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.params[name] == nil {
		return core.Errorf(http.StatusBadRequest, "ParameterNotFound", "")
	}
	if err := s.coll.Delete(name); err != nil {
		return err
	}
	delete(s.params, name)
	return nil
}

func (s *Service) deleteParameter(_ context.Context, in deleteParameterIn) (any, error) {
	return nil, s.Delete(s.nameFromARN(in.Name))
}

type deleteParametersIn struct{ Names []string }

func (s *Service) deleteParameters(_ context.Context, in deleteParametersIn) (any, error) {
	if len(in.Names) == 0 || len(in.Names) > 10 {
		return nil, validationErr("1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1")
	}
	out := struct{ DeletedParameters, InvalidParameters []string }{[]string{}, []string{}}
	for _, n := range in.Names {
		if err := s.Delete(s.nameFromARN(n)); err != nil {
			out.InvalidParameters = append(out.InvalidParameters, n)
			continue
		}
		out.DeletedParameters = append(out.DeletedParameters, n)
	}
	return out, nil
}
