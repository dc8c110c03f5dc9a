package cli

import (
	"fmt"
	"io"
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
	FormatText = "text"
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
	switch strings.ToLower(format) {
	case FormatText, "":
		log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, TimestampFormat: time.TimeOnly, PadLevelText: true})
	case FormatJSON:
		log.SetFormatter(&logrus.JSONFormatter{})
	default:
		return nil, fmt.Errorf("--format %q: use text or json", format)
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
