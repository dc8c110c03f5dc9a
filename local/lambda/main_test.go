package lambda_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/store"
)

// codeRoot holds the test functions' zips as a CodeSource reads them:
// codeRoot/<bucket>/<key>. TestMain builds them once for the host.
var codeRoot string

// testFunctions are the main packages built for the tests, by zip name.
var testFunctions = map[string]string{
	"rolldie":        "./examples/rolldie",
	"echo":           "./local/lambda/testdata/echo",
	"crash":          "./local/lambda/testdata/crash",
	"sleepy":         "./local/lambda/testdata/sleepy",
	"failing":        "./local/lambda/testdata/failing",
	"sqsconsumer":    "./local/lambda/testdata/sqsconsumer",
	"streamconsumer": "./local/lambda/testdata/streamconsumer",
}

const (
	bucket    = "code"
	region    = "us-east-1"
	account   = "000000000000"
	role      = "arn:aws:iam::000000000000:role/test-function"
	moduleDir = "../.."
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	if fw := flag.Lookup("test.fuzzworker"); fw != nil && fw.Value.String() == "true" {
		return m.Run() // a fuzzing worker runs the fuzz target only
	}
	dir, err := os.MkdirTemp("", "lambda-test-code-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	codeRoot = dir
	if err := buildFunctions(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	if left := childProcesses(); len(left) > 0 {
		fmt.Fprintf(os.Stderr, "processes left running after the tests: %v\n", left)
		code = 1
	}
	return code
}

// buildFunctions compiles every test function for this machine, the way
// provision --local does, and zips it as the framework does.
func buildFunctions(dir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := os.MkdirAll(filepath.Join(dir, bucket), 0o755); err != nil {
		return err
	}
	for name, pkg := range testFunctions {
		bin := filepath.Join(dir, name)
		if err := build.Compile(ctx, build.Options{Package: pkg, Dir: moduleDir, GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: bin}); err != nil {
			return err
		}
		if _, err := build.Zip(bin, filepath.Join(dir, bucket, name+".zip")); err != nil {
			return err
		}
	}
	// foreign.zip is echo relabelled for another architecture (the ELF
	// header's e_machine), as if provisioned for AWS instead of --local.
	bin, err := os.ReadFile(filepath.Join(dir, "echo"))
	if err != nil {
		return err
	}
	machine := uint16(183) // EM_AARCH64
	if runtime.GOARCH == "arm64" {
		machine = 62 // EM_X86_64
	}
	bin[18], bin[19] = byte(machine), byte(machine>>8)
	if err := os.WriteFile(filepath.Join(dir, "foreign"), bin, 0o755); err != nil {
		return err
	}
	_, err = build.Zip(filepath.Join(dir, "foreign"), filepath.Join(dir, bucket, "foreign.zip"))
	return err
}

// childProcesses lists the processes whose parent is this test binary.
func childProcesses() []string {
	entries, _ := os.ReadDir("/proc")
	me := strconv.Itoa(os.Getpid())
	var out []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at ')'.
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 && fields[1] == me {
			out = append(out, e.Name()+" "+s[strings.IndexByte(s, '(')+1:strings.LastIndexByte(s, ')')])
		}
	}
	return out
}

// dirCode is a CodeSource that reads zips from a directory: bucket/key.
type dirCode struct{ root string }

func (d dirCode) Open(_ context.Context, bucket, key string) (io.ReadCloser, int64, error) {
	f, err := os.Open(filepath.Join(d.root, bucket, filepath.FromSlash(key)))
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

// recordingLogs is a LogSink that keeps every event in memory.
type recordingLogs struct {
	mu     sync.Mutex
	events []recordedEvent
}

type recordedEvent struct {
	group, stream string
	lambda.LogEvent
}

func (r *recordingLogs) PutLogEvents(_ context.Context, group, stream string, events []lambda.LogEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range events {
		r.events = append(r.events, recordedEvent{group, stream, e})
	}
	return nil
}

// text returns the log of group, one event per line.
func (r *recordingLogs) text(group string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		if e.group == group {
			b.WriteString(e.Message)
		}
	}
	return b.String()
}

func (r *recordingLogs) streams(group string) map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]bool{}
	for _, e := range r.events {
		if e.group == group {
			out[e.stream] = true
		}
	}
	return out
}

// fixture is a Lambda service on an httptest server with an SDK client.
type fixture struct {
	svc    *lambda.Service
	client *lambdasdk.Client
	logs   *recordingLogs
	cfg    lambda.Config
	url    string
}

func newFixture(t testing.TB, tweak ...func(*lambda.Config)) *fixture {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	f := &fixture{logs: &recordingLogs{}}
	f.cfg = lambda.Config{
		Store: st.Collection("lambda"), Region: region, AccountID: account,
		Code: dirCode{codeRoot}, Logs: f.logs, WorkDir: t.TempDir(),
	}
	for _, fn := range tweak {
		fn(&f.cfg)
	}
	f.start(t)
	return f
}

// start (re)starts the service on f.cfg.
func (f *fixture) start(t testing.TB) {
	t.Helper()
	svc, err := lambda.New(f.cfg)
	if err != nil {
		t.Fatalf("lambda.New = %v", err)
	}
	srv := httptest.NewServer(svc)
	t.Cleanup(func() {
		srv.Close()
		if err := svc.Close(); err != nil {
			t.Errorf("Service.Close = %v", err)
		}
	})
	f.svc, f.url = svc, srv.URL
	f.client = lambdasdk.New(lambdasdk.Options{
		Region:       region,
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:      aws.NopRetryer{},
	})
}

func hostArchitecture() types.Architecture {
	if runtime.GOARCH == "arm64" {
		return types.ArchitectureArm64
	}
	return types.ArchitectureX8664
}

// create creates function name from zip (a name in testFunctions).
func (f *fixture) create(t testing.TB, name, zip string, tweak ...func(*lambdasdk.CreateFunctionInput)) *lambdasdk.CreateFunctionOutput {
	t.Helper()
	in := &lambdasdk.CreateFunctionInput{
		FunctionName:  aws.String(name),
		Runtime:       types.RuntimeProvidedal2023,
		Role:          aws.String(role),
		Handler:       aws.String(name),
		Code:          &types.FunctionCode{S3Bucket: aws.String(bucket), S3Key: aws.String(zip + ".zip")},
		Architectures: []types.Architecture{hostArchitecture()},
	}
	for _, fn := range tweak {
		fn(in)
	}
	out, err := f.client.CreateFunction(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateFunction(%s) = %v", name, err)
	}
	return out
}

func (f *fixture) invoke(t testing.TB, name, payload string) *lambdasdk.InvokeOutput {
	t.Helper()
	out, err := f.client.Invoke(context.Background(), &lambdasdk.InvokeInput{
		FunctionName: aws.String(name), Payload: []byte(payload), LogType: types.LogTypeTail,
	})
	if err != nil {
		t.Fatalf("Invoke(%s) = %v", name, err)
	}
	return out
}
