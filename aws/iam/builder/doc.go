// Package iambuilder is Sparta's fluent builder of IAM policy statements
// and function privileges:
//
//	iambuilder.Allow("sns:Publish").ForResource().Ref(topicID).ToPolicyStatement()
//	iambuilder.Allow("sts:AssumeRole").ForPrincipals("states.amazonaws.com").ToPolicyStatement()
//
// A resource is built from parts (literals, Refs, GetAtts, pseudo
// parameters) joined with Fn::Join, as in Sparta; a resource of literals
// only is written as the plain string.
package iambuilder
