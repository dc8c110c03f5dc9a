package dynamodb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// StreamsTargetPrefix is the X-Amz-Target prefix of the DynamoDB Streams
// API, which signs with "dynamodb" and so reaches this service.
// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
const StreamsTargetPrefix = "DynamoDBStreams_20120810"

// streamRetention is how long a stream keeps its records.
// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
const streamRetention = 24 * time.Hour

// StreamRecord is one record of a table's stream: its JSON as GetRecords
// returns it, its sequence number (fixed width, so that sequence numbers
// order as strings) and when it was written.
type StreamRecord struct {
	Seq string          `json:"s"`
	At  time.Time       `json:"t"`
	Rec json.RawMessage `json:"r"`
}

// stream is a table's stream: one shard, its records in order.
type stream struct {
	arn, label, viewType string
	records              []StreamRecord
	// wake is closed (and replaced) when a record is added.
	wake chan struct{}
}

// streams holds every table's stream, by table name, and the sequence
// counter shared by all (sequence numbers only need to grow).
type streams struct {
	mu     sync.Mutex
	byName map[string]*stream
	seq    int64
}

func (s *Service) streamsColl() *store.Collection {
	return s.env.Store.Collection("dynamodb", "streams")
}

// streamSpec returns the table's current stream settings: its view type
// and label, or ok false when the table has no stream.
func streamSpec(t *table) (viewType, label string, ok bool) {
	spec := t.meta.Create.StreamSpecification
	for _, u := range t.meta.Updates {
		if u.StreamSpecification != nil {
			spec = u.StreamSpecification
		}
	}
	if spec == nil || !aws.ToBool(spec.StreamEnabled) {
		return "", "", false
	}
	return string(spec.StreamViewType), t.meta.Created.Format("2006-01-02T15:04:05.000"), true
}

// syncStream creates, keeps or drops the in-memory stream of a table after
// its creation, an update or a reload. Records are kept while the stream
// is disabled (AWS keeps a disabled stream readable for 24 hours).
func (s *Service) syncStream(t *table) {
	name := aws.ToString(t.meta.Create.TableName)
	view, label, ok := streamSpec(t)
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	st := s.streams.byName[name]
	switch {
	case ok && st == nil:
		s.streams.byName[name] = &stream{arn: t.meta.ARN + "/stream/" + label, label: label, viewType: view, wake: make(chan struct{})}
	case ok:
		st.viewType = view
	case st != nil:
		st.viewType = "" // disabled: no new records
	}
}

// loadStream reads a table's stream log, keeping the last 24 hours. It
// runs at start, before any request.
func (s *Service) loadStream(t *table) error {
	s.syncStream(t)
	name := aws.ToString(t.meta.Create.TableName)
	st := s.streams.byName[name]
	if st == nil {
		return nil
	}
	cutoff := s.env.Clock.Now().Add(-streamRetention)
	lines := 0
	err := s.streamsColl().ReadLog(name, func(raw json.RawMessage) error {
		var r StreamRecord
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		lines++
		if n, err := strconv.ParseInt(r.Seq, 10, 64); err == nil && n > s.streams.seq {
			s.streams.seq = n
		}
		if r.At.After(cutoff) {
			st.records = append(st.records, r)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("table %s: stream log: %w", name, err)
	}
	if lines > 2*len(st.records)+1000 {
		// Rewrite the log without the expired records.
		if err := s.streamsColl().Delete(name); err != nil {
			return err
		}
		for _, r := range st.records {
			if err := s.streamsColl().Append(name, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropStream forgets a deleted table's stream.
func (s *Service) dropStream(name string) error {
	s.streams.mu.Lock()
	st := s.streams.byName[name]
	delete(s.streams.byName, name)
	s.streams.mu.Unlock()
	if st != nil {
		close(st.wake)
	}
	return s.streamsColl().Delete(name)
}

// change is what a write did to one item.
type change struct {
	table    string
	key      Item
	old, new Item
}

// identity is the userIdentity of a record written by DynamoDB itself (a
// TTL deletion).
type identity struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
}

// ttlIdentity marks the REMOVE records of expired items.
// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
var ttlIdentity = &identity{Type: "Service", PrincipalID: "dynamodb.amazonaws.com"}

// streamRecordJSON is a record in the Streams API's shape.
type streamRecordJSON struct {
	EventID      string    `json:"eventID"`
	EventName    string    `json:"eventName"`
	EventVersion string    `json:"eventVersion"`
	EventSource  string    `json:"eventSource"`
	AWSRegion    string    `json:"awsRegion"`
	Dynamodb     ddbRecord `json:"dynamodb"`
	UserIdentity *identity `json:"userIdentity,omitempty"`
}

type ddbRecord struct {
	ApproximateCreationDateTime int64  `json:"ApproximateCreationDateTime"`
	Keys                        Item   `json:"Keys"`
	NewImage                    Item   `json:"NewImage,omitempty"`
	OldImage                    Item   `json:"OldImage,omitempty"`
	SequenceNumber              string `json:"SequenceNumber"`
	SizeBytes                   int    `json:"SizeBytes"`
	StreamViewType              string `json:"StreamViewType"`
}

// record writes the stream records of a write's changes: INSERT, MODIFY
// or REMOVE, with the images the stream's view type asks for. A write that
// changed nothing writes no record, as DynamoDB does. The caller holds
// writeMu, so records follow the order of the writes.
func (s *Service) record(changes []change, who *identity) error {
	now := s.env.Clock.Now().UTC()
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	for _, c := range changes {
		st := s.streams.byName[c.table]
		if st == nil || st.viewType == "" {
			continue
		}
		var name string
		switch {
		case c.old == nil && c.new == nil:
			continue
		case c.old == nil:
			name = "INSERT"
		case c.new == nil:
			name = "REMOVE"
		default:
			if reflect.DeepEqual(normalize(c.old), normalize(c.new)) {
				continue
			}
			name = "MODIFY"
		}
		s.streams.seq++
		seq := fmt.Sprintf("%021d", s.streams.seq)
		r := streamRecordJSON{EventID: core.NewRequestID(), EventName: name, EventVersion: "1.1", EventSource: "aws:dynamodb",
			AWSRegion: s.env.Region, UserIdentity: who,
			Dynamodb: ddbRecord{ApproximateCreationDateTime: now.Unix(), Keys: c.key, SequenceNumber: seq, StreamViewType: st.viewType}}
		if st.viewType == "NEW_IMAGE" || st.viewType == "NEW_AND_OLD_IMAGES" {
			r.Dynamodb.NewImage = c.new
		}
		if st.viewType == "OLD_IMAGE" || st.viewType == "NEW_AND_OLD_IMAGES" {
			r.Dynamodb.OldImage = c.old
		}
		size, _ := json.Marshal([]Item{c.key, r.Dynamodb.NewImage, r.Dynamodb.OldImage})
		r.Dynamodb.SizeBytes = len(size) - 14 // the brackets and nulls are not the record's
		raw, err := json.Marshal(r)
		if err != nil {
			return err
		}
		rec := StreamRecord{Seq: seq, At: now, Rec: raw}
		if err := s.streamsColl().Append(c.table, rec); err != nil {
			return fmt.Errorf("dynamodb: logging a stream record of table %s: %w", c.table, err)
		}
		st.records = append(st.records, rec)
		close(st.wake)
		st.wake = make(chan struct{})
	}
	return nil
}

// normalize gives an item a canonical JSON form for comparison.
func normalize(it Item) any {
	b, _ := json.Marshal(it)
	var v any
	_ = json.Unmarshal(bytes.TrimSpace(b), &v)
	return v
}

// streamByARN finds a stream by ARN, dropping expired records. The caller
// holds s.streams.mu.
func (s *Service) streamByARNLocked(arn string) (*stream, string, bool) {
	for name, st := range s.streams.byName {
		if st.arn == arn {
			cutoff := s.env.Clock.Now().Add(-streamRetention)
			i := sort.Search(len(st.records), func(i int) bool { return st.records[i].At.After(cutoff) })
			if i > 0 {
				st.records = append([]StreamRecord(nil), st.records[i:]...)
			}
			return st, name, true
		}
	}
	return nil, "", false
}

// CheckStream reports whether a stream exists (for event source mappings).
func (s *Service) CheckStream(arn string) error {
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	if _, _, ok := s.streamByARNLocked(arn); !ok {
		return errStreamNotFound(arn)
	}
	return nil
}

// StreamStart returns the position before the first record a reader
// starting at TRIM_HORIZON ("", before every kept record) or LATEST (the
// last record's sequence number) reads.
func (s *Service) StreamStart(arn, position string) (string, error) {
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	st, _, ok := s.streamByARNLocked(arn)
	if !ok {
		return "", errStreamNotFound(arn)
	}
	if position == "LATEST" && len(st.records) > 0 {
		return st.records[len(st.records)-1].Seq, nil
	}
	return "", nil
}

// StreamAfter returns up to max records after the sequence number after
// ("" for the oldest kept), oldest first.
func (s *Service) StreamAfter(arn, after string, max int) ([]StreamRecord, error) {
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	st, _, ok := s.streamByARNLocked(arn)
	if !ok {
		return nil, errStreamNotFound(arn)
	}
	i := sort.Search(len(st.records), func(i int) bool { return st.records[i].Seq > after })
	end := min(i+max, len(st.records))
	return append([]StreamRecord(nil), st.records[i:end]...), nil
}

// StreamWait returns a channel closed when a record is added to the stream
// (or the stream is deleted).
func (s *Service) StreamWait(arn string) <-chan struct{} {
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	st, _, ok := s.streamByARNLocked(arn)
	if !ok {
		c := make(chan struct{})
		close(c)
		return c
	}
	return st.wake
}

func errStreamNotFound(arn string) error {
	return core.Errorf(400, "ResourceNotFoundException", "Requested resource not found: Stream: %s not found", arn)
}
