package local_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

// TestDataServicesAuthorizeByResource: a role allowed the items of one
// table and one queue is held to exactly those, for both orders of the
// tables in a batch, as AWS authorises DynamoDB and SQS actions by the
// table's and the queue's ARN.
// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
// and https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-iam-policies.html
func TestDataServicesAuthorizeByResource(t *testing.T) {
	worker, err := local.ParseCredential("AKIDWORKER:workersecret:arn:aws:iam::000000000000:role/worker")
	if err != nil {
		t.Fatal(err)
	}
	c := localtest.Start(t, local.Options{Credentials: []local.Credential{worker}})
	ctx := context.Background()
	acct := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`
	createRole(t, c, "worker", acct, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:BatchWriteItem"],"Resource":"arn:aws:dynamodb:us-east-1:000000000000:table/Mine"},
		{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:mine"}]}`)

	root := localtest.Config(c)
	rootDB := dynamodb.NewFromConfig(root)
	for _, name := range []string{"Mine", "Theirs"} {
		if _, err := rootDB.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String(name),
			BillingMode:          ddbtypes.BillingModePayPerRequest,
			AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
			KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}},
		}); err != nil {
			t.Fatal(err)
		}
	}
	rootQ := sqs.NewFromConfig(root)
	urls := map[string]string{}
	for _, name := range []string{"mine", "theirs"} {
		out, err := rootQ.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		urls[name] = aws.ToString(out.QueueUrl)
	}

	cfg := localtest.Config(c)
	cfg.Credentials = credentials.NewStaticCredentialsProvider("AKIDWORKER", "workersecret", "")
	db, q := dynamodb.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	item := map[string]ddbtypes.AttributeValue{"id": &ddbtypes.AttributeValueMemberS{Value: "1"}}
	denied := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), "AccessDenied") {
			t.Errorf("%s = %v, want AccessDenied", what, err)
		}
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Mine"), Item: item}); err != nil {
		t.Errorf("PutItem on the allowed table = %v", err)
	}
	_, err = db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Theirs"), Item: item})
	denied("PutItem on another table", err)
	_, err = db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("Mine"), Key: item})
	denied("DeleteItem, an action the role lacks", err)
	// A batch needs the action on every table it touches, whichever comes first.
	for _, order := range [][]string{{"Mine", "Theirs"}, {"Theirs", "Mine"}} {
		req := map[string][]ddbtypes.WriteRequest{}
		for _, tbl := range order {
			req[tbl] = []ddbtypes.WriteRequest{{PutRequest: &ddbtypes.PutRequest{Item: item}}}
		}
		_, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: req})
		denied("BatchWriteItem over "+strings.Join(order, ", "), err)
	}

	if _, err := q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(urls["mine"]), MessageBody: aws.String("hi")}); err != nil {
		t.Errorf("SendMessage to the allowed queue = %v", err)
	}
	_, err = q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(urls["theirs"]), MessageBody: aws.String("hi")})
	denied("SendMessage to another queue", err)
	_, err = q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(urls["mine"])})
	denied("ReceiveMessage, an action the role lacks", err)
}
