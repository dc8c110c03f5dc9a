//go:build !lambdabinary

package cfn_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cfnlint"
	"github.com/sparta-go/sparta/internal/golden"
	"github.com/sparta-go/sparta/service"
)

func rollDie(context.Context) (map[string]int, error) { return map[string]int{"roll": 4}, nil }

func sampleTemplate(t testing.TB) []byte {
	t.Helper()
	fn, err := service.NewAWSLambda("rollDie", rollDie, service.IAMRoleDefinition{
		Privileges: []service.IAMRolePrivilege{{Actions: []string{"s3:GetObject"}, Resource: "arn:aws:s3:::dice/*"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	reserved := 2
	fn.Options = &service.LambdaFunctionOptions{
		Description: "Rolls a die", MemorySize: 256, Timeout: 10,
		Environment: map[string]string{"SIDES": "5", "COLOR": "red"}, Tags: map[string]string{"team": "dice", "app": "games"},
		Architecture: service.ArchX86_64, ReservedConcurrentExecutions: &reserved, EphemeralStorage: 1024, LogRetentionInDays: 7,
	}
	tmpl := cfn.NewServiceTemplate("Dice", "build-1", "test")
	cfn.AddFunction(tmpl, "Dice", fn, service.Artifact{Bucket: "bucket", Key: "sparta/Dice/x86_64-abc.zip"})
	b, err := cfn.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFunctionTemplateGolden(t *testing.T) {
	got := sampleTemplate(t)
	golden.JSON(t, filepath.Join("testdata", "function.golden.json"), got)
	cfnlint.Check(t, filepath.Join("testdata", "function.golden.json"))
	if again := sampleTemplate(t); !bytes.Equal(got, again) {
		t.Error("rendering the same function twice gave different bytes")
	}
	if err := cfn.ValidateTemplate(got); err != nil {
		t.Errorf("ValidateTemplate(golden) = %v", err)
	}
}

func TestFunctionRoleIsLeastPrivilege(t *testing.T) {
	doc, err := cfn.Decode(sampleTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	role := doc["Resources"].(map[string]any)[cfn.LogicalID("rollDie", "Role")].(map[string]any)
	policies := role["Properties"].(map[string]any)["Policies"].([]any)
	stmts := policies[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	logs := stmts[0].(map[string]any)
	if diff := cmp.Diff([]any{"logs:CreateLogStream", "logs:PutLogEvents"}, logs["Action"]); diff != "" {
		t.Errorf("log statement actions (-want +got):\n%s", diff)
	}
	wantRes := map[string]any{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/Dice_rollDie:*"}
	if diff := cmp.Diff(wantRes, logs["Resource"]); diff != "" {
		t.Errorf("log statement resource (-want +got):\n%s", diff)
	}
	if len(stmts) != 2 {
		t.Fatalf("role has %d statements, want the log statement and the declared one", len(stmts))
	}
	if _, managed := role["Properties"].(map[string]any)["ManagedPolicyArns"]; managed {
		t.Error("role has managed policies; want only its own inline statements")
	}
}

func TestValidateTemplateNamesTheFault(t *testing.T) {
	tmpl := cloudformation.NewTemplate()
	tmpl.Resources["Fn"] = &cloudformationResource{Props: map[string]any{
		"Role":  cfn.GetAtt("MissingRole", "Arn"),
		"Topic": cfn.Ref("MissingTopic"),
		"Arn":   cfn.Sub("arn:${AWS::Partition}:x:${Nope}"),
	}, Deps: []string{"Ghost"}}
	tmpl.Outputs["Out"] = cloudformation.Output{Value: cfn.Ref("Elsewhere")}
	b, err := cfn.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	err = cfn.ValidateTemplate(b)
	for _, want := range []string{
		`resource Fn (Test::Thing): Fn::GetAtt on "MissingRole"`,
		`resource Fn (Test::Thing): Ref to "MissingTopic"`,
		`resource Fn (Test::Thing): Fn::Sub refers to ${Nope}`,
		`resource Fn (Test::Thing): DependsOn "Ghost"`,
		`output Out: Ref to "Elsewhere"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateTemplate = %v, want it to contain %q", err, want)
		}
	}
}

// cloudformationResource is a minimal goformation resource for validator tests.
type cloudformationResource struct {
	Props map[string]any
	Deps  []string
}

func (r *cloudformationResource) AWSCloudFormationType() string { return "Test::Thing" }
func (r *cloudformationResource) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"Type": "Test::Thing", "Properties": r.Props, "DependsOn": r.Deps})
}

func BenchmarkTemplateSynthesis(b *testing.B) {
	for _, n := range []int{1, 50, 500} {
		fns := make([]*service.LambdaAWSInfo, n)
		for i := range fns {
			fn, err := service.NewAWSLambda(fmt.Sprintf("fn%d", i), rollDie, service.IAMRoleDefinition{})
			if err != nil {
				b.Fatal(err)
			}
			fn.Options = &service.LambdaFunctionOptions{MemorySize: 256, Environment: map[string]string{"K": "v"}}
			fns[i] = fn
		}
		b.Run(fmt.Sprintf("functions=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tmpl := cfn.NewServiceTemplate("bench", "id", "test")
				for _, fn := range fns {
					cfn.AddFunction(tmpl, "bench", fn, service.Artifact{Bucket: "b", Key: "k"})
				}
				if _, err := cfn.Marshal(tmpl); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
