package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// view runs a provision's log through the compact view with a fixed clock
// and returns what a terminal would show: each line as last drawn.
func view(t *testing.T, color bool, write func(log *logrus.Entry)) (raw, screen string) {
	t.Helper()
	var out bytes.Buffer
	term := NewTerminal(&out, logrus.InfoLevel, color)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	term.now = func() time.Time { now = now.Add(time.Second); return now }
	term.tick = time.Hour // no redraws from the clock in tests
	log := logrus.New()
	log.SetFormatter(term)
	log.SetOutput(term)
	log.SetLevel(logrus.DebugLevel)
	write(log.WithField(FieldService, "svc"))
	term.Close()
	return out.String(), render(out.String())
}

// render applies carriage returns and line clears as a terminal does.
func render(raw string) string {
	var lines []string
	for _, l := range strings.Split(raw, "\n") {
		if i := strings.LastIndex(l, clearLine); i >= 0 {
			l = l[i+len(clearLine):]
		}
		if l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

func provisionLog(log *logrus.Entry) {
	Banner(log, "svc", "provision", "0.1.0")
	p := NewPhases(log)
	_ = p.Run("build", func() error {
		log.WithField(FieldArch, "arm64").Info("Compiling for Lambda")
		return nil
	})
	_ = p.Run("deploy", func() error {
		for i, r := range []string{"RoleA", "FnB"} {
			log.WithFields(logrus.Fields{FieldResource: r, "status": "CREATE_IN_PROGRESS", "progress": "1/2"}).Info("Stack event")
			log.WithFields(logrus.Fields{FieldResource: r, "status": "CREATE_COMPLETE", "progress": []string{"1/2", "2/2"}[i]}).Info("Stack event")
		}
		log.WithFields(logrus.Fields{FieldResource: "Queue", "status": "CREATE_FAILED", "reason": "no"}).Warn("Stack event")
		log.WithField("component", "local").Info("a line of the local cloud's")
		log.Debug("a debug line")
		return nil
	})
	log.WithFields(logrus.Fields{FieldResource: "RoleA"}).Info("  resource")
	log.WithFields(logrus.Fields{FieldResource: "FnB"}).Info("  resource")
	log.WithFields(logrus.Fields{FieldStack: "svc", "status": "CREATE_COMPLETE"}).Info("Stack deployed")
	log.WithFields(logrus.Fields{"output": "FnArn", "value": "arn:fn"}).Info("  output")
	log.Info("Next: go run . execute --local")
	p.Summary("Provision complete")
}

func TestTerminalView(t *testing.T) {
	raw, screen := view(t, false, provisionLog)
	_, total, _ := strings.Cut(screen, "Provision complete in ")
	total, _, _ = strings.Cut(total, "\n")
	want := strings.Join([]string{
		"Sparta provision · svc · sparta 0.1.0, " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH,
		"  Compiling for Lambda arch=arm64",
		"✓ build            0s",
		"! Queue CREATE_FAILED: no",
		"✓ deploy           0s",
		"✓ stack svc CREATE_COMPLETE: 2 resources changed",
		"  FnArn = arn:fn",
		"Provision complete in " + total,
		"→ Next: go run . execute --local",
	}, "\n")
	if screen != want {
		t.Errorf("the compact view shows\n%s\nwant\n%s", screen, want)
	}
	// The live line showed the stack's progress while the deploy ran.
	for _, live := range []string{"› deploy", "CREATE_IN_PROGRESS 1/2 RoleA…", "CREATE_COMPLETE 2/2 FnB…", "› build"} {
		if !strings.Contains(raw, live) {
			t.Errorf("the live line never showed %q:\n%q", live, raw)
		}
	}
	if strings.Contains(raw, "\033[") && !strings.Contains(raw, clearLine) {
		t.Errorf("colours drawn with Color off:\n%q", raw)
	}
}

func TestTerminalFailedPhaseAndColor(t *testing.T) {
	_, screen := view(t, true, func(log *logrus.Entry) {
		p := NewPhases(log)
		_ = p.Run("deploy", func() error { return errors.New("stack failed") })
	})
	if !strings.Contains(screen, ansiRed+"✗ "+ansiReset+"deploy") {
		t.Errorf("a failed phase shows %q, want a red ✗", screen)
	}
}

func TestColorSupported(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	t.Setenv("NO_COLOR", "")
	if !ColorSupported() {
		t.Error("ColorSupported() = false on xterm without NO_COLOR")
	}
	t.Setenv("NO_COLOR", "1")
	if ColorSupported() {
		t.Error("ColorSupported() = true with NO_COLOR=1 (https://no-color.org)")
	}
}

// Without a terminal the lines stay structured: each parses as JSON.
func TestJSONLinesAreParseable(t *testing.T) {
	var out bytes.Buffer
	log, err := NewLogger("info", FormatAuto, &out)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := log.Formatter.(*Terminal); ok {
		t.Fatal("NewLogger(auto) chose the terminal view for a buffer")
	}
	log, _ = NewLogger("info", FormatJSON, &out)
	provisionLog(log.WithField(FieldService, "svc"))
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("a --format json line is not JSON: %q", line)
		}
	}
}

// A long phase says it is still running: a line every interval in plain
// logs, nothing extra in the terminal view, whose clock shows it.
func TestLongPhaseIsNeverSilent(t *testing.T) {
	var out bytes.Buffer
	log, _ := NewLogger("info", FormatText, &out)
	p := NewPhases(log)
	p.every = 20 * time.Millisecond
	_ = p.Run("build", func() error { time.Sleep(70 * time.Millisecond); return nil })
	if n := strings.Count(out.String(), MsgStillRunning); n < 2 {
		t.Errorf("a 70ms phase with a 20ms interval logged %q %d times:\n%s", MsgStillRunning, n, out.String())
	}
	_, screen := view(t, false, func(log *logrus.Entry) {
		log.WithField(FieldPhase, "build").Info(MsgStillRunning)
	})
	if screen != "" {
		t.Errorf("the terminal view shows %q for a still-running line", screen)
	}
}
