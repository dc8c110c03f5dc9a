package dynamodb_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/sparta-go/sparta/local/localtest"
)

const tableTemplate = `{
  "Resources": {
    "Sightings": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": {
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "type", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "ProvisionedThroughput": {"ReadCapacityUnits": "5", "WriteCapacityUnits": 5},
        "GlobalSecondaryIndexes": [{"IndexName": "ByType", "KeySchema": [{"AttributeName": "type", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "KEYS_ONLY"}, "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        "TimeToLiveSpecification": {"AttributeName": "expires", "Enabled": true}
      }
    }
  },
  "Outputs": {
    "Name": {"Value": {"Ref": "Sightings"}},
    "Arn": {"Value": {"Fn::GetAtt": ["Sightings", "Arn"]}},
    "StreamArn": {"Value": {"Fn::GetAtt": ["Sightings", "StreamArn"]}}
  }
}`

// A table is deployed from CloudFormation and deleted with its stack.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html#aws-resource-dynamodb-table-return-values
func TestTableFromCloudFormation(t *testing.T) {
	c := localtest.Start(t)
	cfg := localtest.Config(c)
	cf := cloudformation.NewFromConfig(cfg)
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("Tables"), TemplateBody: aws.String(tableTemplate)}); err != nil {
		t.Fatal(err)
	}
	w := cloudformation.NewStackCreateCompleteWaiter(cf, func(o *cloudformation.StackCreateCompleteWaiterOptions) { o.MinDelay = 50e6; o.MaxDelay = 200e6 })
	out, err := w.WaitForOutput(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Tables")}, 60e9)
	if err != nil {
		t.Fatalf("waiting for the stack: %v", err)
	}
	outputs := map[string]string{}
	for _, o := range out.Stacks[0].Outputs {
		outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	name := outputs["Name"]
	if !strings.HasPrefix(name, "Tables-Sightings-") || outputs["Arn"] != "arn:aws:dynamodb:us-east-1:000000000000:table/"+name ||
		!strings.HasPrefix(outputs["StreamArn"], outputs["Arn"]+"/stream/") {
		t.Errorf("outputs = %v", outputs)
	}
	db := dynamodb.NewFromConfig(cfg)
	d, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(d.Table.ProvisionedThroughput.ReadCapacityUnits) != 5 || len(d.Table.GlobalSecondaryIndexes) != 1 || !aws.ToBool(d.Table.StreamSpecification.StreamEnabled) {
		t.Errorf("table = %+v", d.Table)
	}
	if _, err := cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("Tables")}); err != nil {
		t.Fatal(err)
	}
	dw := cloudformation.NewStackDeleteCompleteWaiter(cf, func(o *cloudformation.StackDeleteCompleteWaiterOptions) { o.MinDelay = 50e6; o.MaxDelay = 200e6 })
	if err := dw.Wait(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("Tables")}, 60e9); err != nil {
		var st []cftypes.Stack
		t.Fatalf("waiting for the deletion: %v %v", err, st)
	}
	_, err = db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	wantError(t, "DescribeTable(after the stack's deletion)", err, "ResourceNotFoundException", "Requested resource not found")
}
