package step

// StateType is the ASL "Type" of a state.
//
// See https://states-language.net/spec.html#statetypes.
type StateType string

// The eight ASL state types.
const (
	TypeTask     StateType = "Task"
	TypePass     StateType = "Pass"
	TypeChoice   StateType = "Choice"
	TypeWait     StateType = "Wait"
	TypeSucceed  StateType = "Succeed"
	TypeFail     StateType = "Fail"
	TypeParallel StateType = "Parallel"
	TypeMap      StateType = "Map"
)

// QueryLanguage selects how a state reads and shapes its data: JSONPath
// (the default) or JSONata, which AWS recommends for new machines. It is set
// on the machine and may be overridden per state, except that a state of a
// JSONata machine cannot go back to JSONPath.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html.
type QueryLanguage string

// The two query languages.
const (
	JSONPath QueryLanguage = "JSONPath"
	JSONata  QueryLanguage = "JSONata"
)

// JSONNull, given as InputPath, OutputPath or ResultPath, writes an explicit
// JSON null, which ASL defines as "an empty object for input" (InputPath),
// "an empty object for output" (OutputPath) and "discard the result, keep the
// input" (ResultPath). A JSONPath can never be the word null, so the value is
// unambiguous.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html.
const JSONNull = "null"

// State is one state of a machine: *TaskState, *PassState, *ChoiceState,
// *WaitState, *SucceedState, *FailState, *ParallelState or *MapState.
// Build states with the New...State constructors and connect them with Next.
type State interface {
	// Name is the state's key in the machine's States object.
	Name() string
	// Type is the state's ASL type.
	Type() StateType
	// MarshalJSON writes the state's ASL object, without its name.
	MarshalJSON() ([]byte, error)

	common() *stateCommon
}

// stateCommon holds what every state has: a name, a comment and the query
// language override.
type stateCommon struct {
	name          string
	comment       string
	queryLanguage QueryLanguage
	revision
}

func (c *stateCommon) Name() string         { return c.name }
func (c *stateCommon) common() *stateCommon { return c }

// flow is how a non-terminal state ends: a transition to Next or End.
type flow struct {
	next State
	end  bool
	// strict is set on states read by FromJSON, where End must be written
	// out; states built in Go end when they have no Next.
	strict bool
}

// ioPaths are the JSONPath input and output filters and the JSONata Output
// field, shared by every state except Fail.
type ioPaths struct {
	inputPath  string
	outputPath string
	output     any
}

// resultFields are the JSONPath fields that shape a state's result.
type resultFields struct {
	parameters     any // Parameters (JSONPath) or Arguments (JSONata)
	resultSelector any
	resultPath     string
}

// errorHandling is the Retry and Catch lists of Task, Parallel and Map.
type errorHandling struct {
	retry []Retrier
	catch []Catcher
}

// missingState stands for a transition target that FromJSON could not find
// in the state's scope. Validate reports it; MarshalJSON writes its name back.
type missingState struct{ stateCommon }

func (*missingState) Type() StateType              { return "" }
func (*missingState) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// Transition is one edge of a machine's graph: the field it is written in
// ("Next", "Default", "Choices[0].Next", "Catch[1].Next") and the state it leads to.
type Transition struct {
	Field string
	To    State
}

// Transitions lists the edges leaving s in the order ASL writes them, for
// tools that draw or analyse a machine. Branches and item processors are
// sub-machines, not edges: see [ParallelState.Branches] and
// [MapState.ItemProcessor].
func Transitions(s State) []Transition {
	var out []Transition
	add := func(field string, to State) {
		if to != nil {
			out = append(out, Transition{Field: field, To: to})
		}
	}
	switch st := s.(type) {
	case *ChoiceState:
		for i, r := range st.choices {
			add(indexField("Choices", i)+".Next", r.Next)
		}
		add("Default", st.defaultState)
	case *TaskState:
		add("Next", st.next)
		addCatch(add, st.catch)
	case *ParallelState:
		add("Next", st.next)
		addCatch(add, st.catch)
	case *MapState:
		add("Next", st.next)
		addCatch(add, st.catch)
	case *PassState:
		add("Next", st.next)
	case *WaitState:
		add("Next", st.next)
	}
	return out
}

func addCatch(add func(string, State), catch []Catcher) {
	for i, c := range catch {
		add(indexField("Catch", i)+".Next", c.Next)
	}
}
