package lambda

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
)

// CodeSource reads a function's code zip from S3. The local cloud wires it
// to its S3 service; tests may serve zips from a directory.
type CodeSource interface {
	// Open returns the object's bytes and size. A missing bucket or key is
	// an error whose text is shown to the caller of CreateFunction.
	Open(ctx context.Context, bucket, key string) (io.ReadCloser, int64, error)
}

// LogEvent is one line of a function's log.
type LogEvent struct {
	Timestamp time.Time
	// Message is the line, ending in a newline as Lambda's log events do.
	Message string
}

// LogSink receives functions' logs. The local cloud wires it to its
// CloudWatch Logs service.
type LogSink interface {
	// PutLogEvents appends events, oldest first, to the stream of the
	// group, creating the group and the stream when they do not exist yet,
	// as Lambda does when the function's role allows it.
	PutLogEvents(ctx context.Context, group, stream string, events []LogEvent) error
}

// Defaults of [Config].
const (
	// DefaultMaxConcurrency bounds invocations in flight (and so processes)
	// across all functions: AWS's default account concurrency, so a wide
	// Map state is throttled locally only where it would be on AWS. A
	// machine short of memory can lower it (local serve
	// --lambda-concurrency, local.Options.LambdaConcurrency).
	// See https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
	DefaultMaxConcurrency = 1000
	// DefaultIdleTimeout is how long a warm sandbox waits for another
	// invocation before its process is stopped.
	DefaultIdleTimeout = 10 * time.Minute
	// DefaultInitTimeout bounds a sandbox's init phase, Lambda's 10 s.
	DefaultInitTimeout = 10 * time.Second
)

// Config configures [New].
type Config struct {
	// Store is the service's collection in the durable store (the local
	// cloud passes env.Store.Collection("lambda")). Required.
	Store *store.Collection
	// Region and AccountID appear in ARNs and in functions' environment.
	// Required.
	Region, AccountID string
	// Code reads code zips from S3 for CreateFunction and
	// UpdateFunctionCode. Without it only inline ZipFile code is accepted.
	Code CodeSource
	// Logs receives the functions' logs. Nil keeps them only for the
	// LogResult tail and the debug log.
	Logs LogSink
	// WorkDir is where code is unzipped, one directory per code digest,
	// and where sandboxes get their TMPDIR. Empty means a temporary
	// directory removed by Close.
	WorkDir string
	// Endpoint, when set, is given to functions as AWS_ENDPOINT_URL so
	// that the AWS SDK inside a function calls the local cloud, and names
	// where GetFunction's code can be downloaded.
	Endpoint string
	// MaxConcurrency bounds invocations in flight across all functions
	// (default DefaultMaxConcurrency); beyond it invocations are throttled.
	MaxConcurrency int
	// IdleTimeout is how long a warm process is kept (default
	// DefaultIdleTimeout).
	IdleTimeout time.Duration
	// InitTimeout bounds the init phase (default DefaultInitTimeout).
	InitTimeout time.Duration
	// Log receives the service's own logs; nil discards them.
	Log logrus.FieldLogger
	// Keys, when set, issues each sandbox a session of its execution role
	// (the local cloud's keyring); without it sandboxes get the default
	// pair.
	Keys *core.Keyring
	// Queues and Streams are the sources event source mappings poll (the
	// local cloud's SQS and DynamoDB Streams); without them a mapping of
	// that kind is refused at creation.
	Queues  QueueSource
	Streams StreamSource
	// IAM checks that a function's execution role may read the source of
	// a mapping, as Lambda does at CreateEventSourceMapping; nil skips the
	// check.
	IAM RoleChecker
	// Interpreters names the interpreter of a managed runtime's language
	// ("python", "nodejs") by path; a language absent here is looked up
	// on PATH (python3.Y then python3; node). See docs/lambda-runtimes.md.
	Interpreters map[string]string
	// Now is the time runtime deprecations are checked against; nil means
	// time.Now.
	Now func() time.Time
}

// Service is the local Lambda service. Build it with [New]; it is an
// http.Handler for the Lambda API and a core.Service named "lambda".
type Service struct {
	cfg       Config
	log       logrus.FieldLogger
	functions *store.Collection
	code      *store.Collection
	ownWork   bool

	mu  sync.RWMutex
	fns map[string]*function

	codeMu    sync.Mutex
	codeDirs  map[string]*codeDir
	unzipping map[string]*sync.Mutex
	pinned    map[string]int

	// interp caches the host interpreters of managed runtimes; rtDir is
	// where their runtime clients are written, once.
	interp interpreters
	rtOnce sync.Once
	rtDir  string
	rtErr  error

	poolMu   sync.Mutex
	pools    map[poolKey]*pool
	inflight map[string]int
	total    int
	closed   bool

	esm esmState

	// done is closed by Close: background invocations stop waiting.
	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

var (
	_ core.Service = (*Service)(nil)
	_ core.Closer  = (*Service)(nil)
	_ core.Starter = (*Service)(nil)
)

// New builds the Lambda service and reloads its functions from the store.
// No process starts until a function is invoked.
func New(cfg Config) (*Service, error) {
	var errs []error
	if cfg.Store == nil {
		errs = append(errs, errors.New("Store is required: pass env.Store.Collection(\"lambda\")"))
	}
	if cfg.Region == "" || cfg.AccountID == "" {
		errs = append(errs, errors.New("Region and AccountID are required: pass the cloud's (us-east-1, 000000000000)"))
	}
	if cfg.MaxConcurrency < 0 || cfg.IdleTimeout < 0 || cfg.InitTimeout < 0 {
		errs = append(errs, errors.New("MaxConcurrency, IdleTimeout and InitTimeout must not be negative (zero means the default)"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("lambda: %w", err)
	}
	if cfg.MaxConcurrency == 0 {
		cfg.MaxConcurrency = DefaultMaxConcurrency
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.InitTimeout == 0 {
		cfg.InitTimeout = DefaultInitTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		cfg.Log = l
	}
	s := &Service{
		cfg:       cfg,
		log:       cfg.Log,
		functions: cfg.Store.Sub("functions"),
		code:      cfg.Store.Sub("code"),
		fns:       map[string]*function{},
		codeDirs:  map[string]*codeDir{},
		pools:     map[poolKey]*pool{},
		inflight:  map[string]int{},
		done:      make(chan struct{}),
	}
	if s.cfg.WorkDir == "" {
		dir, err := os.MkdirTemp("", "sparta-lambda-")
		if err != nil {
			return nil, fmt.Errorf("lambda: creating a work directory: %w", err)
		}
		s.cfg.WorkDir, s.ownWork = dir, true
	} else {
		abs, err := filepath.Abs(s.cfg.WorkDir)
		if err != nil {
			return nil, fmt.Errorf("lambda: WorkDir %s: %w", s.cfg.WorkDir, err)
		}
		s.cfg.WorkDir = abs
	}
	if err := s.load(); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.loadMappings(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// load reads every stored function into memory.
func (s *Service) load() error {
	return store.ScanAs(s.functions, "lambda: reloading function", func(name string, f function) error {
		s.fns[name] = &f
		return nil
	})
}

// Name returns "lambda", Lambda's SigV4 signing name.
func (s *Service) Name() string { return "lambda" }

// Close stops every function process, waits for background (Event)
// invocations to end and removes the work directory if New created it.
// Calling it again returns the first result.
func (s *Service) Close() error {
	s.closeOnce.Do(func() {
		s.poolMu.Lock()
		s.closed = true
		var all []*sandbox
		for _, p := range s.pools {
			all = append(all, p.drain()...)
		}
		s.poolMu.Unlock()
		close(s.done)
		for _, sb := range all {
			sb.stop()
		}
		s.wg.Wait()
		if s.ownWork {
			if err := os.RemoveAll(s.cfg.WorkDir); err != nil {
				s.closeErr = fmt.Errorf("lambda: removing %s: %w", s.cfg.WorkDir, err)
			}
		}
	})
	return s.closeErr
}

// functionARN is the unqualified ARN of a function.
func (s *Service) functionARN(name string) string {
	return "arn:aws:lambda:" + s.cfg.Region + ":" + s.cfg.AccountID + ":function:" + name
}

// qualifiedARN is the ARN of a version or alias; $LATEST and "" give the
// unqualified ARN, as Lambda's FunctionArn of $LATEST is.
func (s *Service) qualifiedARN(name, qualifier string) string {
	if qualifier == "" {
		return s.functionARN(name)
	}
	return s.functionARN(name) + ":" + qualifier
}

// logGroup is where a function version's logs go.
func logGroup(c FunctionConfiguration) string {
	if c.LoggingConfig != nil && c.LoggingConfig.LogGroup != "" {
		return c.LoggingConfig.LogGroup
	}
	return "/aws/lambda/" + c.FunctionName
}

func formatTime(t time.Time) string { return t.UTC().Format(lastModifiedLayout) }
