//go:build !lambdabinary

package sparta_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

// localServer is `local serve` run as its own process, as a user runs it.
type localServer struct {
	t        *testing.T
	bin, dir string
	port     int
	cmd      *exec.Cmd
}

func (s *localServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "local", "serve", "--port", fmt.Sprint(s.port), "--state-dir", s.dir, "--level", "warn")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.endpoint()); err == nil {
			resp.Body.Close()
			return
		}
	}
	s.t.Fatal("local serve did not come up")
}

func (s *localServer) kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
}

func (s *localServer) endpoint() string { return fmt.Sprintf("http://127.0.0.1:%d", s.port) }

// aws runs Debian's AWS CLI against the server and returns its stdout.
func (s *localServer) aws(args ...string) (string, error) {
	cmd := exec.Command("/usr/bin/aws", append([]string{"--endpoint-url", s.endpoint(), "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), fmt.Errorf("aws %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
	}
	return string(out), err
}

func (s *localServer) mustAWS(v any, args ...string) {
	s.t.Helper()
	out, err := s.aws(args...)
	if err != nil {
		s.t.Fatal(err)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(out), v); err != nil {
			s.t.Fatalf("aws %v: %v\n%s", args, err, out)
		}
	}
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (s *localServer) stackStatus(name string) string {
	var out struct {
		Stacks []struct{ StackStatus string }
	}
	s.mustAWS(&out, "cloudformation", "describe-stacks", "--stack-name", name)
	return out.Stacks[0].StackStatus
}

func TestAWSCLIDeploysTheNoopTemplateOnLocalServe(t *testing.T) {
	if _, err := os.Stat("/usr/bin/aws"); err != nil {
		t.Skip("Debian's awscli is not installed (.ci/run installs it)")
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "arm64"}[runtime.GOARCH]
	bin := cliBinary(t, "./examples/rolldie")
	work := t.TempDir()
	if out, err := exec.Command(bin, "provision", "--noop", "--s3Bucket", "artifacts", "--arch", arch, "--work-dir", work).CombinedOutput(); err != nil {
		t.Fatalf("provision --noop: %v\n%s", err, out)
	}
	templates, _ := filepath.Glob(filepath.Join(work, "*-cftemplate.json"))
	zips, _ := filepath.Glob(filepath.Join(work, "*-"+arch+".zip"))
	tb, _ := os.ReadFile(templates[0])
	doc, _ := cfn.Decode(tb)
	key := doc["Resources"].(map[string]any)[cfn.FunctionLogicalID("rollDie")].(map[string]any)["Properties"].(map[string]any)["Code"].(map[string]any)["S3Key"].(string)

	srv := &localServer{t: t, bin: bin, dir: t.TempDir(), port: freePort(t)}
	srv.start()
	defer func() { srv.kill() }()
	srv.mustAWS(nil, "s3", "mb", "s3://artifacts")
	srv.mustAWS(nil, "s3", "cp", zips[0], "s3://artifacts/"+key)

	// Kill the server the moment CreateStack returns, while the operation
	// is under way (the SDK here, because the CLI's own start-up outlasts
	// the operation). After a restart the stack must be in a clear state.
	api := cloudformation.NewFromConfig(aws.Config{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.endpoint()),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	if _, err := api.CreateStack(context.Background(), &cloudformation.CreateStackInput{
		StackName: aws.String("rolldie"), TemplateBody: aws.String(string(tb)),
		Capabilities: []cftypes.Capability{cftypes.CapabilityCapabilityIam},
	}); err != nil {
		t.Fatal(err)
	}
	srv.kill()
	srv.start()
	status := srv.stackStatus("rolldie")
	t.Logf("after the kill and restart the stack is %s", status)
	if strings.HasSuffix(status, "_IN_PROGRESS") {
		t.Fatalf("after a kill and restart the stack is %s, want a settled status", status)
	}
	if status != "CREATE_COMPLETE" {
		srv.mustAWS(nil, "cloudformation", "delete-stack", "--stack-name", "rolldie")
		srv.mustAWS(nil, "cloudformation", "wait", "stack-delete-complete", "--stack-name", "rolldie")
		srv.mustAWS(nil, "cloudformation", "create-stack", "--stack-name", "rolldie", "--template-body", "file://"+templates[0], "--capabilities", "CAPABILITY_IAM")
	}
	srv.mustAWS(nil, "cloudformation", "wait", "stack-create-complete", "--stack-name", "rolldie")

	var events struct {
		StackEvents []struct{ LogicalResourceId, ResourceStatus string }
	}
	srv.mustAWS(&events, "cloudformation", "describe-stack-events", "--stack-name", "rolldie")
	if len(events.StackEvents) == 0 || events.StackEvents[0].ResourceStatus != "CREATE_COMPLETE" || events.StackEvents[0].LogicalResourceId != "rolldie" {
		t.Errorf("newest stack event = %+v, want the stack's CREATE_COMPLETE", events.StackEvents[:1])
	}

	var stacks struct {
		Stacks []struct {
			Outputs []struct{ OutputKey, OutputValue string }
		}
	}
	srv.mustAWS(&stacks, "cloudformation", "describe-stacks", "--stack-name", "rolldie")
	outputs := map[string]string{}
	for _, o := range stacks.Stacks[0].Outputs {
		outputs[o.OutputKey] = o.OutputValue
	}
	machine := outputs[step.StateMachineARNOutput("RollDie")]
	function := outputs[cfn.FunctionLogicalID("rollDie")+"Arn"]
	if machine == "" || function == "" {
		t.Fatalf("outputs = %v, want the machine and function ARNs", outputs)
	}

	payload := filepath.Join(t.TempDir(), "out.json")
	srv.mustAWS(nil, "lambda", "invoke", "--function-name", function, payload)
	var roll struct{ Roll int }
	if b, _ := os.ReadFile(payload); json.Unmarshal(b, &roll) != nil || roll.Roll < 1 || roll.Roll > 5 {
		t.Errorf("lambda invoke wrote %s, want a roll from 1 to 5", b)
	}

	var started struct{ ExecutionArn string }
	srv.mustAWS(&started, "stepfunctions", "start-execution", "--state-machine-arn", machine, "--input", "{}")
	var desc struct{ Status, Output string }
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		srv.mustAWS(&desc, "stepfunctions", "describe-execution", "--execution-arn", started.ExecutionArn)
		if desc.Status != "RUNNING" {
			break
		}
	}
	if desc.Status != "SUCCEEDED" || !strings.Contains(desc.Output, `"roll"`) {
		t.Fatalf("execution = %+v, want SUCCEEDED with a roll", desc)
	}
	var history struct{ Events []struct{ Type string } }
	srv.mustAWS(&history, "stepfunctions", "get-execution-history", "--execution-arn", started.ExecutionArn)
	types := map[string]bool{}
	for _, e := range history.Events {
		types[e.Type] = true
	}
	for _, want := range []string{"ExecutionStarted", "LambdaFunctionScheduled", "LambdaFunctionSucceeded", "ChoiceStateEntered", "ExecutionSucceeded"} {
		if !types[want] {
			t.Errorf("history lacks a %s event: %v", want, types)
		}
	}
}

// A --local command finds the cloud that `local serve` runs on the same
// state directory and works through it, so its functions stay warm.
func TestLocalCommandsUseARunningCloud(t *testing.T) {
	bin := cliBinary(t, "./examples/rolldie")
	work := t.TempDir()
	srv := &localServer{t: t, bin: bin, dir: filepath.Join(work, "local"), port: freePort(t)}
	srv.start()
	defer srv.kill()
	if out, err := exec.Command(bin, "provision", "--local", "--work-dir", work).CombinedOutput(); err != nil {
		t.Fatalf("provision: %v\n%s", err, out)
	}
	functions, err := lambda.NewFromConfig(aws.Config{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.endpoint()),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	}).ListFunctions(context.Background(), &lambda.ListFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(functions.Functions) != 1 {
		t.Fatalf("the server has %d functions after provision --local, want the one provisioned through it", len(functions.Functions))
	}
	var last string
	for i := range 2 {
		out, err := exec.Command(bin, "invoke", "rollDie", "--local", "--work-dir", work).CombinedOutput()
		if err != nil || !strings.Contains(string(out), srv.endpoint()) {
			t.Fatalf("invoke %d: %v, want it served by %s:\n%s", i, err, srv.endpoint(), out)
		}
		last = string(out)
	}
	if strings.Contains(last, "Init Duration") {
		t.Errorf("the second invoke through local serve was a cold start:\n%s", last)
	}
}
