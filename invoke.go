//go:build !lambdabinary

package sparta

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/invoke"
)

func newInvokeCommand(svc *serviceDefinition, cl *CommandLine) *cobra.Command {
	var ev invoke.EventFlags
	var offline bool
	cmd := &cobra.Command{
		Use:   "invoke <function>",
		Short: "Invoke one function with an event and print its result, error, duration and log tail",
		Long: "Invoke one of the service's functions once, synchronously. With --offline the Go handler runs in " +
			"this process (as sam local invoke does, without Docker), its standard output and error captured as the log; " +
			"with --local the deployed function runs on the local cloud; otherwise on AWS. " +
			"The event is {} unless given inline, from a file, or as a sample of a common event source (" +
			strings.Join(invoke.TemplateNames(), ", ") + "), shaped as aws-lambda-go's events types. " +
			"Exits non-zero when the function fails.",
		Example: `  go run . invoke rollDie --offline
  go run . invoke rollDie --local --event '{"sides": 6}'
  go run . invoke onUpload --offline --event-template s3
  go run . invoke worker --event-file event.json      # on AWS
  echo '{}' | go run . invoke worker --event-file -`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return functionNames(svc), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			fn, err := pickFunction(svc, args[0])
			if err != nil {
				return err
			}
			if offline && cl.local {
				return fmt.Errorf("--offline and --local: choose one; --offline calls the Go handler in this process, --local the function deployed on the local cloud")
			}
			payload, err := ev.Read(cmd.InOrStdin())
			if err != nil {
				return err
			}
			var res *invoke.Result
			if offline {
				res = invoke.Offline(cmd.Context(), fn, payload)
			} else {
				t, _, err := cl.target(cmd.Context())
				if err != nil {
					return err
				}
				defer t.Close()
				res, err = invoke.Remote(cmd.Context(), t.cfg, fn.Name, cfn.FunctionName(svc.name, fn.Name), t.where(), payload)
				if err != nil {
					return fmt.Errorf("%w; has the service been provisioned there (%s provision%s)?", err, commandName(), localFlag(cl.local))
				}
			}
			res.Print(cmd.OutOrStdout())
			return res.Err()
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&offline, "offline", false, "call the Go handler in this process; nothing is deployed or called")
	fl.StringVar(&ev.Event, "event", "", "the event as inline JSON (default {})")
	fl.StringVar(&ev.File, "event-file", "", "read the event from a file, or - for standard input")
	fl.StringVar(&ev.Template, "event-template", "", "a sample event: "+strings.Join(invoke.TemplateNames(), ", "))
	return cmd
}

// pickFunction finds a function of the service by the name it was declared
// with.
func pickFunction(svc *serviceDefinition, name string) (*LambdaAWSInfo, error) {
	for _, l := range svc.lambdas {
		if l != nil && l.Name == name {
			return l, nil
		}
	}
	names := functionNames(svc)
	if len(names) == 0 {
		return nil, fmt.Errorf("function %q: service %q has no functions", name, svc.name)
	}
	return nil, fmt.Errorf("function %q: service %q has no such function; it has %s", name, svc.name, strings.Join(names, ", "))
}

func functionNames(svc *serviceDefinition) []string {
	var names []string
	for _, l := range svc.lambdas {
		if l != nil {
			names = append(names, l.Name)
		}
	}
	return names
}

func localFlag(local bool) string {
	if local {
		return " --local"
	}
	return ""
}
