package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// Terminal renders the log for a person at a terminal: one line per phase
// with its duration, a live line (redrawn in place, with a running clock)
// for the phase under way and its stack events, warnings and errors
// marked, and the summary. It is the logger's Formatter and its Out, so
// that the clock's redraws and the log's lines never interleave.
//
// Entries above Level are dropped, but the logger runs at Debug so that
// the phases' start and finish reach the view; see [NewLogger].
type Terminal struct {
	// Level is the level the user asked for.
	Level logrus.Level
	// Color turns on ANSI colours (NO_COLOR and TERM=dumb turn them off).
	Color bool

	mu      sync.Mutex
	out     io.Writer
	live    string    // the live line's latest detail
	phase   string    // the phase under way; "" when no live line is drawn
	started time.Time // when it started
	ticking bool
	changed int    // resources the deploy changed, counted from the summary
	next    string // the "Next:" hint, held to be the view's last line
	now     func() time.Time
	tick    time.Duration
}

// NewTerminal renders to out; color as [ColorSupported] says.
func NewTerminal(out io.Writer, level logrus.Level, color bool) *Terminal {
	return &Terminal{Level: level, Color: color, out: out, now: time.Now, tick: time.Second}
}

// ColorSupported reports whether to colour output: not when NO_COLOR is
// set to anything (https://no-color.org) or TERM is dumb.
func ColorSupported() bool {
	return os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

const (
	ansiReset  = "\033[0m"
	ansiBold   = "\033[1m"
	ansiDim    = "\033[2m"
	ansiRed    = "\033[31m"
	ansiGreen  = "\033[32m"
	ansiYellow = "\033[33m"
	ansiCyan   = "\033[36m"
	clearLine  = "\r\033[K"
)

func (t *Terminal) paint(code, s string) string {
	if !t.Color {
		return s
	}
	return code + s + ansiReset
}

// Write writes formatted entries; it is the logger's Out.
func (t *Terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.out.Write(p)
}

// Format renders one entry: a permanent line, a new detail for the live
// line, or nothing. While a phase is under way its live line stays last.
func (t *Terminal) Format(e *logrus.Entry) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	drawn := t.phase != ""
	line, detail := t.render(e)
	if line == "" && detail == "" && drawn == (t.phase != "") {
		return nil, nil
	}
	var b bytes.Buffer
	if drawn {
		b.WriteString(clearLine)
	}
	if line != "" {
		b.WriteString(line)
		b.WriteByte('\n')
	}
	if detail != "" {
		t.live = detail
	}
	if t.phase != "" {
		b.WriteString(t.liveLine())
		t.startTicking()
	}
	return b.Bytes(), nil
}

// liveLine is the phase under way, its running time and the latest detail.
func (t *Terminal) liveLine() string {
	elapsed := t.now().Sub(t.started).Truncate(time.Second).String()
	return t.paint(ansiCyan, "› ") + fmt.Sprintf("%-11s %5s  ", t.phase, elapsed) + t.live
}

// startTicking redraws the live line every second while one is drawn, so
// that a long phase (a cold compile) is never a silent stretch.
func (t *Terminal) startTicking() {
	if t.ticking {
		return
	}
	t.ticking = true
	go func() {
		for {
			time.Sleep(t.tick)
			t.mu.Lock()
			if t.phase == "" {
				t.ticking = false
				t.mu.Unlock()
				return
			}
			_, _ = io.WriteString(t.out, clearLine+t.liveLine())
			t.mu.Unlock()
		}
	}()
}

// Close ends a live line, so that what is printed next (the command's
// error, say) starts on a line of its own.
func (t *Terminal) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.phase != "" {
		_, _ = io.WriteString(t.out, clearLine)
		t.phase = ""
	}
	if t.next != "" {
		_, _ = io.WriteString(t.out, t.next+"\n")
		t.next = ""
	}
}

// hidden are fields the view never shows: the service is in the banner.
var hidden = []string{FieldService, "component", FieldPhase, FieldDuration}

func (t *Terminal) render(e *logrus.Entry) (line, detail string) {
	d := e.Data
	switch {
	case e.Message == "phase started":
		t.phase, t.started, t.live = fmt.Sprint(d[FieldPhase]), t.now(), ""
		return "", ""
	case e.Message == "phase finished":
		t.phase = ""
		mark, code := "✓ ", ansiGreen
		if err, ok := d[logrus.ErrorKey]; ok && err != nil {
			mark, code = "✗ ", ansiRed
		}
		return t.paint(code, mark) + fmt.Sprintf("%-11s %7s", d[FieldPhase], d[FieldDuration]), ""
	case e.Level > t.Level, e.Message == MsgStillRunning: // the live line's clock says it
		return "", ""
	case d["component"] == "local":
		return "", ""
	case e.Message == "Stack event" && e.Level > logrus.WarnLevel:
		detail := fmt.Sprint(d["status"])
		if p, ok := d["progress"]; ok {
			detail += fmt.Sprintf(" %v", p)
		}
		return "", fmt.Sprintf("%s %s…", detail, d[FieldResource])
	case e.Message == "Stack event":
		return t.paint(ansiYellow, "! ") + fmt.Sprintf("%s %s: %s", d[FieldResource], d["status"], d["reason"]), ""
	case strings.HasPrefix(e.Message, "  ") && d[FieldPhase] != nil: // the summary's per-phase lines
		return "", ""
	case e.Message == "  resource":
		t.changed++
		return "", ""
	case e.Message == "Stack deployed":
		return t.paint(ansiGreen, "✓ ") + fmt.Sprintf("stack %v %v: %d resources changed", d[FieldStack], d["status"], t.changed), ""
	case e.Message == "  output":
		return fmt.Sprintf("  %s = %s", d["output"], d["value"]), ""
	case d["sparta"] != nil && strings.HasPrefix(e.Message, "Sparta "):
		return t.paint(ansiBold, e.Message) + t.paint(ansiDim, fmt.Sprintf(" · %s · sparta %s, %s, %s", d[FieldService], d["sparta"], d["go"], d["os"])), ""
	case strings.HasPrefix(e.Message, "Next: "):
		// Held until the summary's last line, so that it ends the view.
		t.next = t.paint(ansiBold+ansiCyan, "→ "+e.Message)
		return "", ""
	case d[FieldDuration] != nil && e.Level == logrus.InfoLevel && strings.HasSuffix(e.Message, "complete"):
		line := t.paint(ansiBold, fmt.Sprintf("%s in %s", e.Message, d[FieldDuration]))
		if t.next != "" {
			line, t.next = line+"\n"+t.next, ""
		}
		return line, ""
	}
	msg := e.Message + t.fields(d)
	switch {
	case e.Level <= logrus.ErrorLevel:
		return t.paint(ansiRed, "✗ "+msg), ""
	case e.Level == logrus.WarnLevel:
		return t.paint(ansiYellow, "! ") + msg, ""
	}
	return "  " + msg, ""
}

func (t *Terminal) fields(d logrus.Fields) string {
	var keys []string
	for k := range d {
		if !slices.Contains(hidden, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, d[k])
	}
	return t.paint(ansiDim, b.String())
}
