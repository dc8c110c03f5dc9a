//go:build !lambdabinary

package sparta

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/cfn/apigateway"
	"github.com/sparta-go/sparta/internal/cli"
)

// CommandLine is the program's command tree.
type CommandLine struct {
	// Root is the cobra root command. Add your own subcommands to it before
	// calling MainEx; a container image built by the framework runs one.
	Root *cobra.Command

	level, format, workDir string
	local                  bool
	built                  *logrus.Logger // the logger last built, to finish its view on error
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
	pf.StringVar(&c.format, "format", cli.FormatAuto, "log format: auto (a compact view on a terminal, else text), text or json (one object per line)")
	pf.StringVar(&c.workDir, "work-dir", DefaultWorkDir, "directory for templates, code zips and the local cloud's state")
	pf.BoolVar(&c.local, "local", false, "work against the embedded local cloud (started in-process, state in <work-dir>/local) instead of AWS")
	return c
}

// fillOptionsGlobal sets Sparta's OptionsGlobal from the parsed flags
// before a command runs.
func (c *CommandLine) fillOptionsGlobal(cmd *cobra.Command) error {
	log, err := c.logger()
	if err != nil {
		return err
	}
	OptionsGlobal.Logger, OptionsGlobal.LogLevel, OptionsGlobal.LogFormat = log, c.level, c.format
	OptionsGlobal.Command = cmd.Name()
	if f := cmd.Flags().Lookup("noop"); f != nil {
		OptionsGlobal.Noop = f.Value.String() == "true"
	}
	return nil
}

// logger builds the logger for the global flags.
func (c *CommandLine) logger() (*logrus.Logger, error) {
	log, err := cli.NewLogger(c.level, c.format, os.Stderr)
	c.built = log
	return log, err
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
	viaMain := callerFile == mainFile()
	if viaMain {
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
		viaMain:     viaMain,
	}
	root := CommandLineOptions.Root
	OptionsGlobal.ServiceName, OptionsGlobal.ServiceDescription = serviceName, description
	if root.PersistentPreRunE == nil && root.PersistentPreRun == nil {
		root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
			return CommandLineOptions.fillOptionsGlobal(cmd)
		}
	}
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
		newInvokeCommand(svc, CommandLineOptions),
		newLogsCommand(svc, CommandLineOptions),
		newVersionCommand(CommandLineOptions),
	)

	ctx, stop := shutdownContext()
	defer stop()
	err := root.ExecuteContext(ctx)
	if err != nil {
		if CommandLineOptions.built != nil {
			cli.Finish(CommandLineOptions.built)
		}
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
	viaMain           bool // the user called Main rather than MainEx
}

// entryPoint is the call the user made, for messages that tell them what to
// change in it.
func (s *serviceDefinition) entryPoint() string {
	if s.viaMain {
		return "sparta.Main"
	}
	return "sparta.MainEx"
}

func (s *serviceDefinition) decorators() []ServiceDecoratorHookHandler {
	out := append([]ServiceDecoratorHookHandler(nil), s.hooks.Decorators()...)
	// The API comes last: the state machines it starts must be in the
	// template before it.
	if s.api != nil {
		out = append(out, apigateway.Decorator(s.api))
	}
	return out
}
