package dynamodb

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sparta-go/sparta/local/core"
)

// iteratorTTL is how long a shard iterator stays valid.
// See https://docs.aws.amazon.com/amazondynamodbstreams/latest/APIReference/API_GetShardIterator.html
const iteratorTTL = 15 * time.Minute

// iterator is a shard iterator's content: the stream, the position after
// which it reads and when it was issued. Clients treat it as opaque.
type iterator struct {
	ARN    string    `json:"a"`
	After  string    `json:"p"`
	Issued time.Time `json:"t"`
}

func (it iterator) encode() string {
	b, _ := json.Marshal(it)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeIterator(s string) (iterator, error) {
	var it iterator
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &it) != nil || it.ARN == "" {
		return it, errValidation("Invalid ShardIterator")
	}
	return it, nil
}

// shardID is the one shard of a stream.
func shardID(st *stream) string {
	digits := make([]byte, 0, 20)
	for i := 0; i < len(st.label) && len(digits) < 20; i++ {
		if c := st.label[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	return fmt.Sprintf("shardId-%020s-00000001", digits)
}

type streamSummary struct {
	StreamArn, TableName, StreamLabel string
}

func (s *Service) listStreams(_ context.Context, in struct {
	TableName               string
	Limit                   int
	ExclusiveStartStreamArn string
}) (any, error) {
	s.streams.mu.Lock()
	var all []streamSummary
	for name, st := range s.streams.byName {
		if in.TableName == "" || in.TableName == name {
			all = append(all, streamSummary{st.arn, name, st.label})
		}
	}
	s.streams.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].StreamArn < all[j].StreamArn })
	start := 0
	if in.ExclusiveStartStreamArn != "" {
		start = sort.Search(len(all), func(i int) bool { return all[i].StreamArn > in.ExclusiveStartStreamArn })
	}
	limit := in.Limit
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	end := min(start+limit, len(all))
	out := map[string]any{"Streams": append([]streamSummary{}, all[start:end]...)}
	if end < len(all) {
		out["LastEvaluatedStreamArn"] = all[end-1].StreamArn
	}
	return out, nil
}

func (s *Service) describeStream(_ context.Context, in struct{ StreamArn string }) (any, error) {
	s.tablesMu.RLock()
	defer s.tablesMu.RUnlock()
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	st, name, ok := s.streamByARNLocked(in.StreamArn)
	if !ok {
		return nil, errStreamNotFound(in.StreamArn)
	}
	status, view := "ENABLED", st.viewType
	if view == "" {
		status = "DISABLED"
	}
	var keys []ddbtypes.KeySchemaElement
	var created float64
	if t, ok := s.tables[name]; ok {
		keys = t.meta.Create.KeySchema
		created = float64(t.meta.Created.UnixMilli()) / 1000
		if view == "" {
			view, _, _ = streamSpec(t)
		}
	}
	start := "000000000000000000000"
	if len(st.records) > 0 {
		start = st.records[0].Seq
	}
	return map[string]any{"StreamDescription": map[string]any{
		"StreamArn": st.arn, "StreamLabel": st.label, "StreamStatus": status, "StreamViewType": view,
		"CreationRequestDateTime": created, "TableName": name, "KeySchema": keys,
		"Shards": []any{map[string]any{"ShardId": shardID(st), "SequenceNumberRange": map[string]string{"StartingSequenceNumber": start}}},
	}}, nil
}

func (s *Service) getShardIterator(_ context.Context, in struct {
	StreamArn, ShardId, ShardIteratorType, SequenceNumber string
}) (any, error) {
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	st, _, ok := s.streamByARNLocked(in.StreamArn)
	if !ok {
		return nil, errStreamNotFound(in.StreamArn)
	}
	if in.ShardId != shardID(st) {
		return nil, core.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "Requested resource not found: Shard does not exist")
	}
	it := iterator{ARN: st.arn, Issued: s.env.Clock.Now().UTC()}
	switch in.ShardIteratorType {
	case "TRIM_HORIZON":
	case "LATEST":
		if len(st.records) > 0 {
			it.After = st.records[len(st.records)-1].Seq
		}
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		n, err := strconv.ParseInt(in.SequenceNumber, 10, 64)
		if err != nil || n < 1 {
			return nil, errValidation("Invalid SequenceNumber: %q", in.SequenceNumber)
		}
		if in.ShardIteratorType == "AT_SEQUENCE_NUMBER" {
			n--
		}
		it.After = fmt.Sprintf("%021d", n)
	default:
		return nil, errValidation("1 validation error detected: Value '%s' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]", in.ShardIteratorType)
	}
	return map[string]string{"ShardIterator": it.encode()}, nil
}

func (s *Service) getRecords(_ context.Context, in struct {
	ShardIterator string
	Limit         int
}) (any, error) {
	it, err := decodeIterator(in.ShardIterator)
	if err != nil {
		return nil, err
	}
	if s.env.Clock.Now().Sub(it.Issued) > iteratorTTL {
		return nil, core.Errorf(http.StatusBadRequest, "ExpiredIteratorException", "Iterator expired. The iterator was created at time %s while right now it is %s. The iterator is valid for 15 minutes.",
			it.Issued.Format(time.RFC1123), s.env.Clock.Now().UTC().Format(time.RFC1123))
	}
	limit := in.Limit
	if limit == 0 {
		limit = 1000
	}
	if limit < 1 || limit > 1000 {
		return nil, errValidation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000", limit)
	}
	recs, err := s.StreamAfter(it.ARN, it.After, limit)
	if err != nil {
		return nil, err
	}
	out := make([]json.RawMessage, len(recs))
	next := iterator{ARN: it.ARN, After: it.After, Issued: s.env.Clock.Now().UTC()}
	for i, r := range recs {
		out[i] = r.Rec
		next.After = r.Seq
	}
	return map[string]any{"Records": out, "NextShardIterator": next.encode()}, nil
}

// streamARNOf is the stream a Streams API request acts on, for IAM.
func streamARNOf(fields map[string]json.RawMessage) string {
	var arn, iter string
	_ = json.Unmarshal(fields["StreamArn"], &arn)
	if arn != "" {
		return arn
	}
	_ = json.Unmarshal(fields["ShardIterator"], &iter)
	if it, err := decodeIterator(iter); err == nil {
		return it.ARN
	}
	return "*"
}
