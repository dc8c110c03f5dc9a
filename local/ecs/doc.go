// Package ecs is the local cloud's Amazon ECS: clusters, task definitions
// and tasks, with tasks run as Docker containers on the machine's engine.
//
// The ECS JSON API serves CreateCluster, DescribeClusters, DeleteCluster,
// RegisterTaskDefinition, DescribeTaskDefinition, DeregisterTaskDefinition,
// RunTask, DescribeTasks, StopTask and ListTasks; CloudFormation creates
// AWS::ECS::Cluster and AWS::ECS::TaskDefinition through provider.go.
//
// RunTask pulls each container's image (an image of the local ECR registry
// is pulled from it with the ECR login, whatever port the URI was written
// with), creates the container with the task definition's entry point,
// command and environment (overrides applied), and starts it on the host
// network so that the task reaches the local cloud on loopback through
// AWS_ENDPOINT_URL, as a Fargate task reaches AWS through its ENI. When an
// essential container exits, the others are stopped, the output of each
// container with an awslogs log configuration is written to the local
// CloudWatch Logs (group awslogs-group, stream
// <awslogs-stream-prefix>/<container>/<task ID>) and the task is STOPPED
// with each container's exit code. Without a Docker engine RunTask fails
// with a ClientException saying so.
//
// [Service.RunTaskSync] is the Go API behind Step Functions'
// arn:aws:states:::ecs:runTask.sync: it runs a task from the state's
// Parameters and returns the stopped task, or a [*TaskFailedError]
// (States.TaskFailed) when an essential container exited non-zero.
//
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/Welcome.html.
package ecs
