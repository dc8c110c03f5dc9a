package stepfunctions

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sparta-go/sparta/step/engine"
)

// HistoryEvent is one event of GetExecutionHistory, in the API's shape:
// {"id", "previousEventId", "timestamp", "type", "<kind>EventDetails": {...}}.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
type HistoryEvent struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	// Details are the event's details; nil for the types that have none
	// (LambdaFunctionStarted, ParallelStateStarted, MapStateSucceeded...).
	Details *EventDetails
}

// EventDetails holds the members of every *EventDetails shape the local
// cloud emits; each type uses its subset.
type EventDetails struct {
	Name          string       `json:"name,omitempty"`
	Index         *int         `json:"index,omitempty"`
	Length        *int         `json:"length,omitempty"`
	Input         *string      `json:"input,omitempty"`
	InputDetails  *DataDetails `json:"inputDetails,omitempty"`
	Output        *string      `json:"output,omitempty"`
	OutputDetails *DataDetails `json:"outputDetails,omitempty"`
	RoleARN       string       `json:"roleArn,omitempty"`
	ResourceType  string       `json:"resourceType,omitempty"`
	Resource      string       `json:"resource,omitempty"`
	Region        string       `json:"region,omitempty"`
	Parameters    *string      `json:"parameters,omitempty"`
	Error         string       `json:"error,omitempty"`
	Cause         string       `json:"cause,omitempty"`
	// MapRunARN is MapRunStarted's Map Run.
	MapRunARN string `json:"mapRunArn,omitempty"`
	// State and Location are EvaluationFailed's state and failing field.
	State    string `json:"state,omitempty"`
	Location string `json:"location,omitempty"`
	// AssignedVariables are a *StateExited's variables as JSON texts.
	AssignedVariables        map[string]string `json:"assignedVariables,omitempty"`
	AssignedVariablesDetails *DataDetails      `json:"assignedVariablesDetails,omitempty"`
	// TimeoutInSeconds and HeartbeatInSeconds are a scheduled task's bounds.
	TimeoutInSeconds   *int64 `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds *int64 `json:"heartbeatInSeconds,omitempty"`
}

// DataDetails says whether a payload was truncated; the local cloud never
// truncates.
type DataDetails struct {
	Truncated bool `json:"truncated"`
}

// detailsKey returns the member name of an event type's details, or "" for
// types without details.
func detailsKey(typ string) string {
	switch {
	case strings.HasSuffix(typ, "StateEntered"):
		return "stateEnteredEventDetails"
	case strings.HasSuffix(typ, "StateExited"):
		return "stateExitedEventDetails"
	case strings.HasPrefix(typ, "MapIteration"):
		return "mapIteration" + strings.TrimPrefix(typ, "MapIteration") + "EventDetails"
	}
	switch typ {
	case "LambdaFunctionStarted", "ParallelStateStarted", "ParallelStateSucceeded", "ParallelStateFailed",
		"ParallelStateAborted", "MapStateSucceeded", "MapStateFailed", "MapStateAborted",
		"TaskStateAborted", "WaitStateAborted", "MapRunSucceeded", "MapRunAborted":
		return ""
	}
	return strings.ToLower(typ[:1]) + typ[1:] + "EventDetails"
}

// MarshalJSON writes the API's shape; timestamps are epoch seconds, as the
// awsJson protocols encode them.
func (e HistoryEvent) MarshalJSON() ([]byte, error) {
	m := map[string]any{
		"id":              e.ID,
		"previousEventId": e.PreviousEventID,
		"timestamp":       epochSeconds(e.Timestamp),
		"type":            e.Type,
	}
	if k := detailsKey(e.Type); k != "" && e.Details != nil {
		m[k] = e.Details
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads what MarshalJSON wrote (the stored history).
func (e *HistoryEvent) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var ts epochSeconds
	err := errors.Join(
		json.Unmarshal(m["id"], &e.ID),
		json.Unmarshal(m["previousEventId"], &e.PreviousEventID),
		json.Unmarshal(m["timestamp"], &ts),
		json.Unmarshal(m["type"], &e.Type),
	)
	if err != nil {
		return fmt.Errorf("decoding a history event: %w", err)
	}
	e.Timestamp = time.Time(ts)
	if raw, ok := m[detailsKey(e.Type)]; ok {
		e.Details = &EventDetails{}
		return json.Unmarshal(raw, e.Details)
	}
	return nil
}

// epochSeconds is a time as awsJson encodes it: seconds since the epoch,
// with milliseconds.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(time.Time(t).UnixMilli())/1000, 'f', 3, 64)), nil
}

func (t *epochSeconds) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	sec, frac := math.Modf(f)
	*t = epochSeconds(time.Unix(int64(sec), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC())
	return nil
}

// historyEvent maps one engine event to the API's. The engine names the
// events of Lambda function ARN resources LambdaFunction*, as AWS records
// them; integrations (arn:aws:states:::service:action)
// report resourceType "service" and resource "action".
func (s *Service) historyEvent(ev engine.Event, roleARN string) HistoryEvent {
	he := HistoryEvent{ID: ev.ID, PreviousEventID: ev.PreviousEventID, Timestamp: ev.Timestamp.UTC(), Type: ev.Type}
	d := &EventDetails{}
	payload := func(raw json.RawMessage) *string {
		if raw == nil {
			return nil
		}
		s := string(raw)
		return &s
	}
	resType, res := splitResource(ev.Resource)
	switch {
	case ev.Type == "ExecutionStarted":
		d.Input, d.InputDetails, d.RoleARN = payload(ev.Input), &DataDetails{}, roleARN
	case ev.Type == "ExecutionSucceeded":
		d.Output, d.OutputDetails = payload(ev.Output), &DataDetails{}
	case ev.Type == "ExecutionFailed", ev.Type == "ExecutionAborted", ev.Type == "ExecutionTimedOut":
		d.Error, d.Cause = ev.Error, ev.Cause
	case strings.HasSuffix(ev.Type, "StateEntered"):
		d.Name, d.Input, d.InputDetails = ev.StateName, payload(ev.Input), &DataDetails{}
	case strings.HasSuffix(ev.Type, "StateExited"):
		d.Name, d.Output, d.OutputDetails = ev.StateName, payload(ev.Output), &DataDetails{}
		if ev.AssignedVariables != nil {
			d.AssignedVariables = make(map[string]string, len(ev.AssignedVariables))
			for k, v := range ev.AssignedVariables {
				d.AssignedVariables[k] = string(v)
			}
			d.AssignedVariablesDetails = &DataDetails{}
		}
	case ev.Type == "MapRunStarted":
		d.MapRunARN = ev.Resource
	case ev.Type == "MapRunFailed":
		d.Error, d.Cause = ev.Error, ev.Cause
	case ev.Type == "EvaluationFailed":
		d.State, d.Error, d.Cause, d.Location = ev.StateName, ev.Error, ev.Cause, ev.Location
	case ev.Type == "MapStateStarted":
		n := ev.Index
		d.Length = &n
	case strings.HasPrefix(ev.Type, "MapIteration"):
		n := ev.Index
		d.Name, d.Index = ev.StateName, &n
	case ev.Type == "LambdaFunctionScheduled":
		d.Resource, d.Input, d.InputDetails = ev.Resource, payload(ev.Input), &DataDetails{}
		d.TimeoutInSeconds = seconds(ev.TimeoutSeconds)
	case ev.Type == "LambdaFunctionSucceeded":
		d.Output, d.OutputDetails = payload(ev.Output), &DataDetails{}
	case ev.Type == "LambdaFunctionFailed", ev.Type == "LambdaFunctionTimedOut":
		d.Error, d.Cause = ev.Error, ev.Cause
	case ev.Type == "TaskScheduled":
		d.ResourceType, d.Resource, d.Region, d.Parameters = resType, res, s.cfg.Region, payload(ev.Input)
		d.TimeoutInSeconds, d.HeartbeatInSeconds = seconds(ev.TimeoutSeconds), seconds(ev.HeartbeatSeconds)
	case ev.Type == "TaskStarted":
		d.ResourceType, d.Resource = resType, res
	case ev.Type == "TaskSubmitted":
		d.ResourceType, d.Resource = resType, res
		if ev.Output != nil {
			d.Output, d.OutputDetails = payload(ev.Output), &DataDetails{}
		}
	case ev.Type == "TaskSucceeded":
		d.ResourceType, d.Resource, d.Output, d.OutputDetails = resType, res, payload(ev.Output), &DataDetails{}
	case ev.Type == "TaskFailed", ev.Type == "TaskTimedOut":
		d.ResourceType, d.Resource, d.Error, d.Cause = resType, res, ev.Error, ev.Cause
	default:
		d = nil
	}
	if detailsKey(he.Type) == "" {
		d = nil
	}
	he.Details = d
	return he
}

// seconds is an optional duration member: absent when 0 (unbounded).
func seconds(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

// splitResource splits an integration ARN the way history events report
// it: arn:aws:states:::lambda:invoke.waitForTaskToken is resourceType
// "lambda", resource "invoke.waitForTaskToken"; arn:aws:states:::aws-sdk:s3:getObject
// is "aws-sdk:s3" and "getObject". Other resources are reported whole.
func splitResource(resource string) (typ, res string) {
	rest, ok := strings.CutPrefix(resource, "arn:aws:states:::")
	if !ok {
		return "", resource
	}
	i := strings.LastIndex(rest, ":")
	if i < 0 {
		return rest, ""
	}
	return rest[:i], rest[i+1:]
}

// History returns an execution's events, oldest first.
func (s *Service) History(arn string) ([]HistoryEvent, error) {
	if child := s.mapRunChild(arn); child != nil {
		evs := child.exec.History()
		out := make([]HistoryEvent, len(evs))
		for i, ev := range evs {
			out[i] = s.historyEvent(ev, "")
		}
		return out, nil
	}
	ref, ok := s.parseExecutionARN(arn)
	if !ok {
		return nil, apiError("InvalidArn", "Invalid Arn: '%s'", arn)
	}
	s.mu.Lock()
	r := s.running[arn]
	s.mu.Unlock()
	if r != nil {
		if exec := r.engine(); exec != nil {
			evs := exec.History()
			// A resumed execution's engine holds the events since the
			// resume; the ones before were read from the store.
			out := make([]HistoryEvent, len(r.before), len(r.before)+len(evs))
			copy(out, r.before)
			for _, ev := range evs {
				out = append(out, s.historyEvent(ev, r.role))
			}
			return out, nil
		}
	}
	if _, err := s.DescribeExecution(arn); err != nil {
		return nil, err
	}
	var out []HistoryEvent
	err := s.historiesOf(ref.machine).ReadLog(ref.key, func(raw json.RawMessage) error {
		var ev HistoryEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return err
		}
		out = append(out, ev)
		return nil
	})
	return out, err
}
