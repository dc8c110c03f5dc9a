package local_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	logtest "github.com/sirupsen/logrus/hooks/test"

	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/localtest"
)

func TestGetCallerIdentity(t *testing.T) {
	c := localtest.Start(t)
	out, err := sts.NewFromConfig(localtest.Config(c)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity = %v", err)
	}
	if *out.Account != "000000000000" || *out.Arn != "arn:aws:iam::000000000000:root" || *out.UserId != "000000000000" {
		t.Errorf("GetCallerIdentity = %s %s %s, want the local account's root", *out.Account, *out.Arn, *out.UserId)
	}
}

func TestCLIGetCallerIdentity(t *testing.T) {
	c := localtest.Start(t)
	out := localtest.CLI(t, c, "sts", "get-caller-identity")
	var id struct{ Account, Arn, UserId string }
	if err := json.Unmarshal([]byte(out), &id); err != nil {
		t.Fatalf("aws sts get-caller-identity printed %q: %v", out, err)
	}
	if id.Account != "000000000000" {
		t.Errorf("aws sts get-caller-identity Account = %q, want 000000000000", id.Account)
	}
}

func TestUnsupportedServiceAndAction(t *testing.T) {
	c := localtest.Start(t)
	cfg := localtest.Config(c)

	// An STS action the cloud does not implement: awsQuery error shape.
	_, err := sts.NewFromConfig(cfg).GetSessionToken(context.Background(), &sts.GetSessionTokenInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidAction" || !strings.Contains(apiErr.ErrorMessage(), "GetSessionToken") {
		t.Errorf("GetSessionToken = %v, want InvalidAction naming the action", err)
	}

	// A service the cloud does not run, in each protocol's shape.
	tests := []struct {
		name, target, contentType, body, want string
	}{
		{name: "json", target: "AmazonSQS.ListQueues", contentType: "application/x-amz-json-1.0", body: "{}", want: `"__type":"NotImplemented"`},
		{name: "query", contentType: "application/x-www-form-urlencoded", body: "Action=ListUsers&Version=2010-05-08", want: "<ErrorResponse><Error><Type>Sender</Type><Code>NotImplemented</Code>"},
		{name: "rest", body: "", want: "<Error><Code>NotImplemented</Code>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, c.Endpoint()+"/", strings.NewReader(tt.body))
			if tt.target != "" {
				req.Header.Set("X-Amz-Target", tt.target)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			localtest.Sign(t, req, "kinesis", []byte(tt.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusNotImplemented {
				t.Errorf("status = %d, want 501", resp.StatusCode)
			}
			if !strings.Contains(string(body), tt.want) || !strings.Contains(string(body), `kinesis service is not supported by the local cloud`) {
				t.Errorf("body = %s, want %s and the service named", body, tt.want)
			}
			if resp.Header.Get("X-Amzn-Requestid") == "" {
				t.Error("no x-amzn-RequestId header")
			}
		})
	}
}

func TestUnsignedRequestIsRefusedWithHint(t *testing.T) {
	c := localtest.Start(t)
	resp, err := http.Post(c.Endpoint()+"/", "application/x-www-form-urlencoded", strings.NewReader("Action=GetCallerIdentity"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "MissingAuthenticationToken") {
		t.Errorf("unsigned POST = %d %s, want 403 MissingAuthenticationToken", resp.StatusCode, body)
	}
}

// echo is a service added through Options.Services, as a future service
// would be before it becomes a built-in.
type echo struct{ env *core.Env }

func (e *echo) Name() string { return "echo" }
func (e *echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sts, ok := e.env.Lookup("sts")
	_, _ = io.WriteString(w, core.CallFrom(r.Context()).Scope.Region+" "+e.env.AccountID+" "+sts.Name()+" "+map[bool]string{true: "found"}[ok])
}
func (e *echo) Match(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/echo/") }

// Public serves /echo/public/ anonymously, as API Gateway serves its APIs.
func (e *echo) Public(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/echo/public/") }

func TestExtraServiceRegistersAndMatches(t *testing.T) {
	c := localtest.Start(t, local.Options{Services: []core.Factory{
		func(env *core.Env) (core.Service, error) { return &echo{env: env}, nil },
	}})
	// Unsigned, claimed by its matcher, served because Public says so.
	resp, err := http.Get(c.Endpoint() + "/echo/public/x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got, want := string(body), " 000000000000 sts found"; got != want {
		t.Errorf("GET /echo/public/x = %q, want %q", got, want)
	}
	// Unsigned, claimed by its matcher but not public: refused.
	resp, err = http.Get(c.Endpoint() + "/echo/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned GET /echo/x = %d, want 403", resp.StatusCode)
	}
	// Signed for it.
	req, _ := http.NewRequest(http.MethodGet, c.Endpoint()+"/anything", nil)
	localtest.SignAs(t, req, "echo", nil, core.DefaultAccessKeyID, core.DefaultSecretAccessKey, time.Now())
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if got, want := string(body), "us-east-1 000000000000 sts found"; got != want {
		t.Errorf("signed GET = %q, want %q", got, want)
	}
}

func TestStartOptions(t *testing.T) {
	if _, err := local.Start(context.Background(), local.Options{StateDir: t.TempDir(), Region: "mars"}); err == nil {
		t.Error("Start(Region: mars) = nil error, want a region error")
	}
	dir := t.TempDir()
	c := localtest.Start(t, local.Options{StateDir: dir, Region: "eu-west-3"})
	if !strings.HasPrefix(c.Endpoint(), "http://127.0.0.1:") || c.Region() != "eu-west-3" || c.AccountID() != "000000000000" {
		t.Errorf("cloud = %s %s %s", c.Endpoint(), c.Region(), c.AccountID())
	}
	if _, err := local.Start(context.Background(), local.Options{StateDir: dir}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second Start on the same StateDir = %v, want an in-use error", err)
	}
}

func TestServeStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	log, hook := logtest.NewNullLogger()
	done := make(chan error, 1)
	go func() { done <- local.Serve(ctx, local.Options{StateDir: t.TempDir(), Log: log}) }()
	for deadline := time.Now().Add(5 * time.Second); len(hook.AllEntries()) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("Serve logged nothing within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	entries := hook.AllEntries()
	if !strings.Contains(entries[1].Message, "aws --endpoint-url http://127.0.0.1:") {
		t.Errorf("Serve's hint = %q, want an aws --endpoint-url example", entries[1].Message)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
}
