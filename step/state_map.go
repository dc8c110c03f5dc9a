package step

// ProcessorMode is how a Map state processes items.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html.
type ProcessorMode string

// The processor modes. Inline is the default.
const (
	Inline      ProcessorMode = "INLINE"
	Distributed ProcessorMode = "DISTRIBUTED"
)

// MapState runs its ItemProcessor once for each item of an array from its
// input, and outputs the array of results.
//
// See https://states-language.net/spec.html#map-state and
// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html.
type MapState struct {
	stateCommon
	flow
	ioPaths
	resultFields
	errorHandling
	assign    any
	processor *Branch
	// legacy is set when a parsed definition used the deprecated Iterator
	// and Parameters fields, so that they are written back the same way.
	legacyIterator, legacyParameters bool

	// ItemsPath selects the array to iterate (JSONPath), as Sparta's
	// MapState field; WithItemsPath sets it too.
	ItemsPath string

	items                          any // JSONata
	itemSelector                   any
	itemReader                     any
	itemBatcher                    any
	resultWriter                   any
	label                          string
	maxConcurrency                 any
	maxConcurrencyPath             string
	toleratedFailurePercentage     any
	toleratedFailurePercentagePath string
	toleratedFailureCount          any
	toleratedFailureCountPath      string
}

// ItemProcessor is what a Map state runs for each item: a *Branch, or a
// *StateMachine as Sparta's NewMapState takes (its states and comment; its
// deployment settings do not apply to an item processor).
type ItemProcessor interface {
	itemProcessor() *Branch
}

func (b *Branch) itemProcessor() *Branch { return b }

func (sm *StateMachine) itemProcessor() *Branch {
	if sm == nil {
		return nil
	}
	return &Branch{comment: sm.comment, body: sm.body}
}

// NewMapState declares a Map state that runs processor for each item. The
// items are the state input unless ItemsPath (JSONPath) or WithItems
// (JSONata) says otherwise.
func NewMapState(name string, processor ItemProcessor) *MapState {
	m := &MapState{stateCommon: stateCommon{name: name}}
	if processor != nil {
		m.processor = processor.itemProcessor()
	}
	return m
}

// ItemProcessor returns the sub-machine run for each item.
func (m *MapState) ItemProcessor() *Branch { return m.processor }

// WithItemsPath selects the array to iterate (ItemsPath, JSONPath).
func (m *MapState) WithItemsPath(path string) *MapState { m.ItemsPath = path; m.touch(); return m }

// WithItems gives the array to iterate (Items, JSONata): a JSON array or an
// expression.
func (m *MapState) WithItems(items any) *MapState { m.items = items; m.touch(); return m }

// WithItemSelector reshapes each item before it is processed: a payload
// template that may read "$$.Map.Item.Value" and "$$.Map.Item.Index".
func (m *MapState) WithItemSelector(selector map[string]any) *MapState {
	m.itemSelector = selector
	m.touch()
	return m
}

// WithMaxConcurrency bounds how many items run at once; 0 means no bound.
func (m *MapState) WithMaxConcurrency(n int) *MapState {
	m.maxConcurrency, m.maxConcurrencyPath = n, ""
	m.touch()
	return m
}

// WithMaxConcurrencyPath reads the bound from the input.
func (m *MapState) WithMaxConcurrencyPath(path string) *MapState {
	m.maxConcurrency, m.maxConcurrencyPath = nil, path
	m.touch()
	return m
}

// WithToleratedFailurePercentage lets the state succeed while at most
// percent of the items fail (0 to 100).
func (m *MapState) WithToleratedFailurePercentage(percent float64) *MapState {
	m.toleratedFailurePercentage, m.toleratedFailurePercentagePath = percent, ""
	m.touch()
	return m
}

// WithToleratedFailurePercentagePath reads the percentage from the input.
func (m *MapState) WithToleratedFailurePercentagePath(path string) *MapState {
	m.toleratedFailurePercentage, m.toleratedFailurePercentagePath = nil, path
	m.touch()
	return m
}

// WithToleratedFailureCount lets the state succeed while at most n items fail.
func (m *MapState) WithToleratedFailureCount(n int) *MapState {
	m.toleratedFailureCount, m.toleratedFailureCountPath = n, ""
	m.touch()
	return m
}

// WithToleratedFailureCountPath reads the count from the input.
func (m *MapState) WithToleratedFailureCountPath(path string) *MapState {
	m.toleratedFailureCount, m.toleratedFailureCountPath = nil, path
	m.touch()
	return m
}

// WithProcessorConfig selects the processing mode and, for Distributed
// maps, the child workflow type.
func (m *MapState) WithProcessorConfig(mode ProcessorMode, executionType MachineType) *MapState {
	if m.processor == nil {
		m.processor = &Branch{}
	}
	m.processor.mode, m.processor.executionType = mode, executionType
	m.touch()
	return m
}

// WithItemReader sets the ItemReader of a Distributed map (an S3 source).
func (m *MapState) WithItemReader(reader map[string]any) *MapState {
	m.itemReader = reader
	m.touch()
	return m
}

// WithItemBatcher sets the ItemBatcher of a Distributed map.
func (m *MapState) WithItemBatcher(batcher map[string]any) *MapState {
	m.itemBatcher = batcher
	m.touch()
	return m
}

// WithResultWriter sets the ResultWriter of a Distributed map.
func (m *MapState) WithResultWriter(writer map[string]any) *MapState {
	m.resultWriter = writer
	m.touch()
	return m
}

// WithLabel sets the Label of a Distributed map's child executions.
func (m *MapState) WithLabel(label string) *MapState { m.label = label; m.touch(); return m }

// Type returns TypeMap.
func (*MapState) Type() StateType { return TypeMap }

// MarshalJSON writes the state's ASL object.
func (m *MapState) MarshalJSON() ([]byte, error) { return marshalState(m) }
