package schedule_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sparta-go/sparta/internal/schedule"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The examples of
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
// (and the L, W and # forms it describes), each with the firings it gives
// after a known instant.
func TestNext(t *testing.T) {
	tests := []struct {
		name, expr, after string
		want              []string
	}{
		{"10:15 every day", "cron(15 10 * * ? *)", "2026-12-07T10:15:00Z", []string{"2026-12-08T10:15:00Z", "2026-12-09T10:15:00Z"}},
		{"6pm Monday to Friday", "cron(0 18 ? * MON-FRI *)", "2026-12-11T18:00:00Z", []string{"2026-12-14T18:00:00Z", "2026-12-15T18:00:00Z"}},
		{"8am on the 1st", "cron(0 8 1 * ? *)", "2026-12-07T00:00:00Z", []string{"2027-01-01T08:00:00Z", "2027-02-01T08:00:00Z"}},
		{"every 10 min weekdays", "cron(0/10 * ? * MON-FRI *)", "2026-12-11T23:45:00Z", []string{"2026-12-11T23:50:00Z", "2026-12-14T00:00:00Z"}},
		{"every 5 min 8 to 17:55 weekdays", "cron(0/5 8-17 ? * MON-FRI *)", "2026-12-07T17:55:00Z", []string{"2026-12-08T08:00:00Z", "2026-12-08T08:05:00Z"}},
		{"9am first Monday", "cron(0 9 ? * 2#1 *)", "2026-12-07T09:00:00Z", []string{"2027-01-04T09:00:00Z", "2027-02-01T09:00:00Z"}},
		{"last day of the month", "cron(0 0 L * ? *)", "2027-01-31T00:00:00Z", []string{"2027-02-28T00:00:00Z", "2027-03-31T00:00:00Z"}},
		{"last weekday of the month", "cron(0 0 LW * ? *)", "2027-01-01T00:00:00Z", []string{"2027-01-29T00:00:00Z", "2027-02-26T00:00:00Z"}},
		// 2027-05-01 is a Saturday: the nearest weekday within May is Monday the 3rd.
		{"weekday nearest the 1st", "cron(0 0 1W * ? *)", "2027-04-02T00:00:00Z", []string{"2027-05-03T00:00:00Z", "2027-06-01T00:00:00Z"}},
		// 2027-02-14 is a Sunday: the nearest weekday is Monday the 15th.
		{"weekday nearest the 14th", "cron(30 6 14W FEB ? *)", "2027-01-01T00:00:00Z", []string{"2027-02-15T06:30:00Z", "2028-02-14T06:30:00Z"}},
		{"last Friday", "cron(0 12 ? * 6L *)", "2026-12-01T00:00:00Z", []string{"2026-12-25T12:00:00Z", "2027-01-29T12:00:00Z"}},
		{"L in day-of-week is Saturday", "cron(0 12 ? * L *)", "2026-12-07T00:00:00Z", []string{"2026-12-12T12:00:00Z", "2026-12-19T12:00:00Z"}},
		{"lists and names", "cron(0,30 1 ? JAN,JUL SUN,sat 2027)", "2026-12-07T00:00:00Z", []string{"2027-01-02T01:00:00Z", "2027-01-02T01:30:00Z"}},
		{"a year range ends", "cron(0 0 1 1 ? 2027-2028)", "2028-01-01T00:00:00Z", nil},
		{"every 1 minute", "rate(1 minute)", "2026-12-07T16:20:30Z", []string{"2026-12-07T16:21:00Z", "2026-12-07T16:22:00Z"}},
		{"every 5 minutes", "rate(5 minutes)", "2026-12-07T16:20:00Z", []string{"2026-12-07T16:25:00Z", "2026-12-07T16:30:00Z"}},
		{"every 2 hours", "rate(2 hours)", "2026-12-07T16:20:00Z", []string{"2026-12-07T18:00:00Z", "2026-12-07T20:00:00Z"}},
		{"every day", "rate(1 day)", "2026-12-07T16:20:00Z", []string{"2026-12-08T00:00:00Z", "2026-12-09T00:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := schedule.Parse(tt.expr)
			if err != nil {
				t.Fatalf("Parse(%q) = %v", tt.expr, err)
			}
			next := at(tt.after)
			if tt.want == nil {
				if got := s.Next(next); !got.IsZero() {
					t.Errorf("Parse(%q).Next(%s) = %s, want never", tt.expr, next, got)
				}
				return
			}
			for _, w := range tt.want {
				got := s.Next(next)
				if !got.Equal(at(w)) {
					t.Fatalf("Parse(%q).Next(%s) = %s, want %s", tt.expr, next, got, w)
				}
				next = got
			}
		})
	}
}

// A rate counts from its anchor: the local EventBridge anchors it at the
// rule's creation.
func TestRateAnchor(t *testing.T) {
	s, _ := schedule.Parse("rate(10 minutes)")
	r := s.(*schedule.Rate)
	r.Anchor = at("2026-12-07T16:03:00Z")
	if got := r.Next(at("2026-12-07T16:03:00Z")); !got.Equal(at("2026-12-07T16:13:00Z")) {
		t.Errorf("Next = %s, want 16:13", got)
	}
	if got := r.Next(at("2026-12-07T15:00:00Z")); !got.Equal(at("2026-12-07T16:03:00Z")) {
		t.Errorf("Next before the anchor = %s, want the anchor", got)
	}
}

// Expressions EventBridge refuses with "Parameter ScheduleExpression is
// not valid." (page above and
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html:
// singular unit for 1, plural otherwise; one of the day fields is ?; six
// fields; no / in Day-of-week; one # expression only; the wildcards each
// field lists, no more).
func TestParseRefuses(t *testing.T) {
	for _, expr := range []string{
		"", "rate()", "rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(-1 minutes)", "rate(1 second)",
		"rate(1.5 hours)", "rate( 1 minute)", "rate(01 minute)", "every minute",
		"cron(* * * * *)", "cron(0 18 * * MON *)", "cron(0 18 ? * ? *)", "cron(60 * * * ? *)", "cron(0 24 * * ? *)",
		"cron(0 0 32 * ? *)", "cron(0 0 ? 13 * *)", "cron(0 0 ? * 8 *)", "cron(0 0 * * ? 1969)", "cron(0 0 * * ? 2200)",
		"cron(0/0 * * * ? *)", "cron(5-1 * * * ? *)", "cron(0 0 L,1 * ? *)", "cron(0 0 ? * 2#6 *)", "cron(0 0 ? * 9L *)",
		"cron(0 0 32W * ? *)", "cron(a * * * ? *)", "cron(0 0 ? FOO * *)", "cron(0 0 L-2 * ? *)",
		"cron(0 0 ? * 1/2 *)", "cron(0 0 ? * 3#1,6#3 *)",
	} {
		_, err := schedule.Parse(expr)
		var se *schedule.Error
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *schedule.Error", expr, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"rate(1 minute)", "rate(7 days)", "cron(0/5 8-17 ? * MON-FRI *)", "cron(0 0 LW * ? *)",
		"cron(0 9 ? * 2#1 *)", "cron(0 0 L * ? 2030)", "cron(1,2,3 */4 1W * ? *)", "cron(0 0 ? * 6L *)"} {
		f.Add(s)
	}
	start := at("2026-12-07T16:20:00Z")
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := schedule.Parse(expr)
		if err != nil {
			return
		}
		prev := start
		for range 3 {
			next := s.Next(prev)
			if next.IsZero() {
				return
			}
			if !next.After(prev) {
				t.Fatalf("Parse(%q).Next(%s) = %s, not after it", expr, prev, next)
			}
			prev = next
		}
	})
}
