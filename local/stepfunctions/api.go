package stepfunctions

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// The JSON 1.0 API. Members are camelCase and timestamps epoch seconds, as
// the Step Functions API reference and aws-sdk-go-v2's deserializers have
// them.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html

func (s *Service) initAPI() {
	s.json = core.JSONService{
		Service:      "Step Functions",
		TargetPrefix: "AWSStepFunctions",
		ContentType:  "application/x-amz-json-1.0",
		Operations: map[string]core.JSONOperation{
			"CreateStateMachine":   core.Op(s.apiCreateStateMachine),
			"UpdateStateMachine":   core.Op(s.apiUpdateStateMachine),
			"DeleteStateMachine":   core.Op(s.apiDeleteStateMachine),
			"DescribeStateMachine": core.Op(s.apiDescribeStateMachine),
			"ListStateMachines":    core.Op(s.apiListStateMachines),
			"StartExecution":       core.Op(s.apiStartExecution),
			"StartSyncExecution":   core.Op(s.apiStartSyncExecution),
			"DescribeExecution":    core.Op(s.apiDescribeExecution),
			"StopExecution":        core.Op(s.apiStopExecution),
			"ListExecutions":       core.Op(s.apiListExecutions),
			"GetExecutionHistory":  core.Op(s.apiGetExecutionHistory),
			"DescribeMapRun":       core.Op(s.apiDescribeMapRun),
			"ListMapRuns":          core.Op(s.apiListMapRuns),
			"SendTaskSuccess":      core.Op(s.apiSendTaskSuccess),
			"SendTaskFailure":      core.Op(s.apiSendTaskFailure),
			"SendTaskHeartbeat":    core.Op(s.apiSendTaskHeartbeat),
		},
	}
}

func epoch(t time.Time) *epochSeconds {
	if t.IsZero() {
		return nil
	}
	e := epochSeconds(t)
	return &e
}

func (s *Service) apiCreateStateMachine(_ context.Context, in CreateStateMachineInput) (any, error) {
	sm, err := s.CreateStateMachine(in)
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineARN string        `json:"stateMachineArn"`
		CreationDate    *epochSeconds `json:"creationDate"`
	}{sm.ARN, epoch(sm.CreationDate)}, nil
}

func (s *Service) apiUpdateStateMachine(_ context.Context, in UpdateStateMachineInput) (any, error) {
	sm, err := s.UpdateStateMachine(in)
	if err != nil {
		return nil, err
	}
	return struct {
		UpdateDate *epochSeconds `json:"updateDate"`
		RevisionID string        `json:"revisionId"`
	}{epoch(sm.UpdateDate), sm.RevisionID}, nil
}

type machineARNInput struct {
	StateMachineARN string `json:"stateMachineArn"`
}

func (s *Service) apiDeleteStateMachine(_ context.Context, in machineARNInput) (any, error) {
	return nil, s.DeleteStateMachine(in.StateMachineARN)
}

func (s *Service) apiDescribeStateMachine(_ context.Context, in machineARNInput) (any, error) {
	sm, err := s.DescribeStateMachine(in.StateMachineARN)
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineARN string          `json:"stateMachineArn"`
		Name            string          `json:"name"`
		Status          string          `json:"status"`
		Definition      string          `json:"definition"`
		RoleARN         string          `json:"roleArn"`
		Type            string          `json:"type"`
		CreationDate    *epochSeconds   `json:"creationDate"`
		RevisionID      string          `json:"revisionId,omitempty"`
		Description     string          `json:"description,omitempty"`
		Logging         json.RawMessage `json:"loggingConfiguration,omitempty"`
		Tracing         json.RawMessage `json:"tracingConfiguration,omitempty"`
	}{sm.ARN, sm.Name, "ACTIVE", sm.Definition, sm.RoleARN, sm.Type, epoch(sm.CreationDate), sm.RevisionID, sm.Description,
		sm.LoggingConfiguration, sm.TracingConfiguration}, nil
}

// pageInput is the pagination of list operations.
type pageInput struct {
	MaxResults int    `json:"maxResults,omitempty"`
	NextToken  string `json:"nextToken,omitempty"`
}

// page returns the bounds of the requested page of n items and the token
// of the next one (empty on the last page). Tokens are offsets: a list
// that changes between pages may repeat or skip items, which AWS's opaque
// tokens avoid; good enough for a development cloud.
func (p pageInput) page(n, defaultSize int) (from, to int, next string, err error) {
	size := p.MaxResults
	switch {
	case size > 1000:
		// The API's range is 0 to 1000 (see for example
		// https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html).
		return 0, 0, "", apiError("ValidationException", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", size)
	case size < 0:
		return 0, 0, "", apiError("ValidationException", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0", size)
	case size == 0:
		size = defaultSize
	}
	if p.NextToken != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(p.NextToken)
		off, cerr := strconv.Atoi(string(raw))
		if derr != nil || cerr != nil || off < 0 {
			return 0, 0, "", apiError("InvalidToken", "Invalid Token: 'the nextToken was not issued by this operation'")
		}
		from = off
	}
	from = min(from, n)
	to = min(from+size, n)
	if to < n {
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(to)))
	}
	return from, to, next, nil
}

func (s *Service) apiListStateMachines(_ context.Context, in pageInput) (any, error) {
	all := s.ListStateMachines()
	from, to, next, err := in.page(len(all), 100)
	if err != nil {
		return nil, err
	}
	type item struct {
		StateMachineARN string        `json:"stateMachineArn"`
		Name            string        `json:"name"`
		Type            string        `json:"type"`
		CreationDate    *epochSeconds `json:"creationDate"`
	}
	out := struct {
		StateMachines []item `json:"stateMachines"`
		NextToken     string `json:"nextToken,omitempty"`
	}{StateMachines: []item{}, NextToken: next}
	for _, sm := range all[from:to] {
		out.StateMachines = append(out.StateMachines, item{sm.ARN, sm.Name, sm.Type, epoch(sm.CreationDate)})
	}
	return out, nil
}

func (s *Service) apiStartExecution(_ context.Context, in StartExecutionInput) (any, error) {
	e, err := s.StartExecution(in)
	if err != nil {
		return nil, err
	}
	return struct {
		ExecutionARN string        `json:"executionArn"`
		StartDate    *epochSeconds `json:"startDate"`
	}{e.ARN, epoch(e.StartDate)}, nil
}

// executionOutput is DescribeExecution's result; StartSyncExecution's has
// the same members bar the status set.
type executionOutput struct {
	ExecutionARN    string           `json:"executionArn"`
	StateMachineARN string           `json:"stateMachineArn"`
	Name            string           `json:"name"`
	Status          string           `json:"status"`
	StartDate       *epochSeconds    `json:"startDate"`
	StopDate        *epochSeconds    `json:"stopDate,omitempty"`
	Input           string           `json:"input"`
	InputDetails    includedDetails  `json:"inputDetails"`
	Output          *string          `json:"output,omitempty"`
	OutputDetails   *includedDetails `json:"outputDetails,omitempty"`
	Error           string           `json:"error,omitempty"`
	Cause           string           `json:"cause,omitempty"`
	TraceHeader     string           `json:"traceHeader,omitempty"`
	MapRunARN       string           `json:"mapRunArn,omitempty"`
}

func toExecutionOutput(e Execution) executionOutput {
	out := executionOutput{
		ExecutionARN: e.ARN, StateMachineARN: e.StateMachineARN, Name: e.Name, Status: e.Status,
		StartDate: epoch(e.StartDate), StopDate: epoch(e.StopDate), Input: e.Input,
		Error: e.Error, Cause: e.Cause, TraceHeader: e.TraceHeader, MapRunARN: e.MapRunARN,
		InputDetails: includedDetails{Included: true},
	}
	if e.Status == "SUCCEEDED" {
		o := e.Output
		out.Output, out.OutputDetails = &o, &includedDetails{Included: true}
	}
	return out
}

// includedDetails is the CloudWatchEventsExecutionDataDetails of
// DescribeExecution and StartSyncExecution: whether the input or output is
// in the response, which AWS answers with {"included": true} (history
// events carry {"truncated": ...} instead).
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_CloudWatchEventsExecutionDataDetails.html
type includedDetails struct {
	Included bool `json:"included"`
}

func (s *Service) apiStartSyncExecution(ctx context.Context, in StartExecutionInput) (any, error) {
	e, err := s.StartSyncExecution(ctx, in)
	if err != nil {
		return nil, err
	}
	return toExecutionOutput(e), nil
}

type executionARNInput struct {
	ExecutionARN string `json:"executionArn"`
}

// refuseExpress is AWS's answer to DescribeExecution and
// GetExecutionHistory for an execution of an EXPRESS machine (whose record
// lives in CloudWatch Logs there), but for the child executions of a
// Distributed Map run.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
// and https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
func (s *Service) refuseExpress(arn string) error {
	if ref, ok := s.parseExecutionARN(arn); ok && ref.express && s.mapRunChild(arn) == nil {
		return apiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
	}
	return nil
}

// apiDescribeExecution refuses the executions of EXPRESS machines, as AWS
// does (see refuseExpress).
func (s *Service) apiDescribeExecution(_ context.Context, in executionARNInput) (any, error) {
	if err := s.refuseExpress(in.ExecutionARN); err != nil {
		return nil, err
	}
	e, err := s.DescribeExecution(in.ExecutionARN)
	if err != nil {
		return nil, err
	}
	return toExecutionOutput(e), nil
}

func (s *Service) apiStopExecution(_ context.Context, in struct {
	ExecutionARN string `json:"executionArn"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}) (any, error) {
	e, err := s.StopExecution(in.ExecutionARN, in.Error, in.Cause)
	if err != nil {
		return nil, err
	}
	return struct {
		StopDate *epochSeconds `json:"stopDate"`
	}{epoch(e.StopDate)}, nil
}

func (s *Service) apiListExecutions(_ context.Context, in struct {
	pageInput
	StateMachineARN string `json:"stateMachineArn,omitempty"`
	MapRunARN       string `json:"mapRunArn,omitempty"`
	StatusFilter    string `json:"statusFilter,omitempty"`
}) (any, error) {
	switch in.StatusFilter {
	case "", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE":
	default:
		return nil, apiError("ValidationException", "1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]", in.StatusFilter)
	}
	var all []Execution
	var err error
	if in.MapRunARN != "" {
		all, err = s.mapRunExecutions(in.MapRunARN, in.StatusFilter)
	} else {
		all, err = s.ListExecutions(in.StateMachineARN, in.StatusFilter)
	}
	if err != nil {
		return nil, err
	}
	from, to, next, err := in.page(len(all), 100)
	if err != nil {
		return nil, err
	}
	type item struct {
		ExecutionARN    string        `json:"executionArn"`
		StateMachineARN string        `json:"stateMachineArn"`
		Name            string        `json:"name"`
		Status          string        `json:"status"`
		StartDate       *epochSeconds `json:"startDate"`
		StopDate        *epochSeconds `json:"stopDate,omitempty"`
		MapRunARN       string        `json:"mapRunArn,omitempty"`
	}
	out := struct {
		Executions []item `json:"executions"`
		NextToken  string `json:"nextToken,omitempty"`
	}{Executions: []item{}, NextToken: next}
	for _, e := range all[from:to] {
		out.Executions = append(out.Executions, item{e.ARN, e.StateMachineARN, e.Name, e.Status, epoch(e.StartDate), epoch(e.StopDate), e.MapRunARN})
	}
	return out, nil
}

func (s *Service) apiGetExecutionHistory(_ context.Context, in struct {
	pageInput
	ExecutionARN         string `json:"executionArn"`
	ReverseOrder         bool   `json:"reverseOrder,omitempty"`
	IncludeExecutionData *bool  `json:"includeExecutionData,omitempty"`
}) (any, error) {
	if err := s.refuseExpress(in.ExecutionARN); err != nil {
		return nil, err
	}
	events, err := s.History(in.ExecutionARN)
	if err != nil {
		return nil, err
	}
	if in.ReverseOrder {
		for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
			events[i], events[j] = events[j], events[i]
		}
	}
	from, to, next, err := in.page(len(events), 100)
	if err != nil {
		return nil, err
	}
	page := events[from:to]
	if in.IncludeExecutionData != nil && !*in.IncludeExecutionData {
		for i := range page {
			if d := page[i].Details; d != nil {
				c := *d
				c.Input, c.InputDetails, c.Output, c.OutputDetails, c.Parameters = nil, nil, nil, nil, nil
				c.AssignedVariables, c.AssignedVariablesDetails = nil, nil
				page[i].Details = &c
			}
		}
	}
	return struct {
		Events    []HistoryEvent `json:"events"`
		NextToken string         `json:"nextToken,omitempty"`
	}{Events: append([]HistoryEvent{}, page...), NextToken: next}, nil
}

func (s *Service) apiSendTaskSuccess(_ context.Context, in struct {
	TaskToken string `json:"taskToken"`
	Output    string `json:"output"`
}) (any, error) {
	return nil, s.SendTaskSuccess(in.TaskToken, in.Output)
}

func (s *Service) apiSendTaskFailure(_ context.Context, in struct {
	TaskToken string `json:"taskToken"`
	Error     string `json:"error,omitempty"`
	Cause     string `json:"cause,omitempty"`
}) (any, error) {
	return nil, s.SendTaskFailure(in.TaskToken, in.Error, in.Cause)
}

func (s *Service) apiSendTaskHeartbeat(_ context.Context, in struct {
	TaskToken string `json:"taskToken"`
}) (any, error) {
	return nil, s.SendTaskHeartbeat(in.TaskToken)
}
