package cloudformation

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation/template"
)

// summaryParameter is a ParameterDeclaration of GetTemplateSummary.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ParameterDeclaration.html
type summaryParameter struct {
	ParameterKey  string
	DefaultValue  string `xml:",omitempty"`
	ParameterType string
	NoEcho        bool
	Description   string   `xml:",omitempty"`
	AllowedValues []string `xml:"ParameterConstraints>AllowedValues>member,omitempty"`
}

type templateSummaryResult struct {
	Parameters         []summaryParameter `xml:"Parameters>member"`
	Description        string             `xml:",omitempty"`
	Capabilities       []string           `xml:"Capabilities>member,omitempty"`
	CapabilitiesReason string             `xml:",omitempty"`
	ResourceTypes      []string           `xml:"ResourceTypes>member"`
	Version            string             `xml:",omitempty"`
}

// getTemplateSummary describes a template (TemplateBody, TemplateURL, or
// a stack's current template with StackName): its parameters, the
// capabilities it needs and its resource types. `aws cloudformation
// deploy` calls it before updating a stack.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplateSummary.html
func (s *Service) getTemplateSummary(ctx context.Context, p url.Values) (any, error) {
	var body string
	if name := p.Get("StackName"); name != "" {
		if p.Has("TemplateBody") || p.Has("TemplateURL") {
			return nil, validationError("Specify exactly one of TemplateBody, TemplateUrl or StackName.")
		}
		s.mu.Lock()
		st := s.findLocked(name)
		if st != nil {
			body = st.TemplateBody
		}
		s.mu.Unlock()
		if st == nil {
			return nil, stackNotFound(name)
		}
	} else {
		var err error
		if body, err = s.readTemplate(ctx, p, nil); err != nil {
			return nil, err
		}
	}
	tpl, err := template.Parse([]byte(body))
	if err != nil {
		return nil, validationErr(err)
	}
	out := templateSummaryResult{Description: tpl.Description, Version: tpl.FormatVersion, Parameters: []summaryParameter{}}
	for _, n := range tpl.SortedParameters() {
		prm := tpl.Parameters[n]
		x := summaryParameter{ParameterKey: n, ParameterType: prm.Type, NoEcho: prm.NoEcho, Description: prm.Description, AllowedValues: prm.AllowedValues}
		if prm.Default != nil {
			x.DefaultValue = *prm.Default
		}
		out.Parameters = append(out.Parameters, x)
	}
	if need, types := requiredCapabilities(tpl); need != "" {
		out.Capabilities = []string{need}
		out.CapabilitiesReason = fmt.Sprintf("The following resource(s) require capabilities: [%s]", strings.Join(types, ", "))
	}
	types := map[string]bool{}
	for _, r := range tpl.Resources {
		types[r.Type] = true
	}
	for t := range types {
		out.ResourceTypes = append(out.ResourceTypes, t)
	}
	sort.Strings(out.ResourceTypes)
	return out, nil
}
