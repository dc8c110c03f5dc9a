package stepfunctions_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/stepfunctions"
)

// TestRolldieOnLocalLambda runs rolldie's machine against the real rolldie
// binary, built for this machine with the lambdabinary tag, zipped as the
// framework zips it and run by the local Lambda service behind its Runtime
// API, through the same adapter the local cloud wires (LocalLambda).
func TestRolldieOnLocalLambda(t *testing.T) {
	if testing.Short() {
		t.Skip("builds examples/rolldie for Lambda; skipped with -short")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(dir, "bootstrap")
	if err := build.Compile(ctx, build.Options{Package: "./examples/rolldie", Dir: "../..", GOARCH: runtime.GOARCH, Tags: build.LambdaTags, Output: bin}); err != nil {
		t.Fatalf("building rolldie: %v", err)
	}
	zipPath := filepath.Join(dir, "rolldie.zip")
	if _, err := build.Zip(bin, zipPath); err != nil {
		t.Fatal(err)
	}
	zip, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}

	f := newFixture(t)
	lsvc, err := lambda.New(lambda.Config{Store: f.st.Collection("lambda"), Region: region, AccountID: account})
	if err != nil {
		t.Fatal(err)
	}
	defer lsvc.Close()
	arch := "x86_64"
	if runtime.GOARCH == "arm64" {
		arch = "arm64"
	}
	cfg, err := lsvc.CreateFunction(ctx, lambda.CreateFunctionInput{
		FunctionName: "RollDie-local_rollDie", Runtime: "provided.al2023", Handler: "rollDie",
		Role: "arn:aws:iam::000000000000:role/fn", Code: lambda.FunctionCode{ZipFile: zip}, Architectures: []string{arch},
	})
	if err != nil {
		t.Fatalf("CreateFunction = %v", err)
	}
	fn := cfg.FunctionArn

	// A second service on the same store would fight over it: restart the
	// fixture's service with the real Lambda behind the cloud's adapter.
	f.srv.Close()
	if err := f.svc.Close(); err != nil {
		t.Fatal(err)
	}
	f.svc, err = stepfunctions.New(stepfunctions.Config{Store: f.st.Collection("states"), Region: region, AccountID: account,
		Lambda: realLambda{lsvc}, SNS: f.sns, IAM: f.iam, Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(f.svc)
	f.client = newClient(f.srv.URL)

	m := f.machine("RollDie", rollDieMachine(fn), f.role("roll", allow("lambda:InvokeFunction", fn, fn+":*")))
	out := f.run(m, `{}`)
	if out.Status != sfntypes.ExecutionStatusSucceeded || !strings.HasPrefix(aws.ToString(out.Output), `{"roll":`) {
		t.Fatalf("execution = %s %s %s %s", out.Status, aws.ToString(out.Output), aws.ToString(out.Error), aws.ToString(out.Cause))
	}
	var rolls int
	for _, e := range f.history(aws.ToString(out.ExecutionArn)) {
		if e.Type == sfntypes.HistoryEventTypeLambdaFunctionSucceeded {
			rolls++
		}
	}
	if rolls == 0 {
		t.Error("no LambdaFunctionSucceeded event")
	}
	t.Logf("rolldie succeeded after %d rolls: %s", rolls, aws.ToString(out.Output))
}

// realLambda adapts *lambda.Service as stepfunctions.LocalLambda does,
// without an Env.
type realLambda struct{ s *lambda.Service }

func (r realLambda) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, string, error) {
	res, err := r.s.Invoke(ctx, fn, payload)
	return res.Payload, res.FunctionError, err
}
