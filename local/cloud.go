package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/cloudformation"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/lambda"
	"github.com/sparta-go/sparta/local/logs"
	"github.com/sparta-go/sparta/local/s3"
	"github.com/sparta-go/sparta/local/sns"
	"github.com/sparta-go/sparta/local/store"
)

// Defaults of [Options].
const (
	DefaultAddr      = "127.0.0.1:0"
	DefaultStateDir  = ".sparta/local"
	DefaultRegion    = "us-east-1"
	DefaultAccountID = "000000000000"
	// DefaultPort is the port `local serve` listens on unless told
	// otherwise, the one other AWS emulators use, so existing
	// AWS_ENDPOINT_URL settings keep working.
	DefaultPort = 4566
)

// Options configure [Start] and [Serve]. The zero value starts a cloud on an
// ephemeral loopback port with its state in .sparta/local.
type Options struct {
	// Addr is the TCP address to listen on (default 127.0.0.1:0, an
	// ephemeral loopback port). An address beyond loopback is refused
	// unless ExposeToNetwork is set.
	Addr string
	// ExposeToNetwork allows an Addr beyond loopback: every machine that
	// can reach it may then call the cloud with valid credentials and run
	// code on this one. Serve logs a warning.
	ExposeToNetwork bool
	// Credentials are access keys accepted besides the default pair
	// (core.DefaultAccessKeyID/core.DefaultSecretAccessKey, the root), each
	// acting as its principal.
	Credentials []Credential
	// AllowOrigins are the web origins (scheme://host[:port]) whose pages
	// may call the cloud from a browser; none by default. "*" allows any.
	AllowOrigins []string
	// AllowHosts are Host names the cloud answers to besides loopback
	// addresses, localhost and *.localhost ("example.test", or
	// ".example.test" for a whole domain).
	AllowHosts []string
	// StateDir holds the durable state (default .sparta/local).
	StateDir string
	// Region is the region in ARNs and responses (default us-east-1).
	Region string
	// Log receives the cloud's logs: one Info line at start and stop, one
	// Debug line per request. Nil discards them.
	Log logrus.FieldLogger
	// Clock is the time source (default the wall clock).
	Clock core.Clock
	// Services are built after the built-in services, in order; one whose
	// Name is a built-in's replaces it. This is how a service is added
	// before it becomes a built-in, and how tests substitute one.
	Services []core.Factory
	// SyncWrites fsyncs every state write (see store.Options.Sync).
	SyncWrites bool
	// LambdaConcurrency is the account's Lambda concurrency limit
	// (default 1,000, AWS's); invocations beyond it are throttled with
	// TooManyRequestsException.
	LambdaConcurrency int
	// CustomResourceTimeout is how long a custom resource waits for its
	// function's response when the resource sets no ServiceTimeout
	// (default one hour, as on AWS).
	CustomResourceTimeout time.Duration
	// RequestLog, when set, receives one JSON line per request served:
	// {"time","service","operation","status"}. Tests use it to show what a
	// command called (an unchanged re-provision uploads nothing and executes
	// no change set); users see what a tool does.
	RequestLog io.Writer
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)

func (o Options) withDefaults() (Options, error) {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.StateDir == "" {
		o.StateDir = DefaultStateDir
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if !regionPattern.MatchString(o.Region) {
		return o, fmt.Errorf("local: Region %q is not a region name; use one such as us-east-1", o.Region)
	}
	if o.LambdaConcurrency < 0 {
		return o, fmt.Errorf("local: LambdaConcurrency %d is negative; use 0 for the default of %d", o.LambdaConcurrency, lambda.DefaultMaxConcurrency)
	}
	if o.CustomResourceTimeout < 0 {
		return o, fmt.Errorf("local: CustomResourceTimeout %s is negative; use 0 for the default of %s", o.CustomResourceTimeout, cloudformation.DefaultCustomResourceTimeout)
	}
	if err := checkAddr(o.Addr, o.ExposeToNetwork); err != nil {
		return o, err
	}
	for _, cr := range o.Credentials {
		if err := cr.validate(); err != nil {
			return o, err
		}
	}
	if o.Log == nil {
		l := logrus.New()
		l.SetOutput(io.Discard)
		o.Log = l
	}
	if o.Clock == nil {
		o.Clock = core.SystemClock{}
	}
	return o, nil
}

// Cloud is a running local cloud. Start one with [Start]; stop it with
// [Cloud.Close].
type Cloud struct {
	opts     Options
	store    *store.Store
	ln       net.Listener
	srv      *http.Server
	router   *router
	env      *core.Env
	endpoint string
	served   chan error

	closeOnce sync.Once
	closeErr  error
}

// Start starts a local cloud: it opens the state directory (taking its
// lock), listens on opts.Addr, builds every service (reloading its state)
// and serves in the background until Close. ctx bounds the start only.
func Start(ctx context.Context, opts Options) (*Cloud, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("local: starting: %w", err)
	}
	st, err := store.Open(opts.StateDir, store.Options{Sync: opts.SyncWrites})
	if err != nil {
		return nil, fmt.Errorf("local: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", opts.Addr)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("local: listening on %s: %w (pass another address or port)", opts.Addr, err)
	}
	c := &Cloud{opts: opts, store: st, ln: ln, endpoint: endpointFor(ln.Addr()), served: make(chan error, 1)}
	c.router = newRouter(nil, opts.Log)
	c.env = core.NewEnv(st, opts.Clock, opts.Region, DefaultAccountID, c.endpoint, opts.Log, c.router.lookup)
	for _, cr := range opts.Credentials {
		p, _ := core.PrincipalFor(DefaultAccountID, cr.Principal, cr.AccessKeyID)
		c.env.Keys.Add(core.Credential{AccessKeyID: cr.AccessKeyID, SecretAccessKey: cr.SecretAccessKey, Principal: p})
	}

	services, err := c.build(append(builtinServices(opts), opts.Services...))
	if err == nil {
		var withCF []core.Service
		if withCF, err = c.withCloudFormation(services); err != nil {
			closeServices(services)
		}
		services = withCF
	}
	if err != nil {
		_ = ln.Close()
		_ = st.Close()
		return nil, err
	}
	*c.router = *newRouter(services, opts.Log)
	c.router.journal = newJournal(opts.RequestLog)
	c.router.keys, c.router.clock = c.env.Keys, opts.Clock
	c.router.authorize = c.authorize
	c.router.guard = newGuard(opts.AllowOrigins, opts.AllowHosts, ln.Addr())
	for _, svc := range c.router.order {
		if st, ok := svc.(core.Starter); ok {
			st.Start()
		}
	}
	c.srv = &http.Server{
		Handler:           c.router,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          nil,
	}
	go func() { c.served <- c.srv.Serve(ln) }()
	c.advertise()
	opts.Log.WithFields(logrus.Fields{core.FieldEndpoint: c.endpoint, "stateDir": st.Dir()}).Debug("local cloud started")
	return c, nil
}

// build constructs the services in order; a later one replaces an earlier
// one of the same name (the replaced one is closed).
func (c *Cloud) build(factories []core.Factory) ([]core.Service, error) {
	var services []core.Service
	index := map[string]int{}
	for _, f := range factories {
		s, err := f(c.env)
		if err != nil {
			closeServices(services)
			return nil, fmt.Errorf("local: starting a service: %w", err)
		}
		if i, dup := index[s.Name()]; dup {
			closeServices(services[i : i+1])
			services[i] = s
			continue
		}
		index[s.Name()] = len(services)
		services = append(services, s)
	}
	return services, nil
}

func closeServices(services []core.Service) error {
	var errs []error
	for i := len(services) - 1; i >= 0; i-- {
		if cl, ok := services[i].(core.Closer); ok {
			if err := cl.Close(); err != nil {
				errs = append(errs, fmt.Errorf("closing %s: %w", services[i].Name(), err))
			}
		}
	}
	return errors.Join(errs...)
}

// endpointFor turns the listener's address into a URL clients can dial:
// an unspecified bind address (0.0.0.0, ::) is reached through loopback.
func endpointFor(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

// Endpoint returns the base URL of the cloud, e.g. http://127.0.0.1:40123:
// the value for aws-sdk-go-v2's BaseEndpoint, AWS_ENDPOINT_URL or the CLI's
// --endpoint-url.
func (c *Cloud) Endpoint() string { return c.endpoint }

// Region returns the cloud's region.
func (c *Cloud) Region() string { return c.opts.Region }

// AccountID returns the account every caller belongs to, 000000000000.
func (c *Cloud) AccountID() string { return DefaultAccountID }

// StateDir returns the absolute path of the state directory.
func (c *Cloud) StateDir() string { return c.store.Dir() }

// Handler returns the cloud's http.Handler, to serve it on another listener
// as well (a TLS test server, for instance: the SDK sends aws-chunked
// uploads with trailing checksums only over HTTPS).
func (c *Cloud) Handler() http.Handler { return c.router }

// Env returns the environment shared by the services.
func (c *Cloud) Env() *core.Env { return c.env }

// Service returns the service registered under its signing name.
func (c *Cloud) Service(name string) (core.Service, bool) { return c.router.lookup(name) }

// Close stops accepting requests, waits up to five seconds for those in
// flight, closes the services in reverse order and releases the state
// directory. Calling it again returns the first result.
func (c *Cloud) Close() error {
	c.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var errs []error
		if err := c.srv.Shutdown(ctx); err != nil {
			_ = c.srv.Close()
		}
		if err := <-c.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("local: serving: %w", err))
		}
		errs = append(errs, closeServices(c.router.order))
		c.unadvertise()
		errs = append(errs, c.store.Close())
		c.closeErr = errors.Join(errs...)
		c.opts.Log.WithField(core.FieldEndpoint, c.endpoint).Debug("local cloud stopped")
	})
	return c.closeErr
}

// Serve runs a local cloud in the foreground until ctx ends: it is the body
// of `local serve`. It logs the endpoint and how to point the AWS CLI and
// SDKs at it, then closes the cloud when ctx is done.
func Serve(ctx context.Context, opts Options) error {
	c, err := Start(ctx, opts)
	if err != nil {
		return err
	}
	log := c.opts.Log
	names := make([]string, 0, len(c.router.order))
	for _, s := range c.router.order {
		names = append(names, s.Name())
	}
	dir, _ := filepath.Rel(".", c.StateDir())
	if dir == "" || len(dir) > len(c.StateDir()) {
		dir = c.StateDir()
	}
	log.WithFields(logrus.Fields{core.FieldEndpoint: c.endpoint, "stateDir": dir, "services": names, "region": c.Region()}).
		Info("Local cloud listening")
	log.Infof("Try: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --endpoint-url %s s3 ls   (or export AWS_ENDPOINT_URL=%s)",
		core.DefaultAccessKeyID, core.DefaultSecretAccessKey, c.endpoint, c.endpoint)
	log.Infof("Credentials: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s (the account root; every request must be signed)",
		core.DefaultAccessKeyID, core.DefaultSecretAccessKey)
	log.Infof("Operations with an SDK host prefix (aws stepfunctions start-sync-execution calls sync-HOST, which does not resolve): "+
		"export AWS_DISABLE_HOST_PREFIX_INJECTION=true (AWS CLI and SDKs since March 2025), or run that command with HTTP_PROXY=%s (any CLI)", c.endpoint)
	log.Infof("Browser origins allowed: %s", describeOrigins(c.opts.AllowOrigins))
	if c.opts.ExposeToNetwork && !isLoopbackAddr(c.opts.Addr) {
		log.Warnf("The local cloud listens on %s, beyond loopback: anyone who can reach it and has credentials can run code on this machine as %s",
			c.ln.Addr(), "this user")
	}
	select {
	case <-ctx.Done():
	case err := <-c.served:
		// The server stopped on its own: report it, then clean up.
		c.served <- err
	}
	log.Info("Local cloud stopping")
	return c.Close()
}

// S3 returns the S3 service, for its Go API. It panics if Options.Services
// replaced S3 with another type.
func (c *Cloud) S3() *s3.Service { return serviceAs[*s3.Service](c, "s3") }

// serviceAs returns the named built-in service as its concrete type.
func serviceAs[T core.Service](c *Cloud, name string) T {
	s, _ := c.router.lookup(name)
	t, ok := s.(T)
	if !ok {
		panic(fmt.Sprintf("local: the %s service is a %T, not the built-in %T: Options.Services replaced it", name, s, t))
	}
	return t
}

// Logs returns the CloudWatch Logs service, for its Go API (Append, Events).
func (c *Cloud) Logs() *logs.Service { return serviceAs[*logs.Service](c, "logs") }

// SNS returns the SNS service, for its Go API (Publish, Messages).
func (c *Cloud) SNS() *sns.Service { return serviceAs[*sns.Service](c, "sns") }
