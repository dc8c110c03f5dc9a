package cli

import (
	"time"

	"github.com/sirupsen/logrus"
)

// Phases times the steps of a command for the summary at its end.
type Phases struct {
	log   logrus.FieldLogger
	names []string
	took  []time.Duration
	start time.Time
	// every is how often a phase still running says so (StillRunningEvery).
	every time.Duration
}

// StillRunningEvery is how often a phase that is still running logs a
// "still running" line, so that a long phase (a first compile) is never a
// silent stretch in CI logs. The terminal view shows a running clock instead.
const StillRunningEvery = 10 * time.Second

// MsgStillRunning is the message of those lines.
const MsgStillRunning = "still running"

// NewPhases starts timing a command.
func NewPhases(log logrus.FieldLogger) *Phases {
	return &Phases{log: log, start: time.Now(), every: StillRunningEvery}
}

// Run times fn as the named phase. The phase's error is returned unchanged.
func (p *Phases) Run(name string, fn func() error) error {
	p.log.WithField(FieldPhase, name).Debug("phase started")
	t0 := time.Now()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(p.every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				p.log.WithFields(logrus.Fields{FieldPhase: name, "elapsed": time.Since(t0).Round(time.Second)}).Info(MsgStillRunning)
			}
		}
	}()
	err := fn()
	close(done)
	<-stopped
	d := time.Since(t0)
	p.names = append(p.names, name)
	p.took = append(p.took, d)
	e := p.log.WithFields(logrus.Fields{FieldPhase: name, FieldDuration: d.Round(time.Millisecond)})
	if err != nil {
		e = e.WithError(err)
	}
	e.Debug("phase finished")
	return err
}

// Skip records a phase that did not run (with --noop, say) so that the
// summary shows it was not forgotten.
func (p *Phases) Skip(name string) {
	p.names = append(p.names, name)
	p.took = append(p.took, -1)
}

// Each calls fn for every phase in order; d is negative for skipped phases.
func (p *Phases) Each(fn func(name string, d time.Duration)) {
	for i, n := range p.names {
		fn(n, p.took[i])
	}
}

// Total is the time since the command started.
func (p *Phases) Total() time.Duration { return time.Since(p.start) }

// Summary logs one line per phase and the total.
func (p *Phases) Summary(title string) {
	p.Each(func(name string, d time.Duration) {
		e := p.log.WithField(FieldPhase, name)
		if d < 0 {
			e.Info("  skipped")
			return
		}
		e.WithField(FieldDuration, d.Round(time.Millisecond)).Info("  done")
	})
	p.log.WithField(FieldDuration, p.Total().Round(time.Millisecond)).Info(title)
}
