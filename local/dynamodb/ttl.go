package dynamodb

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sparta-go/sparta/local/core"
	"github.com/truora/minidyn/server"
)

// sweepInterval is how often expired items are deleted. DynamoDB deletes
// them "within a few days"; the local cloud within seconds, so that tests
// and development see the deletions (and their stream records).
// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
const sweepInterval = 2 * time.Second

// ttlOf returns the TTL attribute of a table, or "" when TTL is off. The
// caller holds tablesMu.
func ttlOf(t *table) string {
	if t.meta.TTL == nil || !aws.ToBool(t.meta.TTL.Enabled) {
		return ""
	}
	return aws.ToString(t.meta.TTL.AttributeName)
}

type ttlSpecification struct {
	Enabled       *bool
	AttributeName string
}

// updateTimeToLive turns TTL on or off.
// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
func (s *Service) updateTimeToLive(_ context.Context, in struct {
	TableName               string
	TimeToLiveSpecification *ttlSpecification
}) (any, error) {
	spec := in.TimeToLiveSpecification
	if spec == nil || spec.Enabled == nil {
		return nil, errValidation("1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null")
	}
	if spec.AttributeName == "" || len(spec.AttributeName) > 255 {
		return nil, errValidation("1 validation error detected: Value '%s' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255", spec.AttributeName)
	}
	if err := s.SetTimeToLive(in.TableName, spec.AttributeName, *spec.Enabled); err != nil {
		return nil, err
	}
	return map[string]any{"TimeToLiveSpecification": map[string]any{"Enabled": *spec.Enabled, "AttributeName": spec.AttributeName}}, nil
}

// SetTimeToLive turns a table's TTL on (with its attribute) or off, as
// UpdateTimeToLive and the CloudFormation provider do.
func (s *Service) SetTimeToLive(tableName, attribute string, enabled bool) error {
	s.tablesMu.Lock()
	defer s.tablesMu.Unlock()
	t, ok := s.tables[tableName]
	if !ok {
		return errNotFound()
	}
	current := ttlOf(t)
	switch {
	case enabled && current != "":
		return errValidation("TimeToLive is already enabled")
	case !enabled && current == "":
		return errValidation("TimeToLive is already disabled")
	case !enabled && current != attribute:
		return errValidation("TimeToLive is active on a different AttributeName: current AttributeName is %s", current)
	}
	m := t.meta
	m.TTL = &ddbtypes.TimeToLiveSpecification{AttributeName: aws.String(attribute), Enabled: aws.Bool(enabled)}
	if err := s.tablesColl().Put(tableName, m); err != nil {
		return err
	}
	t.meta = m
	return nil
}

func (s *Service) describeTimeToLive(_ context.Context, in struct{ TableName string }) (any, error) {
	s.tablesMu.RLock()
	defer s.tablesMu.RUnlock()
	t, ok := s.tables[in.TableName]
	if !ok {
		return nil, errNotFound()
	}
	d := map[string]any{"TimeToLiveStatus": "DISABLED"}
	if a := ttlOf(t); a != "" {
		d = map[string]any{"TimeToLiveStatus": "ENABLED", "AttributeName": a}
	}
	return map[string]any{"TimeToLiveDescription": d}, nil
}

// Close stops the TTL sweeper.
func (s *Service) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	s.sweeping.Wait()
	return nil
}

var _ core.Closer = (*Service)(nil)

func (s *Service) startSweeper() {
	s.sweeping.Add(1)
	go func() {
		defer s.sweeping.Done()
		for {
			select {
			case <-s.done:
				return
			case <-s.env.Clock.After(sweepInterval):
				s.sweep()
			}
		}
	}()
}

// expired is an item the sweeper deletes: its key and TTL value.
type expired struct {
	table, attr string
	key         Item
	value       string
}

// sweep deletes the expired items of every table with TTL on: those whose
// TTL attribute is a number of epoch seconds in the past (other types and
// values more than five years old are ignored, as DynamoDB ignores them).
// Each deletion is conditional on the attribute being unchanged, and its
// stream record carries DynamoDB's service identity.
func (s *Service) sweep() {
	now := s.env.Clock.Now()
	var found []expired
	s.tablesMu.RLock()
	for name, t := range s.tables {
		attr := ttlOf(t)
		if attr == "" {
			continue
		}
		var start Item
		for {
			n := name
			out, err := s.db.Scan(context.Background(), &server.ScanInput{TableName: &n, ExclusiveStartKey: start})
			if err != nil {
				break
			}
			for _, it := range out.Items {
				v := it[attr]
				if v == nil || v.N == nil {
					continue
				}
				f, err := strconv.ParseFloat(*v.N, 64)
				if err != nil {
					continue
				}
				at := time.Unix(int64(f), 0)
				if at.After(now) || now.Sub(at) > 5*365*24*time.Hour {
					continue
				}
				_, key, ok := keyOf(t, it)
				if ok {
					found = append(found, expired{name, attr, key, *v.N})
				}
			}
			if len(out.LastEvaluatedKey) == 0 {
				break
			}
			start = out.LastEvaluatedKey
		}
	}
	s.tablesMu.RUnlock()
	for _, e := range found {
		name, cond := e.table, "#ttl = :ttl"
		in := server.DeleteItemInput{TableName: &name, Key: e.key, ConditionExpression: &cond,
			ExpressionAttributeNames:  map[string]string{"#ttl": e.attr},
			ExpressionAttributeValues: map[string]*server.AttributeValue{":ttl": {N: aws.String(e.value)}}}
		_, err := s.writeAs(ttlIdentity, []touch{{name, e.key}}, func() (any, error) { return s.db.DeleteItem(context.Background(), &in) })
		if err != nil {
			if ce, ok := err.(*core.Error); !ok || ce.Status != http.StatusBadRequest {
				s.log.WithField("table", name).Warnf("dynamodb: deleting an expired item: %v", err)
			}
		}
	}
}
