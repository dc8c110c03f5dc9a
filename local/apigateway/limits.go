package apigateway

import (
	"math"
	"sync"
	"time"
)

// limits counts each key's use of each usage plan: a token bucket for the
// throttle and a counter per quota period. They live in memory, so a
// restarted local cloud starts every key afresh.
type limits struct {
	mu    sync.Mutex
	usage map[string]*keyUsage // by plan ID + "/" + key ID
}

type keyUsage struct {
	tokens float64
	last   time.Time
	// period is the start of the quota period used counts in; first is
	// the start of the first one, whose limit the offset lowers.
	period, first time.Time
	used          int
}

// verdict is what the limits say of one request.
type verdict int

const (
	admitted verdict = iota
	throttled
	overQuota
)

func newLimits() *limits { return &limits{usage: map[string]*keyUsage{}} }

// forget drops the counters of a changed or deleted plan.
func (l *limits) forget(planID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.usage {
		if len(k) > len(planID) && k[:len(planID)+1] == planID+"/" {
			delete(l.usage, k)
		}
	}
}

// take admits one request of keyID under plan at now, or says why not:
// the throttle first (a throttled request uses no quota), then the quota.
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
func (l *limits) take(p *usagePlan, keyID string, now time.Time) verdict {
	if p.Throttle == nil && p.Quota == nil {
		return admitted
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.usage[p.ID+"/"+keyID]
	if u == nil {
		u = &keyUsage{last: now}
		if t := p.Throttle; t != nil {
			u.tokens = burstOf(t)
		}
		l.usage[p.ID+"/"+keyID] = u
	}
	if t := p.Throttle; t != nil {
		u.tokens = math.Min(burstOf(t), u.tokens+now.Sub(u.last).Seconds()*t.RateLimit)
		u.last = now
		if u.tokens < 1 {
			return throttled
		}
	}
	if q := p.Quota; q != nil {
		start := periodStart(q.Period, now)
		if u.first.IsZero() {
			u.first = start
		}
		if !start.Equal(u.period) {
			u.period, u.used = start, 0
		}
		limit := q.Limit
		if start.Equal(u.first) && q.Offset > 0 {
			limit -= q.Offset
		}
		if u.used >= limit {
			return overQuota
		}
		u.used++
	}
	if p.Throttle != nil {
		u.tokens--
	}
	return admitted
}

// burstOf is the bucket's size: the burst, or the rate rounded up.
func burstOf(t *throttle) float64 {
	if t.BurstLimit > 0 {
		return float64(t.BurstLimit)
	}
	return math.Max(1, math.Ceil(t.RateLimit))
}

// periodStart is the start, in UTC, of the quota period holding now:
// the day, the week (from Monday) or the month.
func periodStart(period string, now time.Time) time.Time {
	now = now.UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch period {
	case "WEEK":
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case "MONTH":
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return day
}
