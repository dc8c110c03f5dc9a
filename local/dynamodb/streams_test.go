package dynamodb_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

// streamRecord is a record as the Streams API returns it.
type streamRecord struct {
	EventName    string
	EventSource  string
	UserIdentity *struct{ Type, PrincipalID string }
	Dynamodb     struct {
		ApproximateCreationDateTime json.RawMessage // the CLI prints a date, the API a number
		Keys, NewImage, OldImage    map[string]map[string]string
		SequenceNumber              string
		StreamViewType              string
	}
}

func decodeRecords(t *testing.T, out string) []streamRecord {
	t.Helper()
	var page struct {
		Records           []streamRecord
		NextShardIterator string
	}
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatalf("get-records printed %s: %v", out, err)
	}
	return page.Records
}

// TestStreamsWithCLI: a table with a NEW_AND_OLD_IMAGES stream records
// INSERT, MODIFY and REMOVE in AWS's shape (an update that changes nothing
// records nothing), read with aws dynamodbstreams.
// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
func TestStreamsWithCLI(t *testing.T) {
	c := localtest.Start(t)
	cl := dynamodb.NewFromConfig(localtest.Config(c))
	created, err := cl.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("Dragons"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		t.Fatal(err)
	}
	streamARN := aws.ToString(created.TableDescription.LatestStreamArn)
	if !strings.HasPrefix(streamARN, aws.ToString(created.TableDescription.TableArn)+"/stream/") {
		t.Fatalf("LatestStreamArn = %q", streamARN)
	}
	put := func(color string) {
		if _, err := cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Dragons"),
			Item: map[string]types.AttributeValue{"id": s("smaug"), "color": s(color)}}); err != nil {
			t.Fatal(err)
		}
	}
	put("red")
	put("gold")
	put("gold") // no change: no record
	if _, err := cl.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("Dragons"), Key: map[string]types.AttributeValue{"id": s("smaug")}}); err != nil {
		t.Fatal(err)
	}

	if out := localtest.CLI(t, c, "dynamodbstreams", "list-streams", "--table-name", "Dragons"); !strings.Contains(out, streamARN) {
		t.Errorf("aws dynamodbstreams list-streams printed %s", out)
	}
	var desc struct {
		StreamDescription struct {
			StreamStatus, StreamViewType, TableName string
			Shards                                  []struct{ ShardId string }
		}
	}
	out := localtest.CLI(t, c, "dynamodbstreams", "describe-stream", "--stream-arn", streamARN)
	if err := json.Unmarshal([]byte(out), &desc); err != nil || desc.StreamDescription.StreamStatus != "ENABLED" || len(desc.StreamDescription.Shards) != 1 {
		t.Fatalf("aws dynamodbstreams describe-stream printed %s (%v)", out, err)
	}
	var it struct{ ShardIterator string }
	_ = json.Unmarshal([]byte(localtest.CLI(t, c, "dynamodbstreams", "get-shard-iterator", "--stream-arn", streamARN,
		"--shard-id", desc.StreamDescription.Shards[0].ShardId, "--shard-iterator-type", "TRIM_HORIZON")), &it)
	recs := decodeRecords(t, localtest.CLI(t, c, "dynamodbstreams", "get-records", "--shard-iterator", it.ShardIterator))
	var names []string
	for _, r := range recs {
		names = append(names, r.EventName)
	}
	if fmt.Sprint(names) != "[INSERT MODIFY REMOVE]" {
		t.Fatalf("records = %v, want [INSERT MODIFY REMOVE]", names)
	}
	ins, mod, rem := recs[0].Dynamodb, recs[1].Dynamodb, recs[2].Dynamodb
	if ins.Keys["id"]["S"] != "smaug" || ins.NewImage["color"]["S"] != "red" || ins.OldImage != nil || ins.StreamViewType != "NEW_AND_OLD_IMAGES" ||
		mod.OldImage["color"]["S"] != "red" || mod.NewImage["color"]["S"] != "gold" || rem.OldImage["color"]["S"] != "gold" || rem.NewImage != nil ||
		!(ins.SequenceNumber < mod.SequenceNumber && mod.SequenceNumber < rem.SequenceNumber) || recs[0].EventSource != "aws:dynamodb" ||
		len(ins.ApproximateCreationDateTime) == 0 {
		t.Errorf("records = %+v", recs)
	}
}

// TestTimeToLive: expired items are deleted by the sweeper, with a REMOVE
// record whose userIdentity is DynamoDB's; UpdateTimeToLive and
// DescribeTimeToLive work as on AWS.
// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
func TestTimeToLive(t *testing.T) {
	c := localtest.Start(t)
	cl := dynamodb.NewFromConfig(localtest.Config(c))
	_, err := cl.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("Sessions"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeKeysOnly},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("Sessions"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("expires"), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("Sessions"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("expires"), Enabled: aws.Bool(true)}})
	wantError(t, "UpdateTimeToLive twice", err, "ValidationException", "TimeToLive is already enabled")
	d, err := cl.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("Sessions")})
	if err != nil || d.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled || aws.ToString(d.TimeToLiveDescription.AttributeName) != "expires" {
		t.Fatalf("DescribeTimeToLive = %+v, %v", d, err)
	}
	past, future := fmt.Sprint(time.Now().Add(-time.Minute).Unix()), fmt.Sprint(time.Now().Add(time.Hour).Unix())
	for id, exp := range map[string]string{"old": past, "new": future} {
		if _, err := cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Sessions"),
			Item: map[string]types.AttributeValue{"id": s(id), "expires": n(exp)}}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, _ := cl.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Sessions"), Key: map[string]types.AttributeValue{"id": s("old")}})
		if got != nil && got.Item == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired item was not deleted within 15 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got, _ := cl.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Sessions"), Key: map[string]types.AttributeValue{"id": s("new")}}); got == nil || got.Item == nil {
		t.Error("the unexpired item was deleted")
	}
	desc, _ := c.DynamoDB().DescribeTable("Sessions")
	recs, err := c.DynamoDB().StreamAfter(desc.LatestStreamArn, "", 10)
	if err != nil || len(recs) != 3 {
		t.Fatalf("stream = %d records, %v; want 2 INSERT and the REMOVE", len(recs), err)
	}
	var rem streamRecord
	_ = json.Unmarshal(recs[2].Rec, &rem)
	if rem.EventName != "REMOVE" || rem.UserIdentity == nil || rem.UserIdentity.Type != "Service" || rem.UserIdentity.PrincipalID != "dynamodb.amazonaws.com" ||
		rem.Dynamodb.Keys["id"]["S"] != "old" || rem.Dynamodb.OldImage != nil {
		t.Errorf("the TTL deletion's record = %s", recs[2].Rec)
	}
}

// TestStreamSurvivesRestart: stream records are durable.
func TestStreamSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	c, err := local.Start(ctx, local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cl := dynamodb.NewFromConfig(localtest.Config(c))
	created, err := cl.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("Kept"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Kept"), Item: map[string]types.AttributeValue{"id": s("a")}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c2 := localtest.Start(t, local.Options{StateDir: dir})
	recs, err := c2.DynamoDB().StreamAfter(aws.ToString(created.TableDescription.LatestStreamArn), "", 10)
	if err != nil || len(recs) != 1 {
		t.Fatalf("after a restart the stream has %d records, %v", len(recs), err)
	}
}

// TestStreamPermissions: the Streams API is authorized on the stream
// (DescribeStream and GetShardIterator by StreamArn, GetRecords by the
// stream its iterator reads); ListStreams has no resource.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
func TestStreamPermissions(t *testing.T) {
	c := localtest.Start(t)
	const arn = "arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2026-01-01T00:00:00.000"
	iter := base64.RawURLEncoding.EncodeToString([]byte(`{"a":"` + arn + `","p":""}`))
	for _, tc := range []struct{ op, body, resource string }{
		{"ListStreams", `{}`, "*"},
		{"DescribeStream", `{"StreamArn":"` + arn + `"}`, arn},
		{"GetShardIterator", `{"StreamArn":"` + arn + `","ShardId":"s","ShardIteratorType":"LATEST"}`, arn},
		{"GetRecords", `{"ShardIterator":"` + iter + `"}`, arn},
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
		r.Header.Set("X-Amz-Target", "DynamoDBStreams_20120810."+tc.op)
		got, err := c.DynamoDB().Permissions(r)
		if err != nil || len(got) != 1 || got[0].Action != "dynamodb:"+tc.op || got[0].Resource != tc.resource {
			t.Errorf("Permissions(%s) = %v, %v, want dynamodb:%s on %s", tc.op, got, err, tc.op, tc.resource)
		}
	}
}
