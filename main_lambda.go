//go:build lambdabinary

package sparta

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

// CommandLine is the program's command tree in the Lambda build: only the
// commands the program added itself (a container task, say).
type CommandLine struct {
	// Root is the cobra root command. Add your own subcommands to it before
	// calling MainEx; a container image built by the framework runs one.
	Root *cobra.Command
}

// CommandLineOptions holds the commands the program adds, as in Sparta.
// In the Lambda build (the binary a container image runs) MainEx runs them
// when the process was not started by Lambda.
var CommandLineOptions = &CommandLine{Root: &cobra.Command{
	Use:           filepath.Base(os.Args[0]),
	SilenceUsage:  true,
	SilenceErrors: true,
}}

// MainEx serves the function that Lambda's _HANDLER names. This is the
// Lambda side of the program (the lambdabinary build), which holds no
// provisioning CLI: started outside Lambda, as a container task is, it runs
// the command line against the commands the program added to
// CommandLineOptions.Root (Sparta's Fargate pattern:
// CMD ["/service", "fargateTask"]).
func MainEx(serviceName, description string, lambdas []*LambdaAWSInfo, api *API, site *S3Site, hooks *WorkflowHooks, useCGO bool) error {
	if insideLambda() {
		return serveLambda(lambdas)
	}
	OptionsGlobal.ServiceName, OptionsGlobal.ServiceDescription = serviceName, description
	root := CommandLineOptions.Root
	if !root.HasSubCommands() && root.RunE == nil && root.Run == nil {
		err := errors.New("this binary was built for AWS Lambda (lambdabinary tag) and has no commands of its own; use `go run .` for the CLI, or add a command to sparta.CommandLineOptions.Root for a container task")
		fmt.Fprintln(os.Stderr, err)
		return err
	}
	if root.Short == "" {
		root.Short = fmt.Sprintf("%s: %s", serviceName, description)
	}
	err := root.Execute()
	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
	}
	return err
}
