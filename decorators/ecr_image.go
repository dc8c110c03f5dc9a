package decorators

// Values keys the image builder sets for later decorators.
const (
	// ImageURIValue is the ServiceContext.Values key of the pushed image's
	// URI with digest (string).
	ImageURIValue = "decorators.ECRImageURI"
	// RepositoryValue is the Values key of the ECR repository name.
	RepositoryValue = "decorators.ECRRepository"
)

// ECRImageBuilder builds the service's image and pushes it to ECR. Create
// it with [ECRImageBuilderDecorator]; the fields are options.
type ECRImageBuilder struct {
	// Repository is the ECR repository name (created when missing).
	Repository string
	// Dockerfile is a Dockerfile of your own; empty uses
	// docker.DefaultDockerfile.
	Dockerfile string
	// Command is the image's default command: the task subcommand you
	// added to sparta.CommandLineOptions.Root, and its flags.
	Command []string
	// GOARCH is amd64 (default) or arm64.
	GOARCH string
	// Daemonless builds without the Docker engine (go-containerregistry);
	// it is also used when no engine is reachable. Dockerfile is then
	// ignored.
	Daemonless bool
}

// ECRImageBuilderDecorator returns the decorator that cross-compiles the
// service's main package, builds an image around it (through the Docker
// engine, or daemonless), pushes it to the ECR repository and records the
// image URI with its digest under Values[ImageURIValue] for the Fargate
// cluster decorator. With ServiceContext.Noop it builds the image but does
// not push it, and records a URI of the form the push would give.
func ECRImageBuilderDecorator(repositoryName string) *ECRImageBuilder {
	return &ECRImageBuilder{Repository: repositoryName}
}

// String names the decorator in provisioning logs.
func (b *ECRImageBuilder) String() string { return "ECR image " + b.Repository }
