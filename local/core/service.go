package core

import (
	"net/http"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/store"
)

// Service is one AWS service of the local cloud. The router hands it every
// request whose SigV4 credential scope names it, after putting a [Call] in
// the request's context; the service decodes the operation from its own
// protocol (X-Amz-Target, Action, REST path) and writes the response.
type Service interface {
	// Name is the SigV4 signing name clients put in the credential scope:
	// "s3", "sts", "logs", "sns", "cloudformation", "lambda", "states".
	Name() string
	http.Handler
}

// Factory builds a service from the shared environment. The local cloud
// calls the factories in order once its listener is up (so env.Endpoint is
// known); a factory reloads the service's state from env.Store before it
// returns, which is where a service repairs what a kill left behind (for
// example, marking running executions failed).
type Factory func(env *Env) (Service, error)

// Matcher is implemented by services that also claim requests carrying no
// SigV4 credential scope: unsigned requests (aws --no-sign-request, a browser
// fetching an object), callers of a Runtime API, or an OCI registry under
// /v2/. The router asks matchers in registration order.
type Matcher interface {
	Match(r *http.Request) bool
}

// Fallback marks a Matcher that claims broadly (S3 takes any unsigned
// REST request): the router asks fallbacks only after every other matcher
// declined.
type Fallback interface {
	Matcher
	Fallback()
}

// Closer is implemented by services that hold resources beyond the store
// (child processes, timers, goroutines). The cloud closes services in the
// reverse order of their construction, before it closes the store.
type Closer interface {
	Close() error
}

// Starter is implemented by services that run background work over other
// services (Lambda's event source mappings poll SQS and DynamoDB): the
// cloud calls Start once, after every service is built and reachable
// through Env.Lookup, before it serves requests. Work that other services
// answer must not begin in the factory, where Lookup is not ready.
type Starter interface {
	Start()
}

// Clock is the local cloud's time source; services read the time only
// through it so that tests can drive timestamps, waits and timeouts.
type Clock interface {
	Now() time.Time
	// After behaves as time.After.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Env is what the local cloud shares with its services.
type Env struct {
	// Store is the cloud's durable state. Each service works in the
	// collections under its own name: env.Store.Collection(svc.Name(), ...).
	Store *store.Store
	// Clock is the time source.
	Clock Clock
	// Region is the cloud's region, used in ARNs and responses whatever
	// region a client signed for.
	Region string
	// AccountID is the account every caller belongs to ("000000000000").
	AccountID string
	// Endpoint is the base URL of the cloud (http://127.0.0.1:port), for
	// services that hand it to their own clients (a Lambda function's
	// AWS_ENDPOINT_URL, a presigned URL, a Location header).
	Endpoint string
	// Log is the cloud's logger; give each service its own with
	// env.Log.WithField(core.FieldService, name).
	Log logrus.FieldLogger
	// Keys holds the credentials the router accepts; services that hand
	// out credentials (a Lambda sandbox's execution role, STS AssumeRole)
	// issue sessions in it.
	Keys *Keyring

	lookup func(name string) (Service, bool)
}

// NewEnv builds an environment whose Lookup resolves through lookup. The
// local cloud calls it; tests of a single service may too.
func NewEnv(st *store.Store, clock Clock, region, account, endpoint string, log logrus.FieldLogger, lookup func(string) (Service, bool)) *Env {
	return &Env{Store: st, Clock: clock, Region: region, AccountID: account, Endpoint: endpoint, Log: log,
		Keys: NewKeyring(account), lookup: lookup}
}

// Lookup returns the service registered under name. It resolves at call
// time, so a service may look up one constructed after it; do it when a
// request needs the other service, not in the factory. Type-assert the
// result to the other package's exported type (e.g. *logs.Service) or to a
// small interface it satisfies.
func (e *Env) Lookup(name string) (Service, bool) {
	if e.lookup == nil {
		return nil, false
	}
	return e.lookup(name)
}

// ARN builds an ARN in the cloud's partition, region and account:
// env.ARN("sns", "my-topic") is arn:aws:sns:us-east-1:000000000000:my-topic.
// Pass an empty service-specific region for global services (IAM).
func (e *Env) ARN(service, resource string) string {
	return "arn:aws:" + service + ":" + e.Region + ":" + e.AccountID + ":" + resource
}

// Field keys of the local cloud's structured logs.
const (
	FieldService   = "service"
	FieldOperation = "operation"
	FieldRequestID = "requestID"
	FieldStatus    = "status"
	FieldDuration  = "duration"
	FieldEndpoint  = "endpoint"
)
