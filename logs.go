//go:build !lambdabinary

package sparta

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/cli"
	"github.com/sparta-go/sparta/internal/logtail"
)

func newLogsCommand(svc *serviceDefinition, cl *CommandLine) *cobra.Command {
	var follow bool
	var since time.Duration
	var filter string
	cmd := &cobra.Command{
		Use:   "logs [function...]",
		Short: "Show the functions' logs and the state machines' executions; -f follows them",
		Long: "Show what the deployed service did: the CloudWatch Logs events of its functions' log groups " +
			"and, when no function is named, its state machines' executions as they start and finish, " +
			"merged in time order. With -f it keeps following until interrupted. --filter takes a " +
			"CloudWatch Logs filter pattern (terms that must all appear, \"quoted phrases\", ?alternatives, -exclusions). " +
			"Works on AWS and, with --local, on the local cloud.",
		Example: `  go run . logs --local                 # the last 10 minutes of every function and machine
  go run . logs rollDie --local -f      # follow one function
  go run . logs --since 1h --filter ERROR
  go run . logs -f --format json        # one JSON object per line, for scripts`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return functionNames(svc), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if since < 0 {
				return fmt.Errorf("--since %s: give how far back to start, such as 10m or 2h", since)
			}
			opts := logtail.Options{Since: since, Filter: filter, Follow: follow}
			for _, name := range args {
				if _, err := pickFunction(svc, name); err != nil {
					return err
				}
			}
			names := args
			if len(names) == 0 {
				names = functionNames(svc)
			}
			for _, name := range names {
				opts.Functions = append(opts.Functions, logtail.Function{Name: name, LogGroup: "/aws/lambda/" + cfn.FunctionName(svc.name, name)})
			}
			t, log, err := cl.target(cmd.Context())
			if err != nil {
				return err
			}
			defer t.Close()
			if len(args) == 0 {
				for _, sm := range stateMachines(svc) {
					arn, err := machineARN(cmd.Context(), t, svc.name, sm)
					if err != nil {
						return err
					}
					opts.Machines = append(opts.Machines, logtail.Machine{Name: sm.Name(), ARN: arn})
				}
			}
			opts.Logs = cloudwatchlogs.NewFromConfig(t.cfg)
			opts.Executions = sfn.NewFromConfig(t.cfg)
			opts.Notice = func(s string) { log.Warn(s) }
			opts.Poll = 2 * time.Second
			if t.local {
				opts.Poll = 250 * time.Millisecond
			}
			out := cmd.OutOrStdout()
			emit := func(l logtail.Line) { fmt.Fprintln(out, logtail.Format(l, logtail.Width(opts))) }
			if cl.format == cli.FormatJSON {
				enc := json.NewEncoder(out)
				emit = func(l logtail.Line) { _ = enc.Encode(l) }
			}
			if follow {
				log.WithField("target", t.where()).Infof("Following %d log groups and %d state machines; Ctrl-C stops", len(opts.Functions), len(opts.Machines))
			}
			return logtail.Tail(cmd.Context(), opts, emit)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&follow, "follow", "f", false, "keep following until interrupted")
	fl.DurationVar(&since, "since", 10*time.Minute, "how far back to start, such as 30s, 10m or 2h")
	fl.StringVar(&filter, "filter", "", "CloudWatch Logs filter pattern for log events")
	return cmd
}
