//go:build !lambdabinary

package cfn_test

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/logs"

	"github.com/sparta-go/sparta/cfn"
)

// Our intrinsics must render exactly as goformation's do.
func TestIntrinsicsRenderLikeGoformation(t *testing.T) {
	render := func(v string) string {
		tmpl := cloudformation.NewTemplate()
		tmpl.Resources["G"] = &logs.LogGroup{LogGroupName: cloudformation.String(v)}
		b, err := cfn.Marshal(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pairs := []struct{ ours, theirs string }{
		{cfn.Ref("Topic"), cloudformation.Ref("Topic")},
		{cfn.GetAtt("Fn", "Arn"), cloudformation.GetAtt("Fn", "Arn")},
		{cfn.Sub("arn:${AWS::Partition}:x"), cloudformation.Sub("arn:${AWS::Partition}:x")},
		{cfn.Join("-", "a", cfn.Ref("B")), cloudformation.Join("-", []string{"a", cloudformation.Ref("B")})},
		{cfn.GetAZs(""), cloudformation.GetAZs("")},
	}
	for _, p := range pairs {
		if got, want := render(p.ours), render(p.theirs); got != want {
			t.Errorf("rendered\n%s\nwant\n%s", got, want)
		}
	}
}

// Select must pick from the list its argument expands to, not from a
// one-element wrapper around it.
func TestSelectOfGetAZs(t *testing.T) {
	tmpl := cloudformation.NewTemplate()
	tmpl.Resources["S"] = &logs.LogGroup{LogGroupName: cloudformation.String(cfn.Select(1, cfn.GetAZs("")))}
	b, err := cfn.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	want := `"LogGroupName": {
          "Fn::Select": [
            "1",
            {
              "Fn::GetAZs": ""
            }
          ]
        }`
	if !strings.Contains(string(b), want) {
		t.Errorf("Select(1, GetAZs) rendered\n%s\nwant it to contain\n%s", b, want)
	}
}
