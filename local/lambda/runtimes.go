package lambda

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Managed runtimes: python3.x and nodejs*.x functions run with this
// machine's own python3 and node, through a runtime-interface client of
// ours (runtimes/bootstrap.py, runtimes/bootstrap.js) that speaks the same
// Runtime API as a Go bootstrap, so a managed function is a sandbox like
// any other: the same environment, credentials, logs, timeouts and kill.
//
// The host's interpreter rarely matches the declared runtime exactly, so
// the rule is (see docs/lambda-runtimes.md):
//   - pythonX.Y runs on the first of python3.Y, python3 on PATH whose
//     version is 3.M with M >= Y-2 (an interpreter up to two minor
//     versions older than declared, or any newer one);
//   - nodejsN.x runs on node whose major version is >= N-2 (one even
//     LTS line older than declared, or any newer one).
//
// Anything else is refused at invoke with Runtime.InvalidRuntime, naming
// the interpreter to install.

//go:embed runtimes/bootstrap.py runtimes/bootstrap.js runtimes/cfnresponse.py runtimes/cfn-response.js
var runtimeFiles embed.FS

// Languages of the managed runtimes the local Lambda runs.
const (
	langPython = "python"
	langNode   = "nodejs"
)

// interpreterTolerance is how many versions (Python minors, Node majors)
// the host's interpreter may be older than the declared runtime.
const interpreterTolerance = 2

// managedRuntime is a managed runtime identifier, parsed.
type managedRuntime struct {
	id       string // python3.13, nodejs22.x
	language string // langPython or langNode
	// version is the declared language version: Python's minor (13 for
	// python3.13), Node's major (22 for nodejs22.x).
	version int
}

// parseManaged recognizes python3.Y and nodejsN.x.
func parseManaged(runtime string) (managedRuntime, bool) {
	if rest, ok := strings.CutPrefix(runtime, "python3."); ok {
		if n, ok := number(rest); ok {
			return managedRuntime{id: runtime, language: langPython, version: n}, true
		}
	}
	if rest, ok := strings.CutPrefix(runtime, "nodejs"); ok {
		if major, ok := strings.CutSuffix(rest, ".x"); ok {
			if n, ok := number(major); ok && n > 0 {
				return managedRuntime{id: runtime, language: langNode, version: n}, true
			}
		}
	}
	return managedRuntime{}, false
}

// number reads 1 to 3 decimal digits.
func number(s string) (int, bool) {
	if len(s) == 0 || len(s) > 3 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// minHost is the oldest host version the rule accepts.
func (m managedRuntime) minHost() int { return max(m.version-interpreterTolerance, 0) }

// describe names a language version for people: "Python 3.13", "Node.js 22".
func (m managedRuntime) describe(v int) string {
	if m.language == langPython {
		return fmt.Sprintf("Python 3.%d", v)
	}
	return fmt.Sprintf("Node.js %d", v)
}

// candidates are the commands looked up on PATH, best first.
func (m managedRuntime) candidates() []string {
	if m.language == langPython {
		return []string{fmt.Sprintf("python3.%d", m.version), "python3"}
	}
	return []string{"node"}
}

// interpreter is a host interpreter, resolved and probed once.
type interpreter struct {
	path    string // the real executable (shims resolved)
	version string // 3.11.7, 20.20.2
	// major and minor: for Python 3 and the minor; for Node the major.
	major, minor int
	err          error
}

// level is the number the compatibility rule compares: Python's minor,
// Node's major.
func (i *interpreter) level(language string) int {
	if language == langPython {
		return i.minor
	}
	return i.major
}

// interpreters caches probes by command path.
type interpreters struct {
	mu    sync.Mutex
	probe map[string]*interpreter
}

// probeScript prints the interpreter's real executable and version.
var probeScript = map[string][]string{
	langPython: {"-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"},
	langNode:   {"-p", "process.execPath + '\\n' + process.versions.node"},
}

// get probes the interpreter at path (once).
func (c *interpreters) get(language, path string) *interpreter {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.probe == nil {
		c.probe = map[string]*interpreter{}
	}
	key := language + "\x00" + path
	if in, ok := c.probe[key]; ok {
		return in
	}
	in := probeInterpreter(language, path)
	c.probe[key] = in
	return in
}

// probeInterpreter runs the interpreter to learn its real path and
// version. It passes only PATH and HOME (pyenv-style shims need them),
// never the server's credentials.
func probeInterpreter(language, path string) *interpreter {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, probeScript[language]...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return &interpreter{path: path, err: fmt.Errorf("running %s: %v %s", path, err, strings.TrimSpace(errOut.String()))}
	}
	lines := strings.Fields(out.String())
	if len(lines) != 2 {
		return &interpreter{path: path, err: fmt.Errorf("%s printed %q, not its path and version", path, out.String())}
	}
	in := &interpreter{path: lines[0], version: lines[1]}
	parts := strings.Split(in.version, ".")
	var err1, err2 error
	in.major, err1 = strconv.Atoi(parts[0])
	if len(parts) > 1 {
		in.minor, err2 = strconv.Atoi(parts[1])
	}
	if err1 != nil || err2 != nil {
		in.err = fmt.Errorf("%s reports version %q", path, in.version)
	}
	return in
}

// interpreterFor finds the host interpreter that runs m, or explains
// (Runtime.InvalidRuntime) what to install.
func (s *Service) interpreterFor(m managedRuntime) (*interpreter, *invokeFailure) {
	var tried []string
	var found []string
	paths := []string{}
	if p := s.cfg.Interpreters[m.language]; p != "" {
		paths = append(paths, p)
	} else {
		for _, name := range m.candidates() {
			if p, err := exec.LookPath(name); err == nil {
				paths = append(paths, p)
			}
			tried = append(tried, name)
		}
	}
	for _, p := range paths {
		in := s.interp.get(m.language, p)
		if in.err != nil {
			found = append(found, in.err.Error())
			continue
		}
		if (m.language == langPython && in.major != 3) || in.level(m.language) < m.minHost() {
			found = append(found, fmt.Sprintf("%s is %s", in.path, m.describe(in.level(m.language))))
			continue
		}
		return in, nil
	}
	install := fmt.Sprintf("install %s (or at least %s) and put it on the PATH of the local cloud", m.describe(m.version), m.describe(m.minHost()))
	if m.language == langPython {
		install = fmt.Sprintf("install python3.%d (or python3 at least 3.%d) and put it on the PATH of the local cloud", m.version, m.minHost())
	}
	msg := fmt.Sprintf("runtime %s needs %s or later on this machine, where the local Lambda runs it: ", m.id, m.describe(m.minHost()))
	switch {
	case len(found) > 0:
		msg += "found " + strings.Join(found, "; ") + ": " + install
	case len(tried) > 0:
		msg += fmt.Sprintf("none of %s is on PATH: %s", strings.Join(tried, ", "), install)
	default:
		msg += install
	}
	return nil, &invokeFailure{"Runtime.InvalidRuntime", msg}
}

// runtimeDir writes the embedded runtime clients under the work directory
// once, and returns it.
func (s *Service) runtimeDir() (string, error) {
	s.rtOnce.Do(func() {
		dir := filepath.Join(s.cfg.WorkDir, "runtimes")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			s.rtErr = err
			return
		}
		for _, name := range []string{"bootstrap.py", "bootstrap.js"} {
			if err := writeAtomic(dir, name); err != nil {
				s.rtErr = fmt.Errorf("writing the %s runtime client: %w", name, err)
				return
			}
		}
		s.rtDir = dir
	})
	return s.rtDir, s.rtErr
}

// writeAtomic writes an embedded runtime file under dir through a
// temporary file renamed into place: a sandbox of another service on the
// same WorkDir never reads it half written.
func writeAtomic(dir, name string) error {
	b, err := runtimeFiles.ReadFile("runtimes/" + name)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+name+"-")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// command is how a sandbox's process starts.
type command struct {
	path string
	args []string
	// env is added to Lambda's environment (before the function's own).
	env []string
	// name is what INIT_START calls the runtime.
	name string
}

// runtimeCommand is the process of a function: its bootstrap executable,
// or the host interpreter running our runtime client for a managed
// runtime. A failure is what Invoke reports.
func (s *Service) runtimeCommand(c FunctionConfiguration, dir *codeDir, requestID string) (command, error) {
	if m, ok := parseManaged(c.Runtime); ok {
		in, fail := s.interpreterFor(m)
		if fail != nil {
			return command{}, fail
		}
		rt, err := s.runtimeDir()
		if err != nil {
			return command{}, err
		}
		cmd := command{path: in.path, env: []string{
			"AWS_EXECUTION_ENV=AWS_Lambda_" + m.id,
			"LAMBDA_RUNTIME_DIR=" + rt,
		}}
		if m.language == langPython {
			// -u: unbuffered output, so that logs are in order and whole
			// when the invocation ends; -B: no __pycache__ in the code
			// directory, which every sandbox of the digest shares; -s: not
			// the developer's user site-packages.
			cmd.args = []string{"-u", "-B", "-s", filepath.Join(rt, "bootstrap.py")}
			cmd.name = fmt.Sprintf("python:3.%d", m.version)
		} else {
			cmd.args = []string{filepath.Join(rt, "bootstrap.js")}
			cmd.env = append(cmd.env, "NODE_PATH="+filepath.Join(dir.path, "node_modules")+":"+dir.path)
			cmd.name = fmt.Sprintf("nodejs:%d", m.version)
		}
		return cmd, nil
	}
	if msg := unsupportedRuntime(c.Runtime); msg != "" {
		return command{}, &invokeFailure{"Runtime.InvalidRuntime", msg}
	}
	if msg := dir.refusal(c.FunctionName); msg != "" {
		return command{}, &invokeFailure{"Runtime.InvalidEntrypoint", msg}
	}
	if dir.format == "missing" {
		return command{}, &invokeFailure{"Runtime.InvalidEntrypoint",
			fmt.Sprintf("RequestId: %s Error: Couldn't find valid bootstrap(s): [%s]", requestID, filepath.Join(dir.path, "bootstrap"))}
	}
	return command{path: filepath.Join(dir.path, "bootstrap"), name: runtimeName(c.Runtime)}, nil
}

// unsupportedRuntime explains why a runtime cannot run locally; "" means it
// can.
func unsupportedRuntime(runtime string) string {
	switch runtime {
	case "provided.al2023", "provided.al2", "provided":
		return ""
	}
	if _, ok := parseManaged(runtime); ok {
		return ""
	}
	return "runtime " + runtime + " is not supported by the local Lambda, which runs bootstrap executables " +
		"(provided.al2023, provided.al2) and python3.x and nodejs*.x functions with this machine's python3 and node: " +
		"build the function as a Go binary named bootstrap, or write it in Python or Node.js"
}
