//go:build !lambdabinary

package cfn_test

import (
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
	}
	for _, p := range pairs {
		if got, want := render(p.ours), render(p.theirs); got != want {
			t.Errorf("rendered\n%s\nwant\n%s", got, want)
		}
	}
}
