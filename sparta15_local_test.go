//go:build !lambdabinary

package sparta_test

import (
	"archive/zip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/cfn"
)

// TestSparta15Lifecycle runs testdata/sparta15, a program written with
// Sparta 1.15's documented API (HandleAWSLambda, pre-filled Options,
// WorkflowHooks with every kind of hook, a positional decorator, the IAM
// builder, Sparta's step constructors), through the whole lifecycle: noop
// provision, describe, offline execution, then provision, execution and
// delete on the local cloud.
func TestSparta15Lifecycle(t *testing.T) {
	const pkg = "./testdata/sparta15"
	work := t.TempDir()
	out, err := localCLI(t, pkg, work, "provision", "-n")
	if err != nil {
		t.Fatalf("provision -n: %v\n%s", err, out)
	}
	for _, hook := range []string{"PreBuild", "PostBuild", "PreMarshall", "PostMarshall"} {
		if !strings.Contains(out, `msg="hook `+hook+` ran" displayName="Sparta15 Sparta"`) {
			t.Errorf("provision -n did not run the %s hook with the hook context:\n%s", hook, out)
		}
	}
	zips, _ := filepath.Glob(filepath.Join(work, "*.zip"))
	if len(zips) != 1 || !zipHas(t, zips[0], "sparta15.txt") {
		t.Errorf("code zips %v: want one, holding the Archive hook's sparta15.txt", zips)
	}
	templates, _ := filepath.Glob(filepath.Join(work, "*-cftemplate.json"))
	if len(templates) != 1 {
		t.Fatalf("templates = %v, want one", templates)
	}
	b, _ := os.ReadFile(templates[0])
	doc, err := cfn.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	resources := doc["Resources"].(map[string]any)
	square := resources[cfn.FunctionLogicalID("square")].(map[string]any)["Properties"].(map[string]any)
	if square["Timeout"] != 30.0 || square["MemorySize"] != 128.0 {
		t.Errorf("square's Timeout, MemorySize = %v, %v; want 30 (seconds, as Sparta counts them) and 128", square["Timeout"], square["MemorySize"])
	}
	total := resources[cfn.FunctionLogicalID("total")].(map[string]any)["Properties"].(map[string]any)
	if total["Timeout"] != 3.0 || total["MemorySize"] != 128.0 {
		t.Errorf("total's Timeout, MemorySize = %v, %v; want Sparta's defaults 3 and 128", total["Timeout"], total["MemorySize"])
	}
	var topic, fargateRole string
	for id, r := range resources {
		props, _ := r.(map[string]any)["Properties"].(map[string]any)
		switch r.(map[string]any)["Type"] {
		case "AWS::SNS::Topic":
			topic = id
			if props["DisplayName"] != "Sparta15 Sparta" {
				t.Errorf("topic DisplayName = %v, want the hook context's value", props["DisplayName"])
			}
		case "AWS::StepFunctions::StateMachine":
			if strings.HasPrefix(id, "Sparta15Fargate") {
				role, _ := json.Marshal(props["RoleArn"])
				fargateRole = string(role)
			}
		}
	}
	if topic == "" || !strings.Contains(fargateRole, "Sparta15FargateRole") {
		t.Errorf("topic %q, Fargate machine role %s: want the decorator's topic and the WithRoleArn role", topic, fargateRole)
	}

	if out, err := localCLI(t, pkg, work, "describe"); err != nil {
		t.Fatalf("describe: %v\n%s", err, out)
	}
	const path = "Path:          seed -> squares -> total -> notify"
	out, err = localCLI(t, pkg, work, "execute", "--offline", "--state-machine", "Sparta15Machine")
	if err != nil || !strings.Contains(out, path) || !strings.Contains(out, "sparta15: total computed") {
		t.Fatalf("execute --offline: %v\n%s", err, out)
	}

	if out, err := localCLI(t, pkg, work, "provision"); err != nil {
		t.Fatalf("provision --local: %v\n%s", err, out)
	}
	out, err = localCLI(t, pkg, work, "execute", "--state-machine", "Sparta15Machine")
	if err != nil || !strings.Contains(out, path) || !strings.Contains(out, "Status:        SUCCEEDED") {
		t.Fatalf("execute --local: %v\n%s", err, out)
	}
	// AWS keeps no history of Express executions and refuses
	// DescribeExecution for them: execute runs them synchronously.
	out, err = localCLI(t, pkg, work, "execute", "--state-machine", "Sparta15Express")
	if err != nil || !strings.Contains(out, "Status:        SUCCEEDED") || !strings.Contains(out, `"greeting": "express"`) || !strings.Contains(out, "no history of Express executions") {
		t.Fatalf("execute --local of the Express machine: %v\n%s", err, out)
	}
	if out, err := localCLI(t, pkg, work, "delete"); err != nil {
		t.Fatalf("delete --local: %v\n%s", err, out)
	}
}

// TestLambdaBuildRunsTheProgramsCommands builds testdata/sparta15 as Lambda
// would run it and starts it outside Lambda, as a container task is
// started: it runs the command the program added to CommandLineOptions.
func TestLambdaBuildRunsTheProgramsCommands(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "sparta15")
	if out, err := exec.Command("go", "build", "-tags", "lambdabinary", "-o", bin, "./testdata/sparta15").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags lambdabinary: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "hello")
	cmd.Env = withoutEnv(os.Environ(), "AWS_LAMBDA_RUNTIME_API")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "hello from Sparta15-") {
		t.Errorf("the Lambda build's hello command = %v:\n%s", err, out)
	}
	if out, err := exec.Command(bin, "provision").CombinedOutput(); err == nil || !strings.Contains(string(out), `unknown command "provision"`) {
		t.Errorf("the Lambda build ran provision = %v, want unknown command:\n%s", err, out)
	}
}

func zipHas(t *testing.T, path, name string) bool {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

func withoutEnv(env []string, key string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestSparta15DockerImageRunsItsCommand builds testdata/sparta15's image
// the way Sparta's Fargate page does (docker.BuildDockerImage with "" for
// ./Dockerfile, the binary passed in SPARTA_DOCKER_BINARY) and runs it: the
// container runs the command the program registered on CommandLineOptions.
func TestSparta15DockerImageRunsItsCommand(t *testing.T) {
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine reachable (%v): the test builds and runs an image", err)
	}
	t.Cleanup(func() { removeImages(t, "sparta15") })
	tag := "test" + strings.ReplaceAll(filepath.Base(t.TempDir()), "_", "")
	tag = strings.ToLower(tag[:min(len(tag), 40)])
	cmd := exec.Command(cliBinary(t, "./testdata/sparta15"), "provision", "-n", "--work-dir", t.TempDir())
	cmd.Dir = "testdata/sparta15"
	cmd.Env = append(os.Environ(), "SPARTA15_IMAGE_TAG="+tag)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("provision -n with the image: %v\n%s", err, out)
	}
	out, err := exec.Command("docker", "run", "--rm", "sparta15:"+tag).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "fargate task of Sparta15-") {
		t.Errorf("docker run sparta15:%s = %v:\n%s", tag, err, out)
	}
}

// TestSparta15FargateOffline runs the Fargate machine with execute
// --offline from the program's directory, as a user runs it: the task runs
// the program's own binary, built as the image carries it (the Lambda
// build, the only one with the fargateTask command), with the CMD of
// ./Dockerfile (the file Sparta's docker.BuildDockerImage(service, "", ...)
// builds). Elsewhere, with no Dockerfile, the state fails naming the file.
func TestSparta15FargateOffline(t *testing.T) {
	bin := cliBinary(t, "./testdata/sparta15")
	run := func(dir string) string {
		cmd := exec.Command(bin, "execute", "--offline", "--state-machine", "Sparta15Fargate", "--work-dir", t.TempDir())
		cmd.Dir = dir
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	out := run("testdata/sparta15")
	if !strings.Contains(out, "fargate task of Sparta15-") || !strings.Contains(out, "Status:        SUCCEEDED") || !strings.Contains(out, `"StopCode": "EssentialContainerExited"`) {
		t.Errorf("execute --offline of the Fargate machine:\n%s", out)
	}
	out = run(t.TempDir())
	if !strings.Contains(out, "Status:        FAILED") || !strings.Contains(out, "reading the image's Dockerfile") {
		t.Errorf("execute --offline without a Dockerfile:\n%s", out)
	}
}
