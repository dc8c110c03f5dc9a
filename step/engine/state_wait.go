package engine

import (
	"time"
)

// Wait states, through the execution's Clock.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html.

func (c *compiler) compileWait(o *object, s *state) []string {
	s.wait = &waitSpec{}
	s.wait.seconds = c.intOrPath(o, s, "Seconds", 0)
	s.wait.timestamp = c.strOrPath(o, s, "Timestamp")
	if ts := s.wait.timestamp; ts.set && ts.path == nil && ts.expr == nil {
		if _, err := parseTimestamp(ts.static); err != nil {
			o.errorf("Timestamp", "%q is not an RFC 3339 timestamp such as 2016-03-14T01:59:00Z", ts.static)
		}
	}
	switch {
	case s.wait.seconds.set && s.wait.timestamp.set:
		o.errorf("Seconds", "a Wait state takes exactly one of Seconds, SecondsPath, Timestamp and TimestampPath")
	case !s.wait.seconds.set && !s.wait.timestamp.set:
		o.errorf("Seconds", "a Wait state needs one of Seconds, SecondsPath, Timestamp or TimestampPath")
	}
	if s.jsonata {
		return []string{"Seconds", "Timestamp"}
	}
	return []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}
}

func parseTimestamp(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

func (r *runner) runWait(f *frame) (any, *state, *failure) {
	st := f.st
	eff := f.input
	if !st.jsonata {
		var fl *failure
		if eff, fl = f.effectiveInput(); fl != nil {
			return nil, nil, fl
		}
	}
	var until time.Time
	if st.wait.seconds.path != nil || st.wait.timestamp.path != nil {
		var fl *failure
		if until, fl = f.waitPathUntil(eff); fl != nil {
			return nil, nil, fl
		}
	} else if st.wait.seconds.set {
		n, _, fl := f.evalInt(st.wait.seconds, eff)
		if fl != nil {
			return nil, nil, fl
		}
		if n < 0 {
			return nil, nil, r.waitFieldFailure(f, "Seconds must not be negative")
		}
		until = f.entered.Add(time.Duration(n) * time.Second)
	} else {
		s, fl := f.evalStr(st.wait.timestamp, eff)
		if fl != nil {
			return nil, nil, fl
		}
		t, err := parseTimestamp(s)
		if err != nil {
			return nil, nil, r.waitFieldFailure(f, "the timestamp "+s+" is not RFC 3339")
		}
		until = t
	}
	if fl := r.sleepUntil(until); fl != nil {
		return nil, nil, fl
	}
	out, fl := f.finishPlain(eff, st.assign, st.output)
	return out, st.next, fl
}

func (r *runner) waitFieldFailure(f *frame, msg string) *failure {
	if f.st.jsonata {
		return fail(ErrQueryEvaluationError, "The Wait state '%s' cannot wait: %s", f.st.name, msg)
	}
	return runtimeFailure("The Wait state '%s' cannot wait: %s", f.st.name, msg)
}

// waitPathUntil reads a Wait state's SecondsPath or TimestampPath and
// fails with States.Runtime and AWS's texts (recorded AWS behaviour) when
// the path selects nothing, a value that is not a whole number of seconds,
// a negative number or a string that is not an ISO 8601 date-time with an
// offset.
func (f *frame) waitPathUntil(doc any) (time.Time, *failure) {
	st := f.st
	if p := st.wait.seconds.path; p != nil {
		v, err := (&env{f: f, doc: doc}).resolve(p)
		if err != nil {
			return time.Time{}, runtimeFailure("The SecondsPath parameter does not reference an input value: %s", p)
		}
		n, ok := toInt(v)
		if !ok {
			return time.Time{}, runtimeFailure("The SecondsPath parameter cannot be parsed as a long value: %s == %s", p, limitText(v))
		}
		if n < 0 {
			return time.Time{}, runtimeFailure("The SecondsPath parameter references a negative value: %s == %d", p, n)
		}
		return f.entered.Add(time.Duration(n) * time.Second), nil
	}
	p := st.wait.timestamp.path
	v, err := (&env{f: f, doc: doc}).resolve(p)
	if err != nil {
		return time.Time{}, runtimeFailure("The TimestampPath parameter does not reference an input value: %s", p)
	}
	s, isStr := v.(string)
	t, perr := parseTimestamp(s)
	if !isStr || perr != nil {
		return time.Time{}, runtimeFailure("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", p, limitText(v))
	}
	return t, nil
}
