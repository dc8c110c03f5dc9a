package events

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/sparta-go/sparta/internal/eventpattern"
	"github.com/sparta-go/sparta/local/core"
)

// Entry is one event of PutEvents.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html
type Entry struct {
	Source       string
	DetailType   string
	Detail       string
	Resources    []string `json:",omitempty"`
	EventBusName string   `json:",omitempty"`
	// Time is the event's time in epoch seconds (awsJson's timestamp);
	// nil is now.
	Time        *float64 `json:",omitempty"`
	TraceHeader string   `json:",omitempty"`
}

// ResultEntry is one entry of PutEvents' answer: an EventId, or an error.
type ResultEntry struct {
	EventId      string `json:",omitempty"`
	ErrorCode    string `json:",omitempty"`
	ErrorMessage string `json:",omitempty"`
}

// PutEventsResult is PutEvents' answer.
type PutEventsResult struct {
	FailedEntryCount int
	Entries          []ResultEntry
}

// envelope is an event as EventBridge delivers it, fields in AWS's order.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
type envelope struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// PutEvents puts events on their buses and delivers each to the targets
// of the enabled rules whose pattern it matches. Entries fail one by one,
// as on AWS; the call fails only when it is malformed as a whole.
func (s *Service) PutEvents(entries []Entry) (PutEventsResult, error) {
	if len(entries) == 0 || len(entries) > maxEntriesPerPut {
		return PutEventsResult{}, errValidation("1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to %d and greater than or equal to 1", maxEntriesPerPut)
	}
	res := PutEventsResult{Entries: make([]ResultEntry, len(entries))}
	now := s.env.Clock.Now().UTC()
	for i, e := range entries {
		id, err := s.putEvent(e, now)
		if err != nil {
			ce := core.AsError(err)
			res.Entries[i] = ResultEntry{ErrorCode: ce.Code, ErrorMessage: ce.Message}
			res.FailedEntryCount++
			continue
		}
		res.Entries[i] = ResultEntry{EventId: id}
	}
	return res, nil
}

func entryError(code, format string, args ...any) error {
	return core.Errorf(400, code, format, args...)
}

func (s *Service) putEvent(e Entry, now time.Time) (string, error) {
	switch {
	case e.Source == "":
		return "", entryError("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.")
	case e.DetailType == "":
		return "", entryError("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.")
	case e.Detail == "":
		return "", entryError("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.")
	case strings.HasPrefix(e.Source, "aws."):
		return "", entryError("NotAuthorizedForSourceException", "Not authorized for the source.")
	}
	var detail map[string]any
	if dec := json.NewDecoder(strings.NewReader(e.Detail)); dec.Decode(&detail) != nil || detail == nil {
		return "", entryError("MalformedDetail", "Detail is malformed.")
	}
	t := now
	if e.Time != nil {
		t = time.Unix(0, int64(*e.Time*1e9)).UTC()
	}
	bus := busNameOf(e.EventBusName)
	s.mu.Lock()
	_, ok := s.buses[bus]
	s.mu.Unlock()
	if !ok {
		return "", entryError(codeNotFound, "Event bus %s does not exist.", bus)
	}
	env := envelope{Version: "0", ID: core.NewRequestID(), DetailType: e.DetailType, Source: e.Source, Account: s.env.AccountID,
		Time: t.Format(timeLayout), Region: s.env.Region, Resources: e.Resources, Detail: json.RawMessage(e.Detail)}
	if env.Resources == nil {
		env.Resources = []string{}
	}
	raw, err := json.Marshal(env)
	if err != nil {
		return "", entryError("MalformedDetail", "Detail is malformed.")
	}
	if len(raw) > maxEventSize {
		return "", entryError("InvalidArgument", "Total size of the entries in the request is over the limit.")
	}
	s.route(bus, raw, now)
	return env.ID, nil
}

// route delivers an event to the targets of every enabled rule of bus
// whose pattern matches it.
func (s *Service) route(bus string, raw []byte, ingested time.Time) {
	event := decodeEvent(raw)
	s.mu.Lock()
	var matched []Rule
	for _, r := range s.rulesOfLocked(bus) {
		if r.enabled() && r.pattern != nil && r.pattern.MatchValue(event) {
			matched = append(matched, r.Rule)
		}
	}
	s.mu.Unlock()
	for _, r := range matched {
		s.dispatch(r, &delivery{event: event, raw: raw, ruleARN: r.Arn, ruleName: r.Name, ingested: ingested.Format(time.RFC3339Nano)})
	}
}

func decodeEvent(raw []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	_ = dec.Decode(&m)
	return m
}

// TestEventPattern reports whether event matches pattern, as EventBridge
// does; the event must carry the fields every event has (id, account,
// source, time, region, resources, detail-type).
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
func (s *Service) TestEventPattern(pattern, event string) (bool, error) {
	p, err := eventpattern.Compile(pattern)
	if err != nil {
		return false, errPattern(err)
	}
	m := decodeEvent([]byte(event))
	if m == nil {
		return false, errValidation("Parameter Event is not valid.")
	}
	for _, k := range []string{"id", "account", "source", "time", "region", "detail-type"} {
		if _, ok := m[k].(string); !ok {
			return false, errValidation("Parameter Event is not valid. Reason: Provided Event is missing required field %q.", k)
		}
	}
	if _, ok := m["resources"].([]any); !ok {
		return false, errValidation("Parameter Event is not valid. Reason: Provided Event is missing required field \"resources\".")
	}
	return p.MatchValue(m), nil
}

// PutEventsJSON is PutEvents for callers in other packages of the local
// cloud that speak its wire form (the Step Functions events:putEvents
// integration): request is PutEvents' JSON request, the answer its JSON
// response.
func (s *Service) PutEventsJSON(_ context.Context, request []byte) ([]byte, error) {
	var in struct{ Entries []Entry }
	if err := core.DecodeJSON(request, &in); err != nil {
		return nil, err
	}
	out, err := s.PutEvents(in.Entries)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}
