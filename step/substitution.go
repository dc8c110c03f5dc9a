package step

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/sparta-go/sparta/cfn"
)

// FunctionPlaceholder is how a definition writes the ARN of the service's
// Lambda function named function: "${" + cfn.FunctionARNSubstitution(function)
// + "}". The decorator binds the key in DefinitionSubstitutions to the
// function's GetAtt Arn; the local engine binds it to the Go handler.
func FunctionPlaceholder(function string) string {
	return "${" + functionARNSubstitution(function) + "}"
}

// substitutionKey names the placeholder of a template reference used by an
// integration: the kind of resource, then 8 hex digits of a SHA-256 of the
// reference, so that the same reference always gets the same key and two
// states naming the same topic share it.
func substitutionKey(kind, value string) string {
	sum := sha256.Sum256([]byte(value))
	return kind + hex.EncodeToString(sum[:4])
}

// isTemplateIntrinsic reports whether s is a CloudFormation intrinsic as the
// cfn helpers (goformation) encode it in a string.
func isTemplateIntrinsic(s string) bool { return cfn.IsIntrinsic(s) }
