package events

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/internal/eventpattern"
	"github.com/sparta-go/sparta/internal/schedule"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// TargetPrefix is the X-Amz-Target prefix of EventBridge's operations.
const TargetPrefix = "AWSEvents"

// Service implements EventBridge. Build it with [New].
type Service struct {
	env  *core.Env
	log  logrus.FieldLogger
	json core.JSONService

	mu    sync.Mutex
	buses map[string]*Bus
	rules map[string]*rule // by ruleKey(bus, name)

	sched *scheduler
	// deliveries tracks the target deliveries in flight, which Close
	// waits for.
	deliveries sync.WaitGroup
	dmu        sync.Mutex // guards closing against deliveries.Add
	closing    bool
	closeOnce  sync.Once
	metrics    metrics
}

// rule is a stored rule with its compiled pattern and schedule.
type rule struct {
	Rule
	pattern  *eventpattern.Pattern
	schedule schedule.Schedule
}

var (
	_ core.Service = (*Service)(nil)
	_ core.Closer  = (*Service)(nil)
)

// New builds the EventBridge service, reloading its buses and rules, and
// starts the scheduler of its scheduled rules on env.Clock.
func New(env *core.Env) (core.Service, error) {
	s := &Service{
		env: env, log: env.Log.WithField(core.FieldService, "events"),
		buses: map[string]*Bus{}, rules: map[string]*rule{},
	}
	s.json = core.JSONService{Service: "EventBridge", TargetPrefix: TargetPrefix, ContentType: "application/x-amz-json-1.1", Operations: s.operations()}
	if err := s.reload(); err != nil {
		return nil, fmt.Errorf("events: reloading state: %w", err)
	}
	s.sched = newScheduler(s, env.Clock)
	return s, nil
}

// Name returns "events", EventBridge's signing name.
func (s *Service) Name() string { return "events" }

// ServeHTTP serves EventBridge's awsJson 1.1 API.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.json.ServeHTTP(w, r) }

// Close stops the scheduler and waits for the deliveries in flight.
func (s *Service) Close() error {
	s.closeOnce.Do(func() {
		s.sched.stop()
		s.dmu.Lock()
		s.closing = true
		s.dmu.Unlock()
	})
	s.deliveries.Wait()
	return nil
}

func (s *Service) busesColl() *store.Collection { return s.env.Store.Collection("events", "buses") }
func (s *Service) rulesColl() *store.Collection { return s.env.Store.Collection("events", "rules") }

func ruleKey(bus, name string) string { return bus + "|" + name }

// reload reads every bus and rule; the default bus is implicit.
func (s *Service) reload() error {
	s.buses[DefaultBus] = &Bus{Name: DefaultBus, Arn: s.busARN(DefaultBus)}
	if err := store.ScanAs(s.busesColl(), "event bus", func(_ string, b Bus) error {
		s.buses[b.Name] = &b
		return nil
	}); err != nil {
		return err
	}
	return store.ScanAs(s.rulesColl(), "rule", func(_ string, r Rule) error {
		c, err := compileRule(r)
		if err != nil {
			s.log.WithError(err).Warnf("events: rule %s on bus %s no longer compiles; it is kept but never matches", r.Name, r.EventBusName)
			c = &rule{Rule: r}
		}
		s.rules[ruleKey(r.EventBusName, r.Name)] = c
		return nil
	})
}

// compileRule compiles a rule's pattern and schedule, anchoring a rate()
// at the minute the rule was created, as EventBridge counts rates from
// the rule's creation.
func compileRule(r Rule) (*rule, error) {
	c := &rule{Rule: r}
	if r.EventPattern != "" {
		p, err := eventpattern.Compile(r.EventPattern)
		if err != nil {
			return nil, err
		}
		c.pattern = p
	}
	if r.ScheduleExpression != "" {
		sc, err := schedule.Parse(r.ScheduleExpression)
		if err != nil {
			return nil, err
		}
		if rate, ok := sc.(*schedule.Rate); ok {
			rate.Anchor = r.Created.UTC().Truncate(time.Minute)
		}
		c.schedule = sc
	}
	return c, nil
}

// busARN and ruleARN build EventBridge's ARNs: rules of the default bus
// are rule/NAME, others rule/BUS/NAME.
func (s *Service) busARN(name string) string { return s.env.ARN("events", "event-bus/"+name) }

func (s *Service) ruleARN(bus, name string) string {
	if bus == DefaultBus {
		return s.env.ARN("events", "rule/"+name)
	}
	return s.env.ARN("events", "rule/"+bus+"/"+name)
}

// busName reads an EventBusName parameter: empty is the default bus, an
// ARN names its bus.
func busNameOf(v string) string {
	if v == "" {
		return DefaultBus
	}
	if strings.HasPrefix(v, "arn:") {
		if _, name, ok := strings.Cut(v, ":event-bus/"); ok {
			return name
		}
	}
	return v
}

// ruleLocked returns a rule; the caller holds s.mu.
func (s *Service) ruleLocked(bus, name string) (*rule, error) {
	if _, ok := s.buses[bus]; !ok {
		return nil, errBusNotFound(bus)
	}
	r, ok := s.rules[ruleKey(bus, name)]
	if !ok {
		return nil, errRuleNotFound(name, bus)
	}
	return r, nil
}

// saveLocked writes a rule through to the store; the caller holds s.mu.
func (s *Service) saveLocked(r *rule) error {
	if err := s.rulesColl().Put(ruleKey(r.EventBusName, r.Name), r.Rule); err != nil {
		return err
	}
	s.rules[ruleKey(r.EventBusName, r.Name)] = r
	return nil
}

// rulesOf returns the rules of a bus, sorted by name.
func (s *Service) rulesOfLocked(bus string) []*rule {
	var out []*rule
	for _, r := range s.rules {
		if r.EventBusName == bus {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// enabled reports whether the rule matches and fires: ENABLED, or
// ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS (which on AWS also
// receives read-only management events; the local cloud has none).
func (r *rule) enabled() bool { return r.State != "DISABLED" }
