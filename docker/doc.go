// Package docker owns the container images of a service: it cross-compiles
// the user's main package into a static Linux binary, builds an image
// around it through the Docker Engine API ([BuildDockerImage]), pushes it to
// Amazon ECR ([PushDockerImageToECR]), and, when no engine is reachable or
// the caller asks for it, builds and pushes the same image without a daemon
// ([BuildAndPushDaemonless], on go-containerregistry, as ko does).
//
// The package talks to the engine only through the narrow [Engine]
// interface, never through the docker CLI, so tests and callers can see
// exactly which engine calls a build makes.
//
// The image carries the Lambda build of the user's program, as Sparta's
// did: started outside Lambda, its MainEx runs the task subcommand that the
// user added with sparta.CommandLineOptions.Root.AddCommand, which is the
// image's command. BuildDockerImage has Sparta's meaning (the current
// directory as the build context, ./Dockerfile by default, the binary's
// name in the SPARTA_DOCKER_BINARY build argument); Build with
// BuildOptions chooses the rest.
package docker
