package offlinedata

import (
	"context"
	"testing"

	"github.com/sparta-go/sparta/service"
)

// FuzzDo feeds DynamoDB requests as a machine's Parameters would give them
// (any JSON): Do answers or fails with an API error, never panics.
func FuzzDo(f *testing.F) {
	seeds := []struct{ op, in string }{
		{"PutItem", `{"TableName":"Sightings","Item":{"id":{"S":"a"},"n":{"N":"1"}}}`},
		{"PutItem", `{"TableName":"Sightings","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_not_exists(id)"}`},
		{"UpdateItem", `{"TableName":"Sightings","Key":{"id":{"S":"a"}},"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}`},
		{"UpdateItem", `{"TableName":"Sightings","Key":{"id":{"S":"a"}},"UpdateExpression":"SET #x = :v","ExpressionAttributeNames":{"#x":"x"}}`},
		{"GetItem", `{"TableName":"Sightings","Key":{"id":{"N":"1"}}}`},
		{"DeleteItem", `{"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/Sightings","Key":{"id":{"S":"a"}}}`},
		{"Query", `{"TableName":"Sightings","KeyConditionExpression":"id = :id","ExpressionAttributeValues":{":id":{"S":"a"}}}`},
		{"Scan", `{"TableName":"Sightings","FilterExpression":"size(id) > :n"}`},
		{"GetItem", `{"TableName":7}`},
		{"PutItem", `[]`},
	}
	for _, s := range seeds {
		f.Add(s.op, s.in)
	}
	f.Fuzz(func(t *testing.T, op, in string) {
		d := New()
		if err := d.CreateTable(service.NewDynamoDBTable("Sightings", service.KeyAttribute{Name: "id", Type: "S"})); err != nil {
			t.Fatal(err)
		}
		_, _ = d.Do(context.Background(), op, []byte(in))
	})
}
