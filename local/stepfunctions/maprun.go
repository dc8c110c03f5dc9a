package stepfunctions

import (
	"context"
	"strings"

	"github.com/sparta-go/sparta/step/engine"
)

// Distributed Map runs: the engine runs a DISTRIBUTED Map's items as child
// executions of a Map Run and tells the service through OnMapRun. The
// service serves DescribeMapRun, ListMapRuns, ListExecutions with
// mapRunArn, and DescribeExecution and GetExecutionHistory of the child
// executions from them.
//
// Map Runs live in memory: they are not stored, so a restarted local cloud
// no longer knows the Map Runs (nor the child executions) of executions it
// ran before; the parent executions and their histories are stored as usual.
//
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
// and https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListMapRuns.html.

func (s *Service) registerMapRun(m *engine.MapRun) {
	s.mu.Lock()
	s.mapRuns[m.ARN] = m
	s.mu.Unlock()
}

func (s *Service) mapRun(arn string) (*engine.MapRun, error) {
	s.mu.Lock()
	m := s.mapRuns[arn]
	s.mu.Unlock()
	if m == nil {
		return nil, apiError("ResourceNotFound", "Resource not found: '%s'", arn)
	}
	return m, nil
}

type mapRunChild struct {
	run  *engine.MapRun
	exec *engine.Execution
}

// mapRunChild finds a child execution by ARN: arn:...:execution:<machine>/<label>:<name>.
func (s *Service) mapRunChild(arn string) *mapRunChild {
	if !strings.Contains(arn, ":execution:") || !strings.Contains(arn, "/") {
		return nil
	}
	s.mu.Lock()
	runs := make([]*engine.MapRun, 0, len(s.mapRuns))
	for _, m := range s.mapRuns {
		runs = append(runs, m)
	}
	s.mu.Unlock()
	for _, m := range runs {
		for _, x := range m.Executions() {
			if x.ARN() == arn {
				return &mapRunChild{run: m, exec: x}
			}
		}
	}
	return nil
}

// childRecord describes a child execution as DescribeExecution does.
func childRecord(x *engine.Execution, m *engine.MapRun) Execution {
	arn := x.ARN()
	rec := Execution{
		ARN: arn, StateMachineARN: m.StateMachineARN, Name: arn[strings.LastIndexByte(arn, ':')+1:],
		Type: TypeStandard, Status: x.Status(), StartDate: x.StartDate().UTC(), Input: string(x.Input()),
		MapRunARN: m.ARN,
	}
	if rec.Status != engine.StatusRunning {
		res := x.Wait()
		rec.StopDate, rec.Error, rec.Cause = res.StopDate.UTC(), res.Error, res.Cause
		if rec.Status == engine.StatusSucceeded {
			rec.Output = string(res.Output)
		}
	}
	return rec
}

func (s *Service) mapRunExecutions(arn, statusFilter string) ([]Execution, error) {
	m, err := s.mapRun(arn)
	if err != nil {
		return nil, err
	}
	var out []Execution
	for _, x := range m.Executions() {
		if rec := childRecord(x, m); statusFilter == "" || rec.Status == statusFilter {
			out = append(out, rec)
		}
	}
	return out, nil
}

// mapRunCounts is DescribeMapRun's itemCounts and executionCounts.
type mapRunCounts struct {
	Pending               int `json:"pending"`
	Running               int `json:"running"`
	Succeeded             int `json:"succeeded"`
	Failed                int `json:"failed"`
	TimedOut              int `json:"timedOut"`
	Aborted               int `json:"aborted"`
	Total                 int `json:"total"`
	ResultsWritten        int `json:"resultsWritten"`
	FailuresNotRedrivable int `json:"failuresNotRedrivable"`
	PendingRedrive        int `json:"pendingRedrive"`
}

func counts(m *engine.MapRun) mapRunCounts {
	c := mapRunCounts{Total: m.Items}
	children := m.Executions()
	for _, x := range children {
		switch x.Status() {
		case engine.StatusRunning:
			c.Running++
		case engine.StatusSucceeded:
			c.Succeeded++
		case engine.StatusFailed:
			c.Failed++
		case engine.StatusTimedOut:
			c.TimedOut++
		case engine.StatusAborted:
			c.Aborted++
		}
	}
	c.Pending = c.Total - len(children)
	if m.Status() != engine.StatusRunning {
		// Items never started when the run ended were not run.
		c.Aborted += c.Pending
		c.Pending = 0
	}
	c.ResultsWritten = c.Succeeded
	return c
}

func (s *Service) apiDescribeMapRun(_ context.Context, in struct {
	MapRunARN string `json:"mapRunArn"`
}) (any, error) {
	m, err := s.mapRun(in.MapRunARN)
	if err != nil {
		return nil, err
	}
	c := counts(m)
	return struct {
		MapRunARN                  string        `json:"mapRunArn"`
		ExecutionARN               string        `json:"executionArn"`
		Status                     string        `json:"status"`
		StartDate                  *epochSeconds `json:"startDate"`
		StopDate                   *epochSeconds `json:"stopDate,omitempty"`
		MaxConcurrency             int64         `json:"maxConcurrency"`
		ToleratedFailurePercentage float64       `json:"toleratedFailurePercentage"`
		ToleratedFailureCount      int64         `json:"toleratedFailureCount"`
		ItemCounts                 mapRunCounts  `json:"itemCounts"`
		ExecutionCounts            mapRunCounts  `json:"executionCounts"`
		RedriveCount               int           `json:"redriveCount"`
	}{
		MapRunARN: m.ARN, ExecutionARN: m.ExecutionARN, Status: m.Status(),
		StartDate: epoch(m.StartDate), StopDate: epoch(m.StopDate()),
		MaxConcurrency: m.MaxConcurrency, ToleratedFailurePercentage: m.ToleratedFailurePercentage,
		ToleratedFailureCount: m.ToleratedFailureCount, ItemCounts: c, ExecutionCounts: c,
	}, nil
}

func (s *Service) apiListMapRuns(_ context.Context, in struct {
	pageInput
	ExecutionARN string `json:"executionArn"`
}) (any, error) {
	if _, err := s.DescribeExecution(in.ExecutionARN); err != nil {
		return nil, err
	}
	var runs []*engine.MapRun
	s.mu.Lock()
	for _, m := range s.mapRuns {
		if m.ExecutionARN == in.ExecutionARN {
			runs = append(runs, m)
		}
	}
	s.mu.Unlock()
	// Oldest first, as the runs of one execution start in order.
	for i := 1; i < len(runs); i++ {
		for j := i; j > 0 && runs[j].StartDate.Before(runs[j-1].StartDate); j-- {
			runs[j], runs[j-1] = runs[j-1], runs[j]
		}
	}
	from, to, next, err := in.page(len(runs), 100)
	if err != nil {
		return nil, err
	}
	type item struct {
		ExecutionARN    string        `json:"executionArn"`
		MapRunARN       string        `json:"mapRunArn"`
		StateMachineARN string        `json:"stateMachineArn"`
		StartDate       *epochSeconds `json:"startDate"`
		StopDate        *epochSeconds `json:"stopDate,omitempty"`
	}
	out := struct {
		MapRuns   []item `json:"mapRuns"`
		NextToken string `json:"nextToken,omitempty"`
	}{MapRuns: []item{}, NextToken: next}
	for _, m := range runs[from:to] {
		out.MapRuns = append(out.MapRuns, item{m.ExecutionARN, m.ARN, m.StateMachineARN, epoch(m.StartDate), epoch(m.StopDate())})
	}
	return out, nil
}
