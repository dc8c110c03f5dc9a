//go:build !lambdabinary

package cfn_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

func sightingsData(t *testing.T) ([]*service.DynamoDBTable, []*service.SQSQueue, *service.LambdaAWSInfo) {
	t.Helper()
	table := service.NewDynamoDBTable("Sightings", service.KeyAttribute{Name: "location", Type: "S"})
	table.SortKey = &service.KeyAttribute{Name: "id", Type: "S"}
	table.GlobalSecondaryIndexes = []service.TableIndex{{Name: "ByType", PartitionKey: service.KeyAttribute{Name: "type", Type: "S"}}}
	table.TimeToLiveAttribute = "expires"
	table.StreamViewType = "NEW_IMAGE"
	dead := service.NewSQSQueue("Unconfirmed")
	queue := service.NewSQSQueue("Confirmations")
	queue.VisibilityTimeoutSeconds = 60
	queue.DeadLetterQueue, queue.MaxReceiveCount = dead, 3
	fn, err := service.NewAWSLambda("confirm", func(context.Context, map[string]any) error { return nil }, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		table.Allow(fn, service.TableReadActions...),
		table.Allow(fn, "dynamodb:UpdateItem"),
		table.Allow(fn, service.TableStreamActions...),
		queue.Allow(fn, service.QueueConsumeActions...),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return []*service.DynamoDBTable{table}, []*service.SQSQueue{dead, queue}, fn
}

// A table and queues declared in Go become their resources, the function
// that uses them gets exactly the granted actions on exactly their ARNs
// (no wildcard anywhere), and cfn-lint accepts the template.
func TestDataDecorator(t *testing.T) {
	tables, queues, fn := sightingsData(t)
	tmpl := cfn.NewServiceTemplate("data", "build", "test")
	cfn.AddFunction(tmpl, "Dragons", fn, service.Artifact{Bucket: "artifacts-bucket", Key: "k.zip"})
	log := logrus.New()
	sc := &service.ServiceContext{Service: "Dragons", Template: tmpl, Values: map[string]any{}, Log: log}
	if err := cfn.DataDecorator(tables, queues).DecorateService(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	rendered, err := cfn.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfn.ValidateTemplate(rendered); err != nil {
		t.Fatalf("ValidateTemplate = %v", err)
	}
	doc, _ := cfn.Decode(rendered)
	res := doc["Resources"].(map[string]any)
	props := func(id string) string {
		b, _ := json.Marshal(res[id].(map[string]any)["Properties"])
		return string(b)
	}
	for _, want := range []string{`"AttributeName":"type","AttributeType":"S"`, `"BillingMode":"PAY_PER_REQUEST"`, `"StreamViewType":"NEW_IMAGE"`,
		`"TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}`, `"IndexName":"ByType"`} {
		if !strings.Contains(props("Sightings"), want) {
			t.Errorf("table lacks %s: %s", want, props("Sightings"))
		}
	}
	if p := props("Confirmations"); !strings.Contains(p, `"deadLetterTargetArn":{"Fn::GetAtt":["Unconfirmed","Arn"]}`) || !strings.Contains(p, `"maxReceiveCount":3`) {
		t.Errorf("queue = %s", p)
	}
	var policy string
	for id, r := range res {
		if r.(map[string]any)["Type"] == "AWS::IAM::Role" {
			policy = props(id)
		}
	}
	for _, want := range []string{`"dynamodb:GetItem"`, `"dynamodb:UpdateItem"`, `{"Fn::GetAtt":["Sightings","StreamArn"]}`, `"sqs:ReceiveMessage"`,
		`{"Fn::Join":["",[{"Fn::GetAtt":["Sightings","Arn"]},"/index/ByType"]]}`, `{"Fn::GetAtt":["Confirmations","Arn"]}`} {
		if !strings.Contains(policy, want) {
			t.Errorf("role lacks %s: %s", want, policy)
		}
	}
	// Every statement but the function's own log group (whose streams are
	// log-group:NAME:*) names exact resources.
	grants := policy[strings.Index(policy, `"dynamodb:`):]
	if strings.Contains(grants, "*") {
		t.Errorf("the granted statements have a wildcard: %s", grants)
	}
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed")
	}
	path := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(path, rendered, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(lint, path).CombinedOutput(); err != nil {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}

func TestDataValidation(t *testing.T) {
	table := service.NewDynamoDBTable("bad-id", service.KeyAttribute{Name: "k", Type: "X"})
	table.BillingMode = "PROVISIONED"
	table.LocalSecondaryIndexes = []service.TableIndex{{Name: "L", PartitionKey: service.KeyAttribute{Name: "other", Type: "S"}}}
	queue := service.NewSQSQueue("Work")
	queue.FIFO, queue.QueueName, queue.MaxReceiveCount = true, "work", 5
	err := cfn.DataDecorator([]*service.DynamoDBTable{table}, []*service.SQSQueue{queue}).DecorateService(context.Background(), &service.ServiceContext{})
	for _, want := range []string{`table "bad-id": LogicalID`, `type "X" is not S, N or B`, "PROVISIONED needs", "shares the table's partition key",
		"needs a SortKey", `queue "Work": QueueName "work" of a FIFO queue must end in .fifo`, "MaxReceiveCount needs a DeadLetterQueue"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DataDecorator(invalid) = %v, want it to say %q", err, want)
		}
	}
	fn, _ := service.NewAWSLambda("f", func() {}, service.IAMRoleDefinition{})
	if err := service.NewSQSQueue("Q").Allow(fn, "sqs:*"); err == nil {
		t.Error("Allow(sqs:*) = nil, want a refusal of the wildcard")
	}
}
