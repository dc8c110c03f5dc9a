//go:build !lambdabinary

package sparta

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/step"
)

type executeFlags struct {
	offline      bool
	input        string
	stateMachine string
	realClock    bool
	taskSuccess  string
}

func newExecuteCommand(svc *serviceDefinition, cl *CommandLine) *cobra.Command {
	var f executeFlags
	cmd := &cobra.Command{
		Use:   "execute",
		Short: "Run the service's state machine and print its status, output and path",
		Long: "Run the service's deployed state machine (on AWS, or with --local on the local cloud), " +
			"wait for it and print status, output and path. With --offline it runs in-process on the framework's " +
			"execution engine, Lambda tasks calling your Go handlers, with nothing deployed; Wait states " +
			"and retry intervals pass on a virtual clock unless --real-clock is given. " +
			"Exits non-zero when the execution does not succeed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validateService(svc); err != nil {
				return fmt.Errorf("invalid service %q:\n%w", svc.name, err)
			}
			sm, err := pickStateMachine(svc, f.stateMachine)
			if err != nil {
				return err
			}
			input, err := readInput(f.input, cmd.InOrStdin())
			if err != nil {
				return err
			}
			if !f.offline {
				log, err := cl.logger()
				if err != nil {
					return err
				}
				exec, err := executeDeployed(cmd.Context(), svc, cl, sm, input, log)
				if err != nil {
					return err
				}
				return printExecution(cmd.OutOrStdout(), sm.Name(), exec)
			}
			data, tables, err := offlineData(svc)
			if err != nil {
				return err
			}
			answer, err := taskSuccessOutput(f)
			if err != nil {
				return err
			}
			opts := []step.ExecuteOption{
				step.WithTaskHandler(snsPublishResource, offlineSNSPublish(cmd.ErrOrStderr())),
				step.WithTaskHandler(ecsRunTaskSyncResource, offlineECSRunTask(svc, cl.workDir, cmd.ErrOrStderr())),
				step.WithOfflineData(data), step.WithCallbacks(offlineCallback(cmd.ErrOrStderr(), answer)),
			}
			if !f.realClock {
				opts = append(opts, step.WithVirtualClock())
			}
			exec, err := sm.Execute(cmd.Context(), input, opts...)
			if err != nil {
				return err
			}
			printOfflineTables(cmd.ErrOrStderr(), data, tables)
			return printExecution(cmd.OutOrStdout(), sm.Name(), exec)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.offline, "offline", false, "run in-process with the Go handlers; nothing is deployed or called")
	fl.StringVar(&f.input, "input", "{}", "execution input: JSON, @file, or @- for standard input")
	fl.StringVar(&f.stateMachine, "state-machine", "", "which state machine to run, when the service has several")
	fl.BoolVar(&f.realClock, "real-clock", false, "with --offline, really wait in Wait states and between retries")
	fl.StringVar(&f.taskSuccess, "task-success", "", "with --offline, answer every .waitForTaskToken task with this output (JSON), as a consumer's SendTaskSuccess would; without it they time out")
	return cmd
}

// snsPublishResource is the optimized SNS integration.
const snsPublishResource = "arn:aws:states:::sns:publish"

// offlineSNSPublish serves SNS publish tasks offline: it prints the message
// instead of sending it, and answers as the integration does.
func offlineSNSPublish(w io.Writer) step.TaskHandler {
	n := 0
	return func(_ context.Context, input json.RawMessage) (json.RawMessage, error) {
		var p struct {
			TopicArn, Subject string
			Message           any
		}
		if err := json.Unmarshal(input, &p); err != nil {
			return nil, step.NewTaskError("SNS.InvalidParameterException", err.Error())
		}
		if p.Message == nil {
			return nil, step.NewTaskError("SNS.InvalidParameterException", "Message is required")
		}
		msg, ok := p.Message.(string)
		if !ok {
			b, _ := json.Marshal(p.Message)
			msg = string(b)
		}
		n++
		fmt.Fprintf(w, "SNS publish (offline) to %s: [%s] %s\n", p.TopicArn, p.Subject, msg)
		return json.Marshal(map[string]any{"MessageId": fmt.Sprintf("offline-%08d", n)})
	}
}

// stateMachines lists the machines attached to the service's hooks.
func stateMachines(svc *serviceDefinition) []*step.StateMachine {
	var out []*step.StateMachine
	for _, d := range svc.decorators() {
		if sm, ok := step.MachineOf(d); ok {
			out = append(out, sm)
		}
	}
	return out
}

func pickStateMachine(svc *serviceDefinition, name string) (*step.StateMachine, error) {
	machines := stateMachines(svc)
	var names []string
	for _, sm := range machines {
		if sm.Name() == name || (name == "" && len(machines) == 1) {
			return sm, nil
		}
		names = append(names, sm.Name())
	}
	switch {
	case len(machines) == 0:
		return nil, fmt.Errorf("service %q has no state machine: attach one with WorkflowHooks{ServiceDecorators: ...sm.StateMachineDecorator()}", svc.name)
	case name == "":
		return nil, fmt.Errorf("service %q has %d state machines (%s): choose one with --state-machine", svc.name, len(machines), strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("--state-machine %q: service %q has no such machine; it has %s", name, svc.name, strings.Join(names, ", "))
}

// readInput reads --input: inline JSON, @file, or @- for stdin.
func readInput(arg string, stdin io.Reader) (json.RawMessage, error) {
	var data []byte
	switch {
	case arg == "@-":
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("--input @-: %w", err)
		}
		data = b
	case strings.HasPrefix(arg, "@"):
		b, err := os.ReadFile(arg[1:])
		if err != nil {
			return nil, fmt.Errorf("--input: %w", err)
		}
		data = b
	default:
		data = []byte(arg)
	}
	data = bytes.TrimSpace(data)
	if !json.Valid(data) {
		return nil, fmt.Errorf("--input %q is not valid JSON: give a JSON document, @file or @-", truncate(string(data), 60))
	}
	return data, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// printExecution writes the result for people: status, path, output or the
// error. A failed execution is an error, so the command exits non-zero.
func printExecution(w io.Writer, machine string, exec *step.Execution) error {
	fmt.Fprintf(w, "State machine: %s\n", machine)
	fmt.Fprintf(w, "Status:        %s\n", exec.Status)
	fmt.Fprintf(w, "Duration:      %s (%d transitions)\n", exec.StopDate.Sub(exec.StartDate).Round(time.Millisecond), exec.Transitions)
	if len(exec.Path) > 0 {
		fmt.Fprintf(w, "Path:          %s\n", strings.Join(exec.Path, " -> "))
	} else if exec.Transitions == 0 {
		fmt.Fprintf(w, "Path:          (not recorded: AWS keeps no history of Express executions)\n")
	}
	if exec.Status == step.StatusSucceeded {
		var pretty bytes.Buffer
		if json.Indent(&pretty, exec.Output, "", "  ") != nil {
			pretty.Write(exec.Output)
		}
		fmt.Fprintf(w, "Output:\n%s\n", pretty.String())
		return nil
	}
	fmt.Fprintf(w, "Error:         %s\n", exec.Error)
	fmt.Fprintf(w, "Cause:         %s\n", exec.Cause)
	return fmt.Errorf("execution of %q %s: %s: %s", machine, strings.ToLower(exec.Status), exec.Error, exec.Cause)
}
