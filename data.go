package sparta

import "github.com/sparta-go/sparta/service"

// DynamoDBTable declares a DynamoDB table of the service; add it to the
// template with cfn.DataDecorator and grant functions access with Allow.
type DynamoDBTable = service.DynamoDBTable

// KeyAttribute is a key attribute of a table or index.
type KeyAttribute = service.KeyAttribute

// TableIndex is a secondary index of a table.
type TableIndex = service.TableIndex

// SQSQueue declares an SQS queue of the service; add it to the template
// with cfn.DataDecorator and grant functions access with Allow.
type SQSQueue = service.SQSQueue

// NewDynamoDBTable declares an on-demand table keyed by partitionKey.
func NewDynamoDBTable(logicalID string, partitionKey KeyAttribute) *DynamoDBTable {
	return service.NewDynamoDBTable(logicalID, partitionKey)
}

// NewSQSQueue declares a standard queue with AWS's defaults.
func NewSQSQueue(logicalID string) *SQSQueue { return service.NewSQSQueue(logicalID) }

// S3Bucket declares an S3 bucket of the service; add it to the template
// with cfn.S3BucketDecorator, notify functions of its events with an
// S3Permission whose SourceArn is its ARN(), and grant access with Allow.
type S3Bucket = service.S3Bucket

// NewS3Bucket declares a private bucket.
func NewS3Bucket(logicalID string) *S3Bucket { return service.NewS3Bucket(logicalID) }
