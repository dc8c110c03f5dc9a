package service_test

import (
	"encoding/base64"
	"fmt"

	"github.com/sparta-go/sparta/service"
)

// A function reads a table's stream through an event source mapping whose
// EventSourceArn is the table's StreamArn attribute.
func ExampleDynamoDBTable_StreamARN() {
	table := service.NewDynamoDBTable("Sightings", service.KeyAttribute{Name: "id", Type: "S"})
	table.StreamViewType = "NEW_IMAGE"
	m := &service.EventSourceMapping{EventSourceArn: table.StreamARN(), StartingPosition: "TRIM_HORIZON"}
	intrinsic, _ := base64.StdEncoding.DecodeString(m.EventSourceArn)
	fmt.Println(string(intrinsic))
	fmt.Println(m.Validate("watcher"))
	// Output:
	// {"Fn::GetAtt":["Sightings","StreamArn"]}
	// <nil>
}
