package dynamodb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

var ctx = context.Background()

func wantError(t *testing.T, what string, err error, code, message string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != code || (message != "" && api.ErrorMessage() != message) {
		t.Errorf("%s = %v, want %s: %s", what, err, code, message)
	}
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
func str(av types.AttributeValue) string {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return v.Value
	case *types.AttributeValueMemberN:
		return v.Value
	}
	return fmt.Sprintf("%T", av)
}

// sightings creates the table the tests share: a composite key (location,
// id) and a GSI on type.
func sightings(t *testing.T, cl *dynamodb.Client) {
	t.Helper()
	_, err := cl.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("Sightings"),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("location"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeN},
			{AttributeName: aws.String("type"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("location"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("id"), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("ByType"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("type"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("CreateTable = %v", err)
	}
}

func TestTablesAndItems(t *testing.T) {
	c := localtest.Start(t)
	cl := dynamodb.NewFromConfig(localtest.Config(c))
	sightings(t, cl)

	d, err := cl.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("Sightings")})
	if err != nil {
		t.Fatal(err)
	}
	if tb := d.Table; tb.TableStatus != types.TableStatusActive || aws.ToString(tb.TableArn) != "arn:aws:dynamodb:us-east-1:000000000000:table/Sightings" ||
		tb.CreationDateTime == nil || tb.BillingModeSummary.BillingMode != types.BillingModePayPerRequest || len(tb.GlobalSecondaryIndexes) != 1 {
		t.Errorf("DescribeTable = %+v", tb)
	}
	// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html#API_DescribeTable_Errors
	_, err = cl.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("Missing")})
	wantError(t, "DescribeTable(missing)", err, "ResourceNotFoundException", "Requested resource not found")
	_, err = cl.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Missing"), Key: map[string]types.AttributeValue{"k": s("x")}})
	wantError(t, "GetItem(missing table)", err, "ResourceNotFoundException", "Requested resource not found")
	_, err = cl.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("Sightings"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("k"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("k"), KeyType: types.KeyTypeHash}}})
	wantError(t, "CreateTable(existing)", err, "ResourceInUseException", "")

	for i, typ := range []string{"dragon", "wyvern", "dragon", "dragon", "drake"} {
		_, err := cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Sightings"), Item: map[string]types.AttributeValue{
			"location": s("Dover"), "id": n(fmt.Sprint(i + 1)), "type": s(typ), "heads": n(fmt.Sprint(i % 3)),
		}})
		if err != nil {
			t.Fatalf("PutItem = %v", err)
		}
	}
	key := map[string]types.AttributeValue{"location": s("Dover"), "id": n("1")}
	// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
	_, err = cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Sightings"), Item: map[string]types.AttributeValue{
		"location": s("Dover"), "id": n("9"), "notes": s(strings.Repeat("x", 400*1024))}})
	wantError(t, "PutItem(401 KB)", err, "ValidationException", "Item size has exceeded the maximum allowed size")

	// A condition that fails is ConditionalCheckFailedException with AWS's text.
	// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
	_, err = cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Sightings"), Item: map[string]types.AttributeValue{"location": s("Dover"), "id": n("1")},
		ConditionExpression: aws.String("attribute_not_exists(#id)"), ExpressionAttributeNames: map[string]string{"#id": "id"}})
	wantError(t, "PutItem(attribute_not_exists on an existing item)", err, "ConditionalCheckFailedException", "The conditional request failed")

	up, err := cl.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("Sightings"), Key: key,
		UpdateExpression:          aws.String("SET heads = heads + :one, #st = :s"),
		ConditionExpression:       aws.String("#t = :dragon"),
		ExpressionAttributeNames:  map[string]string{"#st": "status", "#t": "type"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": n("1"), ":s": s("confirmed"), ":dragon": s("dragon")},
		ReturnValues:              types.ReturnValueAllNew})
	if err != nil || str(up.Attributes["heads"]) != "1" || str(up.Attributes["status"]) != "confirmed" {
		t.Fatalf("UpdateItem = %+v, %v", up, err)
	}
	got, err := cl.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Sightings"), Key: key, ProjectionExpression: aws.String("#st"),
		ExpressionAttributeNames: map[string]string{"#st": "status"}})
	if err != nil || len(got.Item) != 1 || str(got.Item["status"]) != "confirmed" {
		t.Errorf("GetItem(projection) = %+v, %v", got.Item, err)
	}

	// Query with a key condition and a filter, paged two at a time.
	var ids []string
	var start map[string]types.AttributeValue
	pages := 0
	for {
		q, err := cl.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Sightings"),
			KeyConditionExpression:    aws.String("#l = :l AND id > :zero"),
			FilterExpression:          aws.String("#t <> :wyvern"),
			ExpressionAttributeNames:  map[string]string{"#l": "location", "#t": "type"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":l": s("Dover"), ":zero": n("0"), ":wyvern": s("wyvern")},
			Limit:                     aws.Int32(2), ExclusiveStartKey: start})
		if err != nil {
			t.Fatalf("Query = %v", err)
		}
		pages++
		for _, it := range q.Items {
			ids = append(ids, str(it["id"]))
		}
		if q.LastEvaluatedKey == nil {
			break
		}
		start = q.LastEvaluatedKey
	}
	if fmt.Sprint(ids) != "[1 3 4 5]" || pages < 3 {
		t.Errorf("Query pages = %d, ids %v; want [1 3 4 5] over 3 pages", pages, ids)
	}
	byType, err := cl.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Sightings"), IndexName: aws.String("ByType"),
		KeyConditionExpression: aws.String("#t = :d"), ExpressionAttributeNames: map[string]string{"#t": "type"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": s("dragon")}})
	if err != nil || byType.Count != 3 {
		t.Errorf("Query(GSI) = %d items, %v; want 3", byType.Count, err)
	}
	scan, err := cl.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Sightings"), FilterExpression: aws.String("heads >= :two"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":two": n("2")}})
	if err != nil || scan.Count != 1 {
		t.Errorf("Scan(filter) = %d items, %v; want 1", scan.Count, err)
	}

	// Batches and transactions.
	_, err = cl.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"Sightings": {
		{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"location": s("Calais"), "id": n("1"), "type": s("drake")}}},
		{DeleteRequest: &types.DeleteRequest{Key: map[string]types.AttributeValue{"location": s("Dover"), "id": n("5")}}},
	}}})
	if err != nil {
		t.Fatalf("BatchWriteItem = %v", err)
	}
	bg, err := cl.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"Sightings": {Keys: []map[string]types.AttributeValue{
		{"location": s("Calais"), "id": n("1")}, {"location": s("Dover"), "id": n("5")},
	}}}})
	if err != nil || len(bg.Responses["Sightings"]) != 1 {
		t.Errorf("BatchGetItem = %+v, %v; want the one remaining item", bg, err)
	}
	_, err = cl.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("Sightings"), Item: map[string]types.AttributeValue{"location": s("Paris"), "id": n("1")}}},
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String("Sightings"), Key: key, ConditionExpression: aws.String("heads = :nine"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":nine": n("9")}}},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || len(tce.CancellationReasons) != 2 || aws.ToString(tce.CancellationReasons[1].Code) != "ConditionalCheckFailed" {
		t.Errorf("TransactWriteItems(failing check) = %v %+v, want TransactionCanceledException with reasons [None ConditionalCheckFailed]", err, tce)
	}
	if g, _ := cl.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Sightings"), Key: map[string]types.AttributeValue{"location": s("Paris"), "id": n("1")}}); g != nil && g.Item != nil {
		t.Error("a cancelled transaction wrote its Put")
	}

	if _, err := cl.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("Sightings"), Key: key}); err != nil {
		t.Errorf("DeleteItem = %v", err)
	}
	d, _ = cl.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("Sightings")})
	if aws.ToInt64(d.Table.ItemCount) != 4 {
		t.Errorf("ItemCount = %d, want 4", aws.ToInt64(d.Table.ItemCount))
	}
}

func TestListTablesPages(t *testing.T) {
	c := localtest.Start(t)
	cl := dynamodb.NewFromConfig(localtest.Config(c))
	for i := range 5 {
		_, err := cl.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(fmt.Sprintf("t%02d", i)), BillingMode: types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("k"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("k"), KeyType: types.KeyTypeHash}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	p := dynamodb.NewListTablesPaginator(cl, &dynamodb.ListTablesInput{Limit: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, page.TableNames...)
	}
	if fmt.Sprint(names) != "[t00 t01 t02 t03 t04]" {
		t.Errorf("ListTables = %v", names)
	}
	if _, err := cl.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("t00")}); err != nil {
		t.Fatal(err)
	}
	_, err := cl.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("t00")})
	wantError(t, "DeleteTable(deleted)", err, "ResourceNotFoundException", "Requested resource not found")
	_, err = cl.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("no"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("k"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("k"), KeyType: types.KeyTypeHash}}})
	wantError(t, "CreateTable(name too short)", err, "ValidationException", "")
}

func TestItemsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	c, err := local.Start(ctx, local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	cl := dynamodb.NewFromConfig(localtest.Config(c))
	sightings(t, cl)
	for i := range 3 {
		if _, err := cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Sightings"), Item: map[string]types.AttributeValue{
			"location": s("Dover"), "id": n(fmt.Sprint(i)), "type": s("dragon")}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cl.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("Sightings"), Key: map[string]types.AttributeValue{"location": s("Dover"), "id": n("0")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("Sightings"), Key: map[string]types.AttributeValue{"location": s("Dover"), "id": n("1")},
		UpdateExpression: aws.String("SET seen = :t"), ExpressionAttributeValues: map[string]types.AttributeValue{":t": n("2")}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c2 := localtest.Start(t, local.Options{StateDir: dir})
	cl = dynamodb.NewFromConfig(localtest.Config(c2))
	q, err := cl.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Sightings"), IndexName: aws.String("ByType"),
		KeyConditionExpression: aws.String("#t = :d"), ExpressionAttributeNames: map[string]string{"#t": "type"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": s("dragon")}})
	if err != nil || q.Count != 2 {
		t.Fatalf("Query after restart = %d, %v; want 2", q.Count, err)
	}
	g, err := cl.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Sightings"), Key: map[string]types.AttributeValue{"location": s("Dover"), "id": n("1")}})
	if err != nil || str(g.Item["seen"]) != "2" {
		t.Errorf("GetItem after restart = %+v, %v", g.Item, err)
	}
}
