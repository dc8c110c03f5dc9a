package lambda

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// sandbox is one execution environment: a bootstrap process, its Runtime
// API listener and its log stream. It runs one invocation at a time.
type sandbox struct {
	s      *Service
	key    poolKey
	gen    int
	cfg    FunctionConfiguration
	group  string
	stream string

	api    *runtimeAPI
	srv    *http.Server
	cmd    *exec.Cmd
	out    *output
	logs   *logBuffer
	tmpDir string

	started time.Time
	cold    bool // no invocation has run yet
	// exited is closed when the process has exited; state is then set.
	exited chan struct{}
	state  *os.ProcessState

	idleTimer *time.Timer
	stopOnce  sync.Once

	// creds are the execution role's session the process signs with.
	creds core.Credential
}

// invokeFailure is a failure Lambda reports as a function error before or
// instead of running the handler (a missing or foreign bootstrap, an
// unsupported runtime).
type invokeFailure struct {
	errorType string
	message   string
}

func (e *invokeFailure) Error() string { return e.errorType + ": " + e.message }

// spawn starts a sandbox for a function version.
func (s *Service) spawn(t target, gen int, requestID string) (*sandbox, error) {
	c := t.ver.Config
	if msg := unsupportedRuntime(c.Runtime); msg != "" {
		return nil, &invokeFailure{"Runtime.InvalidRuntime", msg}
	}
	dir, err := s.codeDir(t.ver.Code)
	if err != nil {
		return nil, err
	}
	run, err := s.runtimeCommand(c, dir, requestID)
	if err != nil {
		return nil, err
	}
	sb := &sandbox{
		s: s, key: t.key(), gen: gen, cfg: c, group: logGroup(c),
		api: newRuntimeAPI(), logs: &logBuffer{}, exited: make(chan struct{}), cold: true,
	}
	var id [16]byte
	_, _ = rand.Read(id[:])
	sb.stream = time.Now().UTC().Format("2006/01/02") + "/[" + c.Version + "]" + hex.EncodeToString(id[:])

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the Runtime API of %s: %w", c.FunctionName, err)
	}
	sb.srv = &http.Server{Handler: guardRuntimeAPI(sb.api, ln.Addr().String()), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = sb.srv.Serve(ownerOnly(ln)) }()
	sb.creds = s.sessionFor(c)

	if err := os.MkdirAll(filepath.Join(s.cfg.WorkDir, "tmp"), 0o755); err == nil {
		sb.tmpDir, _ = os.MkdirTemp(filepath.Join(s.cfg.WorkDir, "tmp"), c.FunctionName+"-")
	}
	r, w, err := os.Pipe()
	if err != nil {
		sb.closeServer()
		return nil, err
	}
	cmd := exec.Command(run.path, run.args...)
	cmd.Dir = dir.path
	cmd.Env = s.environment(sb, dir.path, ln.Addr().String(), run.env)
	cmd.Stdout, cmd.Stderr = w, w
	isolate(cmd)
	sb.logs.begin()
	sb.logs.line(fmt.Sprintf("INIT_START Runtime Version: %s.local\tRuntime Version ARN: arn:aws:lambda:%s::runtime:local", run.name, s.cfg.Region))
	sb.started = time.Now()
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		sb.closeServer()
		return nil, &invokeFailure{"Runtime.InvalidEntrypoint", fmt.Sprintf("RequestId: %s Error: %v", requestID, err)}
	}
	sb.cmd = cmd
	sb.out = newOutput(r, sb.logs.write)
	go func() {
		_ = cmd.Wait()
		sb.state = cmd.ProcessState
		close(sb.exited)
	}()
	return sb, nil
}

// runtimeName is how INIT_START names a runtime: provided:al2023.
func runtimeName(r string) string {
	if i := len("provided."); len(r) > i && r[:i] == "provided." {
		return "provided:" + r[i:]
	}
	return r
}

// environment is the process environment Lambda gives a function.
// See https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
func (s *Service) environment(sb *sandbox, taskRoot, runtimeAPI string, extra []string) []string {
	c := sb.cfg
	env := []string{
		"AWS_LAMBDA_FUNCTION_NAME=" + c.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION=" + c.Version,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(c.MemorySize),
		"AWS_LAMBDA_LOG_GROUP_NAME=" + sb.group,
		"AWS_LAMBDA_LOG_STREAM_NAME=" + sb.stream,
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_RUNTIME_API=" + runtimeAPI,
		"_HANDLER=" + c.Handler,
		"AWS_REGION=" + s.cfg.Region,
		"AWS_DEFAULT_REGION=" + s.cfg.Region,
		"LAMBDA_TASK_ROOT=" + taskRoot,
		"LAMBDA_RUNTIME_DIR=" + taskRoot,
		// The execution role's session (never the developer's own
		// credentials), under IAM like every caller.
		"AWS_ACCESS_KEY_ID=" + sb.creds.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + sb.creds.SecretAccessKey,
		"AWS_SESSION_TOKEN=" + sb.creds.SessionToken,
		"TZ=:UTC",
		"LANG=en_US.UTF-8",
		"PATH=/usr/local/bin:/usr/bin/:/bin:/opt/bin",
	}
	if sb.tmpDir != "" {
		env = append(env, "TMPDIR="+sb.tmpDir)
	}
	env = append(env, extra...)
	if c.LoggingConfig != nil && c.LoggingConfig.LogFormat == "JSON" {
		env = append(env, "AWS_LAMBDA_LOG_FORMAT=JSON")
	}
	if s.cfg.Endpoint != "" {
		env = append(env, "AWS_ENDPOINT_URL="+s.cfg.Endpoint)
	}
	if c.Environment != nil {
		keys := make([]string, 0, len(c.Environment.Variables))
		for k := range c.Environment.Variables {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		// Later entries win in exec: the function's own AWS_ENDPOINT_URL
		// overrides the local cloud's.
		for _, k := range keys {
			env = append(env, k+"="+c.Environment.Variables[k])
		}
	}
	return env
}

// outcome is how one invocation in a sandbox ended.
type outcome struct {
	payload   []byte
	errorType string // "" when the function answered normally
	unhandled bool
	// healthy is false when the sandbox must not be reused.
	healthy bool
	// stale is set when a warm sandbox's process had exited before the
	// invocation reached it: nothing ran, the invocation is retried.
	stale bool
	tail  string
}

// run hands inv to the sandbox and waits for it to end, enforcing the
// init and invocation timeouts, then writes END and REPORT and flushes the
// log.
func (sb *sandbox) run(inv *invocation) outcome {
	cold := sb.cold
	sb.cold = false
	if !cold {
		sb.logs.begin() // a cold sandbox's capture began with INIT_START
	}
	var (
		out       outcome
		status    string // "", "timeout", "error"
		failed    bool
		delivered bool
	)
	// Init: a cold sandbox may spend up to InitTimeout initializing; after
	// that the function's own timeout still applies, as Lambda retries a
	// slow init inside the invocation. Init ends when the runtime first
	// asks for an event; its output is logged before START, as on Lambda.
	if cold {
		limit := time.NewTimer(sb.s.cfg.InitTimeout + inv.timeout)
		select {
		case <-sb.api.ready:
			sb.out.sync(100 * time.Millisecond)
		case rep := <-sb.api.initErr:
			out, status, failed = sb.initFailed(rep), "error", true
		case <-sb.exited:
			select {
			case rep := <-sb.api.initErr:
				out, status, failed = sb.initFailed(rep), "error", true
			default:
				out, status, failed = sb.exitError(inv), "error", true
			}
		case <-limit.C:
			sb.kill()
			out, status, failed = sb.timedOut(inv), "timeout", true
		}
		limit.Stop()
	}
	sb.logs.line(fmt.Sprintf("START RequestId: %s Version: %s", inv.id, sb.cfg.Version))
	if !failed {
		sb.api.queue <- inv
		// The runtime fetches the event (it is normally waiting for it
		// already), then the handler runs until the deadline.
		limit := time.NewTimer(inv.timeout)
		select {
		case <-inv.delivered:
			delivered = true
		case <-sb.exited:
			if !cold {
				// A warm process that exited before taking the event
				// (it ended after its previous invocation): the
				// invocation never ran here; the caller retries it on a
				// fresh sandbox.
				limit.Stop()
				sb.logs.end()
				return outcome{stale: true}
			}
			out, status = sb.exitError(inv), "error"
		case <-limit.C:
			sb.kill()
			out, status = sb.timedOut(inv), "timeout"
		}
		limit.Stop()
	}
	if delivered {
		limit := time.NewTimer(time.Until(inv.deadline))
		select {
		case rep := <-inv.done:
			out = answered(rep)
		case <-sb.exited:
			select {
			case rep := <-inv.done:
				out = answered(rep)
			default:
				out, status = sb.exitError(inv), "error"
			}
		case <-limit.C:
			sb.kill()
			out, status = sb.timedOut(inv), "timeout"
		}
		limit.Stop()
	}
	if out.healthy {
		sb.out.sync(100 * time.Millisecond)
	} else {
		sb.kill()
		<-sb.exited
		sb.out.finish(time.Second)
	}
	sb.logs.flushPartial()

	end := time.Now()
	var dur time.Duration
	if delivered {
		dur = end.Sub(inv.deliveredAt)
	}
	if status == "timeout" {
		sb.logs.line(fmt.Sprintf("%s %s Task timed out after %.2f seconds", end.UTC().Format("2006-01-02T15:04:05.000Z"), inv.id, inv.timeout.Seconds()))
	}
	sb.logs.line("END RequestId: " + inv.id)
	sb.logs.line(sb.report(inv, dur, cold, status, out.errorType))
	out.tail = sb.logs.end()
	sb.flush()
	return out
}

// answered turns the runtime's reply into an outcome.
func answered(rep reply) outcome {
	if rep.isError {
		return outcome{payload: rep.payload, errorType: rep.errorType, unhandled: true, healthy: true}
	}
	return outcome{payload: rep.payload, healthy: true}
}

func (sb *sandbox) initFailed(rep reply) outcome {
	sb.logs.line(fmt.Sprintf("INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: %s",
		ms(time.Since(sb.started)), rep.errorType))
	return outcome{payload: rep.payload, errorType: rep.errorType, unhandled: true}
}

func (sb *sandbox) exitError(inv *invocation) outcome {
	<-sb.exited
	why := "Runtime exited without providing a reason"
	if sb.state != nil && !sb.state.Success() {
		why = "Runtime exited with error: " + sb.state.String()
	}
	msg := fmt.Sprintf("RequestId: %s Error: %s", inv.id, why)
	sb.logs.line(msg)
	doc, _ := json.Marshal(platformError{Type: "Runtime.ExitError", Message: msg})
	return outcome{payload: doc, errorType: "Runtime.ExitError", unhandled: true}
}

func (sb *sandbox) timedOut(inv *invocation) outcome {
	msg := fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", inv.id, inv.timeout.Seconds())
	doc, _ := json.Marshal(platformError{Type: "Sandbox.Timedout", Message: msg})
	return outcome{payload: doc, errorType: "Sandbox.Timedout", unhandled: true}
}

// report is Lambda's REPORT line.
func (sb *sandbox) report(inv *invocation, dur time.Duration, cold bool, status, errorType string) string {
	var rss int64
	select {
	case <-sb.exited:
		if sb.state != nil {
			rss = exitedRSS(sb.state)
		}
	default:
		rss = peakRSS(sb.cmd.Process.Pid)
	}
	line := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB",
		inv.id, ms(dur), int64(math.Ceil(ms(dur))), sb.cfg.MemorySize, (rss+(1<<20)-1)>>20)
	if ready := sb.api.initEnded(); cold && !ready.IsZero() {
		line += fmt.Sprintf("\tInit Duration: %.2f ms", ms(ready.Sub(sb.started)))
	}
	if status != "" {
		line += "\tStatus: " + status
		if status == "error" && errorType != "" {
			line += "\tError Type: " + errorType
		}
	}
	return line
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// flush sends the pending log events to the LogSink.
func (sb *sandbox) flush() {
	ev := sb.logs.take()
	if len(ev) == 0 {
		return
	}
	if sb.s.cfg.Logs == nil {
		for _, e := range ev {
			sb.s.log.WithField("function", sb.cfg.FunctionName).Debug(e.Message[:len(e.Message)-1])
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sb.s.cfg.Logs.PutLogEvents(ctx, sb.group, sb.stream, ev); err != nil {
		sb.s.log.WithField("function", sb.cfg.FunctionName).Warnf("writing the function's log to %s: %v", sb.group, err)
	}
}

// alive reports whether the sandbox's process is still running.
func (sb *sandbox) alive() bool {
	select {
	case <-sb.exited:
		return false
	default:
		return true
	}
}

// kill kills the process group; the sandbox is then only good for stop.
func (sb *sandbox) kill() {
	select {
	case <-sb.exited:
	default:
		killGroup(sb.cmd.Process)
	}
}

// stop kills the process and releases everything the sandbox holds. It
// flushes what the process logged since its last invocation.
func (sb *sandbox) stop() {
	sb.stopOnce.Do(func() {
		if sb.idleTimer != nil {
			sb.idleTimer.Stop()
		}
		sb.api.close()
		sb.kill()
		<-sb.exited
		sb.out.finish(time.Second)
		sb.logs.flushPartial()
		sb.flush()
		sb.closeServer()
		if sb.tmpDir != "" {
			_ = os.RemoveAll(sb.tmpDir)
		}
	})
}

func (sb *sandbox) closeServer() {
	sb.api.close()
	if sb.s.cfg.Keys != nil && sb.creds.SessionToken != "" {
		sb.s.cfg.Keys.Remove(sb.creds.AccessKeyID)
	}
	if err := sb.srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		sb.s.log.Debugf("closing the Runtime API of %s: %v", sb.cfg.FunctionName, err)
	}
}

// sandboxSession is how long a sandbox's credentials last; a sandbox is
// reclaimed long before (idle timeout), and its session with it.
const sandboxSession = 12 * time.Hour

// sessionFor issues a sandbox temporary credentials for its function's
// execution role, as Lambda does: a session named after the function. A
// service without a keyring (tests of the service alone) hands out the
// default pair.
func (s *Service) sessionFor(c FunctionConfiguration) core.Credential {
	if s.cfg.Keys == nil || c.Role == "" {
		return core.Credential{AccessKeyID: core.DefaultAccessKeyID, SecretAccessKey: core.DefaultSecretAccessKey}
	}
	return s.cfg.Keys.AssumeRole(c.Role, c.FunctionName, time.Now(), sandboxSession)
}
