package main

import (
	"fmt"
	"os"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/step"
)

// The service's data, declared in Go: the table the workflow stores
// sightings in and the queue that carries sightings to their witness.
// cfn.DataDecorator adds both to the template; offline runs create them in
// memory.
var (
	// sightingsTable holds one item per stored sighting, keyed by dragon
	// and execution, and the running count under reportKey.
	sightingsTable = &sparta.DynamoDBTable{
		LogicalID:    "Sightings",
		PartitionKey: sparta.KeyAttribute{Name: "dragonId", Type: "S"},
		SortKey:      &sparta.KeyAttribute{Name: "sightingId", Type: "S"},
	}
	// confirmationsQueue carries each sighting that needs a witness, with
	// its task token, to confirmSighting.
	confirmationsQueue = &sparta.SQSQueue{LogicalID: "Confirmations", VisibilityTimeoutSeconds: 30}
)

// sightingItem is the stored item: the dragon, the execution that stored
// it and the report's measurements, taken from the execution's input.
var sightingItem = mustItem(map[string]any{
	"dragonId":   step.DynamoDBPath{Type: "S", Path: "$.confirmation.dragonId"},
	"sightingId": step.DynamoDBPath{Type: "S", Path: "$$.Execution.Name"},
	"dragonName": step.DynamoDBPath{Type: "S", Path: "$.dragonName"},
	"sizeFeet":   step.DynamoDBPath{Type: "N", Path: "$.sizeFeet"},
	"latitude":   step.DynamoDBPath{Type: "N", Path: "$.location.latitude"},
	"longitude":  step.DynamoDBPath{Type: "N", Path: "$.location.longitude"},
})

// reportKey is the item counting the stored sightings, which the report
// machine reads.
var reportKey = mustItem(map[string]any{"dragonId": "#report", "sightingId": "total"})

func mustItem(values map[string]any) map[string]any {
	item, err := step.DynamoDBItem(values)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return item
}
