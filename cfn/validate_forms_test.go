//go:build !lambdabinary

package cfn_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
)

// templateWith renders a template with a Vpc resource, an Env parameter
// and the resource Thing whose Properties are props.
func templateWith(props string) []byte {
	return []byte(`{"Parameters":{"Env":{"Type":"String"}},"Resources":{` +
		`"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}},` +
		`"Thing":{"Type":"Test::Thing","Properties":` + props + `}}}`)
}

// TestValidateTemplateForms accepts every spelling a reference may take
// and names the fault in each when the target is missing.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html
// and https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html.
func TestValidateTemplateForms(t *testing.T) {
	tests := []struct {
		name, props, wantErr string
	}{
		{"GetAtt list form", `{"A":{"Fn::GetAtt":["Vpc","CidrBlock"]}}`, ""},
		{"GetAtt short form", `{"A":{"Fn::GetAtt":"Vpc.CidrBlock"}}`, ""},
		{"GetAtt short form with a dotted attribute", `{"A":{"Fn::GetAtt":"Vpc.Endpoint.Address"}}`, ""},
		{"GetAtt list form, missing resource", `{"A":{"Fn::GetAtt":["Gone","Arn"]}}`, `resource Thing (Test::Thing): Fn::GetAtt on "Gone"`},
		{"GetAtt short form, missing resource", `{"A":{"Fn::GetAtt":"Gone.Arn"}}`, `resource Thing (Test::Thing): Fn::GetAtt on "Gone"`},
		{"GetAtt of a parameter", `{"A":{"Fn::GetAtt":["Env","Arn"]}}`, `Fn::GetAtt on "Env", which is not a resource`},
		{"Ref resource", `{"A":{"Ref":"Vpc"}}`, ""},
		{"Ref parameter", `{"A":{"Ref":"Env"}}`, ""},
		{"Ref pseudo parameter", `{"A":{"Ref":"AWS::Region"}}`, ""},
		{"Ref NoValue", `{"A":{"Ref":"AWS::NoValue"}}`, ""},
		{"Ref missing", `{"A":{"Ref":"Gone"}}`, `resource Thing (Test::Thing): Ref to "Gone"`},
		{"Ref case differs", `{"A":{"Ref":"vpc"}}`, `Ref to "vpc"`},
		{"Sub string form", `{"A":{"Fn::Sub":"${Vpc}-${Vpc.CidrBlock}-${Env}-${AWS::Region}"}}`, ""},
		{"Sub literal", `{"A":{"Fn::Sub":"${!Gone}"}}`, ""},
		{"Sub string form, missing", `{"A":{"Fn::Sub":"x-${Gone}"}}`, `Fn::Sub refers to ${Gone}`},
		{"Sub string form, missing attribute target", `{"A":{"Fn::Sub":"${Gone.Arn}"}}`, `Fn::Sub refers to ${Gone.Arn}`},
		{"Sub two-part form variables", `{"A":{"Fn::Sub":["${Name}-${Other.Arn}-${Vpc}",{"Name":"x","Other":{"Ref":"Vpc"}}]}}`, ""},
		{"Sub two-part form, missing", `{"A":{"Fn::Sub":["${Name}-${Gone}",{"Name":"x"}]}}`, `Fn::Sub refers to ${Gone}`},
		{"Sub two-part form, a variable's own reference is checked", `{"A":{"Fn::Sub":["${Name}",{"Name":{"Ref":"Gone"}}]}}`, `Ref to "Gone"`},
		{"nested in a list", `{"A":[{"B":{"Ref":"Gone"}}]}`, `Ref to "Gone"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := templateWith(tt.props)
			err := cfn.ValidateTemplate(b)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("ValidateTemplate(%s) = %v, want nil", b, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ValidateTemplate(%s) = %v, want an error containing %q", b, err, tt.wantErr)
			}
		})
	}
}

// TestValidateTemplateDependsOn reads DependsOn as a name and as a list.
func TestValidateTemplateDependsOn(t *testing.T) {
	tests := []struct{ name, deps, wantErr string }{
		{"name", `"Vpc"`, ""},
		{"list", `["Vpc"]`, ""},
		{"missing name", `"Gone"`, `resource Thing (Test::Thing): DependsOn "Gone"`},
		{"missing in a list", `["Vpc","Gone"]`, `DependsOn "Gone"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(`{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC"},"Thing":{"Type":"Test::Thing","DependsOn":` + tt.deps + `}}}`)
			err := cfn.ValidateTemplate(b)
			if (tt.wantErr == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ValidateTemplate(%s) = %v, want %q", b, err, tt.wantErr)
			}
		})
	}
}

// TestValidateTemplateLimits: 500 resources and 1 MB are allowed, one more
// is not; a template without resources or a resource without Type is not.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html.
func TestValidateTemplateLimits(t *testing.T) {
	resources := func(n int) []byte {
		var b strings.Builder
		b.WriteString(`{"Resources":{`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"R%d":{"Type":"AWS::SNS::Topic"}`, i)
		}
		b.WriteString(`}}`)
		return []byte(b.String())
	}
	sized := func(n int) []byte {
		head, tail := `{"Resources":{"R":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"`, `"}}}}`
		return []byte(head + strings.Repeat("x", n-len(head)-len(tail)) + tail)
	}
	tests := []struct {
		name     string
		template []byte
		wantErr  string
	}{
		{"one resource", resources(1), ""},
		{"500 resources", resources(500), ""},
		{"501 resources", resources(501), "template has 501 resources, over CloudFormation's 500"},
		{"no resources", []byte(`{"Resources":{}}`), "template has no Resources"},
		{"no Resources key", []byte(`{}`), "template has no Resources"},
		{"resource without Type", []byte(`{"Resources":{"R":{"Properties":{}}}}`), "resource R: no Type"},
		{"exactly 1 MB", sized(cfn.MaxTemplateURLBytes), ""},
		{"1 MB and one byte", sized(cfn.MaxTemplateURLBytes + 1), "over CloudFormation's 1 MB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cfn.ValidateTemplate(tt.template)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("ValidateTemplate = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ValidateTemplate = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}
