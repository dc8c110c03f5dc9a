package events

import (
	"testing"
	"time"
)

// A rate rule fires first one period after it was created, even when the
// scheduler's goroutine first looks at it after that moment (a busy
// machine, or a test's virtual clock moved at once): planning from the
// time it looked skipped that firing, and CI saw it once.
func TestPlanFiresANewRuleFromItsCreation(t *testing.T) {
	created := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	r, err := compileRule(Rule{Name: "every-minute", ScheduleExpression: "rate(1 minute)", State: "ENABLED", Created: created})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		started time.Time
		now     time.Time
		due     bool
		next    time.Time
	}{
		{"looked at its first firing", created, created.Add(time.Minute), true, created.Add(2 * time.Minute)},
		{"looked before it", created, created.Add(59 * time.Second), false, created.Add(time.Minute)},
		// Reloaded at a restart: planned from the start, not the creation,
		// so missed firings are not made up.
		{"reloaded after a restart", created.Add(90 * time.Minute), created.Add(90*time.Minute + 30*time.Second), false, created.Add(91 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Service{rules: map[string]*rule{"k": r}}
			sc := &scheduler{s: s, next: map[string]planned{}, started: tt.started}
			due, earliest := sc.plan(tt.now)
			if (len(due) == 1) != tt.due || !earliest.Equal(tt.next) {
				t.Errorf("plan(%v) = %d due, next %v; want due %v, next %v", tt.now, len(due), earliest, tt.due, tt.next)
			}
		})
	}
}
