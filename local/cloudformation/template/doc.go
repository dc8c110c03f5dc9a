// Package template is the local cloud's CloudFormation template engine: it
// parses JSON and YAML templates (YAML short forms such as !Ref and !Sub
// included), checks their structure, resolves parameters against their
// constraints, evaluates conditions and every intrinsic function, and orders
// resources by their dependencies.
//
// It is pure: it performs no I/O and knows nothing about stacks, providers
// or the wire protocol. The stack engine (package cloudformation) supplies
// what a template cannot know itself through [Env]: parameter values, pseudo
// parameters, the Ref and attributes of resources it has created, and the
// exports of other stacks.
//
// Behaviour follows the CloudFormation User Guide:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
// and the intrinsic function reference:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
//
// Error messages start as AWS's do ("Template format error:" for structure,
// "Template error:" for evaluation) and name the offending path, so that a
// client sees the same kind of message locally as on AWS.
package template
