package local

import "github.com/sparta-go/sparta/local/dynamodb"

// DynamoDB returns the DynamoDB service, for its Go API (CreateTable,
// GetItem, Do).
func (c *Cloud) DynamoDB() *dynamodb.Service { return serviceAs[*dynamodb.Service](c, "dynamodb") }
