//go:build !lambdabinary && linux

package sparta_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/localtest"
)

// serveProcess is `local serve` as a child process with its own TMPDIR,
// its output captured.
type serveProcess struct {
	cmd      *exec.Cmd
	out      *syncBuffer
	endpoint string
	tmp      string
}

func startServe(t *testing.T, bin, state string, extra ...string) *serveProcess {
	t.Helper()
	port := freePort(t)
	p := &serveProcess{out: &syncBuffer{}, endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), tmp: t.TempDir()}
	p.cmd = exec.Command(bin, append([]string{"local", "serve", "--port", fmt.Sprint(port), "--state-dir", state, "--level", "info"}, extra...)...)
	p.cmd.Env = append(os.Environ(), "TMPDIR="+p.tmp)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(p.endpoint); err == nil {
			resp.Body.Close()
			return p
		}
	}
	t.Fatalf("local serve did not come up:\n%s", p.out)
	return nil
}

// stop signals the server and waits for it to exit.
func (p *serveProcess) stop(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("local serve after %v = %v, want a clean exit\n%s", sig, err, p.out)
		}
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Fatalf("local serve did not exit within 30s of %v\n%s", sig, p.out)
	}
}

// descendants lists the live processes descended from pid.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 {
			ppid, _ := strconv.Atoi(fields[1])
			children[ppid] = append(children[ppid], n)
		}
	}
	var out []int
	var walk func(int)
	walk = func(p int) {
		for _, c := range children[p] {
			out = append(out, c)
			walk(c)
		}
	}
	walk(pid)
	return out
}

func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err == nil && !strings.Contains(string(stat), ") Z ")
}

// TestLocalServeSecurityAndSignals runs `local serve` as a user does: it
// prints the default credentials, refuses the key attacks of issue 11
// over HTTP, and on SIGTERM (and on SIGINT) closes cleanly: running
// executions fail with the documented cause, no function process and no
// temporary folder is left.
func TestLocalServeSecurityAndSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and a function")
	}
	bin := cliBinary(t, "./examples/rolldie")
	state := t.TempDir()
	srv := startServe(t, bin, state)
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(srv.out.String(), "AWS_SECRET_ACCESS_KEY=test"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("local serve did not print the default credentials:\n%s", srv.out)
		}
	}

	// The key attacks, refused by the real server.
	attacks := []struct {
		name   string
		req    func() *http.Request
		status int
		code   string
	}{
		{"wrong secret", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.endpoint+"/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			localtest.SignAs(t, r, "sts", []byte("Action=GetCallerIdentity&Version=2011-06-15"), core.DefaultAccessKeyID, "wrong", time.Now())
			return r
		}, 403, "SignatureDoesNotMatch"},
		{"unknown key", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, srv.endpoint+"/2015-03-31/functions/", nil)
			localtest.SignAs(t, r, "lambda", nil, "AKIDNOBODY", "x", time.Now())
			return r
		}, 403, "UnrecognizedClientException"},
		{"signed in 2015", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, srv.endpoint+"/", nil)
			localtest.SignAs(t, r, "s3", nil, core.DefaultAccessKeyID, core.DefaultSecretAccessKey, time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC))
			return r
		}, 403, "RequestTimeTooSkewed"},
		{"cross-site text/plain CreateFunction", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.endpoint+"/2015-03-31/functions?X-Amz-Credential=x%2F20250101%2Fus-east-1%2Flambda%2Faws4_request",
				strings.NewReader(`{"FunctionName":"pwned","Runtime":"provided.al2023","Role":"arn:aws:iam::000000000000:role/x","Code":{"ZipFile":"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}}`))
			r.Header.Set("Content-Type", "text/plain")
			r.Header.Set("Origin", "http://evil.example")
			return r
		}, 403, "AccessDenied"},
		{"DNS rebinding", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, srv.endpoint+"/", nil)
			r.Host = "attacker.example:4566"
			localtest.Sign(t, r, "s3", nil)
			return r
		}, 403, "AccessDenied"},
		{"unsigned S3 list", func() *http.Request { r, _ := http.NewRequest(http.MethodGet, srv.endpoint+"/", nil); return r }, 403, "AccessDenied"},
	}
	refused := 0
	for _, a := range attacks {
		resp, err := http.DefaultClient.Do(a.req())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != a.status || !strings.Contains(string(body), a.code) && resp.Header.Get("X-Amzn-ErrorType") != a.code {
			t.Errorf("%s = %d %s, want %d %s", a.name, resp.StatusCode, body, a.status, a.code)
			continue
		}
		refused++
	}
	t.Logf("local serve refused %d of %d attacks", refused, len(attacks))

	// A warm function and a running execution.
	ctx := context.Background()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.endpoint),
		Credentials: credentials.NewStaticCredentialsProvider(core.DefaultAccessKeyID, core.DefaultSecretAccessKey, "")}
	work := t.TempDir()
	fn := filepath.Join(work, "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./local/lambda/testdata/echo", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: fn}); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(work, "echo.zip")
	if _, err := build.Zip(fn, zipPath); err != nil {
		t.Fatal(err)
	}
	zipBytes, _ := os.ReadFile(zipPath)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("code")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("code"), Key: aws.String("echo.zip"), Body: bytes.NewReader(zipBytes)}); err != nil {
		t.Fatal(err)
	}
	arch := lambdatypes.ArchitectureX8664
	if runtime.GOARCH == "arm64" {
		arch = lambdatypes.ArchitectureArm64
	}
	lc := lambdasdk.NewFromConfig(cfg)
	if _, err := lc.CreateFunction(ctx, &lambdasdk.CreateFunctionInput{
		FunctionName: aws.String("echo"), Role: aws.String("arn:aws:iam::000000000000:role/echo"), Runtime: lambdatypes.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Architectures: []lambdatypes.Architecture{arch},
		Code: &lambdatypes.FunctionCode{S3Bucket: aws.String("code"), S3Key: aws.String("echo.zip")},
	}); err != nil {
		t.Fatal(err)
	}
	if out, err := lc.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`{"say":"hi"}`)}); err != nil || out.FunctionError != nil {
		t.Fatalf("Invoke = %v %v", out, err)
	}
	sf := sfn.NewFromConfig(cfg)
	iamTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	iamReq, _ := http.NewRequest(http.MethodPost, srv.endpoint+"/", strings.NewReader("Action=CreateRole&Version=2010-05-08&RoleName=machine&AssumeRolePolicyDocument="+urlEncode(iamTrust)))
	iamReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body, _ := io.ReadAll(iamReq.Body)
	iamReq.Body = io.NopCloser(bytes.NewReader(body))
	localtest.Sign(t, iamReq, "iam", body)
	if resp, err := http.DefaultClient.Do(iamReq); err != nil || resp.StatusCode != 200 {
		t.Fatalf("CreateRole = %v %v", resp, err)
	}
	m, err := sf.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("slow"), RoleArn: aws.String("arn:aws:iam::000000000000:role/machine"),
		Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	exec1, err := sf.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	kids := descendants(srv.cmd.Process.Pid)
	if len(kids) == 0 {
		t.Fatal("no function process runs under local serve")
	}
	if entries, _ := os.ReadDir(srv.tmp); len(entries) == 0 {
		t.Fatal("local serve made no temporary folder (TMPDIR not used?)")
	}

	srv.stop(t, syscall.SIGTERM)
	for _, pid := range kids {
		if alive(pid) {
			t.Errorf("process %d outlived local serve", pid)
		}
	}
	if entries, _ := os.ReadDir(srv.tmp); len(entries) != 0 {
		t.Errorf("temporary folders left behind: %v", entries)
	}
	if !strings.Contains(srv.out.String(), "stopping") {
		t.Errorf("local serve did not say it was stopping:\n%s", srv.out)
	}

	// The execution failed with the documented cause when the cloud
	// stopped, not at the next start.
	srv2 := startServe(t, bin, state)
	cfg.BaseEndpoint = aws.String(srv2.endpoint)
	d, err := sfn.NewFromConfig(cfg).DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: exec1.ExecutionArn})
	if err != nil || d.Status != sfntypes.ExecutionStatusFailed || !strings.Contains(aws.ToString(d.Cause), "local cloud stopped") {
		t.Errorf("execution after SIGTERM = %v %v", d, err)
	}
	// SIGINT closes as cleanly; a second signal forces the exit.
	srv2.stop(t, syscall.SIGINT)
	srv3 := startServe(t, bin, state)
	_ = srv3.cmd.Process.Signal(syscall.SIGINT)
	_ = srv3.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { _ = srv3.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Error("local serve ignored a second SIGINT")
	}
}

func urlEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
