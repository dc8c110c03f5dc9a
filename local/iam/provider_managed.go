package iam

import (
	"context"
	"errors"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// managedPolicyProvider implements AWS::IAM::ManagedPolicy: a customer
// managed policy, attached to the roles, users and groups its Roles, Users
// and Groups properties list and to every one that names its ARN in
// ManagedPolicyArns. Ref is its ARN; GetAtt PolicyArn, PolicyId,
// AttachmentCount, DefaultVersionId, IsAttachable, CreateDate, UpdateDate
// and PermissionsBoundaryUsageCount.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-managedpolicy.html
type managedPolicyProvider struct{ s *Service }

var _ resource.Provider = managedPolicyProvider{}

func (p managedPolicyProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := managedPolicyInput(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	if in.PolicyName == "" {
		in.PolicyName = resource.PhysicalName(req.StackName, req.LogicalID, 128)
	}
	m, err := p.s.CreatePolicy(in)
	if err != nil {
		return resource.Result{}, err
	}
	return p.result(m), nil
}

func (p managedPolicyProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	in, err := managedPolicyInput(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	m, err := p.s.UpdatePolicy(req.PhysicalID, in)
	if err != nil {
		return resource.Result{}, err
	}
	return p.result(m), nil
}

func (p managedPolicyProvider) Delete(_ context.Context, req resource.Request) error {
	err := p.s.DeletePolicy(req.PhysicalID)
	var e *core.Error
	if errors.As(err, &e) && e.Code == "NoSuchEntity" {
		return nil
	}
	return err
}

// RequiresReplacement: ManagedPolicyName, Path and Description are
// "Update requires: Replacement"; the document and the attachments update
// in place.
func (managedPolicyProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "ManagedPolicyName", "Path", "Description")
}

func (p managedPolicyProvider) result(m ManagedPolicy) resource.Result {
	p.s.mu.RLock()
	n := p.s.attachmentCountLocked(m.Arn, true)
	p.s.mu.RUnlock()
	return resource.Result{
		PhysicalID: m.Arn,
		Attributes: map[string]any{
			"PolicyArn": m.Arn, "PolicyId": m.PolicyID, "AttachmentCount": n,
			"DefaultVersionId": "v1", "IsAttachable": true, "PermissionsBoundaryUsageCount": 0,
			"CreateDate": m.CreateDate.Format(time.RFC3339), "UpdateDate": m.UpdateDate.Format(time.RFC3339),
		},
	}
}

// managedPolicyInput reads an AWS::IAM::ManagedPolicy's properties.
func managedPolicyInput(props map[string]any) (ManagedPolicyInput, error) {
	var in ManagedPolicyInput
	var err error
	if in.Document = props["PolicyDocument"]; in.Document == nil {
		return in, validation("Property PolicyDocument cannot be empty.")
	}
	if in.PolicyName, err = str(props, "ManagedPolicyName"); err != nil {
		return in, err
	}
	if in.Path, err = str(props, "Path"); err != nil {
		return in, err
	}
	if in.Description, err = str(props, "Description"); err != nil {
		return in, err
	}
	if in.Roles, err = strs(props, "Roles"); err != nil {
		return in, err
	}
	if in.Users, err = strs(props, "Users"); err != nil {
		return in, err
	}
	if in.Groups, err = strs(props, "Groups"); err != nil {
		return in, err
	}
	return in, nil
}
