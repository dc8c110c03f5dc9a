package local

import (
	"github.com/sparta-go/sparta/local/dynamodb"
	"github.com/sparta-go/sparta/local/sqs"
)

// DynamoDB returns the DynamoDB service, for its Go API (CreateTable,
// GetItem, Do).
func (c *Cloud) DynamoDB() *dynamodb.Service { return serviceAs[*dynamodb.Service](c, "dynamodb") }

// SQS returns the SQS service, for its Go API (Send, Receive, Delete).
func (c *Cloud) SQS() *sqs.Service { return serviceAs[*sqs.Service](c, "sqs") }
