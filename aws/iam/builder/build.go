package iambuilder

import (
	"github.com/sparta-go/sparta/aws/iam"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// IAMBuilder is the start of a statement: its effect and actions.
type IAMBuilder struct {
	apiCalls  []string
	effect    string
	condition interface{}
}

// Allow starts an Allow statement of the actions ("s3:GetObject").
func Allow(apiCalls ...string) *IAMBuilder {
	return &IAMBuilder{apiCalls: apiCalls, effect: "Allow"}
}

// Deny starts a Deny statement of the actions.
func Deny(apiCalls ...string) *IAMBuilder {
	return &IAMBuilder{apiCalls: apiCalls, effect: "Deny"}
}

// WithCondition sets the statement's Condition element.
func (b *IAMBuilder) WithCondition(conditionExpression interface{}) *IAMBuilder {
	b.condition = conditionExpression
	return b
}

// ForResource starts the statement's Resource, built from parts.
func (b *IAMBuilder) ForResource() *IAMResourceBuilder {
	return &IAMResourceBuilder{builder: b}
}

// ForPrincipals makes it a trust statement for service principals.
func (b *IAMBuilder) ForPrincipals(principals ...string) *IAMPrincipalBuilder {
	return &IAMPrincipalBuilder{builder: b, principal: &iam.Principal{Service: principals}}
}

// ForFederatedPrincipals makes it a trust statement for federated
// principals.
func (b *IAMBuilder) ForFederatedPrincipals(principals ...string) *IAMPrincipalBuilder {
	return &IAMPrincipalBuilder{builder: b, principal: &iam.Principal{Federated: principals}}
}

// IAMResourceBuilder builds a statement's Resource from parts.
type IAMResourceBuilder struct {
	builder *IAMBuilder
	parts   []string
}

func (r *IAMResourceBuilder) add(part string, delimiter []string) *IAMResourceBuilder {
	r.parts = append(r.parts, part)
	r.parts = append(r.parts, delimiter...)
	return r
}

// Ref adds a reference to a resource of the template, then the delimiters.
func (r *IAMResourceBuilder) Ref(resName string, delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.Ref(resName), delimiter)
}

// Attr adds an attribute of a resource of the template (Fn::GetAtt).
func (r *IAMResourceBuilder) Attr(resName, propName string, delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.GetAtt(resName, propName), delimiter)
}

// Region adds the stack's region.
func (r *IAMResourceBuilder) Region(delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.Ref("AWS::Region"), delimiter)
}

// AccountID adds the stack's account.
func (r *IAMResourceBuilder) AccountID(delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.Ref("AWS::AccountId"), delimiter)
}

// NotificationARNS adds the stack's notification ARNs.
func (r *IAMResourceBuilder) NotificationARNS(delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.Ref("AWS::NotificationARNs"), delimiter)
}

// Partition adds the stack's partition ("aws").
func (r *IAMResourceBuilder) Partition(delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.Ref("AWS::Partition"), delimiter)
}

// StackID adds the stack's ID.
func (r *IAMResourceBuilder) StackID(delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.Ref("AWS::StackId"), delimiter)
}

// StackName adds the stack's name.
func (r *IAMResourceBuilder) StackName(delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.Ref("AWS::StackName"), delimiter)
}

// URLSuffix adds the partition's domain suffix ("amazonaws.com").
func (r *IAMResourceBuilder) URLSuffix(delimiter ...string) *IAMResourceBuilder {
	return r.add(cfn.Ref("AWS::URLSuffix"), delimiter)
}

// Literal adds text.
func (r *IAMResourceBuilder) Literal(arnPart string) *IAMResourceBuilder {
	r.parts = append(r.parts, arnPart)
	return r
}

// resource is the parts joined: the plain string when every part is a
// literal, an Fn::Join otherwise.
func (r *IAMResourceBuilder) resource() string {
	for _, p := range r.parts {
		if cfn.IsIntrinsic(p) {
			return cfn.Join("", r.parts...)
		}
	}
	s := ""
	for _, p := range r.parts {
		s += p
	}
	return s
}

// ToPolicyStatement returns the statement.
func (r *IAMResourceBuilder) ToPolicyStatement() iam.PolicyStatement {
	return iam.PolicyStatement{
		Action:    r.builder.apiCalls,
		Effect:    r.builder.effect,
		Resource:  r.resource(),
		Condition: r.builder.condition,
	}
}

// ToPrivilege returns the statement as a function's role privilege (Allow
// only: a function's role holds no Deny statements).
func (r *IAMResourceBuilder) ToPrivilege() service.IAMRolePrivilege {
	return service.IAMRolePrivilege{Actions: r.builder.apiCalls, Resource: r.resource()}
}

// IAMPrincipalBuilder is a trust statement.
type IAMPrincipalBuilder struct {
	builder   *IAMBuilder
	principal *iam.Principal
}

// ToPolicyStatement returns the statement.
func (p *IAMPrincipalBuilder) ToPolicyStatement() iam.PolicyStatement {
	return iam.PolicyStatement{
		Action:    p.builder.apiCalls,
		Effect:    p.builder.effect,
		Principal: p.principal,
		Condition: p.builder.condition,
	}
}
