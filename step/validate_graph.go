package step

import (
	"unicode"
	"unicode/utf8"
)

// Limits from the Step Functions quotas and the ASL specification.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html.
const (
	maxNameLength       = 80
	maxDefinitionBytes  = 1 << 20 // 1 MB
	maxIntervalSeconds  = 99999999
	maxMaxAttempts      = 99999999
	maxMaxDelaySeconds  = 31622400
	maxTimeoutSeconds   = 99999999
	machineNameAlphabet = "letters, digits, '-' or '_'"
)

// Validate checks the whole machine before anything is built or deployed
// and returns every problem at once, joined with errors.Join; each is a
// *ValidationError that names the state and field at fault:
//
//   - every Next, Default and Catch target exists in the same machine,
//     branch or item processor; none leaves a Parallel branch or a Map;
//   - every state is reachable from StartAt, and ends exactly one way
//     (Next, End, or being a Choice, Succeed or Fail state);
//   - state names are unique across the machine, branches included, at most
//     80 characters, without control characters;
//   - Choice states have rules, each well formed; Retry and Catch lists put
//     States.ALL alone and last, with values in AWS's ranges;
//   - paths are valid JSONPath (reference paths where ASL requires one),
//     payload templates and intrinsic functions parse with the right number
//     of arguments, and no state mixes JSONPath and JSONata fields;
//   - the definition is at most 1 MB;
//   - a Choice right after a Lambda task whose Go handler returns a struct
//     only reads JSON fields that struct has.
//
// Validate needs no template or AWS access; provision runs it first.
func (sm *StateMachine) Validate() error {
	v := &validator{
		problems: problems{machine: sm.name},
		names:    map[string]State{},
		owner:    map[State]*scope{},
		byName:   map[string]State{},
	}
	v.machineFields(sm)
	v.triggers(sm)
	ql := sm.queryLanguage
	if ql == "" {
		ql = JSONPath
	}
	v.claim(&sm.body)
	v.scope(&sm.body, nil, ql, ql == JSONata)
	if len(v.errs) == 0 {
		// The size is only meaningful for a definition that is otherwise
		// valid; a broken one may not even marshal.
		if b, err := sm.MarshalJSON(); err != nil {
			v.addNamed("", "", "", "cannot be written as ASL: %v", err)
		} else if len(b) > maxDefinitionBytes {
			v.addNamed("", "", "", "the definition is %d bytes; Step Functions accepts at most %d (1 MB): move large Result or Parameters values to S3, or split the machine", len(b), maxDefinitionBytes)
		}
	}
	return v.err()
}

type validator struct {
	problems
	// names maps each state name to the first state that used it.
	names map[string]State
	// owner maps each state to the scope that claimed it first: the
	// machine's states are claimed before those of any branch.
	owner map[State]*scope
	// byName indexes every state of every scope by name, to explain a
	// transition to a state of another scope.
	byName map[string]State
}

func (v *validator) machineFields(sm *StateMachine) {
	if sm.name != "" {
		if n := utf8.RuneCountInString(sm.name); n > maxNameLength {
			v.addNamed("", "", "name", "is %d characters; at most %d are allowed", n, maxNameLength)
		}
		for _, r := range sm.name {
			if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '-' || r == '_') {
				v.addNamed("", "", "name", "contains %q; use %s", r, machineNameAlphabet)
				break
			}
		}
	}
	switch sm.queryLanguage {
	case "", JSONPath, JSONata:
	default:
		v.addNamed("", "", "QueryLanguage", "is %q; want JSONPath or JSONata", sm.queryLanguage)
	}
	if sm.timeoutSeconds < 0 || sm.timeoutSeconds > maxTimeoutSeconds {
		v.addNamed("", "", "TimeoutSeconds", "is %d; want 1 to %d", sm.timeoutSeconds, maxTimeoutSeconds)
	}
	switch sm.machineType {
	case "", Standard, Express:
	default:
		v.addNamed("", "", "Type", "is %q; want STANDARD or EXPRESS", sm.machineType)
	}
	switch sm.logging.Level {
	case "", LogOff, LogAll, LogError, LogFatal:
	default:
		v.addNamed("", "", "Logging.Level", "is %q; want ALL, ERROR, FATAL or OFF", sm.logging.Level)
	}
}

// claim records sc as the owner of its states, then does the same for the
// scopes nested in them, outermost first.
func (v *validator) claim(sc *scope) {
	states, _ := sc.walk()
	for _, s := range states {
		if _, taken := v.owner[s]; !taken {
			v.owner[s] = sc
		}
		if _, ok := v.byName[s.Name()]; !ok {
			v.byName[s.Name()] = s
		}
	}
	for _, s := range states {
		if v.owner[s] != sc {
			continue
		}
		for _, b := range subScopes(s) {
			v.claim(&b.body)
		}
	}
}

// scope checks one machine, branch or item processor. parent is the
// Parallel or Map state that contains it; jsonataOnly is set inside a
// JSONata machine, where states cannot switch back to JSONPath.
func (v *validator) scope(sc *scope, parent State, ql QueryLanguage, jsonataOnly bool) {
	where := "StartAt"
	if parent != nil {
		where = "StartAt of " + scopeName(parent)
	}
	switch start := sc.startAt.(type) {
	case nil:
		if parent == nil {
			v.addNamed("", "", "StartAt", "the machine has no start state")
		} else {
			v.add(parent, where, "has no start state")
		}
		return
	case *missingState:
		v.addInScope(parent, where, "no state named %q", start.name)
	}
	states, reachable := sc.walk()
	v.terminal(sc, parent, states)
	for i, s := range states {
		if v.owner[s] != sc {
			// Reached through a transition out of another scope, reported
			// where the transition is.
			continue
		}
		if i >= reachable {
			v.add(s, "", "is not reachable from %s %q", where, nameOf(sc.startAt))
		}
		v.name(s)
		sql := effectiveLanguage(s, ql)
		v.state(s, sql, jsonataOnly)
		v.transitions(s, sc)
		if t, ok := s.(*TaskState); ok {
			v.handlerOutput(t)
		}
		for _, b := range subScopes(s) {
			v.scope(&b.body, s, sql, jsonataOnly || sql == JSONata)
		}
	}
}

func (v *validator) addInScope(parent State, field, format string, args ...any) {
	if parent == nil {
		v.addNamed("", "", field, format, args...)
		return
	}
	v.add(parent, field, format, args...)
}

func scopeName(s State) string {
	if s.Type() == TypeMap {
		return "the item processor"
	}
	return "a branch"
}

// walk returns the scope's states, reachable ones first, and how many of
// them are reachable from StartAt.
func (sc scope) walk() ([]State, int) {
	all := sc.states()
	if len(sc.declared) == 0 {
		return all, len(all)
	}
	// states() lists the reachable ones first; count them.
	seen := make(map[State]bool, len(all))
	var visit func(State)
	n := 0
	stack := []State{sc.startAt}
	member := make(map[State]bool, len(sc.declared))
	for _, d := range sc.declared {
		member[d] = true
	}
	visit = func(s State) {
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			s := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if s == nil || seen[s] || !member[s] {
				continue
			}
			seen[s] = true
			n++
			for _, t := range Transitions(s) {
				stack = append(stack, t.To)
			}
		}
	}
	visit(sc.startAt)
	return all, n
}

func (v *validator) name(s State) {
	name := s.Name()
	switch n := utf8.RuneCountInString(name); {
	case name == "":
		v.add(s, "", "has an empty name")
	case n > maxNameLength:
		v.add(s, "", "name is %d characters; at most %d are allowed", n, maxNameLength)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			v.add(s, "", "name contains the control character %U", r)
			break
		}
	}
	if first, dup := v.names[name]; dup && first != s {
		v.add(s, "", "the name is used by another %s state; state names must be unique across the whole machine, branches included", first.Type())
	} else if !dup {
		v.names[name] = s
	}
}

// transitions checks that every edge of s lands in its own scope.
func (v *validator) transitions(s State, sc *scope) {
	const outside = "state %q belongs to another scope; transitions cannot leave or enter a Parallel branch or a Map item processor"
	for _, t := range Transitions(s) {
		if m, missing := t.To.(*missingState); missing {
			if other, ok := v.byName[m.name]; ok && v.owner[other] != sc {
				v.add(s, t.Field, outside, m.name)
			} else {
				v.add(s, t.Field, "no state named %q", m.name)
			}
			continue
		}
		if owner, ok := v.owner[t.To]; ok && owner != sc {
			v.add(s, t.Field, outside, t.To.Name())
		}
	}
}

// terminal reports a scope none of whose states ends it (a Succeed or Fail
// state, or one with End), which CreateStateMachine rejects as
// MISSING_END_STATE (recorded AWS behaviour).
func (v *validator) terminal(sc *scope, parent State, states []State) {
	for _, s := range states {
		if v.owner[s] != sc {
			continue
		}
		switch st := s.(type) {
		case *SucceedState, *FailState:
			return
		case *TaskState:
			if st.next == nil {
				return
			}
		case *PassState:
			if st.next == nil {
				return
			}
		case *WaitState:
			if st.next == nil {
				return
			}
		case *ParallelState:
			if st.next == nil {
				return
			}
		case *MapState:
			if st.next == nil {
				return
			}
		}
	}
	where := "the machine"
	if parent != nil {
		where = scopeName(parent)
	}
	v.addInScope(parent, "States", "MISSING_END_STATE: %s has no terminal state (a Succeed or Fail state, or one with End)", where)
}
