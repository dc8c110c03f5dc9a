package stepfunctions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/store"
	"github.com/sparta-go/sparta/step/engine"
)

// LambdaInvoker runs a Lambda function synchronously (RequestResponse),
// as the local Lambda service does. functionError is the
// X-Amz-Function-Error value ("Unhandled") when the function failed, in
// which case payload holds its {"errorType", "errorMessage"} document; err
// is for invocations that did not happen (no such function, throttling),
// and may carry an AWS error code through an ErrorCode method or as a
// *core.Error.
type LambdaInvoker interface {
	Invoke(ctx context.Context, functionNameOrARN string, payload []byte) (result []byte, functionError string, err error)
}

// RoleChecker is what the service needs from IAM; *iam.Service
// implements it.
type RoleChecker interface {
	// Authorize returns nil or an *iam.AccessDeniedError.
	Authorize(roleARN, session string, req iam.Request) error
	// CheckTrust reports whether one of the service principals may
	// assume the role.
	CheckTrust(roleARN string, principals []string, ctx map[string]string) bool
}

var _ RoleChecker = (*iam.Service)(nil)

// ECSRunner runs an ECS task to completion, as the local ECS service does:
// the state's resolved Parameters in, the stopped task out. A failed task
// is an error with ErrorName and ErrorCause, so Retry and Catch match it.
type ECSRunner interface {
	RunTaskSync(ctx context.Context, parameters map[string]any) (map[string]any, error)
}

// Publisher publishes to an SNS topic, as the local SNS service does.
type Publisher interface {
	Publish(ctx context.Context, topicARN, subject, message string) (messageID string, err error)
}

// Config configures [New].
type Config struct {
	// Store is the collection the service keeps machines, executions and
	// histories in, e.g. env.Store.Collection("states").
	Store *store.Collection
	// Region and AccountID go into ARNs.
	Region, AccountID string
	// Lambda runs Lambda tasks; nil fails them with States.Runtime.
	Lambda LambdaInvoker
	// SNS runs sns:publish tasks; nil fails them with States.Runtime.
	SNS Publisher
	// ECS runs ecs:runTask.sync tasks; nil fails them with States.Runtime.
	ECS ECSRunner
	// DynamoDB runs dynamodb:getItem/putItem/updateItem/deleteItem tasks;
	// nil fails them with States.Runtime.
	DynamoDB DynamoDBCaller
	// SQS runs sqs:sendMessage tasks; nil fails them with States.Runtime.
	SQS MessageSender
	// Events runs events:putEvents tasks; nil fails them with
	// States.Runtime.
	Events EventPutter
	// IAM enforces machine roles: the trust policy on CreateStateMachine
	// and UpdateStateMachine, the role's policies before every task; an
	// *iam.Service is one. Nil disables enforcement, for embedders that
	// have no IAM (do not pass a nil *iam.Service: the interface would not
	// be nil).
	IAM RoleChecker
	// Log receives one line per execution start and end at Debug level;
	// nil discards.
	Log logrus.FieldLogger
	// Clock drives Wait states and Retry intervals; nil is the wall clock.
	// Tests pass engine.NewVirtualClock to run waits without delay.
	Clock engine.Clock
}

// Service is the local Step Functions. Build it with [New]; it serves the
// Step Functions JSON 1.0 API through ServeHTTP and the same operations as
// Go methods.
type Service struct {
	cfg  Config
	log  logrus.FieldLogger
	json core.JSONService

	machinesC *store.Collection // machine documents by name
	runningC  *store.Collection // the executions in flight, by ARN

	ctx    context.Context // ends when the service closes
	cancel context.CancelFunc
	wg     sync.WaitGroup // one per execution in flight

	mu       sync.Mutex
	machines map[string]*machine // by name
	running  map[string]*run     // by execution ARN
	tokens   map[string]*tokenEntry
	closing  bool
	// mapRuns are the Distributed Map runs of this process's executions,
	// by Map Run ARN (see maprun.go).
	mapRuns map[string]*engine.MapRun
}

var _ core.Service = (*Service)(nil)

// New builds the service, loads its state machines and marks failed the
// executions that were running when the service last stopped without a
// Close (a killed process): the engine cannot resume them.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("stepfunctions: Config.Store is nil: pass the collection the service keeps its state in, e.g. env.Store.Collection(\"states\")")
	}
	if cfg.Region == "" || cfg.AccountID == "" {
		return nil, errors.New("stepfunctions: Config.Region and Config.AccountID are required: they go into every ARN")
	}
	log := cfg.Log
	if log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		log = l
	}
	if cfg.Clock == nil {
		cfg.Clock = engine.RealClock()
	}
	s := &Service{
		cfg: cfg, log: log,
		machinesC: cfg.Store.Sub("machines"),
		runningC:  cfg.Store.Sub("running"),
		machines:  map[string]*machine{},
		running:   map[string]*run{},
		tokens:    map[string]*tokenEntry{},
		mapRuns:   map[string]*engine.MapRun{},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.loadMachines(); err != nil {
		return nil, err
	}
	if err := s.recoverInterrupted(); err != nil {
		return nil, err
	}
	s.initAPI()
	return s, nil
}

// Name returns "states", Step Functions' signing name.
func (s *Service) Name() string { return "states" }

// ServeHTTP serves the Step Functions JSON 1.0 API
// (X-Amz-Target: AWSStepFunctions.<Operation>).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.json.ServeHTTP(w, r) }

// closeGrace bounds how long Close waits for executions to record their
// end after they are stopped (a task stuck in a Lambda call that ignores
// its context).
const closeGrace = 5 * time.Second

// Close stops every running execution and records it FAILED with a cause
// saying the local cloud stopped, then waits for them to finish writing.
// The service must not be used afterwards.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	runs := make([]*run, 0, len(s.running))
	for _, r := range s.running {
		runs = append(runs, r)
	}
	s.mu.Unlock()
	for _, r := range runs {
		r.cloudStopped.Store(true)
		if e := r.engine(); e != nil {
			e.Stop(errCloudStopped, causeCloudStopped)
		}
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-time.After(closeGrace):
		err = fmt.Errorf("stepfunctions: %d executions did not stop within %s; they will be marked failed on restart", len(runs), closeGrace)
	}
	s.cancel()
	return err
}

// errCloudStopped and causeCloudStopped end executions the local cloud
// could not finish: it stopped (Close) or was killed (found on restart).
const (
	errCloudStopped   = "States.Runtime"
	causeCloudStopped = "The local cloud stopped while this execution was running; only an execution waiting for a task token in a top-level Task survives a restart of the local cloud. Start the execution again."
)

// arn builds a Step Functions ARN of the given resource type.
func (s *Service) arn(kind string, parts ...string) string {
	a := "arn:aws:states:" + s.cfg.Region + ":" + s.cfg.AccountID + ":" + kind
	for _, p := range parts {
		a += ":" + p
	}
	return a
}

// Errors of the Step Functions API. Every one is a client error (HTTP 400)
// with the code in __type, as AWS returns them.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
func apiError(code, format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, code, format, args...)
}

func stateMachineDoesNotExist(arn string) *core.Error {
	return apiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", arn)
}

func executionDoesNotExist(arn string) *core.Error {
	return apiError("ExecutionDoesNotExist", "Execution Does Not Exist: '%s'", arn)
}
