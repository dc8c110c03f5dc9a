package ecs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers returns the CloudFormation providers of AWS::ECS::Cluster and
// AWS::ECS::TaskDefinition.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::ECS::Cluster":        clusterProvider{s},
		"AWS::ECS::TaskDefinition": taskDefinitionProvider{s},
	}
}

// clusterProvider implements AWS::ECS::Cluster: Ref is the cluster name;
// GetAtt Arn.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-cluster.html.
type clusterProvider struct{ s *Service }

var _ resource.Provider = clusterProvider{}

func (p clusterProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	name, _ := req.Properties["ClusterName"].(string)
	if name == "" {
		name = resource.PhysicalName(req.StackName, req.LogicalID, 255)
	}
	c, err := p.s.CreateCluster(name)
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: c.ClusterName, Attributes: map[string]any{"Arn": c.ClusterArn}}, nil
}

// Update has nothing to change: the only property modelled is the name,
// which replaces.
func (p clusterProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return resource.Result{PhysicalID: req.PhysicalID, Attributes: map[string]any{"Arn": p.s.clusterARN(req.PhysicalID)}}, nil
}

func (p clusterProvider) Delete(_ context.Context, req resource.Request) error {
	_, err := p.s.DeleteCluster(req.PhysicalID)
	var e *core.Error
	if errors.As(err, &e) && e.Code == "ClusterNotFoundException" {
		return nil
	}
	return err
}

// RequiresReplacement: ClusterName is "Update requires: Replacement".
func (clusterProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "ClusterName")
}

// taskDefinitionProvider implements AWS::ECS::TaskDefinition: Ref is the
// task definition ARN; GetAtt TaskDefinitionArn. Task definitions are
// immutable, so every change registers a new revision (a replacement) and
// deleting deregisters the revision.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html.
type taskDefinitionProvider struct{ s *Service }

var _ resource.Provider = taskDefinitionProvider{}

func (p taskDefinitionProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	raw, err := json.Marshal(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	var def TaskDefinition
	if err := json.Unmarshal(raw, &def); err != nil {
		return resource.Result{}, fmt.Errorf("properties of %s: %w", req.LogicalID, err)
	}
	if def.Family == "" {
		def.Family = resource.PhysicalName(req.StackName, req.LogicalID, 255)
	}
	out, err := p.s.RegisterTaskDefinition(def)
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: out.TaskDefinitionArn, Attributes: map[string]any{"TaskDefinitionArn": out.TaskDefinitionArn}}, nil
}

// Update is never called: RequiresReplacement is true for any change.
func (p taskDefinitionProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	return p.Create(ctx, req)
}

func (p taskDefinitionProvider) Delete(_ context.Context, req resource.Request) error {
	_, err := p.s.DeregisterTaskDefinition(req.PhysicalID)
	var e *core.Error
	if errors.As(err, &e) && e.Code == "ClientException" {
		return nil
	}
	return err
}

// RequiresReplacement: every property of a task definition replaces it.
func (taskDefinitionProvider) RequiresReplacement(old, new map[string]any) bool {
	return !resource.Equal(old, new)
}
