package offlinetask

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestMain makes the test binary the service's binary: with
// OFFLINETASK_CONTAINER set (the task's declared environment), it runs the
// command as a container would and exits.
func TestMain(m *testing.M) {
	if os.Getenv("OFFLINETASK_CONTAINER") == "1" {
		args := os.Args[1:]
		switch {
		case len(args) == 1 && args[0] == "report":
			fmt.Printf("report %s %s lambda=%q\n", os.Getenv("ORDER_ID"), os.Getenv("FORMAT"), os.Getenv("AWS_LAMBDA_RUNTIME_API"))
			os.Exit(0)
		case len(args) == 1 && args[0] == "fail":
			os.Exit(3)
		}
		fmt.Fprintf(os.Stderr, "unknown command %q\n", args)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func runner(t *testing.T, out *bytes.Buffer) *Runner {
	t.Helper()
	t.Setenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:1")
	return &Runner{
		Executable:  os.Args[0],
		Image:       Image{Entrypoint: []string{"/sparta/service"}, Cmd: []string{"report"}, BinaryPath: "/sparta/service"},
		Environment: map[string]string{"OFFLINETASK_CONTAINER": "1", "FORMAT": "text"},
		Output:      out,
	}
}

// The .sync integration's result is the stopped task
// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html).
func TestRunSucceedsWithTheStoppedTask(t *testing.T) {
	var out bytes.Buffer
	r := runner(t, &out)
	in := `{"Cluster":"c","TaskDefinition":"td","Overrides":{"ContainerOverrides":[{"Name":"task","Environment":[{"Name":"ORDER_ID","Value":"o-7"}]}]}}`
	res, err := r.Run(context.Background(), json.RawMessage(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "report o-7 text lambda=\"\"\n" {
		t.Errorf("task output = %q, want the override's ORDER_ID, the declared FORMAT and no Lambda runtime API", got)
	}
	var task map[string]any
	if err := json.Unmarshal(res, &task); err != nil {
		t.Fatal(err)
	}
	c := task["Containers"].([]any)[0].(map[string]any)
	if task["LastStatus"] != "STOPPED" || task["StopCode"] != "EssentialContainerExited" || c["ExitCode"] != 0.0 || task["TaskDefinitionArn"] != "td" ||
		!strings.HasPrefix(task["TaskArn"].(string), "arn:aws:ecs:offline:000000000000:task/c/") {
		t.Errorf("task = %v", task)
	}
}

func TestRunFailsWithStatesTaskFailed(t *testing.T) {
	var out bytes.Buffer
	r := runner(t, &out)
	_, err := r.Run(context.Background(), json.RawMessage(`{"TaskDefinition":"td","Overrides":{"ContainerOverrides":[{"Name":"task","Command":["fail"]}]}}`))
	var te *Error
	if !errors.As(err, &te) || te.Name != "States.TaskFailed" || !strings.Contains(te.Cause, `"ExitCode":3`) || !strings.Contains(te.Cause, `"Reason":"exit code 3"`) {
		t.Errorf("err = %v, want States.TaskFailed with the stopped task showing exit code 3", err)
	}
}

func TestRunRefusesWhatItCannotRun(t *testing.T) {
	var out bytes.Buffer
	tests := []struct {
		name  string
		edit  func(*Runner)
		input string
		want  string
	}{
		{"no task definition", nil, `{}`, "needs Parameters with TaskDefinition"},
		{"another container", nil, `{"TaskDefinition":"td","Overrides":{"ContainerOverrides":[{"Name":"sidecar"}]}}`, `names container "sidecar", but the task definition's container is "task"`},
		{"not the service's binary", func(r *Runner) { r.Image.Entrypoint = []string{"/bin/sh"} }, `{"TaskDefinition":"td"}`, "does not start with it"},
		{"no command", func(r *Runner) { r.Image = Image{} }, `{"TaskDefinition":"td"}`, "has no command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runner(t, &out)
			if tt.edit != nil {
				tt.edit(r)
			}
			_, err := r.Run(context.Background(), json.RawMessage(tt.input))
			var te *Error
			if !errors.As(err, &te) || te.Name != "States.Runtime" || !strings.Contains(te.Cause, tt.want) {
				t.Errorf("err = %v, want States.Runtime containing %q", err, tt.want)
			}
		})
	}
}
