// Package resource is the contract between the local cloud's CloudFormation
// engine and the services that own resource types: each service (S3, Lambda,
// Step Functions, IAM, ...) provides a Provider for its own types, and the
// engine creates, updates and deletes resources only through them. It is a
// leaf package so that no service imports the engine or another service.
package resource

import (
	"context"
	"fmt"
)

// Request is one operation on one resource of a stack.
type Request struct {
	// Stack identifies the stack; providers use StackName to derive physical
	// names the way CloudFormation does (stack-logicalID-RANDOM).
	StackName, StackID string
	// LogicalID and Type as in the template.
	LogicalID, Type string
	// Properties are the resolved properties: every intrinsic already
	// evaluated, AWS::NoValue removed. Numbers are float64 or json.Number
	// strings as written; providers coerce what they need.
	Properties map[string]any
	// PhysicalID of an existing resource (Update and Delete).
	PhysicalID string
	// OldProperties are the properties of the existing resource (Update).
	OldProperties map[string]any
	// Region and AccountID of the local cloud.
	Region, AccountID string
}

// Result is what a provider made.
type Result struct {
	// PhysicalID is the resource's physical ID.
	PhysicalID string
	// Ref is what {"Ref": LogicalID} returns; empty means PhysicalID.
	Ref string
	// Attributes are what Fn::GetAtt returns, by attribute name.
	Attributes map[string]any
}

// Provider implements one resource type's lifecycle.
type Provider interface {
	// Create makes the resource. An error fails the stack operation; its
	// message becomes the resource's status reason, as on AWS.
	Create(ctx context.Context, req Request) (Result, error)
	// Update changes the resource in place; it is only called when
	// RequiresReplacement returned false.
	Update(ctx context.Context, req Request) (Result, error)
	// Delete removes the resource; deleting one that is already gone is not
	// an error.
	Delete(ctx context.Context, req Request) error
	// RequiresReplacement reports whether going from old to new properties
	// replaces the resource (a new physical ID), per the property's "Update
	// requires: Replacement" in the CloudFormation resource reference.
	RequiresReplacement(old, new map[string]any) bool
}

// Registry maps resource types (AWS::S3::Bucket) to their providers.
type Registry map[string]Provider

// Register adds providers, refusing a type registered twice (two services
// claiming one type is a wiring bug).
func (r Registry) Register(providers map[string]Provider) error {
	for t, p := range providers {
		if _, dup := r[t]; dup {
			return fmt.Errorf("resource type %s is registered twice", t)
		}
		r[t] = p
	}
	return nil
}

// ReplaceOnChange is a RequiresReplacement helper: the resource is replaced
// when any of the named properties changes.
func ReplaceOnChange(old, new map[string]any, properties ...string) bool {
	for _, p := range properties {
		if !Equal(old[p], new[p]) {
			return true
		}
	}
	return false
}
