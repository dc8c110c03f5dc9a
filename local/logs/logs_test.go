package logs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
	"github.com/sparta-go/sparta/local/logs"
)

var ctx = context.Background()

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Errorf("%s = %v, want error code %s", what, err, code)
	}
}

func putEvents(t *testing.T, cl *cwl.Client, group, stream string, base time.Time, msgs ...string) {
	t.Helper()
	var evs []types.InputLogEvent
	for i, m := range msgs {
		evs = append(evs, types.InputLogEvent{Timestamp: aws.Int64(base.Add(time.Duration(i) * time.Second).UnixMilli()), Message: aws.String(m)})
	}
	if _, err := cl.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: evs}); err != nil {
		t.Fatalf("PutLogEvents(%s/%s) = %v", group, stream, err)
	}
}

func TestLogGroupsAndStreams(t *testing.T) {
	c := localtest.Start(t)
	cl := cwl.NewFromConfig(localtest.Config(c))
	for _, g := range []string{"/aws/lambda/a", "/aws/lambda/b", "/other"} {
		if _, err := cl.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(g)}); err != nil {
			t.Fatalf("CreateLogGroup(%s) = %v", g, err)
		}
	}
	_, err := cl.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/other")})
	wantCode(t, "CreateLogGroup(existing)", err, "ResourceAlreadyExistsException")
	_, err = cl.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("bad name!")})
	wantCode(t, "CreateLogGroup(bad name)", err, "InvalidParameterException")
	if _, err := cl.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("/other"), RetentionInDays: aws.Int32(14)}); err != nil {
		t.Fatalf("PutRetentionPolicy = %v", err)
	}
	_, err = cl.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("/other"), RetentionInDays: aws.Int32(2)})
	wantCode(t, "PutRetentionPolicy(2 days)", err, "InvalidParameterException")

	// Paging through DescribeLogGroups with limit 1.
	var names []string
	p := cwl.NewDescribeLogGroupsPaginator(cl, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/aws/"), Limit: aws.Int32(1)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.LogGroups {
			names = append(names, *g.LogGroupName)
			if *g.Arn != "arn:aws:logs:us-east-1:000000000000:log-group:"+*g.LogGroupName+":*" {
				t.Errorf("arn = %s", *g.Arn)
			}
		}
	}
	if diff := cmp.Diff([]string{"/aws/lambda/a", "/aws/lambda/b"}, names); diff != "" {
		t.Errorf("DescribeLogGroups(prefix /aws/) (-want +got):\n%s", diff)
	}
	out, err := cl.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("OTH")})
	if err != nil || len(out.LogGroups) != 1 || *out.LogGroups[0].RetentionInDays != 14 {
		t.Errorf("DescribeLogGroups(pattern) = %+v, %v", out.LogGroups, err)
	}

	for _, s := range []string{"s1", "s2", "s3"} {
		if _, err := cl.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("/other"), LogStreamName: aws.String(s)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = cl.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("/nope"), LogStreamName: aws.String("s")})
	wantCode(t, "CreateLogStream(missing group)", err, "ResourceNotFoundException")
	base := time.Now().Add(-time.Minute)
	putEvents(t, cl, "/other", "s2", base, "late")
	putEvents(t, cl, "/other", "s1", base.Add(10*time.Second), "later")
	ds, err := cl.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("/other"), OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true), Limit: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.LogStreams) != 2 || *ds.LogStreams[0].LogStreamName != "s1" || ds.NextToken == nil || ds.LogStreams[0].LastEventTimestamp == nil {
		t.Errorf("DescribeLogStreams(LastEventTime desc) = %+v", ds.LogStreams)
	}

	if _, err := cl.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("/other")}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String("/other")})
	wantCode(t, "DeleteLogGroup(deleted)", err, "ResourceNotFoundException")
	_, err = cl.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/a")})
	wantCode(t, "ListTagsForResource", err, "UnknownOperationException")
}

func TestPutAndGetLogEvents(t *testing.T) {
	c := localtest.Start(t)
	cl := cwl.NewFromConfig(localtest.Config(c))
	_, _ = cl.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("g")})
	_, _ = cl.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	var msgs []string
	for i := range 25 {
		msgs = append(msgs, fmt.Sprintf("line %02d", i))
	}
	putEvents(t, cl, "g", "s", base, msgs...)

	// Out of order within a batch is refused.
	_, err := cl.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: []types.InputLogEvent{
		{Timestamp: aws.Int64(base.UnixMilli() + 5), Message: aws.String("b")}, {Timestamp: aws.Int64(base.UnixMilli()), Message: aws.String("a")}}})
	wantCode(t, "PutLogEvents(out of order)", err, "InvalidParameterException")
	// Too old events are rejected, not stored.
	old, err := cl.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: []types.InputLogEvent{
		{Timestamp: aws.Int64(time.Now().Add(-15 * 24 * time.Hour).UnixMilli()), Message: aws.String("ancient")}}})
	if err != nil || old.RejectedLogEventsInfo == nil || *old.RejectedLogEventsInfo.TooOldLogEventEndIndex != 0 {
		t.Errorf("PutLogEvents(too old) = %+v, %v", old, err)
	}

	// Forward pagination from the head, 10 at a time: as on AWS the
	// forward token repeats at the end, which stops the paginator when told
	// to (it keeps polling otherwise, to follow a live stream).
	var got []string
	p := cwl.NewGetLogEventsPaginator(cl, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true), Limit: aws.Int32(10)},
		func(o *cwl.GetLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	for pages := 0; p.HasMorePages(); pages++ {
		if pages > 10 {
			t.Fatal("GetLogEvents paginator does not stop")
		}
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range out.Events {
			got = append(got, *e.Message)
		}
	}
	if diff := cmp.Diff(msgs, got); diff != "" {
		t.Errorf("GetLogEvents from head (-want +got):\n%s", diff)
	}
	// Without startFromHead: the latest events.
	tail, err := cl.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(3)})
	if err != nil || len(tail.Events) != 3 || *tail.Events[2].Message != "line 24" {
		t.Errorf("GetLogEvents(tail) = %+v, %v", tail.Events, err)
	}
	back, err := cl.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(3), NextToken: tail.NextBackwardToken})
	if err != nil || len(back.Events) != 3 || *back.Events[0].Message != "line 19" {
		t.Errorf("GetLogEvents(backward) = %+v, %v", back.Events, err)
	}
	// Time window [start, end).
	win, err := cl.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true),
		StartTime: aws.Int64(base.Add(5 * time.Second).UnixMilli()), EndTime: aws.Int64(base.Add(8 * time.Second).UnixMilli())})
	if err != nil || len(win.Events) != 3 || *win.Events[0].Message != "line 05" {
		t.Errorf("GetLogEvents(window) = %+v, %v", win.Events, err)
	}
	_, err = cl.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope")})
	wantCode(t, "GetLogEvents(missing stream)", err, "ResourceNotFoundException")
}

func TestFilterLogEvents(t *testing.T) {
	c := localtest.Start(t)
	cl := cwl.NewFromConfig(localtest.Config(c))
	base := time.Now().Add(-time.Hour)
	// Through the Go API, as the Lambda service writes function output.
	svc := c.Logs()
	if err := svc.Append("/aws/lambda/fn", "2025/01/01/[$LATEST]a",
		logs.Event{Timestamp: base, Message: "START RequestId: 1"},
		logs.Event{Timestamp: base.Add(2 * time.Second), Message: "ERROR boom happened"},
		logs.Event{Timestamp: base.Add(4 * time.Second), Message: "END RequestId: 1"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Append("/aws/lambda/fn", "2025/01/01/[$LATEST]b",
		logs.Event{Timestamp: base.Add(time.Second), Message: "WARN disk almost full"},
		logs.Event{Timestamp: base.Add(3 * time.Second), Message: "ERROR timeout talking to db"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pattern string
		want    []string
	}{
		{"", []string{"START RequestId: 1", "WARN disk almost full", "ERROR boom happened", "ERROR timeout talking to db", "END RequestId: 1"}},
		{"ERROR", []string{"ERROR boom happened", "ERROR timeout talking to db"}},
		{"ERROR -timeout", []string{"ERROR boom happened"}},
		{"?WARN ?boom", []string{"WARN disk almost full", "ERROR boom happened"}},
		{`"talking to"`, []string{"ERROR timeout talking to db"}},
		{"error", nil},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			var got []string
			p := cwl.NewFilterLogEventsPaginator(cl, &cwl.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/fn"), FilterPattern: aws.String(tt.pattern), Limit: aws.Int32(2)})
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range out.Events {
					got = append(got, *e.Message)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FilterLogEvents(%q) (-want +got):\n%s", tt.pattern, diff)
			}
		})
	}
	_, err := cl.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/fn"), FilterPattern: aws.String(`{ $.level = "error" }`)})
	wantCode(t, "FilterLogEvents(JSON pattern)", err, "InvalidParameterException")
	only, err := cl.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("/aws/lambda/fn"), LogStreamNames: []string{"2025/01/01/[$LATEST]b"}})
	if err != nil || len(only.Events) != 2 || *only.Events[0].LogStreamName != "2025/01/01/[$LATEST]b" {
		t.Errorf("FilterLogEvents(logStreamNames) = %+v, %v", only.Events, err)
	}
}

func TestLogsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	c, err := local.Start(ctx, local.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Millisecond)
	if err := c.Logs().Append("/aws/lambda/keep", "stream", logs.Event{Timestamp: now, Message: "one"}, logs.Event{Timestamp: now.Add(time.Millisecond), Message: "two"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Logs().SetRetention("/aws/lambda/keep", 7); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c2 := localtest.Start(t, local.Options{StateDir: dir})
	evs, err := c2.Logs().Events("/aws/lambda/keep", "stream")
	if err != nil || len(evs) != 2 || evs[1].Message != "two" || !evs[0].Timestamp.Equal(now) {
		t.Errorf("events after restart = %+v, %v", evs, err)
	}
	out, err := cwl.NewFromConfig(localtest.Config(c2)).DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if err != nil || len(out.LogGroups) != 1 || *out.LogGroups[0].RetentionInDays != 7 {
		t.Errorf("DescribeLogGroups after restart = %+v, %v", out.LogGroups, err)
	}
}

func TestLogsCLI(t *testing.T) {
	c := localtest.Start(t)
	localtest.CLI(t, c, "logs", "create-log-group", "--log-group-name", "/cli/group")
	localtest.CLI(t, c, "logs", "create-log-stream", "--log-group-name", "/cli/group", "--log-stream-name", "main")
	ts := time.Now().UnixMilli()
	localtest.CLI(t, c, "logs", "put-log-events", "--log-group-name", "/cli/group", "--log-stream-name", "main",
		"--log-events", fmt.Sprintf(`[{"timestamp":%d,"message":"hello from the cli"},{"timestamp":%d,"message":"second line"}]`, ts, ts+1))
	var got struct {
		Events []struct{ Message string }
	}
	out := localtest.CLI(t, c, "logs", "get-log-events", "--log-group-name", "/cli/group", "--log-stream-name", "main", "--start-from-head")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("get-log-events printed %q: %v", out, err)
	}
	if len(got.Events) != 2 || got.Events[0].Message != "hello from the cli" {
		t.Errorf("aws logs get-log-events = %+v", got.Events)
	}
	out = localtest.CLI(t, c, "logs", "filter-log-events", "--log-group-name", "/cli/group", "--filter-pattern", "second")
	if !strings.Contains(out, "second line") || strings.Contains(out, "hello from the cli") {
		t.Errorf("aws logs filter-log-events = %s", out)
	}
	out = localtest.CLI(t, c, "logs", "describe-log-groups")
	if !strings.Contains(out, `"/cli/group"`) {
		t.Errorf("aws logs describe-log-groups = %s", out)
	}
}
