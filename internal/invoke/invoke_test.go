package invoke_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/sparta-go/sparta/internal/invoke"
	"github.com/sparta-go/sparta/service"
)

type notFound struct{ id string }

func (e *notFound) Error() string { return "no item " + e.id }

func newFunction(t *testing.T, name string, handler any, opts *service.LambdaFunctionOptions) *service.LambdaAWSInfo {
	t.Helper()
	fn, err := service.NewAWSLambda(name, handler, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	fn.Options = opts
	return fn
}

func TestOffline(t *testing.T) {
	type in struct {
		ID string `json:"id"`
	}
	tests := []struct {
		name                   string
		handler                any
		opts                   *service.LambdaFunctionOptions
		payload                string
		wantPayload, wantError string
		wantLog                string
	}{
		{
			name: "result and captured output",
			handler: func(ctx context.Context, e in) (map[string]string, error) {
				fmt.Println("fmt to stdout")
				log.Print("log package to stderr")
				return map[string]string{"id": e.ID, "env": os.Getenv("GREETING")}, nil
			},
			opts:        &service.LambdaFunctionOptions{Environment: map[string]string{"GREETING": "hi"}},
			payload:     `{"id":"7"}`,
			wantPayload: `{"env":"hi","id":"7"}`,
			wantLog:     "fmt to stdout",
		},
		{
			name:      "error named by its Go type",
			handler:   func(ctx context.Context, e in) (string, error) { return "", &notFound{e.ID} },
			payload:   `{"id":"9"}`,
			wantError: "notFound",
		},
		{
			name:      "bad JSON for the input type",
			handler:   func(ctx context.Context, e in) (string, error) { return "", nil },
			payload:   `[1]`,
			wantError: "UnmarshalTypeError",
		},
		{
			name:      "panic",
			handler:   func(ctx context.Context) error { panic("boom") },
			payload:   `{}`,
			wantError: "string",
		},
		{
			name: "timeout",
			handler: func(ctx context.Context) error {
				<-ctx.Done()
				time.Sleep(10 * time.Millisecond)
				return errors.New("late")
			},
			opts:      &service.LambdaFunctionOptions{Timeout: 1}, // seconds, the smallest Lambda allows
			payload:   `{}`,
			wantError: "Sandbox.Timedout",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := invoke.Offline(context.Background(), newFunction(t, "fn", tt.handler, tt.opts), []byte(tt.payload))
			if res.ErrorType != tt.wantError {
				t.Fatalf("Offline(%s).ErrorType = %q (%s), want %q", tt.payload, res.ErrorType, res.ErrorMessage, tt.wantError)
			}
			if tt.wantPayload != "" && string(res.Payload) != tt.wantPayload {
				t.Errorf("Offline(%s).Payload = %s, want %s", tt.payload, res.Payload, tt.wantPayload)
			}
			if tt.wantError != "" {
				var doc struct{ ErrorType string }
				if json.Unmarshal(res.Payload, &doc) != nil || doc.ErrorType != tt.wantError || res.Err() == nil {
					t.Errorf("Offline(%s).Payload = %s, want Lambda's error document", tt.payload, res.Payload)
				}
			}
			if !strings.Contains(res.LogTail, tt.wantLog) || !strings.Contains(res.LogTail, "REPORT RequestId: ") {
				t.Errorf("Offline(%s).LogTail =\n%s\nwant %q and a REPORT line", tt.payload, res.LogTail, tt.wantLog)
			}
			if _, ok := os.LookupEnv("GREETING"); ok {
				t.Error("the function's environment outlived the invocation")
			}
		})
	}
}

func TestPrint(t *testing.T) {
	var b bytes.Buffer
	r := &invoke.Result{Function: "rollDie", Where: "offline", Payload: []byte(`{"roll":3}`), Duration: time.Millisecond, LogTail: "START\nEND\n"}
	r.Print(&b)
	want := "Function:  rollDie (offline)\nStatus:    succeeded\nDuration:  1ms\nResult:\n{\n  \"roll\": 3\n}\nLog tail:\n  START\n  END\n"
	if b.String() != want {
		t.Errorf("Print() =\n%s\nwant\n%s", b.String(), want)
	}
}

// Each template decodes into its aws-lambda-go type and names its source
// as AWS does.
func TestEventTemplates(t *testing.T) {
	tests := []struct {
		name string
		into any
		want string
	}{
		{"apigateway", &events.APIGatewayProxyRequest{}, `"httpMethod": "POST"`},
		{"sqs", &events.SQSEvent{}, `"eventSource": "aws:sqs"`},
		{"sns", &events.SNSEvent{}, `"EventSource": "aws:sns"`},
		{"s3", &events.S3Event{}, `"eventSource": "aws:s3"`},
		{"schedule", &events.EventBridgeEvent{}, `"detail-type": "Scheduled Event"`},
		{"dynamodb", &events.DynamoDBEvent{}, `"eventSource": "aws:dynamodb"`},
	}
	if got := strings.Join(invoke.TemplateNames(), ","); got != "apigateway,dynamodb,s3,schedule,sns,sqs" {
		t.Errorf("TemplateNames() = %s", got)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := invoke.EventTemplate(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, tt.into); err != nil {
				t.Fatalf("EventTemplate(%q) does not decode into %T: %v", tt.name, tt.into, err)
			}
			if !strings.Contains(string(b), tt.want) {
				t.Errorf("EventTemplate(%q) lacks %s:\n%s", tt.name, tt.want, b)
			}
			again, _ := invoke.EventTemplate(tt.name)
			if !bytes.Equal(b, again) {
				t.Errorf("EventTemplate(%q) differs between calls", tt.name)
			}
		})
	}
	if _, err := invoke.EventTemplate("kinesis"); err == nil || !strings.Contains(err.Error(), "apigateway, dynamodb") {
		t.Errorf("EventTemplate(kinesis) = %v, want an error listing the templates", err)
	}
}
