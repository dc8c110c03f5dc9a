package engine

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/sparta-go/sparta/step/internal/intrinsic"
)

// The context object ($$ in JSONPath, $states.context in JSONata).
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html.

const (
	defaultRegion  = "us-east-1"
	defaultAccount = "123456789012"
)

// timeFormat is how Step Functions writes times in the context object:
// ISO 8601 in UTC with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// fillNames completes Options' names and ARNs and builds the parts of the
// context object that do not change during the execution.
func (e *Execution) fillNames() {
	o := &e.opts
	if o.StateMachineName == "" {
		o.StateMachineName = arnName(o.StateMachineARN, "StateMachine")
	}
	if o.StateMachineARN == "" {
		o.StateMachineARN = "arn:aws:states:" + defaultRegion + ":" + defaultAccount + ":stateMachine:" + o.StateMachineName
	}
	if o.ExecutionName == "" {
		o.ExecutionName = arnName(o.ExecutionARN, "")
		if o.ExecutionName == "" {
			o.ExecutionName = e.uuid()
		}
	}
	if o.ExecutionARN == "" {
		prefix := strings.Replace(o.StateMachineARN, ":stateMachine:", ":execution:", 1)
		if prefix == o.StateMachineARN {
			prefix = "arn:aws:states:" + defaultRegion + ":" + defaultAccount + ":execution:" + o.StateMachineName
		}
		o.ExecutionARN = prefix + ":" + o.ExecutionName
	}
	if o.RoleARN == "" {
		o.RoleARN = "arn:aws:iam::" + defaultAccount + ":role/service-role/StepFunctions-" + o.StateMachineName + "-role"
	}
	e.execObj = map[string]any{
		"Id":           o.ExecutionARN,
		"Input":        e.input,
		"Name":         o.ExecutionName,
		"RoleArn":      o.RoleARN,
		"StartTime":    formatTime(e.start),
		"RedriveCount": json.Number("0"),
	}
	e.smObj = map[string]any{"Id": o.StateMachineARN, "Name": o.StateMachineName}
}

func (e *Execution) smARN() string { return e.opts.StateMachineARN }

// arnName returns the last ":"-separated part of an ARN, or def.
func arnName(arn, def string) string {
	if i := strings.LastIndexByte(arn, ':'); i >= 0 && i+1 < len(arn) {
		return arn[i+1:]
	}
	return def
}

func (e *Execution) uuid() string {
	if e.opts.UUID != nil {
		return e.opts.UUID()
	}
	return newUUID()
}

// newUUID returns a random version 4 UUID: the one States.UUID returns.
func newUUID() string { return intrinsic.NewUUID() }

// mapItem is $$.Map.Item while a Map state builds an iteration's input.
type mapItem struct {
	index int
	value any
}

// contextObject builds $$ for the frame on first use: most states never
// read it, so building it eagerly would cost every transition.
func (f *frame) contextObject() map[string]any {
	if f.ctxObj != nil {
		return f.ctxObj
	}
	e := f.r.exec
	state := map[string]any{
		"EnteredTime": formatTime(f.entered),
		"Name":        f.st.name,
	}
	if f.st.kind == kindTask && !f.st.jsonata {
		// AWS gives RetryCount to JSONPath Task states only (recorded
		// AWS behaviour).
		state["RetryCount"] = json.Number(strconv.Itoa(f.retry))
	}
	obj := map[string]any{
		"Execution":    e.execObj,
		"State":        state,
		"StateMachine": e.smObj,
	}
	if f.token != "" {
		obj["Task"] = map[string]any{"Token": f.token}
	}
	if f.item != nil {
		obj["Map"] = map[string]any{"Item": map[string]any{
			"Index": json.Number(strconv.Itoa(f.item.index)),
			"Value": f.item.value,
			// The items come from the state's data, not an ItemReader:
			// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
			"Source": "STATE_DATA",
		}}
	}
	f.ctxObj = obj
	return obj
}

// invalidate drops the cached context object after RetryCount or the task
// token changed.
func (f *frame) invalidate() {
	f.ctxObj = nil
	f.jsCtx = nil
}
