package invoke

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// EventFlags are the three ways to give the event, at most one of which
// may be set; none means {}.
type EventFlags struct {
	Event    string // --event: inline JSON
	File     string // --event-file: a path, or - for standard input
	Template string // --event-template: a sample event's source
}

// Read returns the event as JSON, checked to be valid.
func (f EventFlags) Read(stdin io.Reader) ([]byte, error) {
	set := 0
	for _, v := range []string{f.Event, f.File, f.Template} {
		if v != "" {
			set++
		}
	}
	if set > 1 {
		return nil, errors.New("--event, --event-file and --event-template each give the event: use only one")
	}
	var data []byte
	var from string
	switch {
	case f.Template != "":
		return EventTemplate(f.Template)
	case f.File == "-":
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("--event-file -: %w", err)
		}
		data, from = b, "--event-file -"
	case f.File != "":
		b, err := os.ReadFile(f.File)
		if err != nil {
			return nil, fmt.Errorf("--event-file: %w", err)
		}
		data, from = b, "--event-file "+f.File
	case f.Event != "":
		data, from = []byte(f.Event), "--event"
	default:
		return []byte("{}"), nil
	}
	data = bytes.TrimSpace(data)
	if err := checkJSON(data); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%v): give a JSON document, e.g. --event '{\"id\": 1}'", from, err)
	}
	return data, nil
}
