package service

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// KeyAttribute is a key attribute of a table or index: its name and its
// scalar type, "S" (string), "N" (number) or "B" (binary).
type KeyAttribute struct {
	Name string
	Type string
}

// TableIndex is a secondary index. The zero ProjectionType projects ALL
// attributes.
type TableIndex struct {
	Name         string
	PartitionKey KeyAttribute
	// SortKey is optional for global indexes and required for local ones.
	SortKey *KeyAttribute
	// ProjectionType is "ALL" (the default), "KEYS_ONLY" or "INCLUDE".
	ProjectionType string
	// NonKeyAttributes are the attributes INCLUDE projects.
	NonKeyAttributes []string
}

// DynamoDBTable declares an AWS::DynamoDB::Table of the service. Its
// LogicalID is the resource's logical ID in the template, which task states
// refer to (cfn.Ref(table.LogicalID) is its name) and grants name. The zero
// value of each optional field is AWS's default.
//
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html.
type DynamoDBTable struct {
	// LogicalID names the resource: letters and digits only.
	LogicalID string
	// TableName is the physical name; empty lets CloudFormation choose one
	// (stack-LogicalID-RANDOM), which allows replacements.
	TableName    string
	PartitionKey KeyAttribute
	SortKey      *KeyAttribute
	// BillingMode is "PAY_PER_REQUEST" (the default here) or "PROVISIONED",
	// which needs ReadCapacityUnits and WriteCapacityUnits.
	BillingMode                           string
	ReadCapacityUnits, WriteCapacityUnits int
	GlobalSecondaryIndexes                []TableIndex
	LocalSecondaryIndexes                 []TableIndex
	// TimeToLiveAttribute names the attribute holding each item's expiry
	// (epoch seconds); empty disables TTL.
	TimeToLiveAttribute string
	// StreamViewType enables DynamoDB Streams: "KEYS_ONLY", "NEW_IMAGE",
	// "OLD_IMAGE" or "NEW_AND_OLD_IMAGES"; empty disables the stream.
	StreamViewType string
}

// Table actions for [DynamoDBTable.Allow]: exact actions, never a wildcard.
var (
	// TableReadActions read items.
	TableReadActions = []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:ConditionCheckItem"}
	// TableWriteActions write items.
	TableWriteActions = []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
	// TableStreamActions read the table's stream (an event source
	// mapping). ListStreams is left out: it is not scoped to a stream.
	TableStreamActions = []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}
)

// NewDynamoDBTable declares an on-demand table keyed by partitionKey.
func NewDynamoDBTable(logicalID string, partitionKey KeyAttribute) *DynamoDBTable {
	return &DynamoDBTable{LogicalID: logicalID, PartitionKey: partitionKey}
}

var logicalIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)

// ARN is the table's ARN as an intrinsic ({"Fn::GetAtt": [LogicalID,
// "Arn"]}, encoded as cfn.GetAtt encodes it), the Resource of an
// IAMRolePrivilege.
func (t *DynamoDBTable) ARN() string { return getAtt(t.LogicalID, "Arn") }

// StreamARN is the ARN of the table's stream as an intrinsic
// ({"Fn::GetAtt": [LogicalID, "StreamArn"]}), the EventSourceArn of an
// EventSourceMapping that reads the stream. The table needs a
// StreamViewType.
func (t *DynamoDBTable) StreamARN() string { return getAtt(t.LogicalID, "StreamArn") }

// getAtt and join encode intrinsics as package cfn does (base64 of their
// JSON inside a string, which goformation expands); cfn imports this
// package, so it cannot be imported here.
func getAtt(logicalID, attribute string) string {
	return encodeIntrinsic(map[string]any{"Fn::GetAtt": []string{logicalID, attribute}})
}

func join(values ...string) string {
	return encodeIntrinsic(map[string]any{"Fn::Join": []any{"", values}})
}

func encodeIntrinsic(v any) string {
	b, _ := json.Marshal(v) // maps of strings always encode
	return base64.StdEncoding.EncodeToString(b)
}

// Allow grants fn exactly actions ("dynamodb:..." names, no wildcard) on
// the table, and on each global secondary index for reads that indexes
// serve (Query, Scan), and on the stream for TableStreamActions.
func (t *DynamoDBTable) Allow(fn *LambdaAWSInfo, actions ...string) error {
	if fn == nil {
		return fmt.Errorf("table %q: Allow needs a function", t.LogicalID)
	}
	if fn.Role.ExistingRole != "" {
		return fmt.Errorf("table %q: function %q runs as the existing role %s; grant the table there", t.LogicalID, fn.Name, fn.Role.ExistingRole)
	}
	var table, stream []string
	for _, a := range actions {
		switch {
		case slices.Contains(TableStreamActions, a):
			stream = append(stream, a)
		case strings.HasPrefix(a, "dynamodb:") && !strings.Contains(a, "*"):
			table = append(table, a)
		default:
			return fmt.Errorf("table %q: action %q is not an exact dynamodb: action", t.LogicalID, a)
		}
	}
	if len(table) > 0 {
		fn.Role.Privileges = append(fn.Role.Privileges, IAMRolePrivilege{Actions: table, Resource: t.ARN()})
		var indexed []string
		for _, a := range table {
			if a == "dynamodb:Query" || a == "dynamodb:Scan" {
				indexed = append(indexed, a)
			}
		}
		for _, g := range append(slices.Clone(t.GlobalSecondaryIndexes), t.LocalSecondaryIndexes...) {
			if len(indexed) > 0 {
				fn.Role.Privileges = append(fn.Role.Privileges, IAMRolePrivilege{Actions: indexed,
					Resource: join(t.ARN(), "/index/"+g.Name)})
			}
		}
	}
	if len(stream) > 0 {
		if t.StreamViewType == "" {
			return fmt.Errorf("table %q: %v need the table's stream; set StreamViewType", t.LogicalID, stream)
		}
		fn.Role.Privileges = append(fn.Role.Privileges, IAMRolePrivilege{Actions: stream, Resource: t.StreamARN()})
	}
	return nil
}

func checkKey(what string, k KeyAttribute) error {
	if k.Name == "" {
		return fmt.Errorf("%s: no attribute name", what)
	}
	if k.Type != "S" && k.Type != "N" && k.Type != "B" {
		return fmt.Errorf("%s %q: type %q is not S, N or B", what, k.Name, k.Type)
	}
	return nil
}

// Validate reports every problem of the declaration, each naming the table.
func (t *DynamoDBTable) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("table %q: %w", t.LogicalID, err))
		}
	}
	if !logicalIDPattern.MatchString(t.LogicalID) {
		add(errors.New("LogicalID must be 1 to 255 letters and digits"))
	}
	if t.TableName != "" && !regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`).MatchString(t.TableName) {
		add(fmt.Errorf("TableName %q must be 3 to 255 letters, digits, _ . or -", t.TableName))
	}
	add(checkKey("PartitionKey", t.PartitionKey))
	if t.SortKey != nil {
		add(checkKey("SortKey", *t.SortKey))
	}
	types := map[string]string{t.PartitionKey.Name: t.PartitionKey.Type}
	if t.SortKey != nil {
		types[t.SortKey.Name] = t.SortKey.Type
	}
	checkIndex := func(kind string, ix TableIndex, local bool) {
		what := fmt.Sprintf("%s %q", kind, ix.Name)
		if ix.Name == "" {
			add(fmt.Errorf("%s: no Name", kind))
		}
		add(checkKey(what+": PartitionKey", ix.PartitionKey))
		if local && ix.PartitionKey.Name != t.PartitionKey.Name {
			add(fmt.Errorf("%s: a local index shares the table's partition key %q", what, t.PartitionKey.Name))
		}
		if local && ix.SortKey == nil {
			add(fmt.Errorf("%s: a local index needs a SortKey", what))
		}
		for _, k := range []*KeyAttribute{&ix.PartitionKey, ix.SortKey} {
			if k == nil {
				continue
			}
			if typ, ok := types[k.Name]; ok && typ != k.Type {
				add(fmt.Errorf("%s: attribute %q is %s here and %s elsewhere", what, k.Name, k.Type, typ))
			}
			types[k.Name] = k.Type
		}
		switch ix.ProjectionType {
		case "", "ALL", "KEYS_ONLY":
		case "INCLUDE":
			if len(ix.NonKeyAttributes) == 0 {
				add(fmt.Errorf("%s: INCLUDE needs NonKeyAttributes", what))
			}
		default:
			add(fmt.Errorf("%s: ProjectionType %q is not ALL, KEYS_ONLY or INCLUDE", what, ix.ProjectionType))
		}
	}
	for _, g := range t.GlobalSecondaryIndexes {
		checkIndex("GlobalSecondaryIndexes", g, false)
	}
	for _, l := range t.LocalSecondaryIndexes {
		checkIndex("LocalSecondaryIndexes", l, true)
	}
	switch t.BillingMode {
	case "", "PAY_PER_REQUEST":
		if t.ReadCapacityUnits != 0 || t.WriteCapacityUnits != 0 {
			add(errors.New("capacity units are set but BillingMode is PAY_PER_REQUEST; set BillingMode PROVISIONED"))
		}
	case "PROVISIONED":
		if t.ReadCapacityUnits < 1 || t.WriteCapacityUnits < 1 {
			add(errors.New("PROVISIONED needs ReadCapacityUnits and WriteCapacityUnits of at least 1"))
		}
	default:
		add(fmt.Errorf("BillingMode %q is not PAY_PER_REQUEST or PROVISIONED", t.BillingMode))
	}
	switch t.StreamViewType {
	case "", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES":
	default:
		add(fmt.Errorf("StreamViewType %q is not KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES", t.StreamViewType))
	}
	return errors.Join(errs...)
}
