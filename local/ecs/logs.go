package ecs

import (
	"context"
	"errors"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/sparta-go/sparta/local/core"
)

// The awslogs driver's options.
// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html.
const (
	optGroup       = "awslogs-group"
	optStreamPfx   = "awslogs-stream-prefix"
	optCreateGroup = "awslogs-create-group"
)

// logsClient is a CloudWatch Logs client of the local cloud itself: the
// tasks' output goes through the Logs API as the awslogs driver sends it,
// so it lands wherever the cloud's Logs service keeps events.
func (s *Service) logsClient() *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(aws.Config{
		Region:       s.env.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(core.DefaultAccessKeyID, core.DefaultSecretAccessKey, ""),
		BaseEndpoint: aws.String(s.env.Endpoint),
	})
}

// streamOf is the log group and stream of a container, or "" when it
// does not use awslogs.
func streamOf(cd ContainerDefinition, taskID string) (group, stream string) {
	lc := cd.LogConfiguration
	if lc == nil || lc.LogDriver != "awslogs" || lc.Options[optGroup] == "" {
		return "", ""
	}
	stream = cd.Name + "/" + taskID
	if p := lc.Options[optStreamPfx]; p != "" {
		stream = p + "/" + stream
	}
	return lc.Options[optGroup], stream
}

// ensureLogStream creates the container's log stream before it starts, as
// the awslogs driver does; the group must exist unless awslogs-create-group
// is true.
func (s *Service) ensureLogStream(ctx context.Context, cd ContainerDefinition, taskID string) error {
	group, stream := streamOf(cd, taskID)
	if group == "" {
		return nil
	}
	client := s.logsClient()
	if cd.LogConfiguration.Options[optCreateGroup] == "true" {
		_, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
		var exists *types.ResourceAlreadyExistsException
		if err != nil && !errors.As(err, &exists) {
			return err
		}
	}
	_, err := client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)})
	var exists *types.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		return err
	}
	return nil
}

// maxBatch is PutLogEvents' limit on events per call.
const maxBatch = 10000

// shipLogs writes each awslogs container's output to its stream.
func (s *Service) shipLogs(ctx context.Context, taskID string, containers []*running) {
	client := s.logsClient()
	for _, c := range containers {
		group, stream := streamOf(c.def, taskID)
		if group == "" || len(c.logs) == 0 {
			continue
		}
		events := make([]types.InputLogEvent, 0, len(c.logs))
		for _, l := range c.logs {
			events = append(events, types.InputLogEvent{Timestamp: aws.Int64(l.at.UnixMilli()), Message: aws.String(l.text)})
		}
		sort.SliceStable(events, func(i, j int) bool { return *events[i].Timestamp < *events[j].Timestamp })
		for len(events) > 0 {
			n := min(len(events), maxBatch)
			_, err := client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
				LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events[:n],
			})
			if err != nil {
				s.log.WithError(err).WithField("logGroup", group).Warn("writing a task's output to CloudWatch Logs")
				break
			}
			events = events[n:]
		}
	}
}
