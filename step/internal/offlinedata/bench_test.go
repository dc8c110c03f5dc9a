package offlinedata

import (
	"context"
	"fmt"
	"testing"

	"github.com/sparta-go/sparta/service"
)

// BenchmarkPutGetItem is what an offline dynamodb:putItem and getItem task
// costs in the data layer, on a table of 1,000 items.
func BenchmarkPutGetItem(b *testing.B) {
	d := New()
	if err := d.CreateTable(service.NewDynamoDBTable("Sightings", service.KeyAttribute{Name: "id", Type: "S"})); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for i := range 1000 {
		if _, err := d.Do(ctx, "PutItem", fmt.Appendf(nil, `{"TableName":"Sightings","Item":{"id":{"S":"d%d"},"heads":{"N":"3"}}}`, i)); err != nil {
			b.Fatal(err)
		}
	}
	put := []byte(`{"TableName":"Sightings","Item":{"id":{"S":"smaug"},"heads":{"N":"3"}}}`)
	get := []byte(`{"TableName":"Sightings","Key":{"id":{"S":"smaug"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Do(ctx, "PutItem", put); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Do(ctx, "GetItem", get); err != nil {
			b.Fatal(err)
		}
	}
}
