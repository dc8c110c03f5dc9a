package ecr

import (
	"context"
	"errors"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers returns the CloudFormation provider of AWS::ECR::Repository.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{"AWS::ECR::Repository": repositoryProvider{s}}
}

// repositoryProvider implements AWS::ECR::Repository: Ref is the
// repository name; GetAtt Arn and RepositoryUri. A repository that holds
// images is deleted only with EmptyOnDelete, as on AWS.
//
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-repository.html.
type repositoryProvider struct{ s *Service }

var _ resource.Provider = repositoryProvider{}

func (p repositoryProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	name, _ := req.Properties["RepositoryName"].(string)
	if name == "" {
		name = strings.ToLower(resource.PhysicalName(req.StackName, req.LogicalID, 256)) // ECR names are lower-case
	}
	mut, _ := req.Properties["ImageTagMutability"].(string)
	r, err := p.s.CreateRepository(CreateRepositoryInput{RepositoryName: name, ImageTagMutability: mut})
	if err != nil {
		return resource.Result{}, err
	}
	return result(r), nil
}

func (p repositoryProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	mut, _ := req.Properties["ImageTagMutability"].(string)
	if mut == "" {
		mut = "MUTABLE"
	}
	p.s.mu.Lock()
	r, ok := p.s.repos[req.PhysicalID]
	if ok {
		r.ImageTagMutability = mut
		_ = p.s.reposColl().Put(r.Name, r)
	}
	p.s.mu.Unlock()
	if !ok {
		return resource.Result{}, notFound(req.PhysicalID, p.s.env.AccountID)
	}
	return result(p.s.view(r)), nil
}

func (p repositoryProvider) Delete(_ context.Context, req resource.Request) error {
	force, _ := req.Properties["EmptyOnDelete"].(bool)
	if s, ok := req.Properties["EmptyOnDelete"].(string); ok {
		force = strings.EqualFold(s, "true")
	}
	_, err := p.s.DeleteRepository(req.PhysicalID, force)
	var e *core.Error
	if errors.As(err, &e) && e.Code == "RepositoryNotFoundException" {
		return nil
	}
	return err
}

// RequiresReplacement: RepositoryName is "Update requires: Replacement".
func (repositoryProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "RepositoryName")
}

func result(r Repository) resource.Result {
	return resource.Result{
		PhysicalID: r.RepositoryName,
		Attributes: map[string]any{"Arn": r.RepositoryArn, "RepositoryUri": r.RepositoryURI},
	}
}
