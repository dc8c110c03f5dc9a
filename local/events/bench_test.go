package events

import (
	"io"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// BenchmarkRateFiringAccuracy measures, on the wall clock, how late a
// rate(1 minute) rule fires after its minute (goal: within 1 s). Each
// iteration waits for one firing, so run it with -benchtime=Nx:
//
//	go test -run XXX -bench RateFiringAccuracy -benchtime 3x ./local/events/
//
// It reports the mean and worst lateness in milliseconds.
func BenchmarkRateFiringAccuracy(b *testing.B) {
	st, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	log := logrus.New()
	log.SetOutput(io.Discard)
	env := core.NewEnv(st, core.SystemClock{}, "us-east-1", "000000000000", "http://127.0.0.1:0", log, nil)
	svc, err := New(env)
	if err != nil {
		b.Fatal(err)
	}
	s := svc.(*Service)
	defer s.Close()
	late := make(chan time.Duration, 16)
	s.sched.fired = func(_ string, scheduled, actual time.Time) { late <- actual.Sub(scheduled) }
	if _, err := s.PutRule(PutRuleInput{Name: "every-minute", ScheduleExpression: "rate(1 minute)"}); err != nil {
		b.Fatal(err)
	}
	var total, worst time.Duration
	b.ResetTimer()
	for range b.N {
		d := <-late
		total += d
		worst = max(worst, d)
	}
	b.StopTimer()
	b.ReportMetric(float64(total.Microseconds())/1e3/float64(b.N), "ms-late-mean")
	b.ReportMetric(float64(worst.Microseconds())/1e3, "ms-late-worst")
}
