package cloudformation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation/template"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Template size limits of the CloudFormation API.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
const (
	maxTemplateBody = 51200
	maxTemplateURL  = 1000000
)

var stackNamePattern = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)

func validationError(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, "ValidationError", format, args...)
}

// validationErr turns a template or parameter error into a ValidationError
// carrying its message.
func validationErr(err error) error {
	var e *core.Error
	if errors.As(err, &e) {
		return err
	}
	return validationError("%s", err.Error())
}

func checkStackName(name string) error {
	if name == "" {
		return validationError("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null")
	}
	if len(name) > 128 || !stackNamePattern.MatchString(name) {
		return validationError("1 validation error detected: Value '%s' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", name)
	}
	return nil
}

// readTemplate returns the template of a request: TemplateBody,
// TemplateURL or, for an update, the stack's current template.
func (s *Service) readTemplate(ctx context.Context, p url.Values, prev *stackDoc) (string, error) {
	body, hasBody := p["TemplateBody"]
	u, hasURL := p["TemplateURL"]
	usePrev := p.Get("UsePreviousTemplate") == "true"
	switch {
	case usePrev && (hasBody || hasURL):
		return "", validationError("You cannot specify both usePreviousTemplate and Template Body/Template Url")
	case usePrev:
		if prev == nil {
			return "", validationError("UsePreviousTemplate is only valid for an existing stack")
		}
		return prev.TemplateBody, nil
	case hasBody && hasURL:
		return "", validationError("Specify exactly one of TemplateBody or TemplateUrl.")
	case hasBody:
		if len(body[0]) > maxTemplateBody {
			return "", validationError("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to %d", maxTemplateBody)
		}
		return body[0], nil
	case hasURL:
		if s.cfg.Templates == nil {
			return "", validationError("TemplateURL %s cannot be read: this local cloud has no S3 to read templates from; pass TemplateBody", u[0])
		}
		b, err := s.cfg.Templates.Fetch(ctx, u[0])
		if err != nil {
			return "", validationError("TemplateURL must be a supported URL: reading %s: %v", u[0], err)
		}
		if len(b) > maxTemplateURL {
			return "", validationError("Template may not exceed %d bytes in size.", maxTemplateURL)
		}
		return string(b), nil
	}
	return "", validationError("Either Template URL or Template Body must be specified.")
}

// givenParameters reads Parameters.member.N from a request. Parameters
// with UsePreviousValue take the stack's current value.
func givenParameters(p url.Values, prev *stackDoc) (map[string]string, error) {
	out := map[string]string{}
	for _, m := range core.QueryStructs(p, "Parameters.member") {
		key := m.Get("ParameterKey")
		_, hasValue := m["ParameterValue"]
		if m.Get("UsePreviousValue") == "true" {
			if hasValue && m.Get("ParameterValue") != "" {
				return nil, validationError("Invalid input for parameter key %s. Cannot specify usePreviousValue as true and non empty value for a parameter", key)
			}
			v, ok := "", false
			if prev != nil {
				v, ok = prev.Parameters[key]
			}
			if !ok {
				return nil, validationError("Invalid input for parameter key %s. Cannot specify usePreviousValue as true for a parameter key not in the previous template", key)
			}
			out[key] = v
			continue
		}
		out[key] = m.Get("ParameterValue")
	}
	return out, nil
}

// iamTypes need CAPABILITY_IAM; with one of the name properties set they
// need CAPABILITY_NAMED_IAM.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-template.html#using-iam-capabilities
var iamTypes = map[string]string{
	"AWS::IAM::AccessKey":           "",
	"AWS::IAM::Group":               "GroupName",
	"AWS::IAM::InstanceProfile":     "InstanceProfileName",
	"AWS::IAM::ManagedPolicy":       "ManagedPolicyName",
	"AWS::IAM::Policy":              "",
	"AWS::IAM::Role":                "RoleName",
	"AWS::IAM::User":                "UserName",
	"AWS::IAM::UserToGroupAddition": "",
	"AWS::IAM::RolePolicy":          "",
	"AWS::IAM::UserPolicy":          "",
	"AWS::IAM::GroupPolicy":         "",
}

// requiredCapabilities returns the capability a template needs (empty for
// none) and the resource types that need it.
func requiredCapabilities(t *template.Template) (string, []string) {
	need := ""
	types := map[string]bool{}
	for _, r := range t.Resources {
		nameProp, ok := iamTypes[r.Type]
		if !ok {
			continue
		}
		types[r.Type] = true
		if nameProp != "" && r.Properties[nameProp] != nil {
			need = "CAPABILITY_NAMED_IAM"
		} else if need == "" {
			need = "CAPABILITY_IAM"
		}
	}
	return need, sortedIDs(types)
}

func checkCapabilities(t *template.Template, given []string) error {
	need, _ := requiredCapabilities(t)
	if need == "" {
		return nil
	}
	for _, c := range given {
		if c == need || c == "CAPABILITY_NAMED_IAM" {
			return nil
		}
	}
	return core.Errorf(http.StatusBadRequest, "InsufficientCapabilitiesException", "Requires capabilities : [%s]", need)
}

// deployInput is what CreateStack, UpdateStack and CreateChangeSet share:
// a parsed template and resolved parameters, checked.
type deployInput struct {
	body             string
	tpl              *template.Template
	params           map[string]string
	capabilities     []string
	notificationARNs []string
	tags             []tag
}

// prepare reads and checks the template, parameters and capabilities of a
// request; prev is the stack being updated (nil for a create).
func (s *Service) prepare(ctx context.Context, p url.Values, prev *stackDoc) (*deployInput, error) {
	body, err := s.readTemplate(ctx, p, prev)
	if err != nil {
		return nil, err
	}
	tpl, err := template.Parse([]byte(body))
	if err != nil {
		return nil, validationErr(err)
	}
	given, err := givenParameters(p, prev)
	if err != nil {
		return nil, err
	}
	params, err := tpl.ResolveParameters(given)
	if err != nil {
		return nil, validationErr(err)
	}
	in := &deployInput{body: body, tpl: tpl, params: params,
		capabilities:     core.QueryList(p, "Capabilities.member"),
		notificationARNs: core.QueryList(p, "NotificationARNs.member"),
	}
	for _, m := range core.QueryStructs(p, "Tags.member") {
		in.tags = append(in.tags, tag{Key: m.Get("Key"), Value: m.Get("Value")})
	}
	if prev != nil && len(in.tags) == 0 {
		in.tags = prev.Tags // as on AWS, an update without Tags keeps them
	}
	if err := checkCapabilities(tpl, in.capabilities); err != nil {
		return nil, err
	}
	return in, nil
}

// planRefs answers Ref and Fn::GetAtt while planning: resources that the
// plan adds or replaces have values known only once made.
type planRefs struct {
	st      *stackDoc
	unknown map[string]bool
}

const unknownMarker = "{{local-cloud:unknown:"

func (r planRefs) Ref(id string) (string, error) {
	if r.unknown[id] || r.st == nil {
		return unknownMarker + id + "}}", nil
	}
	return stackRefs{r.st}.Ref(id)
}

func (r planRefs) GetAtt(id, attr string) (any, error) {
	if r.unknown[id] || r.st == nil {
		return unknownMarker + id + "." + attr + "}}", nil
	}
	return stackRefs{r.st}.GetAtt(id, attr)
}

// planLocked computes the changes that moving st (nil for a new stack) to
// in would make, as a change set shows them, and whether anything at all
// changes. It fails on what AWS checks before starting: conditions,
// exports to import, a changed resource type.
func (s *Service) planLocked(st *stackDoc, stackName string, in *deployInput) ([]change, bool, []string, error) {
	probe := st
	if probe == nil {
		probe = &stackDoc{Name: stackName, Resources: map[string]*state{}}
	}
	refs := planRefs{st: st, unknown: map[string]bool{}}
	imports := map[string]bool{}
	params, err := ssmParameters(s.cfg.Parameters, in.tpl, in.params)
	if err != nil {
		return nil, false, nil, err
	}
	eval, err := in.tpl.Evaluator(s.envLocked(probe, params, refs, imports))
	if err != nil {
		return nil, false, nil, validationErr(err)
	}
	ids := eval.ActiveResources()
	deps := map[string][]string{}
	for _, id := range ids {
		deps[id] = in.tpl.Deps[id]
	}
	order, err := template.Order(deps)
	if err != nil {
		return nil, false, nil, validationErr(err)
	}
	var changes []change
	var typeChanged []string
	for _, id := range order {
		def := in.tpl.Resources[id]
		props, perr := eval.Properties(id)
		var missing *template.MissingExportError
		if errors.As(perr, &missing) {
			return nil, false, nil, validationErr(perr)
		}
		if perr == nil {
			var err error
			if props, err = resolveDynamic(s.cfg.Parameters, id, props); err != nil {
				return nil, false, nil, err
			}
		}
		cur := probe.Resources[id]
		if cur == nil || cur.Status == StatusDeleteComplete {
			refs.unknown[id] = true
			changes = append(changes, change{Action: "Add", LogicalID: id, ResourceType: def.Type})
			continue
		}
		if cur.Type != def.Type {
			typeChanged = append(typeChanged, id)
			continue
		}
		var meta any
		if def.Metadata != nil {
			meta, _ = eval.Resolve(def.Metadata, "Metadata")
		}
		if perr == nil && resource.Equal(props, cur.Properties) && resource.Equal(meta, cur.Metadata) {
			continue
		}
		c := s.modification(cur, props, perr, deps[id], refs.unknown)
		if c.Replacement == "True" {
			refs.unknown[id] = true
		}
		changes = append(changes, c)
	}
	if len(typeChanged) > 0 {
		return nil, false, nil, validationError("Update of resource type is not permitted. The new template modifies resource type of the following resources: [%s]", strings.Join(typeChanged, ", "))
	}
	for _, id := range sortedIDs(probe.Resources) {
		r := probe.Resources[id]
		if !eval.Active(id) && r.Status != StatusDeleteComplete {
			changes = append(changes, change{Action: "Remove", LogicalID: id, PhysicalID: r.PhysicalID, ResourceType: r.Type})
		}
	}
	changed := len(changes) > 0
	if !changed && st != nil {
		outs, err := eval.Outputs()
		changed = err != nil || !resource.Equal(outputsKey(outs), outputsKey(st.Outputs)) ||
			!resource.Equal(in.tags, st.Tags) || !resource.Equal(in.notificationARNs, st.NotificationARNs)
	}
	return changes, changed, sortedIDs(imports), nil
}

func outputsKey(outs []template.ResolvedOutput) []template.ResolvedOutput {
	if len(outs) == 0 {
		return nil
	}
	return outs
}

// modification describes how a resource's new properties change it:
// Replacement True, False or Conditional (when the new value depends on a
// resource not yet made), with one detail per changed top-level property.
func (s *Service) modification(cur *state, props map[string]any, perr error, deps []string, unknown map[string]bool) change {
	c := change{Action: "Modify", LogicalID: cur.LogicalID, PhysicalID: cur.PhysicalID, ResourceType: cur.Type, Replacement: "False"}
	prov := s.provider(cur.Type)
	if perr != nil {
		// The properties depend on something only known once made.
		c.Replacement, c.Scope = "Conditional", []string{"Properties"}
		for _, d := range deps {
			if unknown[d] {
				c.Details = append(c.Details, detail{Name: "", RequiresRecreation: "Conditionally", Evaluation: "Dynamic", ChangeSource: "ResourceReference", CausingEntity: d})
			}
		}
		return c
	}
	if resource.Equal(props, cur.Properties) {
		c.Scope = []string{"Metadata"}
		return c
	}
	c.Scope = []string{"Properties"}
	names := map[string]bool{}
	for k := range props {
		names[k] = true
	}
	for k := range cur.Properties {
		names[k] = true
	}
	dynamic := false
	for _, k := range sortedIDs(names) {
		if resource.Equal(props[k], cur.Properties[k]) {
			continue
		}
		d := detail{Name: k, RequiresRecreation: "Never", Evaluation: "Static", ChangeSource: "DirectModification"}
		if prov != nil {
			only := make(map[string]any, len(cur.Properties))
			for ok, ov := range cur.Properties {
				only[ok] = ov
			}
			if v, has := props[k]; has {
				only[k] = v
			} else {
				delete(only, k)
			}
			if prov.RequiresReplacement(cur.Properties, only) {
				d.RequiresRecreation = "Always"
			}
		}
		if text := marshalProps(map[string]any{"v": props[k]}); strings.Contains(text, unknownMarker) {
			d.Evaluation, d.ChangeSource = "Dynamic", "ResourceReference"
			dynamic = true
			if i := strings.Index(text, unknownMarker); i >= 0 {
				rest := text[i+len(unknownMarker):]
				if j := strings.IndexAny(rest, ".}"); j >= 0 {
					d.CausingEntity = rest[:j]
				}
			}
		}
		c.Details = append(c.Details, d)
	}
	if prov != nil && prov.RequiresReplacement(cur.Properties, props) {
		c.Replacement = "True"
		if dynamic {
			c.Replacement = "Conditional"
		}
	}
	return c
}

// sortChanges orders changes as AWS lists them: by logical ID.
func sortChanges(cs []change) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].LogicalID < cs[j].LogicalID })
}

func stackARN(region, account, name, id string) string {
	return fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/%s", region, account, name, id)
}
