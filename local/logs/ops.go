package logs

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// groupName resolves logGroupName or logGroupIdentifier (a name or an ARN).
func groupName(name, identifier string) (string, error) {
	switch {
	case name != "" && identifier != "":
		return "", errInvalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != "":
		return name, nil
	case identifier != "":
		if _, rest, ok := strings.Cut(identifier, ":log-group:"); ok {
			return strings.TrimSuffix(rest, ":*"), nil
		}
		return identifier, nil
	}
	return "", errInvalid("Either logGroupName or logGroupIdentifier must be specified.")
}

// pageToken encodes an offset or a name for nextToken.
func pageToken(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func fromPageToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", errInvalid("The specified nextToken is invalid.")
	}
	return string(b), nil
}

func limitOf(limit *int, def, maxLimit int) (int, error) {
	if limit == nil {
		return def, nil
	}
	if *limit < 1 || *limit > maxLimit {
		return 0, errInvalid("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *limit, maxLimit)
	}
	return *limit, nil
}

func (s *Service) createLogGroup(_ context.Context, in struct {
	LogGroupName  string            `json:"logGroupName"`
	KmsKeyID      string            `json:"kmsKeyId"`
	Tags          map[string]string `json:"tags"`
	LogGroupClass string            `json:"logGroupClass"`
}) (any, error) {
	switch in.LogGroupClass {
	case "", "STANDARD", "INFREQUENT_ACCESS":
	default:
		return nil, errInvalid("logGroupClass %q is not STANDARD or INFREQUENT_ACCESS", in.LogGroupClass)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return nil, s.createGroupLocked(groupMeta{Name: in.LogGroupName, KMSKeyID: in.KmsKeyID, Tags: in.Tags, Class: in.LogGroupClass})
}

func (s *Service) deleteLogGroup(_ context.Context, in struct {
	LogGroupName string `json:"logGroupName"`
}) (any, error) {
	return nil, s.DeleteLogGroup(in.LogGroupName)
}

func (s *Service) putRetentionPolicy(_ context.Context, in struct {
	LogGroupName    string `json:"logGroupName"`
	RetentionInDays int    `json:"retentionInDays"`
}) (any, error) {
	if in.RetentionInDays == 0 {
		return nil, errInvalid("retentionInDays is required")
	}
	return nil, s.SetRetention(in.LogGroupName, in.RetentionInDays)
}

func (s *Service) deleteRetentionPolicy(_ context.Context, in struct {
	LogGroupName string `json:"logGroupName"`
}) (any, error) {
	return nil, s.SetRetention(in.LogGroupName, 0)
}

func (s *Service) describeLogGroups(_ context.Context, in struct {
	LogGroupNamePrefix  string `json:"logGroupNamePrefix"`
	LogGroupNamePattern string `json:"logGroupNamePattern"`
	NextToken           string `json:"nextToken"`
	Limit               *int   `json:"limit"`
}) (any, error) {
	if in.LogGroupNamePrefix != "" && in.LogGroupNamePattern != "" {
		return nil, errInvalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	limit, err := limitOf(in.Limit, 50, 50)
	if err != nil {
		return nil, err
	}
	after := ""
	if in.NextToken != "" {
		if after, err = fromPageToken(in.NextToken); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.groups))
	for n := range s.groups {
		if n > after && strings.HasPrefix(n, in.LogGroupNamePrefix) &&
			strings.Contains(strings.ToLower(n), strings.ToLower(in.LogGroupNamePattern)) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := struct {
		LogGroups []wireLogGroup `json:"logGroups"`
		NextToken string         `json:"nextToken,omitempty"`
	}{LogGroups: []wireLogGroup{}}
	if len(names) > limit {
		names = names[:limit]
		out.NextToken = pageToken(names[limit-1])
	}
	for _, n := range names {
		g := s.groups[n]
		w := wireLogGroup{LogGroupName: n, CreationTime: g.meta.Created, Arn: s.groupARN(n) + ":*", LogGroupArn: s.groupARN(n),
			KmsKeyID: g.meta.KMSKeyID, LogGroupClass: g.meta.Class}
		if g.meta.RetentionInDays > 0 {
			days := g.meta.RetentionInDays
			w.RetentionInDays = &days
		}
		for _, st := range g.streams {
			w.StoredBytes += st.meta.StoredBytes
		}
		out.LogGroups = append(out.LogGroups, w)
	}
	return out, nil
}

func (s *Service) createLogStream(_ context.Context, in struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
}) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupLocked(in.LogGroupName)
	if err != nil {
		return nil, err
	}
	return nil, s.createStreamLocked(g, in.LogStreamName)
}

func (s *Service) deleteLogStream(_ context.Context, in struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
}) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupLocked(in.LogGroupName)
	if err != nil {
		return nil, err
	}
	if _, ok := g.streams[in.LogStreamName]; !ok {
		return nil, errNotFound("The specified log stream does not exist.")
	}
	if err := s.streamsColl(in.LogGroupName).Delete(in.LogStreamName); err != nil {
		return nil, err
	}
	delete(g.streams, in.LogStreamName)
	return nil, nil
}

func (s *Service) describeLogStreams(_ context.Context, in struct {
	LogGroupName        string `json:"logGroupName"`
	LogGroupIdentifier  string `json:"logGroupIdentifier"`
	LogStreamNamePrefix string `json:"logStreamNamePrefix"`
	OrderBy             string `json:"orderBy"`
	Descending          bool   `json:"descending"`
	NextToken           string `json:"nextToken"`
	Limit               *int   `json:"limit"`
}) (any, error) {
	name, err := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	switch in.OrderBy {
	case "", "LogStreamName":
	case "LastEventTime":
		if in.LogStreamNamePrefix != "" {
			return nil, errInvalid("Cannot order by LastEventTime with a logStreamNamePrefix.")
		}
	default:
		return nil, errInvalid("orderBy %q is not LogStreamName or LastEventTime", in.OrderBy)
	}
	limit, err := limitOf(in.Limit, 50, 50)
	if err != nil {
		return nil, err
	}
	offset, err := pageOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupLocked(name)
	if err != nil {
		return nil, err
	}
	var streams []*stream
	for n, st := range g.streams {
		if strings.HasPrefix(n, in.LogStreamNamePrefix) {
			streams = append(streams, st)
		}
	}
	sort.Slice(streams, func(i, j int) bool {
		a, b := streams[i].meta, streams[j].meta
		if in.OrderBy == "LastEventTime" && a.LastEvent != b.LastEvent {
			return (a.LastEvent < b.LastEvent) != in.Descending
		}
		return (a.Name < b.Name) != in.Descending
	})
	out := struct {
		LogStreams []wireLogStream `json:"logStreams"`
		NextToken  string          `json:"nextToken,omitempty"`
	}{LogStreams: []wireLogStream{}}
	if offset > len(streams) {
		offset = len(streams)
	}
	streams = streams[offset:]
	if len(streams) > limit {
		streams = streams[:limit]
		out.NextToken = pageToken(strconv.Itoa(offset + limit))
	}
	for _, st := range streams {
		m := st.meta
		w := wireLogStream{LogStreamName: m.Name, CreationTime: m.Created, StoredBytes: m.StoredBytes,
			Arn: s.groupARN(name) + ":log-stream:" + m.Name}
		if m.LastEvent != 0 {
			first, last, ingest := m.FirstEvent, m.LastEvent, m.LastIngestion
			w.FirstEventTimestamp, w.LastEventTimestamp, w.LastIngestionTime = &first, &last, &ingest
		}
		out.LogStreams = append(out.LogStreams, w)
	}
	return out, nil
}

// PutLogEvents limits, from the API reference.
const (
	maxBatchEvents = 10000
	maxBatchBytes  = 1048576
	maxPast        = 14 * 24 * time.Hour
	maxFuture      = 2 * time.Hour
)

func (s *Service) putLogEvents(_ context.Context, in struct {
	LogGroupName  string `json:"logGroupName"`
	LogStreamName string `json:"logStreamName"`
	LogEvents     []struct {
		Timestamp *int64  `json:"timestamp"`
		Message   *string `json:"message"`
	} `json:"logEvents"`
	SequenceToken string `json:"sequenceToken"`
}) (any, error) {
	if len(in.LogEvents) == 0 || len(in.LogEvents) > maxBatchEvents {
		return nil, errInvalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and %d", maxBatchEvents)
	}
	now := s.now()
	nowMS := ms(now)
	size := 0
	var accepted []storedEvent
	rejected := struct {
		TooNewLogEventStartIndex *int `json:"tooNewLogEventStartIndex,omitempty"`
		TooOldLogEventEndIndex   *int `json:"tooOldLogEventEndIndex,omitempty"`
	}{}
	for i, e := range in.LogEvents {
		if e.Timestamp == nil || e.Message == nil {
			return nil, errInvalid("logEvents[%d]: timestamp and message are required", i)
		}
		if i > 0 && *e.Timestamp < *in.LogEvents[i-1].Timestamp {
			return nil, errInvalid("Log events in a single PutLogEvents request must be in chronological order.")
		}
		if *e.Timestamp-*in.LogEvents[0].Timestamp > (24 * time.Hour).Milliseconds() {
			return nil, errInvalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
		}
		size += len(*e.Message) + 26
		switch {
		case *e.Timestamp < nowMS-maxPast.Milliseconds():
			idx := i
			rejected.TooOldLogEventEndIndex = &idx
		case *e.Timestamp > nowMS+maxFuture.Milliseconds():
			if rejected.TooNewLogEventStartIndex == nil {
				idx := i
				rejected.TooNewLogEventStartIndex = &idx
			}
		default:
			accepted = append(accepted, storedEvent{T: *e.Timestamp, M: *e.Message, I: nowMS})
		}
	}
	if size > maxBatchBytes {
		return nil, errInvalid("The maximum batch size is %d bytes", maxBatchBytes)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupLocked(in.LogGroupName)
	if err != nil {
		return nil, err
	}
	st, err := s.streamLocked(g, in.LogStreamName)
	if err != nil {
		return nil, err
	}
	if err := s.appendLocked(g, st, accepted); err != nil {
		return nil, err
	}
	out := map[string]any{"nextSequenceToken": fmt.Sprintf("%056d", len(st.events))}
	if rejected.TooNewLogEventStartIndex != nil || rejected.TooOldLogEventEndIndex != nil {
		out["rejectedLogEventsInfo"] = rejected
	}
	return out, nil
}

// window returns the events of st in [start, end) (zero means unbounded).
func window(events []storedEvent, start, end *int64) []storedEvent {
	lo, hi := 0, len(events)
	if start != nil {
		lo = sort.Search(len(events), func(i int) bool { return events[i].T >= *start })
	}
	if end != nil {
		hi = sort.Search(len(events), func(i int) bool { return events[i].T >= *end })
	}
	if lo > hi {
		return nil
	}
	return events[lo:hi]
}

// GetLogEvents tokens are "f/<index>" and "b/<index>" into the window: the
// forward token at the end equals the one passed in, which is how the SDK
// paginator and the CLI know to stop.
func eventToken(dir byte, i int) string { return fmt.Sprintf("%c/%056d", dir, i) }

func (s *Service) getLogEvents(_ context.Context, in struct {
	LogGroupName       string `json:"logGroupName"`
	LogGroupIdentifier string `json:"logGroupIdentifier"`
	LogStreamName      string `json:"logStreamName"`
	StartTime          *int64 `json:"startTime"`
	EndTime            *int64 `json:"endTime"`
	NextToken          string `json:"nextToken"`
	Limit              *int   `json:"limit"`
	StartFromHead      bool   `json:"startFromHead"`
}) (any, error) {
	name, err := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	limit, err := limitOf(in.Limit, 10000, 10000)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupLocked(name)
	if err != nil {
		return nil, err
	}
	st, err := s.streamLocked(g, in.LogStreamName)
	if err != nil {
		return nil, err
	}
	events := window(st.events, in.StartTime, in.EndTime)
	n := len(events)
	var lo, hi int
	switch {
	case in.NextToken != "":
		dir, idx, ok := strings.Cut(in.NextToken, "/")
		i, perr := strconv.Atoi(idx)
		if !ok || perr != nil || i < 0 || (dir != "f" && dir != "b") {
			return nil, errInvalid("The specified nextToken is invalid.")
		}
		i = min(i, n)
		if dir == "f" {
			lo, hi = i, min(i+limit, n)
		} else {
			lo, hi = max(0, i-limit), i
		}
	case in.StartFromHead:
		lo, hi = 0, min(limit, n)
	default:
		lo, hi = max(0, n-limit), n
	}
	out := struct {
		Events            []wireOutputEvent `json:"events"`
		NextForwardToken  string            `json:"nextForwardToken"`
		NextBackwardToken string            `json:"nextBackwardToken"`
	}{Events: make([]wireOutputEvent, 0, hi-lo), NextForwardToken: eventToken('f', hi), NextBackwardToken: eventToken('b', lo)}
	for _, e := range events[lo:hi] {
		out.Events = append(out.Events, wireOutputEvent{Timestamp: e.T, Message: e.M, IngestionTime: e.I})
	}
	return out, nil
}

func (s *Service) filterLogEvents(_ context.Context, in struct {
	LogGroupName        string   `json:"logGroupName"`
	LogGroupIdentifier  string   `json:"logGroupIdentifier"`
	LogStreamNames      []string `json:"logStreamNames"`
	LogStreamNamePrefix string   `json:"logStreamNamePrefix"`
	StartTime           *int64   `json:"startTime"`
	EndTime             *int64   `json:"endTime"`
	FilterPattern       string   `json:"filterPattern"`
	NextToken           string   `json:"nextToken"`
	Limit               *int     `json:"limit"`
}) (any, error) {
	name, err := groupName(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != "" {
		return nil, errInvalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	}
	limit, err := limitOf(in.Limit, 10000, 10000)
	if err != nil {
		return nil, err
	}
	match, err := compileFilter(in.FilterPattern)
	if err != nil {
		return nil, err
	}
	offset, err := pageOffset(in.NextToken)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupLocked(name)
	if err != nil {
		return nil, err
	}
	var names []string
	if len(in.LogStreamNames) > 0 {
		for _, n := range in.LogStreamNames {
			if _, ok := g.streams[n]; !ok {
				return nil, errNotFound("The specified log stream does not exist: %s", n)
			}
			names = append(names, n)
		}
	} else {
		for n := range g.streams {
			if strings.HasPrefix(n, in.LogStreamNamePrefix) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	var matched []wireFilteredEvent
	type searched struct {
		LogStreamName      string `json:"logStreamName"`
		SearchedCompletely bool   `json:"searchedCompletely"`
	}
	var searchedStreams []searched
	for _, n := range names {
		st, err := s.streamLocked(g, n)
		if err != nil {
			return nil, err
		}
		for i, e := range window(st.events, in.StartTime, in.EndTime) {
			if match(e.M) {
				matched = append(matched, wireFilteredEvent{LogStreamName: n, Timestamp: e.T, Message: e.M, IngestionTime: e.I,
					EventID: fmt.Sprintf("%020d%s%06d", e.T, pageToken(n), i)})
			}
		}
		searchedStreams = append(searchedStreams, searched{LogStreamName: n, SearchedCompletely: true})
	}
	sort.SliceStable(matched, func(i, j int) bool { return matched[i].Timestamp < matched[j].Timestamp })
	out := struct {
		Events             []wireFilteredEvent `json:"events"`
		SearchedLogStreams []searched          `json:"searchedLogStreams"`
		NextToken          string              `json:"nextToken,omitempty"`
	}{Events: []wireFilteredEvent{}, SearchedLogStreams: searchedStreams}
	offset = min(offset, len(matched))
	matched = matched[offset:]
	if len(matched) > limit {
		matched = matched[:limit]
		out.NextToken = pageToken(strconv.Itoa(offset + limit))
	}
	out.Events = append(out.Events, matched...)
	return out, nil
}

// pageOffset reads a listing's nextToken as the offset of its next page
// ("" is the first page).
func pageOffset(token string) (int, error) {
	if token == "" {
		return 0, nil
	}
	tok, err := fromPageToken(token)
	if err != nil {
		return 0, err
	}
	offset, err := strconv.Atoi(tok)
	if err != nil || offset < 0 {
		return 0, errInvalid("The specified nextToken is invalid.")
	}
	return offset, nil
}
