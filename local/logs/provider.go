package logs

import (
	"context"
	"errors"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers gives AWS::Logs::LogGroup its behaviour in the local cloud's
// CloudFormation.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{"AWS::Logs::LogGroup": logGroupProvider{s}}
}

type logGroupProvider struct{ s *Service }

// Create makes the group (LogGroupName, or stack-logicalID-RANDOM) with its
// retention. A group that already exists fails, as on AWS: a function that
// logged before its stack created the group is the classic cause.
func (p logGroupProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	name := resource.String(req.Properties, "LogGroupName")
	if name == "" {
		name = resource.PhysicalName(req.StackName, req.LogicalID, 512)
	}
	if err := p.s.CreateLogGroup(name); err != nil {
		var ce *core.Error
		if errors.As(err, &ce) && ce.Code == "ResourceAlreadyExistsException" {
			return resource.Result{}, errors.New("Resource of type 'AWS::Logs::LogGroup' with identifier '" + name + "' already exists.")
		}
		return resource.Result{}, err
	}
	if err := p.retention(name, req.Properties); err != nil {
		_ = p.s.DeleteLogGroup(name)
		return resource.Result{}, err
	}
	return p.result(name), nil
}

// Update changes the retention.
func (p logGroupProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	if err := p.retention(req.PhysicalID, req.Properties); err != nil {
		return resource.Result{}, err
	}
	return p.result(req.PhysicalID), nil
}

// Delete removes the group and its events; a missing group is fine.
func (p logGroupProvider) Delete(_ context.Context, req resource.Request) error {
	err := p.s.DeleteLogGroup(req.PhysicalID)
	var ce *core.Error
	if errors.As(err, &ce) && ce.Code == "ResourceNotFoundException" {
		return nil
	}
	return err
}

// RequiresReplacement: a log group cannot be renamed.
func (logGroupProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "LogGroupName")
}

func (p logGroupProvider) retention(name string, props map[string]any) error {
	days, _, err := resource.Int(props, "RetentionInDays")
	if err != nil {
		return err
	}
	return p.s.SetRetention(name, days)
}

func (p logGroupProvider) result(name string) resource.Result {
	return resource.Result{PhysicalID: name, Attributes: map[string]any{
		"Arn": p.s.env.ARN("logs", "log-group:"+name+":*"),
	}}
}
