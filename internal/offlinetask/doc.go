// Package offlinetask runs the ECS tasks of `execute --offline`
// (arn:aws:states:::ecs:runTask and runTask.sync) as processes of the
// program's own binary: the image of a Sparta service carries that binary,
// and its container command is one of the program's own subcommands
// (registered on sparta.CommandLineOptions.Root). Offline nothing is built,
// pulled or deployed, so the task runs the host build of the same program
// with the container's command and environment, and the state gets the
// stopped task in the shape Step Functions returns.
package offlinetask
