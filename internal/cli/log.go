package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
)

// Field keys used in structured logs, in one place so that logs stay
// consistent across commands and searchable.
const (
	FieldService  = "service"
	FieldPhase    = "phase"
	FieldDuration = "duration"
	FieldFunction = "function"
	FieldArch     = "arch"
	FieldPath     = "path"
	FieldBytes    = "bytes"
	FieldBuildID  = "buildID"
	FieldStack    = "stack"
	FieldResource = "resource"
	FieldState    = "state"
)

// Formats accepted by --format.
const (
	// FormatAuto is the compact view ([Terminal]) when the output is a
	// terminal and the level is info or less, else FormatText.
	FormatAuto = "auto"
	// FormatText is logrus's key=value lines, one per entry.
	FormatText = "text"
	// FormatJSON is one JSON object per line.
	FormatJSON = "json"
)

// NewLogger builds the logger for --level and --format, writing to out.
func NewLogger(level, format string, out io.Writer) (*logrus.Logger, error) {
	lvl, err := logrus.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("--level %q: use one of panic, fatal, error, warn, info, debug, trace", level)
	}
	log := logrus.New()
	log.SetOutput(out)
	log.SetLevel(lvl)
	format = strings.ToLower(format)
	if format == FormatAuto {
		format = FormatText
		if f, ok := out.(*os.File); ok && isTerminal(f.Fd()) && lvl <= logrus.InfoLevel {
			t := NewTerminal(out, lvl, ColorSupported())
			log.SetFormatter(t)
			log.SetOutput(t)
			log.SetLevel(logrus.DebugLevel) // the view filters by lvl itself
			return log, nil
		}
	}
	switch format {
	case FormatText, "":
		log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, TimestampFormat: time.TimeOnly, PadLevelText: true})
	case FormatJSON:
		log.SetFormatter(&logrus.JSONFormatter{})
	default:
		return nil, fmt.Errorf("--format %q: use auto, text or json", format)
	}
	return log, nil
}

// Banner logs what is running: the service, the framework and Go versions.
func Banner(log logrus.FieldLogger, service, command, frameworkVersion string) {
	log.WithFields(logrus.Fields{
		FieldService: service,
		"sparta":     frameworkVersion,
		"go":         runtime.Version(),
		"os":         runtime.GOOS + "/" + runtime.GOARCH,
	}).Info("Sparta " + command)
}

// Verbose reports whether the user asked for debug output (--level debug
// or trace) from the logger NewLogger built.
func Verbose(log logrus.FieldLogger) bool {
	l := loggerOf(log)
	if l == nil {
		return false
	}
	if t, ok := l.Formatter.(*Terminal); ok {
		return t.Level >= logrus.DebugLevel
	}
	return l.IsLevelEnabled(logrus.DebugLevel)
}

// Finish ends the compact view's live line, if any, before the command's
// error is printed.
func Finish(log logrus.FieldLogger) {
	if l := loggerOf(log); l != nil {
		if t, ok := l.Formatter.(*Terminal); ok {
			t.Close()
		}
	}
}

func loggerOf(log logrus.FieldLogger) *logrus.Logger {
	switch l := log.(type) {
	case *logrus.Logger:
		return l
	case *logrus.Entry:
		return l.Logger
	}
	return nil
}

// LocalCloudLogFile is the file, in the local cloud's state directory,
// that receives the in-process cloud's own log lines unless the user asked
// for debug output.
const LocalCloudLogFile = "cloud.log"

// LocalCloudLog is the logger for a local cloud started in-process: with
// --level debug or trace the command's own logger (so the cloud's lines
// interleave with the command's), otherwise JSON lines appended to
// stateDir/cloud.log, so that they do not clutter the command's output.
// Call close when the cloud has stopped.
func LocalCloudLog(log logrus.FieldLogger, stateDir string) (cloudLog logrus.FieldLogger, closeFn func(), err error) {
	if Verbose(log) {
		return log.WithField("component", "local"), func() {}, nil
	}
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(filepath.Join(stateDir, LocalCloudLogFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, err
	}
	l := logrus.New()
	l.SetOutput(f)
	l.SetFormatter(&logrus.JSONFormatter{})
	l.SetLevel(logrus.InfoLevel)
	return l, func() { _ = f.Close() }, nil
}
