package engine

import (
	"context"
	"sync/atomic"
	"time"
)

// Clock is the time source of an execution. Wait states and Retry intervals
// go through SleepUntil, so a virtual clock runs them without real delay.
type Clock interface {
	Now() time.Time
	// SleepUntil returns when the clock reaches t, or with ctx's error when
	// ctx ends first.
	SleepUntil(ctx context.Context, t time.Time) error
}

// RealClock returns the wall clock.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// VirtualClock is a clock that only moves when a sleeper asks it to: a
// SleepUntil(t) advances it to t at once. Sleepers compute t from the time
// they started waiting, so two Parallel branches that each wait 10 seconds
// from the same instant advance the clock by 10 seconds, not 20.
//
// Task timeouts and heartbeats are not virtual: they bound real handler code,
// so they use real time.
type VirtualClock struct {
	// now is read at every state transition and rarely moved (by a Wait
	// state or a retry): an atomic pointer to an immutable reading costs
	// those reads no lock.
	now atomic.Pointer[time.Time]
}

// NewVirtualClock returns a virtual clock reading start (the current time
// when start is zero).
func NewVirtualClock(start time.Time) *VirtualClock {
	if start.IsZero() {
		start = time.Now()
	}
	c := &VirtualClock{}
	start = start.UTC()
	c.now.Store(&start)
	return c
}

// Now returns the clock's reading.
func (c *VirtualClock) Now() time.Time {
	if p := c.now.Load(); p != nil {
		return *p
	}
	return time.Time{}
}

// SleepUntil advances the clock to t when t is later than its reading.
func (c *VirtualClock) SleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.move(func(now time.Time) (time.Time, bool) { return t, t.After(now) })
	return nil
}

// Advance moves the clock forward by d.
func (c *VirtualClock) Advance(d time.Duration) {
	c.move(func(now time.Time) (time.Time, bool) { return now.Add(d), true })
}

// move sets the reading to next(now) when next says so, retrying when a
// concurrent move came first.
func (c *VirtualClock) move(next func(now time.Time) (time.Time, bool)) {
	for {
		old := c.now.Load()
		var now time.Time
		if old != nil {
			now = *old
		}
		t, ok := next(now)
		if !ok || c.now.CompareAndSwap(old, &t) {
			return
		}
	}
}
