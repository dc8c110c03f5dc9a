package dynamodb_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/localtest"
)

// The AWS CLI creates a table, puts and queries items against the local
// cloud, as a developer would.
func TestDynamoDBCLI(t *testing.T) {
	c := localtest.Start(t)
	out := localtest.CLI(t, c, "dynamodb", "create-table", "--table-name", "CliTable",
		"--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
		"--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
		"--billing-mode", "PAY_PER_REQUEST")
	if !strings.Contains(out, `"TableStatus": "ACTIVE"`) {
		t.Errorf("aws dynamodb create-table = %s", out)
	}
	for _, sk := range []string{"1", "2", "3"} {
		localtest.CLI(t, c, "dynamodb", "put-item", "--table-name", "CliTable",
			"--item", `{"pk":{"S":"dragons"},"sk":{"N":"`+sk+`"},"name":{"S":"Smaug"}}`)
	}
	out = localtest.CLI(t, c, "dynamodb", "query", "--table-name", "CliTable",
		"--key-condition-expression", "pk = :p AND sk >= :two",
		"--expression-attribute-values", `{":p":{"S":"dragons"},":two":{"N":"2"}}`)
	var q struct {
		Items []map[string]map[string]string
		Count int
	}
	if err := json.Unmarshal([]byte(out), &q); err != nil || q.Count != 2 || q.Items[0]["sk"]["N"] != "2" {
		t.Errorf("aws dynamodb query = %s, %v", out, err)
	}
	if out := localtest.CLI(t, c, "dynamodb", "list-tables"); !strings.Contains(out, "CliTable") {
		t.Errorf("aws dynamodb list-tables = %s", out)
	}
	out, err := localtest.RunCLI(t, c, "dynamodb", "put-item", "--table-name", "CliTable",
		"--item", `{"pk":{"S":"dragons"},"sk":{"N":"1"}}`, "--condition-expression", "attribute_not_exists(pk)")
	if err == nil || !strings.Contains(out, "ConditionalCheckFailedException") {
		t.Errorf("conditional put-item = %v %s, want ConditionalCheckFailedException", err, out)
	}
	localtest.CLI(t, c, "dynamodb", "delete-table", "--table-name", "CliTable")
}
