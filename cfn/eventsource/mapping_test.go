//go:build !lambdabinary

package eventsource_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/cfn/eventsource"
	"github.com/sparta-go/sparta/internal/cfnlint"
	"github.com/sparta-go/sparta/internal/golden"
	"github.com/sparta-go/sparta/service"
)

func consume(context.Context, map[string]any) error { return nil }

// buildTemplate adds fn and its event sources, with the tables and queues, to a
// template and returns it marshalled.
func buildTemplate(t testing.TB, fn *service.LambdaAWSInfo, tables []*service.DynamoDBTable, queues []*service.SQSQueue) ([]byte, error) {
	t.Helper()
	tmpl := cfn.NewServiceTemplate("Events", "build-1", "test")
	res := cfn.AddFunction(tmpl, "Events", fn, service.Artifact{Bucket: "bucket", Key: "sparta/Events/arm64-abc.zip"})
	if err := eventsource.Add(tmpl, "Events", fn, res); err != nil {
		return nil, err
	}
	for _, tb := range tables {
		tmpl.Resources[tb.LogicalID] = cfn.DynamoDBTableResource(tb)
	}
	for _, q := range queues {
		tmpl.Resources[q.LogicalID] = cfn.SQSQueueResource(q)
	}
	return cfn.Marshal(tmpl)
}

func newFunction(t testing.TB, name string) *service.LambdaAWSInfo {
	t.Helper()
	fn, err := service.NewAWSLambda(name, consume, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

// TestMappingsTemplate: an SQS mapping and a DynamoDB stream mapping become
// AWS::Lambda::EventSourceMapping resources, the function's role gets the
// exact actions Lambda needs on the exact queue and stream, and cfn-lint
// (AWS's rules) finds nothing wrong.
func TestMappingsTemplate(t *testing.T) {
	dlq := service.NewSQSQueue("SightingsDLQ")
	queue := &service.SQSQueue{LogicalID: "Sightings", VisibilityTimeoutSeconds: 60, DeadLetterQueue: dlq, MaxReceiveCount: 3}
	table := service.NewDynamoDBTable("Dragons", service.KeyAttribute{Name: "id", Type: "S"})
	table.StreamViewType = "NEW_AND_OLD_IMAGES"
	fn := newFunction(t, "confirm")
	fn.EventSourceMappings = []*service.EventSourceMapping{
		{EventSourceArn: queue.ARN(), BatchSize: 5, MaximumBatchingWindowInSeconds: 2, PartialBatchResponse: true},
		{EventSourceArn: table.StreamARN(), StartingPosition: "TRIM_HORIZON", BisectBatchOnFunctionError: true, MaximumRetryAttempts: 2},
		{EventSourceArn: "arn:aws:sqs:us-east-1:123456789012:other", Disabled: true},
	}
	got, err := buildTemplate(t, fn, []*service.DynamoDBTable{table}, []*service.SQSQueue{queue, dlq})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "mappings.golden.json")
	golden.JSON(t, path, got)
	cfnlint.Check(t, path)

	var doc struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	mappings := 0
	for _, r := range doc.Resources {
		if r.Type == "AWS::Lambda::EventSourceMapping" {
			mappings++
		}
	}
	if mappings != 3 {
		t.Errorf("the template has %d AWS::Lambda::EventSourceMapping, want 3", mappings)
	}
	role := doc.Resources[cfn.LogicalID("confirm", "Role")]
	policy, _ := json.Marshal(role.Properties["Policies"])
	for _, want := range []string{
		`{"Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Effect":"Allow","Resource":{"Fn::GetAtt":["Sightings","Arn"]}}`,
		`{"Action":["dynamodb:DescribeStream","dynamodb:GetRecords","dynamodb:GetShardIterator"],"Effect":"Allow","Resource":{"Fn::GetAtt":["Dragons","StreamArn"]}}`,
		`{"Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Effect":"Allow","Resource":"arn:aws:sqs:us-east-1:123456789012:other"}`,
	} {
		if !strings.Contains(string(policy), want) {
			t.Errorf("the function's role policy %s\nlacks %s", policy, want)
		}
	}
	if strings.Contains(string(policy), `"*"`) || strings.Contains(string(policy), `:*"`) && !strings.Contains(string(policy), "log-group") {
		t.Errorf("the function's role policy has a wildcard: %s", policy)
	}
}

// TestMappingRefusals: mappings AWS would refuse fail before anything is
// built, naming the function, the mapping and the field.
func TestMappingRefusals(t *testing.T) {
	queue := service.NewSQSQueue("Work")
	table := service.NewDynamoDBTable("Items", service.KeyAttribute{Name: "id", Type: "S"})
	table.StreamViewType = "KEYS_ONLY"
	for _, tc := range []struct {
		name string
		m    service.EventSourceMapping
		want string
	}{
		{"queue with a starting position", service.EventSourceMapping{EventSourceArn: queue.ARN(), StartingPosition: "LATEST"}, "StartingPosition \"LATEST\" is for streams"},
		{"large batch without a window", service.EventSourceMapping{EventSourceArn: queue.ARN(), BatchSize: 100}, "needs MaximumBatchingWindowInSeconds"},
		{"queue with stream retries", service.EventSourceMapping{EventSourceArn: queue.ARN(), MaximumRetryAttempts: 3}, "MaximumRetryAttempts is for streams"},
		{"stream without a position", service.EventSourceMapping{EventSourceArn: table.StreamARN()}, "StartingPosition is empty"},
		{"stream at a timestamp", service.EventSourceMapping{EventSourceArn: table.StreamARN(), StartingPosition: "AT_TIMESTAMP"}, "not valid for a DynamoDB stream"},
		{"a table instead of its stream", service.EventSourceMapping{EventSourceArn: "arn:aws:dynamodb:us-east-1:123456789012:table/Items"}, "not an SQS queue's or a DynamoDB stream's ARN"},
		{"a Ref", service.EventSourceMapping{EventSourceArn: cfn.Ref("Work")}, "cannot be told"},
		{"empty", service.EventSourceMapping{}, "EventSourceArn is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := newFunction(t, "worker")
			m := tc.m
			fn.EventSourceMappings = []*service.EventSourceMapping{&m}
			_, err := buildTemplate(t, fn, nil, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `function "worker"`) {
				t.Errorf("Add(%+v) = %v, want an error naming the function and %q", tc.m, err, tc.want)
			}
		})
	}
}

// TestMappingExistingRole: a function running as an existing role gets the
// mapping and no statement (its role is not in the template).
func TestMappingExistingRole(t *testing.T) {
	fn, err := service.NewAWSLambda("worker", consume, service.IAMRoleDefinition{ExistingRole: "arn:aws:iam::123456789012:role/worker"})
	if err != nil {
		t.Fatal(err)
	}
	fn.EventSourceMappings = []*service.EventSourceMapping{{EventSourceArn: "arn:aws:sqs:us-east-1:123456789012:work"}}
	tmpl := cloudformation.NewTemplate()
	res := cfn.AddFunction(tmpl, "Events", fn, service.Artifact{Bucket: "b", Key: "k"})
	if err := eventsource.Add(tmpl, "Events", fn, res); err != nil {
		t.Fatal(err)
	}
	if _, ok := tmpl.Resources[cfn.LogicalID("worker", "EventSourceMapping", "0")]; !ok {
		t.Errorf("no mapping in %v", tmpl.Resources)
	}
}
