package dynamodb_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/sparta-go/sparta/local/localtest"
)

// FuzzExpressions feeds hostile condition, update, projection, key-condition
// and filter expressions to the service: each must come back as a result
// or an AWS error, never a crash or a hang of the cloud.
func FuzzExpressions(f *testing.F) {
	for _, seed := range []string{
		"attribute_not_exists(#k)", "a = :v AND (b < :v OR NOT c IN (:v, :v))", "SET a = a + :v, b = list_append(b, :v) REMOVE c",
		"begins_with(#k, :v)", "size(a) > :v", "a.b[0].c", "k = :v AND r BETWEEN :v AND :v", "ADD s :v DELETE s :v", "((((", "#", ":",
		"SET a = if_not_exists(a, :v)", "contains(a, :v) AND attribute_type(a, :v)",
	} {
		f.Add(seed)
	}
	c := localtest.Start(f)
	db := c.DynamoDB()
	create := `{"TableName":"Fuzz","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"r","AttributeType":"N"}],
		"KeySchema":[{"AttributeName":"k","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}]}`
	if _, err := db.Do(ctx, "CreateTable", []byte(create)); err != nil {
		f.Fatal(err)
	}
	item := []byte(`{"TableName":"Fuzz","Item":{"k":{"S":"a"},"r":{"N":"1"},"a":{"N":"2"},"b":{"L":[{"S":"x"}]},"s":{"SS":["p"]}}}`)
	names := map[string]string{"#k": "k"}
	values := map[string]any{":v": map[string]string{"N": "1"}}
	f.Fuzz(func(t *testing.T, expr string) {
		key := map[string]any{"k": map[string]string{"S": "a"}, "r": map[string]string{"N": "1"}}
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				panic(fmt.Sprintf("expression %q still evaluating after 5s", expr))
			}
		}()
		// The same item every time, so that updates do not accumulate.
		if _, err := db.Do(ctx, "PutItem", item); err != nil {
			t.Fatal(err)
		}
		for op, in := range map[string]map[string]any{
			"GetItem":    {"TableName": "Fuzz", "Key": key, "ProjectionExpression": expr, "ExpressionAttributeNames": names},
			"Query":      {"TableName": "Fuzz", "KeyConditionExpression": expr, "FilterExpression": expr, "ExpressionAttributeNames": names, "ExpressionAttributeValues": values},
			"Scan":       {"TableName": "Fuzz", "FilterExpression": expr, "ExpressionAttributeNames": names, "ExpressionAttributeValues": values},
			"UpdateItem": {"TableName": "Fuzz", "Key": key, "UpdateExpression": expr, "ConditionExpression": expr, "ExpressionAttributeNames": names, "ExpressionAttributeValues": values},
		} {
			body, _ := json.Marshal(in)
			_, _ = db.Do(ctx, op, body)
		}
	})
}
