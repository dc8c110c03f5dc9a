// Package iam owns the local cloud's IAM: roles (trust policy, inline
// policies, managed policy ARNs, and the AWS::IAM::Policy documents attached
// to them), users and groups, customer managed policies, the AWS managed
// policies as AWS publishes them, and the policy evaluator the router and
// other services call, so that a missing permission fails locally the way
// it fails on AWS.
//
// # Where IAM is enforced
//
// The router holds every signed request but the account root's to IAM
// (local/authorize.go): a role session through [Service.Authorize], a key
// configured as an IAM user through [Service.AuthorizeUser]. Services that
// act for a role check it too: Step Functions checks that a machine's role
// trusts states.amazonaws.com when the machine is created
// ([Service.CheckTrust]), and that it allows each task's call. The errors
// carry AWS's wording ("User: arn:aws:sts::...:assumed-role/... is not
// authorized to perform: ...").
//
// # Evaluation
//
// [Evaluate] follows the identity-based part of AWS's policy evaluation
// logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
// an explicit Deny wins, else an Allow is needed, else the request is
// implicitly denied. Supported: Effect, Action and NotAction, Resource and
// NotResource, with "*" and "?" wildcards and lists; Principal for trust
// policies ("*", {"AWS": "*"}, {"Service": ...}); Condition with the
// operators StringEquals, StringNotEquals, StringEqualsIgnoreCase,
// StringNotEqualsIgnoreCase, StringLike, StringNotLike, ArnEquals, ArnLike,
// ArnNotEquals, ArnNotLike and their IfExists forms, on the keys the caller
// supplies (Step Functions supplies aws:SourceAccount and aws:SourceArn).
//
// Not supported: other condition operators (numeric, date, Bool, IpAddress,
// Null), the ForAnyValue/ForAllValues set qualifiers, policy variables such
// as ${aws:username}, permissions boundaries, session policies, SCPs and
// resource-based policies. An unsupported condition is read the safe way:
// it never makes an Allow statement apply and always lets a Deny statement
// apply, so the local cloud may deny what AWS allows but never allows what
// AWS would deny because of it.
//
// Managed policies: an AWS managed policy ARN (arn:aws:iam::aws:policy/...)
// resolves to the document AWS publishes, from a dated snapshot of every
// attachable AWS managed policy embedded in the package
// (managed_policies.json.gz, made by internal/managedgen from
// https://github.com/zoph-io/MAMIP; see [ManagedSnapshot]); a customer
// managed policy (AWS::IAM::ManagedPolicy, CreatePolicy) resolves to its
// document. A role, user or group naming an ARN that is neither fails, as
// on AWS, with "Policy ARN does not exist or is not attachable.".
//
// Users and groups (AWS::IAM::User, AWS::IAM::Group) carry inline and
// managed policies as roles do; a user's groups' policies are the user's
// too, and [Service.AuthorizeUser] evaluates them for a key the local
// cloud is configured with as that user.
//
// # Storage
//
// Roles and policies live in the [store.Collection] given to [New]
// (roles under "roles", AWS::IAM::Policy documents under "policies",
// customer managed policies under "managed", users and groups under
// "users" and "groups"), held
// in memory and written through on every change.
//
// # API
//
// Besides the Go API, [Service.ServeHTTP] serves a subset of the IAM query
// API for the AWS CLI and SDKs: GetRole, ListRoles, CreateRole, DeleteRole,
// PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy,
// CreatePolicy, GetPolicy, GetPolicyVersion (v1, the default version),
// DeletePolicy, AttachRolePolicy, DetachRolePolicy,
// ListAttachedRolePolicies, GetUser, ListGroupsForUser,
// ListAttachedUserPolicies, ListAttachedGroupPolicies, and
// SimulatePrincipalPolicy for roles, users and groups.
// [Service.Providers] returns the CloudFormation providers of
// AWS::IAM::Role, AWS::IAM::Policy, AWS::IAM::ManagedPolicy,
// AWS::IAM::User and AWS::IAM::Group.
package iam
