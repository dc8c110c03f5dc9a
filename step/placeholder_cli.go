//go:build !lambdabinary

package step

import "github.com/sparta-go/sparta/cfn"

// functionARNSubstitution is the cfn package's key for a function's ARN.
func functionARNSubstitution(function string) string { return cfn.FunctionARNSubstitution(function) }
