package dynamodb

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sparta-go/sparta/local/resource"
	"github.com/truora/minidyn/server"
)

// Providers gives AWS::DynamoDB::Table its behaviour in the local cloud's
// CloudFormation.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{"AWS::DynamoDB::Table": tableProvider{s}}
}

type tableProvider struct{ s *Service }

// tableProperties are the AWS::DynamoDB::Table properties the local cloud
// reads; their names and shapes are CreateTable's.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html
type tableProperties struct {
	server.CreateTableInput
	TimeToLiveSpecification *ddbtypes.TimeToLiveSpecification
}

func decodeTable(props map[string]any) (tableProperties, error) {
	var p tableProperties
	b, err := json.Marshal(numbersAsNumbers(props))
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("AWS::DynamoDB::Table properties: %w", err)
	}
	return p, nil
}

// numbersAsNumbers turns the numeric strings a template may hold
// ("ReadCapacityUnits": "5") into numbers and "true"/"false" into booleans,
// as CloudFormation coerces them.
func numbersAsNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			switch k {
			case "ReadCapacityUnits", "WriteCapacityUnits", "MaxReadRequestUnits", "MaxWriteRequestUnits":
				if s, ok := e.(string); ok {
					if n, err := strconv.ParseInt(s, 10, 64); err == nil {
						out[k] = n
						continue
					}
				}
			case "Enabled", "StreamEnabled", "DeletionProtectionEnabled", "PointInTimeRecoveryEnabled":
				if s, ok := e.(string); ok {
					if b, err := strconv.ParseBool(s); err == nil {
						out[k] = b
						continue
					}
				}
			}
			out[k] = numbersAsNumbers(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = numbersAsNumbers(e)
		}
		return out
	}
	return v
}

// Create makes the table: TableName, or stack-logicalID-RANDOM.
func (p tableProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	props, err := decodeTable(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	if aws.ToString(props.TableName) == "" {
		props.TableName = aws.String(resource.PhysicalName(req.StackName, req.LogicalID, 255))
	}
	if props.StreamSpecification != nil && props.StreamSpecification.StreamViewType != "" {
		props.StreamSpecification.StreamEnabled = aws.Bool(true)
	}
	d, err := p.s.CreateTable(props.CreateTableInput, props.TimeToLiveSpecification)
	if err != nil {
		return resource.Result{}, err
	}
	return tableResult(d), nil
}

// Update keeps the table and its items. Billing, throughput, streams and
// TTL settings are recorded; changing the secondary indexes of a table is
// refused rather than silently ignored.
func (p tableProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	if !resource.Equal(req.OldProperties["GlobalSecondaryIndexes"], req.Properties["GlobalSecondaryIndexes"]) {
		return resource.Result{}, fmt.Errorf("table %s: changing GlobalSecondaryIndexes in a stack update is not supported by the local cloud; call UpdateTable, or rename the table to replace it", req.PhysicalID)
	}
	props, err := decodeTable(req.Properties)
	if err != nil {
		return resource.Result{}, err
	}
	p.s.tablesMu.Lock()
	t, ok := p.s.tables[req.PhysicalID]
	if ok {
		m := t.meta
		m.Updates = append(append([]server.UpdateTableInput(nil), m.Updates...), server.UpdateTableInput{
			TableName: aws.String(req.PhysicalID), BillingMode: props.BillingMode,
			ProvisionedThroughput: props.ProvisionedThroughput, StreamSpecification: props.StreamSpecification,
		})
		m.TTL = props.TimeToLiveSpecification
		if err := p.s.tablesColl().Put(req.PhysicalID, m); err != nil {
			p.s.tablesMu.Unlock()
			return resource.Result{}, err
		}
		t.meta = m
		p.s.syncStream(t)
	}
	p.s.tablesMu.Unlock()
	d, err := p.s.DescribeTable(req.PhysicalID)
	if err != nil {
		return resource.Result{}, err
	}
	return tableResult(d), nil
}

// Delete removes the table and its items; a missing table is not an error.
func (p tableProvider) Delete(_ context.Context, req resource.Request) error {
	if _, err := p.s.DeleteTable(req.PhysicalID); err != nil {
		if _, gone := p.s.DescribeTable(req.PhysicalID); gone != nil {
			return nil
		}
		return err
	}
	return nil
}

// RequiresReplacement: the name, the key schema, the attribute definitions
// of the keys and the local secondary indexes are fixed at creation.
func (tableProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "TableName", "KeySchema", "LocalSecondaryIndexes")
}

// tableResult: Ref is the table name; Arn and StreamArn are its attributes.
func tableResult(d TableDescription) resource.Result {
	attrs := map[string]any{"Arn": d.TableArn}
	if d.LatestStreamArn != "" {
		attrs["StreamArn"] = d.LatestStreamArn
	}
	return resource.Result{PhysicalID: d.TableName, Attributes: attrs}
}
