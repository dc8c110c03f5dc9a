package dynamodb_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sparta-go/sparta/local/localtest"
)

// reportP50 adds the median of the recorded latencies as a metric.
func reportP50(b *testing.B, name string, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, name+"-p50-ms")
}

// BenchmarkPutGetItem measures PutItem and GetItem over the SDK against the
// local cloud (HTTP on loopback, SigV4, the item log written): the issue's
// goal is a p50 under 1 ms.
func BenchmarkPutGetItem(b *testing.B) {
	c := localtest.Start(b)
	cl := dynamodb.NewFromConfig(localtest.Config(c))
	if _, err := cl.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("Bench"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}}}); err != nil {
		b.Fatal(err)
	}
	var puts, gets []time.Duration
	b.ResetTimer()
	for i := range b.N {
		key := fmt.Sprintf("k%d", i%1000)
		t0 := time.Now()
		if _, err := cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Bench"), Item: map[string]types.AttributeValue{
			"id": s(key), "n": n(fmt.Sprint(i)), "note": s("a dragon over Dover")}}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := cl.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Bench"), Key: map[string]types.AttributeValue{"id": s(key)}}); err != nil {
			b.Fatal(err)
		}
		puts, gets = append(puts, t1.Sub(t0)), append(gets, time.Since(t1))
	}
	reportP50(b, "put", puts)
	reportP50(b, "get", gets)
}

// BenchmarkQuery100k queries one partition of 100,000 items: the first
// page of 100 and a filtered query that reads the whole partition.
func BenchmarkQuery100k(b *testing.B) {
	c := localtest.Start(b)
	db := c.DynamoDB()
	create := `{"TableName":"Big","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"r","AttributeType":"N"}],
		"KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}]}`
	if _, err := db.Do(ctx, "CreateTable", []byte(create)); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 100000; i += 25 {
		req := `{"RequestItems":{"Big":[`
		for j := i; j < i+25; j++ {
			if j > i {
				req += ","
			}
			req += fmt.Sprintf(`{"PutRequest":{"Item":{"p":{"S":"dragons"},"r":{"N":"%d"},"odd":{"BOOL":%v}}}}`, j, j%2 == 1)
		}
		req += `]}}`
		if _, err := db.Do(ctx, "BatchWriteItem", []byte(req)); err != nil {
			b.Fatal(err)
		}
	}
	cl := dynamodb.NewFromConfig(localtest.Config(c))
	b.Run("first-page-100", func(b *testing.B) {
		for range b.N {
			q, err := cl.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Big"), KeyConditionExpression: aws.String("p = :p"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("dragons")}, Limit: aws.Int32(100)})
			if err != nil || q.Count != 100 {
				b.Fatalf("Query = %v, %v", q, err)
			}
		}
	})
	b.Run("range-1000", func(b *testing.B) {
		for range b.N {
			q, err := cl.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Big"), KeyConditionExpression: aws.String("p = :p AND r BETWEEN :a AND :z"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("dragons"), ":a": n("50000"), ":z": n("50999")}})
			if err != nil || q.Count != 1000 {
				b.Fatalf("Query = %d, %v", q.Count, err)
			}
		}
	})
}
