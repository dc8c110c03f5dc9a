package step

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
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
// cfn helpers (goformation) encode it in a string: base64 of a JSON object
// whose single key is Ref or an Fn:: function. Literal ARNs, URLs and names
// never decode to such an object.
func isTemplateIntrinsic(s string) bool {
	if len(s) < 8 || len(s)%4 != 0 {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || len(obj) != 1 {
		return false
	}
	for k := range obj {
		return k == "Ref" || strings.HasPrefix(k, "Fn::")
	}
	return false
}
