package dynamodb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/truora/minidyn/server"
)

// Item is an item or a key as DynamoDB's JSON writes it: attribute names
// to typed values ({"S": "x"}, {"N": "1"}, ...).
type Item = map[string]*server.AttributeValue

// touch names an item a write may have changed.
type touch struct {
	table string
	item  Item // the item written, or its key
}

// read runs a read under the shared table lock.
func (s *Service) read(fn func() (any, error)) (any, error) {
	s.tablesMu.RLock()
	defer s.tablesMu.RUnlock()
	out, err := fn()
	if err != nil {
		return nil, awsError(err)
	}
	return out, nil
}

// write runs a write and then logs the state of every item it touched,
// whether it succeeded or not (a failed batch may have written part of
// its requests).
func (s *Service) write(touched []touch, fn func() (any, error)) (any, error) {
	return s.writeAs(nil, touched, fn)
}

// writeAs is write with the stream records' userIdentity (nil for a
// caller's write, ttlIdentity for the TTL sweeper's deletions).
func (s *Service) writeAs(who *identity, touched []touch, fn func() (any, error)) (any, error) {
	s.tablesMu.RLock()
	defer s.tablesMu.RUnlock()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	before := s.imagesBefore(touched)
	out, err := fn()
	changes, perr := s.persist(touched, before)
	if perr == nil && len(changes) > 0 {
		perr = s.record(changes, who)
	}
	if perr != nil {
		return nil, perr
	}
	if err != nil {
		return nil, awsError(err)
	}
	return out, nil
}

func (s *Service) putItem(ctx context.Context, in server.PutItemInput) (any, error) {
	if err := checkItemSize(in.Item); err != nil {
		return nil, err
	}
	return s.write([]touch{{aws.ToString(in.TableName), in.Item}}, func() (any, error) { return s.db.PutItem(ctx, &in) })
}

func (s *Service) updateItem(ctx context.Context, in server.UpdateItemInput) (any, error) {
	return s.write([]touch{{aws.ToString(in.TableName), in.Key}}, func() (any, error) { return s.db.UpdateItem(ctx, &in) })
}

func (s *Service) deleteItem(ctx context.Context, in server.DeleteItemInput) (any, error) {
	return s.write([]touch{{aws.ToString(in.TableName), in.Key}}, func() (any, error) { return s.db.DeleteItem(ctx, &in) })
}

func (s *Service) batchWriteItem(ctx context.Context, in server.BatchWriteItemInput) (any, error) {
	if len(in.RequestItems) == 0 {
		return nil, errValidation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null")
	}
	var touched []touch
	for name, reqs := range in.RequestItems {
		for _, r := range reqs {
			switch {
			case r.PutRequest != nil:
				if err := checkItemSize(r.PutRequest.Item); err != nil {
					return nil, err
				}
				touched = append(touched, touch{name, r.PutRequest.Item})
			case r.DeleteRequest != nil:
				touched = append(touched, touch{name, r.DeleteRequest.Key})
			}
		}
	}
	if len(touched) > 25 {
		// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
		return nil, errValidation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member must have length less than or equal to 25")
	}
	return s.write(touched, func() (any, error) {
		out, err := s.db.BatchWriteItem(ctx, &in)
		if out != nil && out.UnprocessedItems == nil {
			out.UnprocessedItems = map[string][]server.WriteRequest{}
		}
		return out, err
	})
}

func (s *Service) transactWriteItems(ctx context.Context, in server.TransactWriteItemsInput) (any, error) {
	if len(in.TransactItems) > 100 {
		// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
		return nil, errValidation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	var touched []touch
	for _, it := range in.TransactItems {
		switch {
		case it.Put != nil:
			if err := checkItemSize(it.Put.Item); err != nil {
				return nil, err
			}
			touched = append(touched, touch{aws.ToString(it.Put.TableName), it.Put.Item})
		case it.Update != nil:
			touched = append(touched, touch{aws.ToString(it.Update.TableName), it.Update.Key})
		case it.Delete != nil:
			touched = append(touched, touch{aws.ToString(it.Delete.TableName), it.Delete.Key})
		}
	}
	return s.write(touched, func() (any, error) { return s.db.TransactWriteItems(ctx, &in) })
}

func (s *Service) getItem(ctx context.Context, in server.GetItemInput) (any, error) {
	return s.read(func() (any, error) { return s.db.GetItem(ctx, &in) })
}

func (s *Service) query(ctx context.Context, in server.QueryInput) (any, error) {
	return s.read(func() (any, error) {
		out, err := s.db.Query(ctx, &in)
		if out != nil && out.Items == nil {
			out.Items = []map[string]*server.AttributeValue{}
		}
		return out, err
	})
}

func (s *Service) scan(ctx context.Context, in server.ScanInput) (any, error) {
	return s.read(func() (any, error) {
		out, err := s.db.Scan(ctx, &in)
		if out != nil && out.Items == nil {
			out.Items = []map[string]*server.AttributeValue{}
		}
		return out, err
	})
}

func (s *Service) batchGetItem(ctx context.Context, in server.BatchGetItemInput) (any, error) {
	return s.read(func() (any, error) { return s.db.BatchGetItem(ctx, &in) })
}

func (s *Service) transactGetItems(ctx context.Context, in server.TransactGetItemsInput) (any, error) {
	return s.read(func() (any, error) { return s.db.TransactGetItems(ctx, &in) })
}

// GetItem returns the item of table with key, or nil when there is none:
// the Go API for other services (the Step Functions integration).
func (s *Service) GetItem(ctx context.Context, table string, key Item) (Item, error) {
	out, err := s.read(func() (any, error) {
		return s.db.GetItem(ctx, &server.GetItemInput{TableName: &table, Key: key, ConsistentRead: aws.Bool(true)})
	})
	if err != nil {
		return nil, err
	}
	return out.(*server.GetItemOutput).Item, nil
}

// Do runs one DynamoDB operation given its JSON input, as the wire would,
// and returns its JSON output: how other services (the Step Functions
// dynamodb:putItem integration) call DynamoDB without going through HTTP.
func (s *Service) Do(ctx context.Context, operation string, input []byte) (any, error) {
	fn, ok := s.ops[operation]
	if !ok {
		return nil, errValidation("DynamoDB operation %s is not supported by the local cloud", operation)
	}
	return s.call(ctx, fn, input)
}
