package apigateway

import (
	"testing"
	"time"
)

// TestLimits drives the throttle and quota with a virtual clock.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
func TestLimits(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 23, 59, 58, 0, time.UTC) // a Monday
	t.Run("Throttle", func(t *testing.T) {
		l := newLimits()
		p := &usagePlan{ID: "p", Throttle: &throttle{RateLimit: 2, BurstLimit: 3}}
		var got []verdict
		for range 4 {
			got = append(got, l.take(p, "k", t0))
		}
		// Half a second refills one token at 2 requests/s.
		got = append(got, l.take(p, "k", t0.Add(500*time.Millisecond)), l.take(p, "k", t0.Add(500*time.Millisecond)))
		want := []verdict{admitted, admitted, admitted, throttled, admitted, throttled}
		if len(got) != len(want) {
			t.Fatalf("got %v", got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("request %d: %v, want %v (all %v)", i, got[i], want[i], got)
			}
		}
		if v := l.take(p, "other", t0); v != admitted {
			t.Errorf("another key shares the bucket: %v", v)
		}
	})
	t.Run("QuotaWithOffset", func(t *testing.T) {
		l := newLimits()
		p := &usagePlan{ID: "p", Quota: &quota{Limit: 3, Offset: 1, Period: "DAY"}}
		for i, want := range []verdict{admitted, admitted, overQuota} {
			if v := l.take(p, "k", t0); v != want {
				t.Errorf("day 1 request %d: %v, want %v", i, v, want)
			}
		}
		// The next UTC day has the whole limit.
		next := t0.Add(3 * time.Second)
		for i, want := range []verdict{admitted, admitted, admitted, overQuota} {
			if v := l.take(p, "k", next); v != want {
				t.Errorf("day 2 request %d: %v, want %v", i, v, want)
			}
		}
	})
	t.Run("Periods", func(t *testing.T) {
		at := time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC) // Thursday
		for period, want := range map[string]time.Time{
			"DAY":   time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC),
			"WEEK":  time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC),
			"MONTH": time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		} {
			if got := periodStart(period, at); !got.Equal(want) {
				t.Errorf("periodStart(%s) = %v, want %v", period, got, want)
			}
		}
	})
	t.Run("ForgetResets", func(t *testing.T) {
		l := newLimits()
		p := &usagePlan{ID: "p", Quota: &quota{Limit: 1, Period: "MONTH"}}
		l.take(p, "k", t0)
		l.forget("p")
		if v := l.take(p, "k", t0); v != admitted {
			t.Errorf("after forget: %v", v)
		}
	})
}

// FuzzLimits: no plan read from a template and no sequence of request
// times panics the limits or admits more than a quota's limit per period.
func FuzzLimits(f *testing.F) {
	f.Add(2.0, 3, 5, 1, uint8(0), int64(1000), int64(3))
	f.Add(0.001, 0, 1, 0, uint8(2), int64(-5), int64(0))
	f.Fuzz(func(t *testing.T, rate float64, burst, limit, offset int, period uint8, step, n int64) {
		p := &usagePlan{ID: "p", Quota: &quota{Limit: limit, Offset: offset, Period: []string{"DAY", "WEEK", "MONTH"}[period%3]}}
		if rate > 0 && rate < 1e9 && burst >= 0 && burst < 1e6 {
			p.Throttle = &throttle{RateLimit: rate, BurstLimit: burst}
		}
		l := newLimits()
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		admittedIn := map[time.Time]int{}
		for i := int64(0); i < n%50; i++ {
			at = at.Add(time.Duration(step) * time.Millisecond)
			if l.take(p, "k", at) == admitted {
				admittedIn[periodStart(p.Quota.Period, at)]++
			}
		}
		for start, count := range admittedIn {
			if count > limit && limit >= 0 {
				t.Fatalf("period %v admitted %d over the limit %d", start, count, limit)
			}
		}
	})
}
