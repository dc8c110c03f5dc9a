package iam

import (
	"context"
	"errors"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// userProvider implements AWS::IAM::User: Ref is the user name; GetAtt
// Arn. A key configured as the user (local serve --credentials
// KEY:SECRET:arn:aws:iam::ACCOUNT:user/NAME) is held to its policies.
// LoginProfile (a console password) and PermissionsBoundary are refused:
// the local cloud has no console and no boundaries.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-user.html
type userProvider struct{ s *Service }

// groupProvider implements AWS::IAM::Group: Ref is the group name; GetAtt
// Arn. Its policies apply to every user in it.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-group.html
type groupProvider struct{ s *Service }

var (
	_ resource.Provider = userProvider{}
	_ resource.Provider = groupProvider{}
)

func (p userProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := principalInput(req.Properties, "UserName", true)
	if err != nil {
		return resource.Result{}, err
	}
	if in.Name == "" {
		in.Name = resource.PhysicalName(req.StackName, req.LogicalID, 64)
	}
	u, err := p.s.CreateUser(in)
	return principalResult(u), err
}

func (p userProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := principalInput(req.Properties, "UserName", true)
	if err != nil {
		return resource.Result{}, err
	}
	in.Name = req.PhysicalID
	u, err := p.s.UpdateUser(in)
	return principalResult(u), err
}

func (p userProvider) Delete(_ context.Context, req resource.Request) error {
	return ignoreMissing(p.s.DeleteUser(req.PhysicalID))
}

// RequiresReplacement: UserName is "Update requires: Replacement".
func (userProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "UserName")
}

func (p groupProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := principalInput(req.Properties, "GroupName", false)
	if err != nil {
		return resource.Result{}, err
	}
	if in.Name == "" {
		in.Name = resource.PhysicalName(req.StackName, req.LogicalID, 128)
	}
	g, err := p.s.CreateGroup(in)
	return principalResult(g), err
}

func (p groupProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := principalInput(req.Properties, "GroupName", false)
	if err != nil {
		return resource.Result{}, err
	}
	in.Name = req.PhysicalID
	g, err := p.s.UpdateGroup(in)
	return principalResult(g), err
}

func (p groupProvider) Delete(_ context.Context, req resource.Request) error {
	return ignoreMissing(p.s.DeleteGroup(req.PhysicalID))
}

// RequiresReplacement: GroupName is "Update requires: Replacement".
func (groupProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "GroupName")
}

func principalResult(p Principal) resource.Result {
	if p.Name == "" {
		return resource.Result{}
	}
	return resource.Result{PhysicalID: p.Name, Attributes: map[string]any{"Arn": p.Arn}}
}

func ignoreMissing(err error) error {
	var e *core.Error
	if errors.As(err, &e) && e.Code == "NoSuchEntity" {
		return nil
	}
	return err
}

// principalInput reads an AWS::IAM::User's or AWS::IAM::Group's
// properties; nameKey is UserName or GroupName.
func principalInput(props map[string]any, nameKey string, user bool) (PrincipalInput, error) {
	var in PrincipalInput
	var err error
	if in.Name, err = str(props, nameKey); err != nil {
		return in, err
	}
	if in.Path, err = str(props, "Path"); err != nil {
		return in, err
	}
	if in.ManagedPolicyArns, err = strs(props, "ManagedPolicyArns"); err != nil {
		return in, err
	}
	if in.Policies, err = inlinePolicies(props["Policies"]); err != nil {
		return in, err
	}
	if !user {
		return in, nil
	}
	if in.Groups, err = strs(props, "Groups"); err != nil {
		return in, err
	}
	if in.Tags, err = tags(props["Tags"]); err != nil {
		return in, err
	}
	if _, ok := props["LoginProfile"]; ok {
		return in, validation("LoginProfile is not supported by the local cloud: it has no console to sign in to; remove it for local runs")
	}
	if _, ok := props["PermissionsBoundary"]; ok {
		return in, validation("PermissionsBoundary is not supported by the local cloud: remove it for local runs")
	}
	return in, nil
}
