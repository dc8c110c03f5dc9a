package stepfunctions_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/sparta-go/sparta/local"
	localdynamodb "github.com/sparta-go/sparta/local/dynamodb"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/local/sqs"
)

// dataCloud is a local cloud with a Sightings table, a confirmations queue
// and a role allowed exactly what the workshop's machine calls.
func dataCloud(t *testing.T) (*local.Cloud, *sfn.Client, string, string) {
	t.Helper()
	c := localtest.Start(t)
	cl, role, url := dataOn(t, c)
	return c, cl, role, url
}

// dataOn creates dataCloud's table, queue and role on c.
func dataOn(t *testing.T, c *local.Cloud) (*sfn.Client, string, string) {
	t.Helper()
	db := c.DynamoDB()
	create := `{"TableName":"Sightings","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}`
	if _, err := db.Do(context.Background(), "CreateTable", []byte(create)); err != nil {
		t.Fatal(err)
	}
	url, err := c.SQS().CreateQueue("confirmations", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := c.Service("iam")
	table := "arn:aws:dynamodb:us-east-1:000000000000:table/Sightings"
	role, err := svc.(*iam.Service).CreateRole(iam.RoleInput{RoleName: "dragons", AssumeRolePolicyDocument: statesTrust, Policies: map[string]any{
		"data": `{"Version":"2012-10-17","Statement":[` + allow("dynamodb:PutItem", table) + `,` + allow("dynamodb:GetItem", table) + `,` +
			allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:confirmations") + `]}`,
	}})
	if err != nil {
		t.Fatal(err)
	}
	return newClient(c.Endpoint()), role.Arn, url
}

func runOn(t *testing.T, c *local.Cloud, cl *sfn.Client, name, definition, role, input string) string {
	t.Helper()
	ctx := context.Background()
	m, err := cl.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(definition), RoleArn: aws.String(role)})
	if err != nil {
		t.Fatalf("CreateStateMachine = %v", err)
	}
	start, err := cl.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn, Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(start.ExecutionArn)
}

func finish(t *testing.T, cl *sfn.Client, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		d, err := cl.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != sfntypes.ExecutionStatusRunning {
			return d
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("execution %s still running after 30s", arn)
	return nil
}

// The workshop's store-and-confirm pattern: dynamodb:putItem, then
// sqs:sendMessage.waitForTaskToken until a consumer calls SendTaskSuccess.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
func TestDynamoDBAndSQSCallback(t *testing.T) {
	c, cl, role, url := dataCloud(t)
	definition := confirmDefinition(url)
	arn := runOn(t, c, cl, "Confirm", definition, role, `{"id":"smaug","heads":3}`)

	// The confirming consumer: receive the message, answer with its token.
	got, err := c.SQS().Receive(context.Background(), url, sqs.ReceiveInput{Wait: ptr(10 * time.Second)})
	if err != nil || len(got) != 1 {
		t.Fatalf("Receive = %v, %v", got, err)
	}
	var body struct{ ID, Token string }
	if err := json.Unmarshal([]byte(got[0].Body), &body); err != nil || body.ID != "smaug" || body.Token == "" {
		t.Fatalf("message body = %s, %v", got[0].Body, err)
	}
	if _, err := cl.SendTaskHeartbeat(context.Background(), &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(body.Token)}); err != nil {
		t.Errorf("SendTaskHeartbeat = %v", err)
	}
	if _, err := cl.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{TaskToken: aws.String(body.Token), Output: aws.String(`{"confirmed":true}`)}); err != nil {
		t.Fatalf("SendTaskSuccess = %v", err)
	}
	d := finish(t, cl, arn)
	if d.Status != sfntypes.ExecutionStatusSucceeded || !strings.Contains(aws.ToString(d.Output), `"confirmation":{"confirmed":true}`) ||
		!strings.Contains(aws.ToString(d.Output), `"stored":{"heads":"3"}`) {
		t.Errorf("execution = %s %s %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Cause))
	}
	item, err := c.DynamoDB().GetItem(context.Background(), "Sightings", localdynamodb.Item{"id": {S: aws.String("smaug")}})
	if err != nil || item == nil {
		t.Errorf("stored item = %v, %v", item, err)
	}

	// Storing the same sighting again fails the condition, with the error
	// name Step Functions gives DynamoDB's exceptions.
	again := runOn(t, c, cl, "Again", definition, role, `{"id":"smaug","heads":3}`)
	if d := finish(t, cl, again); d.Status != sfntypes.ExecutionStatusFailed || aws.ToString(d.Error) != "DynamoDB.ConditionalCheckFailedException" {
		t.Errorf("second execution = %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
}

func TestDataIntegrationsRefusals(t *testing.T) {
	c, cl, role, url := dataCloud(t)
	// The role has no dynamodb:DeleteItem: the task fails as on AWS.
	del := runOn(t, c, cl, "Delete", `{"StartAt":"D","States":{"D":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:deleteItem",
	  "Parameters":{"TableName":"Sightings","Key":{"id":{"S":"x"}}},"End":true}}}`, role, `{}`)
	if d := finish(t, cl, del); aws.ToString(d.Error) != "DynamoDB.AmazonDynamoDBException" || !strings.Contains(aws.ToString(d.Cause), "is not authorized to perform: dynamodb:DeleteItem") {
		t.Errorf("deleteItem without permission = %s %s", aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	// No heartbeat within HeartbeatSeconds: States.HeartbeatTimeout.
	hb := runOn(t, c, cl, "Silent", `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","HeartbeatSeconds":1,
	  "Parameters":{"QueueUrl":"`+url+`","MessageBody.$":"$$.Task.Token"},"End":true}}}`, role, `{}`)
	if d := finish(t, cl, hb); aws.ToString(d.Error) != "States.HeartbeatTimeout" {
		t.Errorf("silent callback = %s %s", aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	// A queue the role may not send to.
	other, _ := c.SQS().CreateQueue("other", nil, nil)
	q := runOn(t, c, cl, "Other", `{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
	  "Parameters":{"QueueUrl":"`+other+`","MessageBody":"x"},"End":true}}}`, role, `{}`)
	if d := finish(t, cl, q); aws.ToString(d.Error) != "SQS.AmazonSQSException" || !strings.Contains(aws.ToString(d.Cause), "sqs:SendMessage") {
		t.Errorf("sendMessage without permission = %s %s", aws.ToString(d.Error), aws.ToString(d.Cause))
	}
}

func ptr[T any](v T) *T { return &v }

// confirmDefinition is the workshop's store-and-confirm machine on the
// queue url.
func confirmDefinition(url string) string {
	return `{"StartAt":"Store","States":{
	  "Store":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","ResultPath":null,
	    "Parameters":{"TableName":"Sightings","Item":{"id":{"S.$":"$.id"},"heads":{"N.$":"States.Format('{}', $.heads)"}},"ConditionExpression":"attribute_not_exists(id)"},"Next":"Read"},
	  "Read":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","ResultSelector":{"heads.$":"$.Item.heads.N"},"ResultPath":"$.stored",
	    "Parameters":{"TableName":"Sightings","Key":{"id":{"S.$":"$.id"}}},"Next":"Confirm"},
	  "Confirm":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","HeartbeatSeconds":30,"ResultPath":"$.confirmation",
	    "Parameters":{"QueueUrl":"` + url + `","MessageBody":{"id.$":"$.id","token.$":"$$.Task.Token"}},"End":true}}}`
}

// The same machine survives a restart of the whole local cloud while it
// waits in Confirm: the cloud is closed and started again on its state
// directory, the consumer receives the message from the (durable) queue,
// and `aws stepfunctions send-task-success` with its token completes the
// execution.
func TestCallbackSurvivesCloudRestart(t *testing.T) {
	dir := t.TempDir()
	c1, err := local.Start(context.Background(), local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cl, role, url := dataOn(t, c1)
	arn := runOn(t, c1, cl, "Confirm", confirmDefinition(url), role, `{"id":"smaug","heads":3}`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		d, err := cl.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		h, err := cl.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(h.Events); n > 0 && h.Events[n-1].Type == sfntypes.HistoryEventTypeTaskSubmitted {
			break
		}
		if d.Status != sfntypes.ExecutionStatusRunning || time.Now().After(deadline) {
			t.Fatalf("the execution never waited in Confirm: %s", d.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := c1.Close(); err != nil {
		t.Fatal(err)
	}

	c2 := localtest.Start(t, local.Options{StateDir: dir})
	cl = newClient(c2.Endpoint())
	got, err := c2.SQS().Receive(context.Background(), url, sqs.ReceiveInput{Wait: ptr(10 * time.Second)})
	if err != nil || len(got) != 1 {
		t.Fatalf("Receive after restart = %v, %v", got, err)
	}
	var body struct{ Token string }
	if err := json.Unmarshal([]byte(got[0].Body), &body); err != nil || body.Token == "" {
		t.Fatalf("message body = %s, %v", got[0].Body, err)
	}
	// The consumer is the AWS CLI, an outside client.
	localtest.CLI(t, c2, "stepfunctions", "send-task-success", "--task-token", body.Token, "--task-output", `{"confirmed":true}`)
	d := finish(t, cl, arn)
	if d.Status != sfntypes.ExecutionStatusSucceeded || !strings.Contains(aws.ToString(d.Output), `"confirmation":{"confirmed":true}`) {
		t.Errorf("execution after restart = %s %s %s", d.Status, aws.ToString(d.Output), aws.ToString(d.Cause))
	}
}
