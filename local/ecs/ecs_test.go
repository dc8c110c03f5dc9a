package ecs_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/docker/docker/api/types/image"

	"github.com/sparta-go/sparta/docker"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/core"
	localecr "github.com/sparta-go/sparta/local/ecr"
	localecs "github.com/sparta-go/sparta/local/ecs"
	"github.com/sparta-go/sparta/local/localtest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sparta-ecs-test-")
	if err == nil {
		binary, err = docker.CompileBinary(context.Background(), docker.BuildOptions{Service: "taskapp", MainPackage: "../../docker/testdata/taskapp"}, dir)
	}
	if err != nil {
		panic(err)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

type fixture struct {
	cloud *local.Cloud
	ecs   *ecs.Client
	logs  *cloudwatchlogs.Client
	image string
}

// setup starts a cloud with ECR and ECS, pushes the test image without a
// daemon and registers a task definition running it. It skips when no
// Docker engine is reachable, since tasks run as containers.
func setup(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	engine, err := docker.Connect(ctx)
	if err != nil {
		t.Skipf("ECS tasks run as Docker containers: %v", err)
	}
	t.Cleanup(func() { _ = engine.Close() })
	cloud := localtest.Start(t, local.Options{Services: []core.Factory{localecr.New, localecs.New}})
	cfg := localtest.Config(cloud)
	uri, err := docker.BuildAndPushDaemonless(ctx, docker.DaemonlessOptions{
		Build: docker.BuildOptions{Service: "taskapp", Binary: binary}, Repository: "taskapp", ECR: ecr.NewFromConfig(cfg),
	})
	if err != nil {
		t.Fatalf("BuildAndPushDaemonless = %v", err)
	}
	t.Cleanup(func() {
		_, _ = engine.ImageRemove(context.Background(), uri, image.RemoveOptions{Force: true, PruneChildren: true})
	})
	client := ecs.NewFromConfig(cfg)
	if _, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("work")}); err != nil {
		t.Fatalf("CreateCluster = %v", err)
	}
	_, err = client.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String("taskapp"),
		NetworkMode:             ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name: aws.String("app"), Image: aws.String(uri), Essential: aws.Bool(true),
			Command:     []string{"from-definition"},
			Environment: []ecstypes.KeyValuePair{{Name: aws.String("GREETING"), Value: aws.String("hello")}},
			LogConfiguration: &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: map[string]string{
				"awslogs-group": "/ecs/taskapp", "awslogs-stream-prefix": "run", "awslogs-create-group": "true",
			}},
		}},
	})
	if err != nil {
		t.Fatalf("RegisterTaskDefinition = %v", err)
	}
	return fixture{cloud: cloud, ecs: client, logs: cloudwatchlogs.NewFromConfig(cfg), image: uri}
}

var network = &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{"subnet-local"}}}

func TestRunTaskRunsTheContainerAndShipsItsLogs(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if _, err := f.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("work"), TaskDefinition: aws.String("taskapp")}); err == nil ||
		!strings.Contains(err.Error(), "Network Configuration must be provided") {
		t.Errorf("RunTask(awsvpc without a network) = %v, want the ECS refusal", err)
	}
	out, err := f.ecs.RunTask(ctx, &ecs.RunTaskInput{
		Cluster: aws.String("work"), TaskDefinition: aws.String("taskapp"), LaunchType: ecstypes.LaunchTypeFargate,
		NetworkConfiguration: network,
		Overrides: &ecstypes.TaskOverride{ContainerOverrides: []ecstypes.ContainerOverride{{
			Name: aws.String("app"), Command: []string{"overridden", "--flag"},
			Environment: []ecstypes.KeyValuePair{{Name: aws.String("GREETING"), Value: aws.String("override")}},
		}}},
	})
	if err != nil {
		t.Fatalf("RunTask = %v", err)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	waiter := ecs.NewTasksStoppedWaiter(f.ecs, func(o *ecs.TasksStoppedWaiterOptions) { o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second })
	desc, err := waiter.WaitForOutput(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("work"), Tasks: []string{arn}}, time.Minute)
	if err != nil {
		t.Fatalf("waiting for the task to stop = %v", err)
	}
	task := desc.Tasks[0]
	c := task.Containers[0]
	if aws.ToInt32(c.ExitCode) != 0 || task.StopCode != ecstypes.TaskStopCodeEssentialContainerExited {
		t.Errorf("stopped task = exit %d stop code %s (%s), want 0 and EssentialContainerExited", aws.ToInt32(c.ExitCode), task.StopCode, aws.ToString(task.StoppedReason))
	}

	id := arn[strings.LastIndex(arn, "/")+1:]
	events, err := f.logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws.String("/ecs/taskapp"), LogStreamName: aws.String("run/app/" + id), StartFromHead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetLogEvents = %v", err)
	}
	var lines []string
	for _, e := range events.Events {
		lines = append(lines, aws.ToString(e.Message))
	}
	if got := strings.Join(lines, "\n"); !strings.Contains(got, "taskapp args=overridden,--flag greeting=override") {
		t.Errorf("task output in CloudWatch Logs = %q, want the overridden command and environment", got)
	}

	list, err := f.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("work"), DesiredStatus: ecstypes.DesiredStatusStopped})
	if err != nil || len(list.TaskArns) != 1 || list.TaskArns[0] != arn {
		t.Errorf("ListTasks(STOPPED) = %v, %v; want [%s]", list, err, arn)
	}
}

func TestStopTask(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	out, err := f.ecs.RunTask(ctx, &ecs.RunTaskInput{
		Cluster: aws.String("work"), TaskDefinition: aws.String("taskapp:1"), NetworkConfiguration: network,
		Overrides: &ecstypes.TaskOverride{ContainerOverrides: []ecstypes.ContainerOverride{{
			Name: aws.String("app"), Environment: []ecstypes.KeyValuePair{{Name: aws.String("TASK_SLEEP"), Value: aws.String("5m")}},
		}}},
	})
	if err != nil {
		t.Fatalf("RunTask = %v", err)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	running := ecs.NewTasksRunningWaiter(f.ecs, func(o *ecs.TasksRunningWaiterOptions) { o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second })
	if err := running.Wait(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("work"), Tasks: []string{arn}}, time.Minute); err != nil {
		t.Fatalf("waiting for RUNNING = %v", err)
	}
	if _, err := f.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("work"), Task: aws.String(arn), Reason: aws.String("enough")}); err != nil {
		t.Fatalf("StopTask = %v", err)
	}
	stopped := ecs.NewTasksStoppedWaiter(f.ecs, func(o *ecs.TasksStoppedWaiterOptions) { o.MinDelay, o.MaxDelay = 100*time.Millisecond, time.Second })
	desc, err := stopped.WaitForOutput(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("work"), Tasks: []string{arn}}, time.Minute)
	if err != nil {
		t.Fatalf("waiting for STOPPED = %v", err)
	}
	if task := desc.Tasks[0]; task.StopCode != ecstypes.TaskStopCodeUserInitiated || aws.ToString(task.StoppedReason) != "enough" {
		t.Errorf("stopped task = %s %q, want UserInitiated \"enough\"", task.StopCode, aws.ToString(task.StoppedReason))
	}
}

func TestRunTaskSync(t *testing.T) {
	f := setup(t)
	svc, _ := f.cloud.Service("ecs")
	s := svc.(*localecs.Service)
	params := map[string]any{
		"Cluster": "work", "TaskDefinition": "taskapp", "LaunchType": "FARGATE",
		"NetworkConfiguration": map[string]any{"AwsvpcConfiguration": map[string]any{"Subnets": []any{"subnet-local"}, "AssignPublicIp": "ENABLED"}},
	}
	out, err := s.RunTaskSync(context.Background(), params)
	if err != nil {
		t.Fatalf("RunTaskSync = %v", err)
	}
	if out["LastStatus"] != "STOPPED" || out["StopCode"] != "EssentialContainerExited" {
		t.Errorf("RunTaskSync = %v, want a STOPPED task with PascalCase keys", out)
	}

	params["Overrides"] = map[string]any{"ContainerOverrides": []any{map[string]any{
		"Name": "app", "Environment": []any{map[string]any{"Name": "TASK_EXIT", "Value": "3"}},
	}}}
	_, err = s.RunTaskSync(context.Background(), params)
	var failed *localecs.TaskFailedError
	if !errors.As(err, &failed) || failed.ErrorName() != "States.TaskFailed" || !strings.Contains(failed.Reason, "exited with code 3") ||
		!strings.Contains(failed.ErrorCause(), `"ExitCode":3`) {
		t.Errorf("RunTaskSync(exit 3) = %v, want States.TaskFailed naming exit code 3", err)
	}
}

func TestRunTaskWithoutAnEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no.sock"))
	cloud := localtest.Start(t, local.Options{Services: []core.Factory{localecs.New}})
	client := ecs.NewFromConfig(localtest.Config(cloud))
	ctx := context.Background()
	if _, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("f"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("c"), Image: aws.String("img")}}}); err != nil {
		t.Fatal(err)
	}
	_, err := client.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: aws.String("f")})
	var ce *ecstypes.ClientException
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "Docker") || !strings.Contains(err.Error(), "DOCKER_HOST") {
		t.Errorf("RunTask without an engine = %v, want a ClientException about Docker", err)
	}
}
