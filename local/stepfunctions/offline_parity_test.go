//go:build !lambdabinary

package stepfunctions_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

// The offline data integrations (step.WithOfflineData) fail as the local
// cloud's do: the same definition gives the same error name and the same
// message before the SDK's "(Service: ...)" suffix.
func TestOfflineDataMatchesTheLocalCloud(t *testing.T) {
	c, cl, role, url := dataCloud(t)
	cases := []struct{ name, state string }{
		{"condition", `{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","End":true,
		  "Parameters":{"TableName":"Sightings","Item":{"id":{"S":"smaug"}},"ConditionExpression":"attribute_exists(id)"}}`},
		{"key type", `{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","End":true,
		  "Parameters":{"TableName":"Sightings","Key":{"id":{"N":"1"}}}}`},
		{"no body", `{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true,
		  "Parameters":{"QueueUrl":"` + url + `"}}`},
		{"no table name", `{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","End":true,
		  "Parameters":{"Key":{"id":{"S":"a"}}}}`},
	}
	table := service.NewDynamoDBTable("Sightings", service.KeyAttribute{Name: "id", Type: "S"})
	queue := &service.SQSQueue{LogicalID: "Confirmations", QueueName: "confirmations"}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			def := `{"StartAt":"S","States":{"S":` + tc.state + `}}`
			local := finish(t, cl, runOn(t, c, cl, "Parity"+string(rune('A'+i)), def, role, `{}`))

			sm, err := step.FromJSON([]byte(def))
			if err != nil {
				t.Fatal(err)
			}
			data, err := step.NewOfflineData([]*service.DynamoDBTable{table}, []*service.SQSQueue{queue})
			if err != nil {
				t.Fatal(err)
			}
			offline, err := sm.Execute(context.Background(), nil, step.WithOfflineData(data), step.WithVirtualClock())
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(local.Error) == "" || offline.Error != aws.ToString(local.Error) {
				t.Errorf("Error offline %q, on the local cloud %q", offline.Error, aws.ToString(local.Error))
			}
			msg := func(cause string) string { m, _, _ := strings.Cut(cause, " (Service: "); return m }
			if msg(offline.Cause) != msg(aws.ToString(local.Cause)) {
				t.Errorf("Cause offline %q, on the local cloud %q", offline.Cause, aws.ToString(local.Cause))
			}
		})
	}
}
