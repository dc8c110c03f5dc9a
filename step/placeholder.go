package step

import "github.com/sparta-go/sparta/cfn"

// functionARNSubstitution is the cfn package's key for a function's ARN. In
// the lambdabinary build cfn holds only its naming file, so this links no
// goformation into the Lambda binary.
func functionARNSubstitution(function string) string { return cfn.FunctionARNSubstitution(function) }
