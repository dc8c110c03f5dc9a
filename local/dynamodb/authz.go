package dynamodb

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps a DynamoDB request to dynamodb:<Operation> on the table
// (or index) it names, so that a role allowed one table's items is held to
// that table, as on AWS. Batch and transaction calls need the item action
// on every table they touch: BatchGetItem is dynamodb:BatchGetItem and
// BatchWriteItem dynamodb:BatchWriteItem on each table; TransactWriteItems
// needs PutItem, UpdateItem, DeleteItem or ConditionCheckItem per item and
// TransactGetItems GetItem per item. ListTables has no resource.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
// and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	op := core.Operation(r)
	fields := core.JSONFields(r)
	str := func(m map[string]json.RawMessage, name string) string {
		var v string
		_ = json.Unmarshal(m[name], &v)
		return v
	}
	if strings.HasPrefix(r.Header.Get("X-Amz-Target"), StreamsTargetPrefix+".") {
		// The Streams API: DescribeStream, GetShardIterator and GetRecords
		// act on the stream; ListStreams has no resource.
		if op == "ListStreams" {
			return []core.Permission{{Action: "dynamodb:ListStreams", Resource: "*"}}, nil
		}
		return []core.Permission{{Action: "dynamodb:" + op, Resource: streamARNOf(fields)}}, nil
	}
	switch op {
	case "BatchGetItem", "BatchWriteItem":
		var items map[string]json.RawMessage
		_ = json.Unmarshal(fields["RequestItems"], &items)
		tables := make([]string, 0, len(items))
		for t := range items {
			tables = append(tables, t)
		}
		sort.Strings(tables)
		perms := make([]core.Permission, 0, len(tables))
		for _, t := range tables {
			perms = append(perms, core.Permission{Action: "dynamodb:" + op, Resource: s.tableARN(t)})
		}
		return perms, nil
	case "TransactWriteItems", "TransactGetItems":
		var items []map[string]map[string]json.RawMessage
		_ = json.Unmarshal(fields["TransactItems"], &items)
		actions := map[string]string{"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}
		var perms []core.Permission
		for _, item := range items {
			for kind, body := range item {
				if a, ok := actions[kind]; ok {
					perms = append(perms, core.Permission{Action: "dynamodb:" + a, Resource: s.tableARN(str(body, "TableName"))})
				}
			}
		}
		return perms, nil
	}
	table := str(fields, "TableName")
	if table == "" {
		return []core.Permission{{Action: "dynamodb:" + op, Resource: "*"}}, nil
	}
	resource := s.tableARN(table)
	if index := str(fields, "IndexName"); index != "" {
		resource += "/index/" + index
	}
	return []core.Permission{{Action: "dynamodb:" + op, Resource: resource}}, nil
}

func (s *Service) tableARN(name string) string {
	if len(name) > 4 && name[:4] == "arn:" {
		return name
	}
	return s.env.ARN("dynamodb", "table/"+name)
}
