package step

import (
	"errors"
	"fmt"
	"strings"
)

// ValidationError is one problem with a machine, named by where it is:
// the machine, the state (empty for the machine's own fields), the field
// within the state ("Retry[1].ErrorEquals", "Choices[0].Variable") and
// what is wrong. Validate and FromJSON return every ValidationError at once
// through errors.Join; use errors.As to inspect them.
type ValidationError struct {
	Machine   string
	State     string
	StateType StateType
	Field     string
	Reason    string
}

// Error reads like
// `state machine "Orders": state "ChargeCard" (Task): Retry[1].ErrorEquals: States.ALL must be alone and last`.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("state machine")
	if e.Machine != "" {
		fmt.Fprintf(&b, " %q", e.Machine)
	}
	if e.State != "" {
		fmt.Fprintf(&b, ": state %q", e.State)
		if e.StateType != "" {
			fmt.Fprintf(&b, " (%s)", e.StateType)
		}
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// ValidationErrors returns the *ValidationError values inside err, which
// Validate or FromJSON returned, in order.
func ValidationErrors(err error) []*ValidationError {
	var out []*ValidationError
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		var ve *ValidationError
		if errors.As(err, &ve) && ve == err {
			out = append(out, ve)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		if errors.As(err, &ve) {
			out = append(out, ve)
		}
	}
	walk(err)
	return out
}

// problems collects ValidationErrors.
type problems struct {
	machine string
	errs    []error
}

func (p *problems) add(s State, field, format string, args ...any) {
	e := &ValidationError{Machine: p.machine, Field: field, Reason: fmt.Sprintf(format, args...)}
	if s != nil {
		e.State = s.Name()
		e.StateType = s.Type()
	}
	p.errs = append(p.errs, e)
}

func (p *problems) addNamed(state string, t StateType, field, format string, args ...any) {
	p.errs = append(p.errs, &ValidationError{Machine: p.machine, State: state, StateType: t, Field: field, Reason: fmt.Sprintf(format, args...)})
}

func (p *problems) err() error { return errors.Join(p.errs...) }
