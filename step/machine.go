package step

import (
	"sort"
	"strconv"
	"sync/atomic"

	"github.com/sparta-go/sparta/service"
)

// MachineType is the workflow type of a state machine.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html.
type MachineType string

// The two workflow types.
const (
	Standard MachineType = "STANDARD"
	Express  MachineType = "EXPRESS"
)

// LogLevel is how much execution history a machine sends to CloudWatch Logs.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html.
type LogLevel string

// The log levels. LogOff is the AWS default.
const (
	LogOff   LogLevel = "OFF"
	LogAll   LogLevel = "ALL"
	LogError LogLevel = "ERROR"
	LogFatal LogLevel = "FATAL"
)

// Logging configures execution logging. The zero value logs nothing.
type Logging struct {
	// Level is how much to log; "" or LogOff turn logging off.
	Level LogLevel
	// IncludeExecutionData adds state input and output to the log events.
	IncludeExecutionData bool
	// LogGroupARN is the destination log group. Empty makes the decorator
	// create a log group for the machine.
	LogGroupARN string
}

// StateMachine is an ASL state machine: a start state, the states reachable
// from it, and the deployment settings the decorator uses.
//
// See https://states-language.net/spec.html#toplevelfields.
type StateMachine struct {
	name           string
	comment        string
	version        string
	timeoutSeconds int
	queryLanguage  QueryLanguage
	body           scope

	machineType   MachineType
	logging       Logging
	tracing       bool
	substitutions map[string]string
	privileges    []service.IAMRolePrivilege
	roleARN       string
	// triggers are the EventBridge rules that start the machine (trigger.go).
	triggers []Trigger

	// compiled caches Execute's engine program (a *compiledProgram) with
	// the revision it was compiled at; it is derived data, not run-time
	// state.
	//lint:ignore U1000 Execute, which uses it, is not in the lambdabinary build.
	compiled atomic.Value
	// source is the definition FromJSON read, compiled as written while
	// no builder method has changed the machine since (sourceRev).
	source    string
	sourceRev uint64
	// sourceValue is source decoded, which the engine compiles (FromJSON
	// decodes a definition once); nothing changes it.
	sourceValue any
	revision
}

// scope is a list of states with a start: the machine itself, a Parallel
// branch or a Map item processor.
type scope struct {
	startAt State
	// declared holds the states of a definition read by FromJSON, in the
	// order it lists them, unreachable ones included. States built in Go
	// are found by walking transitions from startAt.
	declared []State
}

// NewStateMachine declares a machine named name that starts at start. The
// name is the base of the machine's CloudFormation logical IDs; it must be 1
// to 80 letters, digits, '-' or '_'.
func NewStateMachine(name string, start State) *StateMachine {
	return &StateMachine{name: name, body: scope{startAt: start}}
}

// Name returns the machine's name.
func (sm *StateMachine) Name() string { return sm.name }

// StartAt returns the first state.
func (sm *StateMachine) StartAt() State { return sm.body.startAt }

// WithName renames the machine, for example one read by FromJSON.
func (sm *StateMachine) WithName(name string) *StateMachine { sm.name = name; return sm }

// WithComment sets the machine's Comment.
func (sm *StateMachine) WithComment(comment string) *StateMachine {
	sm.comment = comment
	sm.touch()
	return sm
}

// WithQueryLanguage sets the machine-wide query language. States inherit it.
func (sm *StateMachine) WithQueryLanguage(ql QueryLanguage) *StateMachine {
	sm.queryLanguage = ql
	sm.touch()
	return sm
}

// WithTimeoutSeconds sets the machine's TimeoutSeconds: the longest an
// execution may run before it fails with States.Timeout.
func (sm *StateMachine) WithTimeoutSeconds(seconds int) *StateMachine {
	sm.timeoutSeconds = seconds
	sm.touch()
	return sm
}

// WithVersion sets the ASL Version field ("1.0").
func (sm *StateMachine) WithVersion(version string) *StateMachine {
	sm.version = version
	sm.touch()
	return sm
}

// WithType selects STANDARD (the default) or EXPRESS workflows.
func (sm *StateMachine) WithType(t MachineType) *StateMachine { sm.machineType = t; return sm }

// WithLogging turns on execution logging to CloudWatch Logs. The role gets
// the log delivery actions only when logging is on.
func (sm *StateMachine) WithLogging(l Logging) *StateMachine { sm.logging = l; return sm }

// WithTracing turns on AWS X-Ray tracing. The role gets the X-Ray actions
// only when tracing is on.
func (sm *StateMachine) WithTracing(enabled bool) *StateMachine { sm.tracing = enabled; return sm }

// WithSubstitution binds a DefinitionSubstitutions placeholder ${key} that a
// definition read by FromJSON uses to value, a literal or a cfn intrinsic
// (cfn.GetAtt, cfn.Ref, cfn.Sub).
func (sm *StateMachine) WithSubstitution(key, value string) *StateMachine {
	if sm.substitutions == nil {
		sm.substitutions = map[string]string{}
	}
	sm.substitutions[key] = value
	return sm
}

// WithRolePrivileges adds statements to the machine's generated role, for
// resources the states name only at run time (a TopicArn.$ parameter).
func (sm *StateMachine) WithRolePrivileges(privileges ...service.IAMRolePrivilege) *StateMachine {
	sm.privileges = append(sm.privileges, privileges...)
	return sm
}

// WithRoleArn makes the machine run as an existing role (an ARN, or a
// template reference such as cloudformation.GetAtt(roleID, "Arn")) instead
// of the least-privilege role the decorator generates, as Sparta's
// WithRoleArn does. That role must then allow everything the states do.
func (sm *StateMachine) WithRoleArn(roleARN string) *StateMachine { sm.roleARN = roleARN; return sm }

// RoleArn returns the role set with WithRoleArn, or "".
func (sm *StateMachine) RoleArn() string { return sm.roleARN }

// Type returns the workflow type, STANDARD unless WithType says otherwise.
func (sm *StateMachine) Type() MachineType {
	if sm.machineType == "" {
		return Standard
	}
	return sm.machineType
}

// States lists the machine's top-level states: those reachable from StartAt
// in depth-first order (Next, then Choices, Default and Catch in order), then
// any unreachable ones a parsed definition declares.
func (sm *StateMachine) States() []State { return sm.body.states() }

// Walk calls fn for every state of the machine, top level first, then the
// states of each Parallel branch and Map item processor, depth first.
// parent is the Parallel or Map state that contains s, nil at the top level.
// Walk stops when fn returns false.
func (sm *StateMachine) Walk(fn func(s State, parent State) bool) {
	walkScope(sm.body, nil, fn)
}

func walkScope(sc scope, parent State, fn func(s, parent State) bool) bool {
	states := sc.states()
	for _, s := range states {
		if !fn(s, parent) {
			return false
		}
	}
	for _, s := range states {
		for _, sub := range subScopes(s) {
			if !walkScope(sub.body, s, fn) {
				return false
			}
		}
	}
	return true
}

// subScopes returns the branches of a Parallel state or the item processor
// of a Map state.
func subScopes(s State) []*Branch {
	switch st := s.(type) {
	case *ParallelState:
		return st.branches
	case *MapState:
		if st.processor != nil {
			return []*Branch{st.processor}
		}
	}
	return nil
}

// LambdaFunctions maps each DefinitionSubstitutions placeholder of a Lambda
// task ("${...}", as written in the ASL) to its function, across the whole
// machine. The engine glue uses it to bind Go handlers to task resources.
func (sm *StateMachine) LambdaFunctions() map[string]*service.LambdaAWSInfo {
	out := map[string]*service.LambdaAWSInfo{}
	sm.Walk(func(s, _ State) bool {
		if t, ok := s.(*TaskState); ok && t.lambda != nil {
			out[FunctionPlaceholder(t.lambda.Name)] = t.lambda
		}
		return true
	})
	return out
}

// states returns the scope's states: reachable ones in depth-first order,
// then declared but unreachable ones. Targets in another scope are not
// followed; Validate reports them.
func (sc scope) states() []State {
	seen := make(map[State]bool, len(sc.declared))
	var member map[State]bool
	if len(sc.declared) > 0 {
		member = make(map[State]bool, len(sc.declared))
		for _, d := range sc.declared {
			member[d] = true
		}
	}
	var out []State
	var visit func(s State)
	visit = func(s State) {
		if s == nil || seen[s] {
			return
		}
		if _, missing := s.(*missingState); missing {
			return
		}
		if member != nil && !member[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
		for _, t := range Transitions(s) {
			visit(t.To)
		}
	}
	// An explicit stack would avoid deep recursion, but Go stacks grow, and
	// depth-first order is what users read in the definition.
	visit(sc.startAt)
	for _, s := range sc.declared {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Branch is a sub-machine: one branch of a Parallel state, or the
// ItemProcessor of a Map state.
//
// See https://states-language.net/spec.html#parallel-state.
type Branch struct {
	comment string
	body    scope
	// processor configuration, Map only
	mode          ProcessorMode
	executionType MachineType
	revision
}

// NewBranch declares a branch that starts at start.
func NewBranch(start State) *Branch { return &Branch{body: scope{startAt: start}} }

// WithComment sets the branch's Comment.
func (b *Branch) WithComment(comment string) *Branch { b.comment = comment; b.touch(); return b }

// StartAt returns the branch's first state.
func (b *Branch) StartAt() State { return b.body.startAt }

// States lists the branch's states as StateMachine.States does.
func (b *Branch) States() []State { return b.body.states() }

func indexField(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
