package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// Retry and Catch.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
// and https://states-language.net/spec.html#errors.

type retrier struct {
	errorEquals []string
	interval    time.Duration
	maxAttempts int
	backoff     float64
	maxDelay    time.Duration // 0: unbounded
	jitterFull  bool
}

type catcher struct {
	errorEquals []string
	nextName    string
	next        *state
	resultPath  resultPath // JSONPath
	output      tmpl       // JSONata
	assign      *assignment
}

// matches reports whether an ErrorEquals list matches the error name.
// States.ALL matches everything that reaches Retry and Catch; States.TaskFailed
// matches every error except timeouts ("acts as a wildcard that matches any
// known error name except for States.Timeout"); States.Timeout also matches
// States.HeartbeatTimeout, which is a kind of task timeout.
func matches(list []string, name string) bool {
	for _, want := range list {
		switch want {
		case name, ErrAll:
			return true
		case ErrTaskFailed:
			if name != ErrTimeout && name != ErrHeartbeatTimeout {
				return true
			}
		case ErrTimeout:
			if name == ErrHeartbeatTimeout {
				return true
			}
		}
	}
	return false
}

func (c *compiler) errorEquals(o *object) []string {
	list, ok := o.list("ErrorEquals", true)
	if !ok {
		return nil
	}
	if len(list) == 0 {
		o.errorf("ErrorEquals", "must name at least one error")
	}
	var out []string
	for i, v := range list {
		s, ok := v.(string)
		if !ok || s == "" {
			o.errorf(fmt.Sprintf("ErrorEquals[%d]", i), "must be a non-empty string")
			continue
		}
		if s == ErrAll && len(list) > 1 {
			o.errorf("ErrorEquals", "States.ALL must appear alone")
		}
		out = append(out, s)
	}
	return out
}

func (c *compiler) compileRetry(o *object, s *state) {
	list, ok := o.list("Retry", false)
	if !ok {
		return
	}
	for i, v := range list {
		m, ok := v.(map[string]any)
		prefix := fmt.Sprintf("Retry[%d].", i)
		if !ok {
			o.errorf(fmt.Sprintf("Retry[%d]", i), "must be an object")
			continue
		}
		ro := c.object(s.name, prefix, m)
		r := &retrier{interval: time.Second, maxAttempts: 3, backoff: 2}
		r.errorEquals = c.errorEquals(ro)
		if slices.Contains(r.errorEquals, ErrAll) && i != len(list)-1 {
			ro.errorf("ErrorEquals", "a retrier with States.ALL must be the last one")
		}
		if n, ok := ro.int("IntervalSeconds", false); ok {
			if n < 1 || n > 99999999 {
				ro.errorf("IntervalSeconds", "must be between 1 and 99999999")
			}
			r.interval = time.Duration(n) * time.Second
		}
		if n, ok := ro.int("MaxAttempts", false); ok {
			if n < 0 || n > 99999999 {
				ro.errorf("MaxAttempts", "must be between 0 and 99999999")
			}
			r.maxAttempts = int(n)
		}
		if f, ok := ro.number("BackoffRate"); ok {
			if f < 1 {
				ro.errorf("BackoffRate", "must be at least 1.0")
			}
			r.backoff = f
		}
		if n, ok := ro.int("MaxDelaySeconds", false); ok {
			if n < 1 || n > 31622400 {
				ro.errorf("MaxDelaySeconds", "must be between 1 and 31622400")
			}
			r.maxDelay = time.Duration(n) * time.Second
		}
		if js, ok := ro.str("JitterStrategy", false); ok {
			switch js {
			case "FULL":
				r.jitterFull = true
			case "NONE":
			default:
				ro.errorf("JitterStrategy", "must be \"FULL\" or \"NONE\", not %q", js)
			}
		}
		ro.known("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment")
		s.retriers = append(s.retriers, r)
	}
}

func (c *compiler) compileCatch(o *object, s *state) {
	list, ok := o.list("Catch", false)
	if !ok {
		return
	}
	for i, v := range list {
		m, ok := v.(map[string]any)
		prefix := fmt.Sprintf("Catch[%d].", i)
		if !ok {
			o.errorf(fmt.Sprintf("Catch[%d]", i), "must be an object")
			continue
		}
		co := c.object(s.name, prefix, m)
		k := &catcher{}
		k.errorEquals = c.errorEquals(co)
		if slices.Contains(k.errorEquals, ErrAll) && i != len(list)-1 {
			co.errorf("ErrorEquals", "a catcher with States.ALL must be the last one")
		}
		k.nextName, _ = co.str("Next", true)
		allowed := []string{"ErrorEquals", "Next", "Comment", "Assign"}
		if s.jsonata {
			k.output = c.jsonataField(co, "Output")
			allowed = append(allowed, "Output")
		} else if v, ok := co.m["ResultPath"]; ok {
			allowed = append(allowed, "ResultPath")
			switch x := v.(type) {
			case nil:
				k.resultPath.discard = true
			case string:
				p, err := parseReference(x)
				if err != nil {
					co.errorf("ResultPath", "%v", err)
				} else if p.Root() != "$" {
					co.errorf("ResultPath", "must start with $")
				} else if x != "$" {
					k.resultPath.path = p
				}
			default:
				co.errorf("ResultPath", "must be a path string or null, not %s", typeName(v))
			}
		}
		if v, ok := co.m["Assign"]; ok {
			k.assign = c.assignBlock(co, "Assign", v, s.jsonata)
		}
		co.known(allowed...)
		s.catchers = append(s.catchers, k)
	}
}

// withRetry runs attempt, applying the state's retriers and catchers to its
// failures. Retry counters live in this call, never on the Program, so every
// execution and every entry into the state starts afresh.
func (r *runner) withRetry(f *frame, attempt func(*frame) (any, *failure)) (any, *state, *failure) {
	st := f.st
	for {
		f.failedPrev = 0
		out, fl := attempt(f)
		if fl == nil {
			return out, st.next, nil
		}
		fl = f.locate(fl)
		if fl.fatal || r.ctx.Err() != nil {
			if !fl.fatal {
				fl = r.ctxFailure()
			}
			return nil, nil, fl
		}
		if delay, ok := f.retryDelay(fl, &f.retryCounts); ok {
			if f.failedPrev != 0 {
				r.last = f.failedPrev // the next *StateStarted links there
			}
			if sf := r.sleepUntil(r.exec.clock.Now().Add(delay)); sf != nil {
				return nil, nil, sf
			}
			f.retry++
			f.token = ""
			f.invalidate()
			continue
		}
		r.stateFailed(f, fl)
		return r.catch(f, fl)
	}
}

// retryDelay finds the first retrier matching the failure and, if it has
// attempts left, returns the delay before the next attempt:
// IntervalSeconds * BackoffRate^n, capped by MaxDelaySeconds, and with
// JitterStrategy FULL a random delay up to that.
func (f *frame) retryDelay(fl *failure, counts *[]int) (time.Duration, bool) {
	st := f.st
	for i, rt := range st.retriers {
		if !matches(rt.errorEquals, fl.name) {
			continue
		}
		if *counts == nil {
			*counts = make([]int, len(st.retriers))
		}
		n := (*counts)[i]
		if n >= rt.maxAttempts {
			return 0, false
		}
		(*counts)[i]++
		d := float64(rt.interval) * math.Pow(rt.backoff, float64(n))
		if rt.maxDelay > 0 && d > float64(rt.maxDelay) {
			d = float64(rt.maxDelay)
		}
		if d > float64(math.MaxInt64/2) {
			d = float64(math.MaxInt64 / 2)
		}
		if rt.jitterFull {
			d *= f.r.exec.random()
		}
		return time.Duration(d), true
	}
	return 0, false
}

func (e *Execution) random() float64 {
	if e.opts.Rand != nil {
		return e.opts.Rand()
	}
	return rand.Float64()
}

// catch applies the first catcher matching the failure: its output is the
// error output {"Error","Cause"} placed by ResultPath (JSONPath) or shaped
// by Output (JSONata), and execution goes on at its Next.
func (r *runner) catch(f *frame, fl *failure) (any, *state, *failure) {
	for _, k := range f.st.catchers {
		if !matches(k.errorEquals, fl.name) {
			continue
		}
		errOut := fl.errorOutput()
		var out any
		var vals []any
		var cf *failure
		if f.st.jsonata {
			ev := env{f: f, errOut: errOut, hasErr: true}
			if vals, cf = k.assign.eval(&ev); cf != nil {
				return nil, nil, cf
			}
			out = errOut
			if k.output != nil {
				if out, cf = k.output.eval(&ev); cf != nil {
					return nil, nil, cf
				}
			}
		} else {
			if vals, cf = k.assign.eval(&env{f: f, doc: errOut}); cf != nil {
				return nil, nil, cf
			}
			if out, cf = f.applyResultPath(k.resultPath, errOut); cf != nil {
				// The catcher itself cannot be applied: nothing else can
				// handle this, so the execution fails.
				cf.fatal = true
				return nil, nil, cf
			}
		}
		if k.assign != nil {
			f.assignVars(k.assign.names, vals)
		}
		return out, k.next, nil
	}
	return nil, nil, fl
}
