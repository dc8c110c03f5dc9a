//go:build !lambdabinary

package sparta

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/internal/cli"
)

// CommandLine is the program's command tree.
type CommandLine struct {
	// Root is the cobra root command. Add your own subcommands to it before
	// calling MainEx; a container image built by the framework runs one.
	Root *cobra.Command

	level, format, workDir string
	local                  bool
}

// CommandLineOptions is the CLI that MainEx runs. It exists before MainEx so
// that main can add commands to CommandLineOptions.Root first.
var CommandLineOptions = newCommandLine()

func newCommandLine() *CommandLine {
	c := &CommandLine{Root: &cobra.Command{
		SilenceUsage:  true,
		SilenceErrors: true,
	}}
	pf := c.Root.PersistentFlags()
	pf.StringVar(&c.level, "level", "info", "log level: panic, fatal, error, warn, info, debug or trace")
	pf.StringVar(&c.format, "format", cli.FormatText, "log format: text or json")
	pf.StringVar(&c.workDir, "work-dir", DefaultWorkDir, "directory for templates, code zips and the local cloud's state")
	pf.BoolVar(&c.local, "local", false, "work against the embedded local cloud (started in-process, state in <work-dir>/local) instead of AWS")
	return c
}

// logger builds the logger for the global flags.
func (c *CommandLine) logger() (*logrus.Logger, error) {
	return cli.NewLogger(c.level, c.format, os.Stderr)
}

// MainEx is the program's entry point. Inside AWS Lambda it serves the
// function that _HANDLER names. Everywhere else it runs the CLI:
//
//	go run . provision --noop   # validate, build, package and write the template
//
// MainEx reports errors on stderr itself, so main only has to exit non-zero
// when it returns one.
//
// The parameters are Sparta 1.15's: api and site may be nil; useCGO asks for
// a cgo build of the Lambda binary.
func MainEx(serviceName, description string, lambdas []*LambdaAWSInfo, api *API, site *S3Site, hooks *WorkflowHooks, useCGO bool) error {
	if insideLambda() {
		return serveLambda(lambdas)
	}
	_, callerFile, _, _ := runtime.Caller(1)
	if callerFile == mainFile() {
		_, callerFile, _, _ = runtime.Caller(2)
	}
	svc := &serviceDefinition{
		name:        serviceName,
		description: description,
		lambdas:     lambdas,
		api:         api,
		site:        site,
		hooks:       hooks,
		useCGO:      useCGO,
		callerFile:  callerFile,
	}
	root := CommandLineOptions.Root
	if root.Use == "" {
		root.Use = filepath.Base(os.Args[0])
		root.Short = fmt.Sprintf("%s: %s", serviceName, description)
	}
	root.AddCommand(
		newProvisionCommand(svc, CommandLineOptions),
		newDeleteCommand(svc, CommandLineOptions),
		newStatusCommand(svc, CommandLineOptions),
		newExecuteCommand(svc, CommandLineOptions),
		newDescribeCommand(svc, CommandLineOptions),
		newLocalCommand(CommandLineOptions),
	)

	ctx, stop := shutdownContext()
	defer stop()
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
	}
	return err
}

// mainFile is the file holding Main, so MainEx can look past it for the
// user's main.go when Main was the caller.
func mainFile() string {
	_, file, _, _ := runtime.Caller(0)
	return file[:len(file)-len("main_cli.go")] + "sparta.go"
}

// serviceDefinition is what the user handed MainEx.
type serviceDefinition struct {
	name, description string
	lambdas           []*LambdaAWSInfo
	api               *API
	site              *S3Site
	hooks             *WorkflowHooks
	useCGO            bool
	callerFile        string
}

func (s *serviceDefinition) decorators() []ServiceDecoratorHookHandler {
	if s.hooks == nil {
		return nil
	}
	return s.hooks.ServiceDecorators
}
