package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sirupsen/logrus"
)

// Field keys of this package's logs.
const (
	FieldImage    = "image"
	FieldStep     = "step"
	FieldLayer    = "layer"
	FieldDuration = "duration"
	FieldBytes    = "bytes"
)

// message is one JSON object of the engine's build, push and pull streams.
//
// See https://docs.docker.com/reference/api/engine/version/v1.41/#tag/Image/operation/ImageBuild.
type message struct {
	Stream   string `json:"stream"`
	Status   string `json:"status"`
	ID       string `json:"id"`
	Progress *struct {
		Current int64 `json:"current"`
		Total   int64 `json:"total"`
	} `json:"progressDetail"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errorDetail"`
	Aux json.RawMessage `json:"aux"`
}

// decodeStream calls fn for each message of an engine stream and returns
// the stream's own error message, if it sent one, as a plain error.
func decodeStream(r io.Reader, fn func(m message)) error {
	dec := json.NewDecoder(r)
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading the engine's response: %w", err)
		}
		if m.ErrorDetail != nil && m.ErrorDetail.Message != "" {
			return errors.New(m.ErrorDetail.Message)
		}
		if m.Error != "" {
			return errors.New(m.Error)
		}
		fn(m)
	}
}

// BuildError is a failed image build: the Dockerfile step that failed, what
// that step printed, and the engine's message.
type BuildError struct {
	Image   string
	Step    string
	Output  string
	Message string
}

func (e *BuildError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "building image %s", e.Image)
	if e.Step != "" {
		fmt.Fprintf(&b, ": %s", e.Step)
	}
	fmt.Fprintf(&b, ": %s", e.Message)
	if out := strings.TrimSpace(e.Output); out != "" {
		fmt.Fprintf(&b, "\n%s", out)
	}
	return b.String()
}

// buildLog follows a classic-builder stream: each "Step N/M : ..." line is
// logged at Info, the step's output at Debug, and the last step with its
// output is kept for the error.
type buildLog struct {
	log     logrus.FieldLogger
	step    string
	output  strings.Builder
	pending string
	imageID string
	// created are the intermediate images this build made (not those it
	// took from the cache), which a failed build removes.
	created   []string
	fromCache bool
}

func (b *buildLog) message(m message) {
	if len(m.Aux) > 0 {
		var aux struct{ ID string }
		if json.Unmarshal(m.Aux, &aux) == nil && aux.ID != "" {
			b.imageID = aux.ID
		}
	}
	text := b.pending + m.Stream
	b.pending = ""
	for {
		line, rest, ok := strings.Cut(text, "\n")
		if !ok {
			b.pending = line
			return
		}
		b.line(strings.TrimRight(line, "\r"))
		text = rest
	}
}

func (b *buildLog) line(line string) {
	if strings.TrimSpace(line) == "" {
		return
	}
	if id, ok := strings.CutPrefix(strings.TrimSpace(line), "---> "); ok {
		switch {
		case id == "Using cache":
			b.fromCache = true
		case id != "" && !strings.Contains(id, " "):
			if !b.fromCache {
				b.created = append(b.created, id)
			}
			b.fromCache = false
		}
		return
	}
	if strings.HasPrefix(line, "Step ") {
		b.step = line
		b.output.Reset()
		b.log.WithField(FieldStep, line).Debug("Building")
		return
	}
	b.output.WriteString(line)
	b.output.WriteByte('\n')
	b.log.Debug(line)
}

// progressLog logs push and pull progress: each layer's status changes at
// Debug, byte counts at most every two seconds.
type progressLog struct {
	log    logrus.FieldLogger
	status map[string]string
	last   time.Time
}

func newProgressLog(log logrus.FieldLogger) *progressLog {
	return &progressLog{log: log, status: map[string]string{}}
}

func (p *progressLog) message(m message) {
	if m.ID == "" || m.Status == "" {
		if m.Status != "" {
			p.log.Debug(m.Status)
		}
		return
	}
	if m.Progress != nil && m.Progress.Total > 0 {
		if time.Since(p.last) < 2*time.Second {
			return
		}
		p.last = time.Now()
		p.log.WithFields(logrus.Fields{FieldLayer: m.ID, FieldBytes: fmt.Sprintf("%d/%d", m.Progress.Current, m.Progress.Total)}).Debug(m.Status)
		return
	}
	if p.status[m.ID] != m.Status {
		p.status[m.ID] = m.Status
		p.log.WithField(FieldLayer, m.ID).Debug(m.Status)
	}
}
