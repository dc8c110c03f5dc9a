package cfn

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

// Intrinsic helpers that read as the CloudFormation they produce. Like
// goformation's, they return the intrinsic's JSON base64-encoded inside a
// string, so they fit string-typed resource properties and goformation's
// Template.JSON expands them. They are written here, with the same encoding,
// because they are also used in code compiled into the Lambda binary (state
// machine parameters in main.go), which must not link goformation.

// Ref refers to a resource, parameter or pseudo parameter.
func Ref(logicalID string) string { return encode(map[string]any{"Ref": logicalID}) }

// GetAtt reads an attribute of a resource.
func GetAtt(logicalID, attribute string) string {
	return encode(map[string]any{"Fn::GetAtt": []string{logicalID, attribute}})
}

// Sub substitutes ${...} variables in s.
func Sub(s string) string { return encode(map[string]any{"Fn::Sub": s}) }

// Join joins values, which may themselves be intrinsics, with a delimiter.
func Join(delimiter string, values ...string) string {
	return encode(map[string]any{"Fn::Join": []any{delimiter, values}})
}

// ARN builds an ARN for service and resource in this stack's partition,
// region and account: ARN("logs", "log-group:/aws/lambda/f:*").
func ARN(service, resource string) string {
	return Sub("arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + resource)
}

func encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("cfn: encoding an intrinsic of strings cannot fail: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(b)
}

// GetAZs lists the availability zones of region ("" means the stack's).
func GetAZs(region string) string { return encode(map[string]any{"Fn::GetAZs": region}) }

// Select picks element index of list, where list is itself an intrinsic
// (GetAZs, Split...) that CloudFormation expands to a list. Passing it
// wrapped in a one-element list, as goformation's Select with []string does,
// would select from that wrapper instead.
func Select(index int, list string) string {
	return encode(map[string]any{"Fn::Select": []any{strconv.Itoa(index), list}})
}

// IsIntrinsic reports whether s is a CloudFormation intrinsic as these
// helpers and goformation's encode it in a string: base64 of a JSON object
// whose single key is Ref or an Fn:: function. Literal ARNs, URLs and names
// never decode to such an object.
func IsIntrinsic(s string) bool {
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
