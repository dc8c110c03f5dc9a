package events

import (
	"encoding/json"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// scheduler fires the enabled scheduled rules of the default bus on the
// cloud's clock: one goroutine sleeps (clock.After) until the earliest
// next firing, or until a rule changes. A firing the cloud was not running
// for is not made up; after a jump of the clock a rule fires once and
// goes on from the present.
type scheduler struct {
	s     *Service
	clock core.Clock
	wakeC chan struct{}
	done  chan struct{}
	ended chan struct{}
	// next is each scheduled rule's next firing, with what it was
	// computed from (so a changed rule is recomputed).
	next map[string]planned
	// fired observes firings (scheduled time, actual time), for the
	// accuracy benchmark; nil in service.
	fired func(rule string, scheduled, actual time.Time)
	// started is the clock when the scheduler was made, read before its
	// goroutine runs: a rule is planned from its creation or from started,
	// whichever is later, never from whenever the goroutine first looks.
	started time.Time
}

type planned struct {
	expr    string
	created time.Time
	at      time.Time
}

func newScheduler(s *Service, clock core.Clock) *scheduler {
	sc := &scheduler{s: s, clock: clock, wakeC: make(chan struct{}, 1), done: make(chan struct{}), ended: make(chan struct{}), next: map[string]planned{}, started: clock.Now().UTC()}
	go sc.loop()
	return sc
}

// wake makes the scheduler look at the rules again.
func (sc *scheduler) wake() {
	select {
	case sc.wakeC <- struct{}{}:
	default:
	}
}

func (sc *scheduler) stop() {
	close(sc.done)
	<-sc.ended
}

func (sc *scheduler) loop() {
	defer close(sc.ended)
	for {
		now := sc.clock.Now().UTC()
		due, earliest := sc.plan(now)
		for _, f := range due {
			sc.fire(f.rule, f.at, now)
		}
		var timer <-chan time.Time
		if !earliest.IsZero() {
			timer = sc.clock.After(earliest.Sub(now))
			// The clock may have moved between Now and After (a test's
			// virtual clock, a slow plan): then After counts from the new
			// time, so look again rather than sleep past the firing.
			if !sc.clock.Now().Before(earliest) {
				continue
			}
		}
		select {
		case <-timer:
		case <-sc.wakeC:
		case <-sc.done:
			return
		}
	}
}

type firing struct {
	rule Rule
	at   time.Time
}

// plan returns the rules due at now (moving their next firing on) and the
// earliest next firing of all.
func (sc *scheduler) plan(now time.Time) ([]firing, time.Time) {
	s := sc.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []firing
	var earliest time.Time
	seen := map[string]bool{}
	for key, r := range s.rules {
		if r.schedule == nil || !r.enabled() {
			continue
		}
		seen[key] = true
		p, ok := sc.next[key]
		switch {
		case !ok:
			// A rule seen for the first time fires first at its schedule's
			// first time after it was created (or after the scheduler
			// started, for rules reloaded at a restart): planning from now
			// would skip that firing when the goroutine looks late.
			from := r.Created.UTC()
			if from.Before(sc.started) {
				from = sc.started
			}
			p = planned{expr: r.ScheduleExpression, created: r.Created, at: r.schedule.Next(from)}
		case p.expr != r.ScheduleExpression || !p.created.Equal(r.Created):
			p = planned{expr: r.ScheduleExpression, created: r.Created, at: r.schedule.Next(now)}
		}
		if !p.at.IsZero() && !p.at.After(now) {
			due = append(due, firing{rule: r.Rule, at: p.at})
			p.at = r.schedule.Next(now)
		}
		sc.next[key] = p
		if !p.at.IsZero() && (earliest.IsZero() || p.at.Before(earliest)) {
			earliest = p.at
		}
	}
	for key := range sc.next {
		if !seen[key] {
			delete(sc.next, key)
		}
	}
	return due, earliest
}

// scheduledEvent is the event a schedule delivers.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
func (s *Service) scheduledEvent(r Rule, at time.Time) []byte {
	raw, _ := json.Marshal(envelope{Version: "0", ID: core.NewRequestID(), DetailType: "Scheduled Event", Source: "aws.events",
		Account: s.env.AccountID, Time: at.UTC().Format(timeLayout), Region: s.env.Region, Resources: []string{r.Arn},
		Detail: json.RawMessage("{}")})
	return raw
}

func (sc *scheduler) fire(r Rule, at, now time.Time) {
	if sc.fired != nil {
		sc.fired(r.Arn, at, time.Now())
	}
	raw := sc.s.scheduledEvent(r, at)
	sc.s.dispatch(r, &delivery{event: decodeEvent(raw), raw: raw, ruleARN: r.Arn, ruleName: r.Name, ingested: now.Format(time.RFC3339Nano)})
}
