package logs

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// TargetPrefix is the X-Amz-Target prefix of CloudWatch Logs.
const TargetPrefix = "Logs_20140328"

// Service implements CloudWatch Logs. Build it with [New].
type Service struct {
	core.JSONService
	env *core.Env
	log logrus.FieldLogger

	mu     sync.Mutex
	groups map[string]*group
}

var (
	_ core.Service = (*Service)(nil)
	_ core.Matcher = (*Service)(nil)
)

// New builds the CloudWatch Logs service, reloading its log groups; streams
// and events load on first use.
func New(env *core.Env) (core.Service, error) {
	s := &Service{env: env, log: env.Log.WithField(core.FieldService, "logs"), groups: map[string]*group{}}
	s.JSONService = core.JSONService{
		Service:      "CloudWatch Logs",
		TargetPrefix: TargetPrefix,
		ContentType:  "application/x-amz-json-1.1",
		Operations: map[string]core.JSONOperation{
			"CreateLogGroup":        core.Op(s.createLogGroup),
			"DeleteLogGroup":        core.Op(s.deleteLogGroup),
			"DescribeLogGroups":     core.Op(s.describeLogGroups),
			"PutRetentionPolicy":    core.Op(s.putRetentionPolicy),
			"DeleteRetentionPolicy": core.Op(s.deleteRetentionPolicy),
			"CreateLogStream":       core.Op(s.createLogStream),
			"DeleteLogStream":       core.Op(s.deleteLogStream),
			"DescribeLogStreams":    core.Op(s.describeLogStreams),
			"PutLogEvents":          core.Op(s.putLogEvents),
			"GetLogEvents":          core.Op(s.getLogEvents),
			"FilterLogEvents":       core.Op(s.filterLogEvents),
		},
	}
	err := store.ScanAs(s.groupsColl(), "log group", func(name string, m groupMeta) error {
		s.groups[name] = &group{meta: m}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("logs: reloading state: %w", err)
	}
	return s, nil
}

// Name returns "logs", CloudWatch Logs' signing name.
func (s *Service) Name() string { return "logs" }

// Match claims unsigned requests whose X-Amz-Target is a Logs operation.
func (s *Service) Match(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix+".")
}

func (s *Service) groupsColl() *store.Collection { return s.env.Store.Collection("logs", "groups") }
func (s *Service) streamsColl(g string) *store.Collection {
	return s.env.Store.Collection("logs", "streams", g)
}

func (s *Service) groupARN(name string) string { return s.env.ARN("logs", "log-group:"+name) }

// groupLocked returns a group with its streams loaded; s.mu is held.
func (s *Service) groupLocked(name string) (*group, error) {
	g := s.groups[name]
	if g == nil {
		return nil, errNotFound("The specified log group does not exist.")
	}
	if g.streams == nil {
		streams := map[string]*stream{}
		err := store.ScanAs(s.streamsColl(name), "log stream", func(key string, m streamMeta) error {
			streams[m.Name] = &stream{meta: m}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("loading log group %s: %w", name, err)
		}
		g.streams = streams
	}
	return g, nil
}

// streamLocked returns a stream with its events loaded; s.mu is held.
func (s *Service) streamLocked(g *group, name string) (*stream, error) {
	st := g.streams[name]
	if st == nil {
		return nil, errNotFound("The specified log stream does not exist.")
	}
	if st.events == nil {
		events := []storedEvent{}
		err := s.streamsColl(g.meta.Name).ReadLog(name, func(raw json.RawMessage) error {
			var e storedEvent
			if err := json.Unmarshal(raw, &e); err != nil {
				return err
			}
			events = append(events, e)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("loading log stream %s/%s: %w", g.meta.Name, name, err)
		}
		// Batches are appended as they come; a late batch may hold older
		// events, so order them once on load.
		sort.SliceStable(events, func(i, j int) bool { return events[i].T < events[j].T })
		st.events = events
	}
	return st, nil
}

// CreateLogGroup creates a log group; ResourceAlreadyExistsException if it
// exists.
func (s *Service) CreateLogGroup(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createGroupLocked(groupMeta{Name: name})
}

func (s *Service) createGroupLocked(m groupMeta) error {
	if !groupNamePattern.MatchString(m.Name) {
		return errInvalid("1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+", m.Name)
	}
	if _, ok := s.groups[m.Name]; ok {
		return errExists("The specified log group already exists")
	}
	m.Created = ms(s.env.Clock.Now())
	if m.Class == "" {
		m.Class = "STANDARD"
	}
	if err := s.groupsColl().Put(m.Name, m); err != nil {
		return err
	}
	s.groups[m.Name] = &group{meta: m, streams: map[string]*stream{}}
	return nil
}

// DeleteLogGroup deletes a log group with its streams and events.
func (s *Service) DeleteLogGroup(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.groups[name]; !ok {
		return errNotFound("The specified log group does not exist.")
	}
	if err := s.groupsColl().Delete(name); err != nil {
		return err
	}
	delete(s.groups, name)
	return s.streamsColl(name).Drop()
}

// SetRetention sets (days > 0) or removes (days == 0) a group's retention.
func (s *Service) SetRetention(name string, days int) error {
	if days != 0 && !validRetention(days) {
		return errInvalid("1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: %v", days, retentionDays)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[name]
	if !ok {
		return errNotFound("The specified log group does not exist.")
	}
	m := g.meta
	m.RetentionInDays = days
	if err := s.groupsColl().Put(name, m); err != nil {
		return err
	}
	g.meta = m
	return nil
}

var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func validRetention(days int) bool {
	i := sort.SearchInts(retentionDays, days)
	return i < len(retentionDays) && retentionDays[i] == days
}

// Groups returns the names of the log groups, sorted.
func (s *Service) Groups() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.groups))
	for n := range s.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Append adds events to group/stream, creating the group and the stream if
// they do not exist: the way the Lambda service writes a function's output
// to /aws/lambda/<name>. Events need not be in order; a zero Timestamp means
// now and a zero IngestionTime is set to now.
func (s *Service) Append(groupName, streamName string, events ...Event) error {
	now := s.env.Clock.Now()
	stored := make([]storedEvent, len(events))
	for i, e := range events {
		if e.Timestamp.IsZero() {
			e.Timestamp = now
		}
		if e.IngestionTime.IsZero() {
			e.IngestionTime = now
		}
		stored[i] = storedEvent{T: ms(e.Timestamp), M: e.Message, I: ms(e.IngestionTime)}
	}
	sort.SliceStable(stored, func(i, j int) bool { return stored[i].T < stored[j].T })
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.groups[groupName]; !ok {
		if err := s.createGroupLocked(groupMeta{Name: groupName}); err != nil {
			return err
		}
	}
	g, err := s.groupLocked(groupName)
	if err != nil {
		return err
	}
	if _, ok := g.streams[streamName]; !ok {
		if err := s.createStreamLocked(g, streamName); err != nil {
			return err
		}
	}
	st, err := s.streamLocked(g, streamName)
	if err != nil {
		return err
	}
	return s.appendLocked(g, st, stored)
}

// Events returns the events of group/stream in timestamp order.
func (s *Service) Events(groupName, streamName string) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupLocked(groupName)
	if err != nil {
		return nil, err
	}
	st, err := s.streamLocked(g, streamName)
	if err != nil {
		return nil, err
	}
	out := make([]Event, len(st.events))
	for i, e := range st.events {
		out[i] = Event{Timestamp: fromMS(e.T), Message: e.M, IngestionTime: fromMS(e.I)}
	}
	return out, nil
}

func (s *Service) createStreamLocked(g *group, name string) error {
	if !streamNamePattern.MatchString(name) {
		return errInvalid("1 validation error detected: Value '%s' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*", name)
	}
	if _, ok := g.streams[name]; ok {
		return errExists("The specified log stream already exists")
	}
	m := streamMeta{Name: name, Created: ms(s.env.Clock.Now())}
	if err := s.streamsColl(g.meta.Name).Put(name, m); err != nil {
		return err
	}
	g.streams[name] = &stream{meta: m, events: []storedEvent{}}
	return nil
}

// appendLocked stores events (sorted by timestamp) durably, then in memory,
// keeping the stream's events in timestamp order.
func (s *Service) appendLocked(g *group, st *stream, events []storedEvent) error {
	if len(events) == 0 {
		return nil
	}
	batch := make([]any, len(events))
	for i := range events {
		batch[i] = events[i]
	}
	if err := s.streamsColl(g.meta.Name).Append(st.meta.Name, batch...); err != nil {
		return err
	}
	m := st.meta
	for _, e := range events {
		if m.FirstEvent == 0 || e.T < m.FirstEvent {
			m.FirstEvent = e.T
		}
		m.LastEvent = max(m.LastEvent, e.T)
		m.LastIngestion = max(m.LastIngestion, e.I)
		m.StoredBytes += int64(len(e.M)) + 26 // AWS counts the message plus a fixed overhead
	}
	if err := s.streamsColl(g.meta.Name).Put(st.meta.Name, m); err != nil {
		return err
	}
	st.meta = m
	inOrder := len(st.events) == 0 || st.events[len(st.events)-1].T <= events[0].T
	st.events = append(st.events, events...)
	if !inOrder {
		sort.SliceStable(st.events, func(i, j int) bool { return st.events[i].T < st.events[j].T })
	}
	return nil
}

func (s *Service) now() time.Time { return s.env.Clock.Now() }
