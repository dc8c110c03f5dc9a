//go:build !lambdabinary

package decorators_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/sns"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/decorators"
	"github.com/sparta-go/sparta/internal/golden"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

func cluster() *decorators.FargateCluster {
	c := decorators.FargateClusterDecorator("Reports")
	c.Command = []string{"report", "--level", "info"}
	c.Environment = map[string]string{"TOPIC_ARN": cfn.Ref("ReportsTopic"), "MODE": "full"}
	c.LogRetentionDays = 14
	c.Privileges = []service.IAMRolePrivilege{{Actions: []string{"sns:Publish"}, Resource: cfn.Ref("ReportsTopic")}}
	return c
}

func render(t *testing.T) []byte {
	t.Helper()
	// The service's template holds the topic the task publishes to, so
	// that the golden is a whole template cfn-lint can check.
	tpl := cloudformation.NewTemplate()
	tpl.Resources["ReportsTopic"] = &sns.Topic{}
	sc := &service.ServiceContext{Service: "Reports", Template: tpl, Values: map[string]any{
		decorators.ImageURIValue:   "123456789012.dkr.ecr.us-east-1.amazonaws.com/reports@sha256:0123",
		decorators.RepositoryValue: "reports",
	}}
	if err := cluster().DecorateService(context.Background(), sc); err != nil {
		t.Fatalf("DecorateService = %v", err)
	}
	b, err := sc.Template.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFargateClusterGolden(t *testing.T) {
	got := render(t)
	golden.JSON(t, filepath.Join("testdata", "fargate_cluster.golden.json"), got)
	if again := render(t); string(again) != string(got) {
		t.Error("two renders of one cluster differ")
	}
}

func TestFargateClusterNeedsAnImage(t *testing.T) {
	sc := &service.ServiceContext{Template: cloudformation.NewTemplate(), Values: map[string]any{}}
	err := cluster().DecorateService(context.Background(), sc)
	if err == nil || !strings.Contains(err.Error(), "ECRImageBuilderDecorator") {
		t.Errorf("DecorateService without an image = %v, want advice to add the image builder", err)
	}
}

func TestTaskParametersReferToTheCluster(t *testing.T) {
	c := cluster()
	p := c.TaskParameters()
	if p.Cluster != cfn.Ref(c.ClusterID()) || p.TaskDefinition != cfn.Ref(c.TaskDefinitionID()) ||
		len(p.NetworkConfiguration.AWSVPCConfiguration.(*step.AwsvpcConfiguration).Subnets) != 2 || len(p.PassRoles) != 2 {
		t.Errorf("TaskParameters = %+v, want the cluster's refs, two subnets and two roles", p)
	}
}

func TestECRImageBuilderBuildsNothingForDescribe(t *testing.T) {
	sc := &service.ServiceContext{Template: cloudformation.NewTemplate(), Values: map[string]any{},
		MainPackage: "example.com/not/built", BuildID: "describe", Describe: true}
	if err := decorators.ECRImageBuilderDecorator("repo").DecorateService(context.Background(), sc); err != nil {
		t.Fatalf("DecorateService for describe = %v, want no build and no error", err)
	}
	if uri, _ := sc.Values[decorators.ImageURIValue].(string); uri == "" {
		t.Errorf("Values[ImageURIValue] = %q, want a placeholder URI", uri)
	}
}
