//go:build !lambdabinary

package cfn

import (
	"context"
	"errors"
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/dynamodb"
	"github.com/awslabs/goformation/v7/cloudformation/sqs"

	"github.com/sparta-go/sparta/service"
)

// DataDecorator returns the decorator that adds the service's tables and
// queues to its template (with each dead-letter queue named by a queue),
// and stack outputs with their names, ARNs and URLs. It validates every
// declaration first and adds nothing when one is invalid.
func DataDecorator(tables []*service.DynamoDBTable, queues []*service.SQSQueue) service.ServiceDecoratorHookHandler {
	return service.NamedDecorator("tables and queues", &dataDecorator{tables: tables, queues: queues, ServiceDecoratorFunc: func(_ context.Context, sc *service.ServiceContext) error {
		var errs []error
		for _, t := range tables {
			errs = append(errs, t.Validate())
		}
		for _, q := range queues {
			errs = append(errs, q.Validate())
		}
		if err := errors.Join(errs...); err != nil {
			return err
		}
		add := func(id string, r cloudformation.Resource) error {
			if _, dup := sc.Template.Resources[id]; dup {
				return fmt.Errorf("logical ID %q is already in the template; give the table or queue another LogicalID", id)
			}
			sc.Template.Resources[id] = r
			return nil
		}
		for _, t := range tables {
			if err := add(t.LogicalID, DynamoDBTableResource(t)); err != nil {
				return err
			}
			sc.Template.Outputs[t.LogicalID+"Name"] = cloudformation.Output{Value: Ref(t.LogicalID)}
			sc.Template.Outputs[t.LogicalID+"Arn"] = cloudformation.Output{Value: GetAtt(t.LogicalID, "Arn")}
		}
		for _, q := range queues {
			if err := add(q.LogicalID, SQSQueueResource(q)); err != nil {
				return err
			}
			sc.Template.Outputs[q.LogicalID+"Url"] = cloudformation.Output{Value: Ref(q.LogicalID)}
			sc.Template.Outputs[q.LogicalID+"Arn"] = cloudformation.Output{Value: GetAtt(q.LogicalID, "Arn")}
		}
		return nil
	}})
}

// dataDecorator is what DataDecorator returns: Declarations lets
// `execute --offline` create the same tables and queues in memory.
type dataDecorator struct {
	service.ServiceDecoratorFunc
	tables []*service.DynamoDBTable
	queues []*service.SQSQueue
}

// Declarations returns the tables and queues the decorator adds.
func (d *dataDecorator) Declarations() ([]*service.DynamoDBTable, []*service.SQSQueue) {
	return d.tables, d.queues
}

func keySchema(pk service.KeyAttribute, sk *service.KeyAttribute) []dynamodb.Table_KeySchema {
	ks := []dynamodb.Table_KeySchema{{AttributeName: pk.Name, KeyType: "HASH"}}
	if sk != nil {
		ks = append(ks, dynamodb.Table_KeySchema{AttributeName: sk.Name, KeyType: "RANGE"})
	}
	return ks
}

func projection(ix service.TableIndex) *dynamodb.Table_Projection {
	typ := ix.ProjectionType
	if typ == "" {
		typ = "ALL"
	}
	return &dynamodb.Table_Projection{ProjectionType: &typ, NonKeyAttributes: ix.NonKeyAttributes}
}

// DynamoDBTableResource is the AWS::DynamoDB::Table of a declaration: the
// attribute definitions are the key attributes of the table and its
// indexes, each once, in order of appearance.
func DynamoDBTableResource(t *service.DynamoDBTable) *dynamodb.Table {
	res := &dynamodb.Table{KeySchema: keySchema(t.PartitionKey, t.SortKey)}
	seen := map[string]bool{}
	define := func(k *service.KeyAttribute) {
		if k != nil && !seen[k.Name] {
			seen[k.Name] = true
			res.AttributeDefinitions = append(res.AttributeDefinitions, dynamodb.Table_AttributeDefinition{AttributeName: k.Name, AttributeType: k.Type})
		}
	}
	define(&t.PartitionKey)
	define(t.SortKey)
	mode := t.BillingMode
	if mode == "" {
		mode = "PAY_PER_REQUEST"
	}
	res.BillingMode = &mode
	if mode == "PROVISIONED" {
		res.ProvisionedThroughput = &dynamodb.Table_ProvisionedThroughput{ReadCapacityUnits: t.ReadCapacityUnits, WriteCapacityUnits: t.WriteCapacityUnits}
	}
	for _, g := range t.GlobalSecondaryIndexes {
		define(&g.PartitionKey)
		define(g.SortKey)
		gsi := dynamodb.Table_GlobalSecondaryIndex{IndexName: g.Name, KeySchema: keySchema(g.PartitionKey, g.SortKey), Projection: projection(g)}
		if mode == "PROVISIONED" {
			gsi.ProvisionedThroughput = res.ProvisionedThroughput
		}
		res.GlobalSecondaryIndexes = append(res.GlobalSecondaryIndexes, gsi)
	}
	for _, l := range t.LocalSecondaryIndexes {
		define(l.SortKey)
		res.LocalSecondaryIndexes = append(res.LocalSecondaryIndexes, dynamodb.Table_LocalSecondaryIndex{IndexName: l.Name, KeySchema: keySchema(l.PartitionKey, l.SortKey), Projection: projection(l)})
	}
	if t.TableName != "" {
		res.TableName = &t.TableName
	}
	if t.TimeToLiveAttribute != "" {
		res.TimeToLiveSpecification = &dynamodb.Table_TimeToLiveSpecification{AttributeName: &t.TimeToLiveAttribute, Enabled: true}
	}
	if t.StreamViewType != "" {
		res.StreamSpecification = &dynamodb.Table_StreamSpecification{StreamViewType: t.StreamViewType}
	}
	return res
}

// SQSQueueResource is the AWS::SQS::Queue of a declaration; a dead-letter
// queue is named by GetAtt of its logical ID in the RedrivePolicy.
func SQSQueueResource(q *service.SQSQueue) *sqs.Queue {
	res := &sqs.Queue{}
	intp := func(v int) *int {
		if v == 0 {
			return nil
		}
		return &v
	}
	if q.QueueName != "" {
		res.QueueName = &q.QueueName
	}
	if q.FIFO {
		t := true
		res.FifoQueue = &t
		if q.ContentBasedDeduplication {
			res.ContentBasedDeduplication = &t
		}
	}
	res.VisibilityTimeout = intp(q.VisibilityTimeoutSeconds)
	res.MessageRetentionPeriod = intp(q.MessageRetentionSeconds)
	res.DelaySeconds = intp(q.DelaySeconds)
	res.ReceiveMessageWaitTimeSeconds = intp(q.ReceiveWaitSeconds)
	if q.DeadLetterQueue != nil {
		res.RedrivePolicy = map[string]any{
			"deadLetterTargetArn": GetAtt(q.DeadLetterQueue.LogicalID, "Arn"),
			"maxReceiveCount":     q.MaxReceiveCount,
		}
	}
	return res
}
