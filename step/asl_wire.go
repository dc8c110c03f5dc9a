package step

import (
	"bytes"
	"encoding/json"
)

// wireMachine is the top level of an ASL definition.
//
// See https://states-language.net/spec.html#toplevelfields.
type wireMachine struct {
	QueryLanguage  string        `json:"QueryLanguage,omitempty"`
	Comment        string        `json:"Comment,omitempty"`
	StartAt        string        `json:"StartAt"`
	States         orderedStates `json:"States"`
	TimeoutSeconds any           `json:"TimeoutSeconds,omitempty"`
	Version        string        `json:"Version,omitempty"`

	// read is States as FromJSON decoded it (States is for writing).
	read statesRead
}

// wireBranch is a Parallel branch or a Map Iterator.
type wireBranch struct {
	Comment string `json:"Comment,omitempty"`
	// ProcessorConfig is accepted in a legacy Iterator as AWS accepts it.
	ProcessorConfig *wireProcessorConfig `json:"ProcessorConfig,omitempty"`
	StartAt         string               `json:"StartAt"`
	States          orderedStates        `json:"States"`

	read statesRead
}

// wireProcessor is a Map state's ItemProcessor.
type wireProcessor struct {
	Comment         string               `json:"Comment,omitempty"`
	ProcessorConfig *wireProcessorConfig `json:"ProcessorConfig,omitempty"`
	StartAt         string               `json:"StartAt"`
	States          orderedStates        `json:"States"`

	read statesRead
}

type wireProcessorConfig struct {
	Mode          string `json:"Mode,omitempty"`
	ExecutionType string `json:"ExecutionType,omitempty"`
}

// wirePath is a path field (InputPath, ResultPath, OutputPath), which may
// be absent (the zero value), null or a string; bad holds a value of any
// other type, for the parser to report.
type wirePath struct {
	set, null bool
	path      string
	bad       any
}

func (p wirePath) IsZero() bool { return !p.set }

func (p wirePath) MarshalJSON() ([]byte, error) {
	switch {
	case p.null:
		return []byte("null"), nil
	case p.bad != nil:
		return marshalJSON(p.bad)
	}
	return marshalJSON(p.path)
}

// wireState is the union of every state's fields, in the order
// MarshalJSON writes them. Path fields are wirePaths, so that null and
// absent stay apart.
type wireState struct {
	Type          string `json:"Type"`
	Comment       string `json:"Comment,omitempty"`
	QueryLanguage string `json:"QueryLanguage,omitempty"`

	Resource    string `json:"Resource,omitempty"`
	Credentials any    `json:"Credentials,omitempty"`

	Choices []any  `json:"Choices,omitempty"`
	Default string `json:"Default,omitempty"`

	Seconds       any    `json:"Seconds,omitempty"`
	SecondsPath   string `json:"SecondsPath,omitempty"`
	Timestamp     any    `json:"Timestamp,omitempty"`
	TimestampPath string `json:"TimestampPath,omitempty"`

	Error     string `json:"Error,omitempty"`
	ErrorPath string `json:"ErrorPath,omitempty"`
	Cause     string `json:"Cause,omitempty"`
	CausePath string `json:"CausePath,omitempty"`

	Branches []*wireBranch `json:"Branches,omitempty"`

	ItemProcessor                  *wireProcessor `json:"ItemProcessor,omitempty"`
	Iterator                       *wireBranch    `json:"Iterator,omitempty"`
	ItemReader                     any            `json:"ItemReader,omitempty"`
	ItemsPath                      string         `json:"ItemsPath,omitempty"`
	Items                          any            `json:"Items,omitempty"`
	ItemSelector                   any            `json:"ItemSelector,omitempty"`
	ItemBatcher                    any            `json:"ItemBatcher,omitempty"`
	ResultWriter                   any            `json:"ResultWriter,omitempty"`
	MaxConcurrency                 any            `json:"MaxConcurrency,omitempty"`
	MaxConcurrencyPath             string         `json:"MaxConcurrencyPath,omitempty"`
	ToleratedFailurePercentage     any            `json:"ToleratedFailurePercentage,omitempty"`
	ToleratedFailurePercentagePath string         `json:"ToleratedFailurePercentagePath,omitempty"`
	ToleratedFailureCount          any            `json:"ToleratedFailureCount,omitempty"`
	ToleratedFailureCountPath      string         `json:"ToleratedFailureCountPath,omitempty"`
	Label                          string         `json:"Label,omitempty"`

	InputPath      wirePath `json:"InputPath,omitzero"`
	Parameters     any      `json:"Parameters,omitempty"`
	Arguments      any      `json:"Arguments,omitempty"`
	Result         any      `json:"Result,omitempty"`
	ResultSelector any      `json:"ResultSelector,omitempty"`
	ResultPath     wirePath `json:"ResultPath,omitzero"`
	OutputPath     wirePath `json:"OutputPath,omitzero"`
	Output         any      `json:"Output,omitempty"`
	Assign         any      `json:"Assign,omitempty"`

	TimeoutSeconds       any    `json:"TimeoutSeconds,omitempty"`
	TimeoutSecondsPath   string `json:"TimeoutSecondsPath,omitempty"`
	HeartbeatSeconds     any    `json:"HeartbeatSeconds,omitempty"`
	HeartbeatSecondsPath string `json:"HeartbeatSecondsPath,omitempty"`

	Retry []wireRetrier `json:"Retry,omitempty"`
	Catch []wireCatcher `json:"Catch,omitempty"`

	Next string `json:"Next,omitempty"`
	End  bool   `json:"End,omitempty"`

	// present has bit i set when field i (see wireFieldNames) was read
	// with a value other than its zero value: the fields a state of the
	// wrong type must not have.
	present uint64
}

type wireRetrier struct {
	ErrorEquals     []string `json:"ErrorEquals"`
	Comment         string   `json:"Comment,omitempty"`
	IntervalSeconds *int     `json:"IntervalSeconds,omitempty"`
	MaxAttempts     *int     `json:"MaxAttempts,omitempty"`
	BackoffRate     *float64 `json:"BackoffRate,omitempty"`
	MaxDelaySeconds *int     `json:"MaxDelaySeconds,omitempty"`
	JitterStrategy  string   `json:"JitterStrategy,omitempty"`
}

type wireCatcher struct {
	ErrorEquals []string `json:"ErrorEquals"`
	Comment     string   `json:"Comment,omitempty"`
	ResultPath  wirePath `json:"ResultPath,omitzero"`
	Output      any      `json:"Output,omitempty"`
	Assign      any      `json:"Assign,omitempty"`
	Next        string   `json:"Next"`
}

// orderedStates is a States object whose keys keep their order, which a Go
// map would lose: the definition lists states as the user (or the parsed
// file) did, and marshals to the same bytes every time.
type orderedStates []namedState

type namedState struct {
	name  string
	state *wireState
}

func (o orderedStates) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	enc := newEncoder(&buf)
	for i, s := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(s.name); err != nil {
			return nil, err
		}
		trimNewline(&buf)
		buf.WriteByte(':')
		if err := enc.Encode(s.state); err != nil {
			return nil, err
		}
		trimNewline(&buf)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// newEncoder returns an encoder that leaves <, > and & alone: JSONata
// expressions ("{% $a < 3 %}") stay readable in definitions.
func newEncoder(buf *bytes.Buffer) *json.Encoder {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return enc
}

func trimNewline(buf *bytes.Buffer) {
	if n := buf.Len(); n > 0 && buf.Bytes()[n-1] == '\n' {
		buf.Truncate(n - 1)
	}
}

// marshalJSON encodes v without HTML escaping.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := newEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	trimNewline(&buf)
	return buf.Bytes(), nil
}
