package ssm

import (
	"context"
	"errors"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers gives AWS::SSM::Parameter its behaviour in the local cloud's
// CloudFormation.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{"AWS::SSM::Parameter": parameterProvider{s}}
}

// parameterProvider implements AWS::SSM::Parameter: Ref is the name;
// GetAtt Type and Value. Without a Name, the name is CFN-LOGICALID-RANDOM,
// as CloudFormation makes it.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-parameter.html
type parameterProvider struct{ s *Service }

var _ resource.Provider = parameterProvider{}

func (p parameterProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := p.input(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	if in.Name == "" {
		in.Name = resource.PhysicalName("CFN", req.LogicalID, 2048)
	}
	if _, err := p.s.Put(in); err != nil {
		return resource.Result{}, err
	}
	return result(in), nil
}

func (p parameterProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := p.input(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	in.Name, in.Overwrite, in.Tags = req.PhysicalID, true, nil
	if _, err := p.s.Put(in); err != nil {
		return resource.Result{}, err
	}
	return result(in), nil
}

func (p parameterProvider) Delete(_ context.Context, req resource.Request) error {
	err := p.s.Delete(req.PhysicalID)
	var ce *core.Error
	if errors.As(err, &ce) && ce.Code == "ParameterNotFound" {
		return nil
	}
	return err
}

// RequiresReplacement: Name is "Update requires: Replacement".
func (parameterProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "Name")
}

func result(in PutInput) resource.Result {
	return resource.Result{PhysicalID: in.Name, Attributes: map[string]any{"Type": in.Type, "Value": in.Value}}
}

func (p parameterProvider) input(props map[string]any) (PutInput, error) {
	in := PutInput{
		Name: resource.String(props, "Name"), Type: resource.String(props, "Type"), Value: resource.String(props, "Value"),
		Description: resource.String(props, "Description"), AllowedPattern: resource.String(props, "AllowedPattern"),
	}
	if in.Type == "" {
		return in, validationErr("Property Type cannot be empty.")
	}
	if in.Type == "SecureString" {
		return in, validationErr("SecureString is not a valid Type of AWS::SSM::Parameter (CloudFormation does not create SecureString parameters)")
	}
	if t := resource.String(props, "Tier"); t != "" && t != "Standard" {
		return in, validationErr("Tier %s is not supported by the local cloud: use Standard", t)
	}
	if d := resource.String(props, "DataType"); d != "" && d != "text" {
		return in, validationErr("DataType %s is not supported by the local cloud: use text", d)
	}
	if resource.String(props, "Policies") != "" {
		return in, validationErr("Policies are not supported by the local cloud")
	}
	if tags, ok := props["Tags"].(map[string]any); ok {
		in.Tags = map[string]string{}
		for k, v := range tags {
			s, _ := v.(string)
			in.Tags[k] = s
		}
	}
	return in, nil
}
