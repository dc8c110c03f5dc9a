package logtail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// LogsAPI is the part of the CloudWatch Logs client Tail uses.
type LogsAPI interface {
	FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
}

// ExecutionsAPI is the part of the Step Functions client Tail uses.
type ExecutionsAPI interface {
	ListExecutions(ctx context.Context, in *sfn.ListExecutionsInput, opts ...func(*sfn.Options)) (*sfn.ListExecutionsOutput, error)
}

// Function is a log group to follow, named as the user knows it.
type Function struct {
	Name     string // the function's name in the service
	LogGroup string // /aws/lambda/<physical name>
}

// Machine is a state machine whose executions to follow.
type Machine struct {
	Name string
	ARN  string
}

// Options say what to follow and how.
type Options struct {
	// Logs and Executions are the clients; Executions may be nil when
	// Machines is empty.
	Logs       LogsAPI
	Executions ExecutionsAPI
	Functions  []Function
	Machines   []Machine
	// Since is how far back to start (zero: from now).
	Since time.Duration
	// Filter is a CloudWatch Logs filter pattern applied to log events.
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
	Filter string
	// Follow keeps polling until ctx ends; otherwise Tail returns after
	// one pass.
	Follow bool
	// Poll is the interval between passes when following (default 1s).
	Poll time.Duration
	// Notice receives one-off remarks, such as a log group that does not
	// exist yet. Nil drops them.
	Notice func(string)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Line is one thing that happened: a log event or an execution's start or
// end.
type Line struct {
	Time    time.Time `json:"time"`
	Source  string    `json:"source"` // function or state machine name
	Stream  string    `json:"stream,omitempty"`
	Message string    `json:"message"`
	// Execution is set on state machine lines: the execution's name.
	Execution string `json:"execution,omitempty"`
	// Status is set on state machine lines: RUNNING, SUCCEEDED, FAILED...
	Status string `json:"status,omitempty"`
}

// Tail emits what happened since o.Since, in time order within each pass,
// and with o.Follow keeps emitting what happens next until ctx ends (which
// is not an error).
func Tail(ctx context.Context, o Options, emit func(Line)) error {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if len(o.Machines) > 0 && o.Executions == nil {
		return errors.New("logtail: Machines given without an Executions client")
	}
	t := &tailer{o: o, start: o.Now().Add(-o.Since), groups: map[string]*cursor{}, execs: map[string]string{}, missing: map[string]bool{}}
	for {
		lines, err := t.pass(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		slices.SortStableFunc(lines, func(a, b Line) int { return a.Time.Compare(b.Time) })
		for _, l := range lines {
			emit(l)
		}
		if !o.Follow {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(o.Poll):
		}
	}
}

type cursor struct {
	from int64           // milliseconds: the next query starts here
	seen map[string]bool // event IDs at exactly from, already emitted
}

type tailer struct {
	o       Options
	start   time.Time
	groups  map[string]*cursor
	execs   map[string]string // execution ARN -> last status emitted
	missing map[string]bool
}

func (t *tailer) pass(ctx context.Context) ([]Line, error) {
	var lines []Line
	for _, f := range t.o.Functions {
		got, err := t.logEvents(ctx, f)
		if err != nil {
			return nil, err
		}
		lines = append(lines, got...)
	}
	for _, m := range t.o.Machines {
		got, err := t.executions(ctx, m)
		if err != nil {
			return nil, err
		}
		lines = append(lines, got...)
	}
	return lines, nil
}

func (t *tailer) logEvents(ctx context.Context, f Function) ([]Line, error) {
	c := t.groups[f.LogGroup]
	if c == nil {
		c = &cursor{from: t.start.UnixMilli(), seen: map[string]bool{}}
		t.groups[f.LogGroup] = c
	}
	in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(f.LogGroup), StartTime: aws.Int64(c.from)}
	if t.o.Filter != "" {
		in.FilterPattern = aws.String(t.o.Filter)
	}
	var lines []Line
	next := c.from
	nextSeen := map[string]bool{}
	p := cloudwatchlogs.NewFilterLogEventsPaginator(t.o.Logs, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			var nf *logtypes.ResourceNotFoundException
			if errors.As(err, &nf) {
				if !t.missing[f.LogGroup] && t.o.Notice != nil {
					t.o.Notice(fmt.Sprintf("log group %s of %s does not exist yet: it appears when the function is deployed", f.LogGroup, f.Name))
				}
				t.missing[f.LogGroup] = true
				return nil, nil
			}
			return nil, fmt.Errorf("reading log group %s of %s: %w", f.LogGroup, f.Name, err)
		}
		for _, e := range page.Events {
			id, ts := aws.ToString(e.EventId), aws.ToInt64(e.Timestamp)
			if ts == c.from && c.seen[id] {
				continue
			}
			switch {
			case ts > next:
				next, nextSeen = ts, map[string]bool{id: true}
			case ts == next:
				nextSeen[id] = true
			}
			lines = append(lines, Line{
				Time: time.UnixMilli(ts), Source: f.Name, Stream: aws.ToString(e.LogStreamName),
				Message: strings.TrimRight(aws.ToString(e.Message), "\n"),
			})
		}
	}
	if next == c.from {
		for id := range nextSeen {
			c.seen[id] = true
		}
	} else {
		c.from, c.seen = next, nextSeen
	}
	return lines, nil
}

// executions reports each execution started since the start once as it
// starts and once as it ends (both at once if it ended before this pass).
func (t *tailer) executions(ctx context.Context, m Machine) ([]Line, error) {
	out, err := t.o.Executions.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(m.ARN), MaxResults: 100})
	if err != nil {
		return nil, fmt.Errorf("listing executions of state machine %s: %w", m.Name, err)
	}
	var lines []Line
	for _, e := range out.Executions {
		started := aws.ToTime(e.StartDate)
		if started.Before(t.start) {
			continue
		}
		arn, name, status := aws.ToString(e.ExecutionArn), aws.ToString(e.Name), string(e.Status)
		last, known := t.execs[arn]
		if !known {
			lines = append(lines, Line{Time: started, Source: m.Name, Execution: name, Status: string(sfntypes.ExecutionStatusRunning), Message: "execution " + name + " started"})
			last = string(sfntypes.ExecutionStatusRunning)
		}
		if status != last && status != string(sfntypes.ExecutionStatusRunning) {
			stopped := aws.ToTime(e.StopDate)
			lines = append(lines, Line{
				Time: stopped, Source: m.Name, Execution: name, Status: status,
				Message: fmt.Sprintf("execution %s %s after %s", name, status, stopped.Sub(started).Round(time.Millisecond)),
			})
		}
		t.execs[arn] = status
	}
	return lines, nil
}
