//go:build !lambdabinary

package step_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

// dragonsData is the workshop's data path: store, read, update, delete the
// sighting, and wait for a confirmation through SQS with a heartbeat.
func dragonsData(t *testing.T) *step.StateMachine {
	t.Helper()
	key, err := step.DynamoDBItem(map[string]any{"id": step.DynamoDBPath{Type: "S", Path: "$.id"}})
	if err != nil {
		t.Fatal(err)
	}
	item, err := step.DynamoDBItem(map[string]any{"id": step.DynamoDBPath{Type: "S", Path: "$.id"}, "heads": step.DynamoDBPath{Type: "N", Path: "$.heads"}, "kind": "dragon"})
	if err != nil {
		t.Fatal(err)
	}
	table := cfn.Ref("Sightings")
	del := step.NewDynamoDBDeleteItemState("Forget", table, map[string]any{"Key": key})
	confirm := step.NewSQSSendMessageState("Confirm", cfn.Ref("Confirmations"), map[string]any{
		"MessageBody": map[string]any{"id.$": "$.id", "token.$": "$$.Task.Token"}}).WaitForTaskToken().WithHeartbeatSeconds(300).Next(del)
	update := step.NewDynamoDBUpdateItemState("Count", table, map[string]any{"Key": key, "UpdateExpression": "SET seen = seen + :one",
		"ExpressionAttributeValues": map[string]any{":one": map[string]any{"N": "1"}}}).Next(confirm)
	get := step.NewDynamoDBGetItemState("Read", table, map[string]any{"Key": key}).Next(update)
	put := step.NewDynamoDBPutItemState("Store", table, map[string]any{"Item": item}).Next(get)
	return step.NewStateMachine("Sightings", put)
}

// The derived role names exactly the four item actions on the table and
// sqs:SendMessage on the queue, and no wildcard anywhere.
// https://docs.aws.amazon.com/step-functions/latest/dg/dynamo-iam.html
func TestDynamoDBTasksPolicy(t *testing.T) {
	sm := dragonsData(t)
	if err := sm.Validate(); err != nil {
		t.Fatal(err)
	}
	sc := newServiceContext(t)
	decorate(t, sm, sc)
	out := templateJSON(t, sc.Template)
	role := out["Resources"].(map[string]any)[step.StateMachineRoleLogicalID("Sightings")].(map[string]any)["Properties"].(map[string]any)
	statements := role["Policies"].([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	got := map[string]string{}
	for _, s := range statements {
		st := s.(map[string]any)
		res, _ := json.Marshal(st["Resource"])
		if strings.Contains(string(res), `"*"`) || strings.Contains(string(res), `/*`) {
			t.Errorf("wildcard resource %s", res)
		}
		for _, a := range st["Action"].([]any) {
			got[a.(string)] = string(res)
		}
	}
	table := `[{"Fn::Sub":"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Sightings}"}]`
	want := map[string]string{
		"dynamodb:GetItem": table, "dynamodb:PutItem": table, "dynamodb:UpdateItem": table, "dynamodb:DeleteItem": table,
		"sqs:SendMessage": `[{"Fn::GetAtt":["Confirmations","Arn"]}]`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("policy = %v\nwant %v", got, want)
	}
	asl, err := json.Marshal(sm)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"HeartbeatSeconds":300`, `"Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken"`,
		`"heads":{"N.$":"States.Format('{}', $.heads)"}`, `"kind":{"S":"dragon"}`, `"Resource":"arn:aws:states:::dynamodb:deleteItem"`} {
		if !strings.Contains(string(asl), s) {
			t.Errorf("definition lacks %s:\n%s", s, asl)
		}
	}
	// cfn-lint accepts the emitted template (with the table and queue it refers to).
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed")
	}
	res := out["Resources"].(map[string]any)
	res["Sightings"] = map[string]any{"Type": "AWS::DynamoDB::Table", "Properties": map[string]any{"BillingMode": "PAY_PER_REQUEST",
		"AttributeDefinitions": []any{map[string]any{"AttributeName": "id", "AttributeType": "S"}},
		"KeySchema":            []any{map[string]any{"AttributeName": "id", "KeyType": "HASH"}}}}
	res["Confirmations"] = map[string]any{"Type": "AWS::SQS::Queue"}
	b, _ := json.Marshal(out)
	path := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(lint, path).CombinedOutput(); err != nil {
		t.Errorf("cfn-lint: %v\n%s", err, msg)
	}
}

func TestDynamoDBItemRefusesUntypedValues(t *testing.T) {
	_, err := step.DynamoDBItem(map[string]any{"ch": make(chan int)})
	if err == nil || !strings.Contains(err.Error(), `attribute "ch"`) {
		t.Errorf("DynamoDBItem(chan) = %v, want an error naming the attribute", err)
	}
	_, err = step.DynamoDBItem(map[string]any{"p": step.DynamoDBPath{Path: "$.x"}})
	if err == nil {
		t.Error("DynamoDBItem(DynamoDBPath without Type) = nil")
	}
}

func ExampleDynamoDBItem() {
	item, _ := step.DynamoDBItem(map[string]any{
		"id":     step.DynamoDBPath{Type: "S", Path: "$.id"},
		"heads":  3,
		"seen":   []string{"Dover", "Calais"},
		"rider":  nil,
		"flying": true,
		"notes":  map[string]any{"colour": "red"},
	})
	b, _ := json.Marshal(item)
	fmt.Println(string(b))
	// Output: {"flying":{"BOOL":true},"heads":{"N":"3"},"id":{"S.$":"$.id"},"notes":{"M":{"colour":{"S":"red"}}},"rider":{"NULL":true},"seen":{"SS":["Dover","Calais"]}}
}
