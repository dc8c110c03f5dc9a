package step

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/sparta-go/sparta/step/internal/integrations"
)

// state checks the fields of one state. ql is the state's effective query
// language.
func (v *validator) state(s State, ql QueryLanguage, jsonataOnly bool) {
	c := s.common()
	switch c.queryLanguage {
	case "", JSONata:
	case JSONPath:
		if jsonataOnly {
			v.add(s, "QueryLanguage", "cannot be JSONPath inside a JSONata machine or state")
		}
	default:
		v.add(s, "QueryLanguage", "is %q; want JSONPath or JSONata", c.queryLanguage)
	}
	lang := v.languageChecker(s, ql)
	switch st := s.(type) {
	case *TaskState:
		v.flow(s, &st.flow)
		v.io(s, &st.ioPaths, lang)
		v.result(s, &st.resultFields, lang)
		v.errorHandling(s, &st.errorHandling, lang)
		v.assign(s, "Assign", st.assign, ql)
		lang.jsonataField("Arguments", st.arguments != nil)
		v.task(st, ql, lang)
	case *PassState:
		v.flow(s, &st.flow)
		v.io(s, &st.ioPaths, lang)
		v.result(s, &st.resultFields, lang)
		v.assign(s, "Assign", st.assign, ql)
		lang.jsonPathField("Result", st.result != nil)
	case *WaitState:
		v.flow(s, &st.flow)
		v.io(s, &st.ioPaths, lang)
		v.assign(s, "Assign", st.assign, ql)
		v.wait(st, ql, lang)
	case *SucceedState:
		v.io(s, &st.ioPaths, lang)
	case *FailState:
		v.fail(st, ql, lang)
	case *ChoiceState:
		v.io(s, &st.ioPaths, lang)
		v.assign(s, "Assign", st.assign, ql)
		v.choice(st, ql)
	case *ParallelState:
		v.flow(s, &st.flow)
		v.io(s, &st.ioPaths, lang)
		v.result(s, &st.resultFields, lang)
		v.errorHandling(s, &st.errorHandling, lang)
		v.assign(s, "Assign", st.assign, ql)
		lang.jsonataField("Arguments", st.arguments != nil)
		v.expressions(s, "Arguments", st.arguments)
		if len(st.branches) == 0 {
			v.add(s, "Branches", "a Parallel state needs at least one branch")
		}
		for i, b := range st.branches {
			if b == nil {
				v.add(s, indexField("Branches", i), "is nil")
			}
		}
	case *MapState:
		v.flow(s, &st.flow)
		v.io(s, &st.ioPaths, lang)
		v.result(s, &st.resultFields, lang)
		v.errorHandling(s, &st.errorHandling, lang)
		v.assign(s, "Assign", st.assign, ql)
		v.mapState(st, ql, lang)
	}
}

// languageChecker reports fields that belong to the other query language.
type languageChecker struct {
	v  *validator
	s  State
	ql QueryLanguage
}

func (v *validator) languageChecker(s State, ql QueryLanguage) languageChecker {
	return languageChecker{v: v, s: s, ql: ql}
}

func (l languageChecker) jsonPathField(field string, present bool) {
	if present && l.ql == JSONata {
		l.v.add(l.s, field, "is a JSONPath field, not allowed in a JSONata state; use Arguments, Output and Assign with {%% %%} expressions")
	}
}

func (l languageChecker) jsonataField(field string, present bool) {
	if present && l.ql != JSONata {
		l.v.add(l.s, field, "is a JSONata field; set QueryLanguage to JSONata on the state or the machine, or use the JSONPath fields (Parameters, ResultSelector, ResultPath, OutputPath)")
	}
}

func (v *validator) flow(s State, f *flow) {
	if f.strict && f.next == nil && !f.end {
		v.add(s, "", "has neither Next nor End; a %s state must say which state follows, or End: true", s.Type())
	}
	if f.next != nil && f.end {
		v.add(s, "End", "cannot be combined with Next")
	}
}

func (v *validator) io(s State, io *ioPaths, lang languageChecker) {
	lang.jsonPathField("InputPath", io.inputPath != "")
	lang.jsonPathField("OutputPath", io.outputPath != "")
	lang.jsonataField("Output", io.output != nil)
	v.path(s, "InputPath", io.inputPath, pathAny)
	v.path(s, "OutputPath", io.outputPath, pathAny)
	v.expressions(s, "Output", io.output)
}

func (v *validator) result(s State, r *resultFields, lang languageChecker) {
	lang.jsonPathField("Parameters", r.parameters != nil)
	lang.jsonPathField("ResultSelector", r.resultSelector != nil)
	lang.jsonPathField("ResultPath", r.resultPath != "")
	if lang.ql == JSONPath {
		v.payload(s, "Parameters", r.parameters)
		v.payload(s, "ResultSelector", r.resultSelector)
	}
	v.path(s, "ResultPath", r.resultPath, pathResult)
}

func (v *validator) errorHandling(s State, e *errorHandling, lang languageChecker) {
	for i, r := range e.retry {
		field := indexField("Retry", i)
		v.errorEquals(s, field, r.ErrorEquals, i == len(e.retry)-1)
		if r.IntervalSeconds < 0 || r.IntervalSeconds > maxIntervalSeconds {
			v.add(s, field+".IntervalSeconds", "is %d; want 1 to %d (0 for the default, 1)", r.IntervalSeconds, maxIntervalSeconds)
		}
		if r.MaxAttempts < NoRetry || r.MaxAttempts > maxMaxAttempts {
			v.add(s, field+".MaxAttempts", "is %d; want 1 to %d, 0 for the default (3) or NoRetry", r.MaxAttempts, maxMaxAttempts)
		}
		if r.BackoffRate != 0 && r.BackoffRate < 1 {
			v.add(s, field+".BackoffRate", "is %g; want at least 1.0 (0 for the default, 2.0)", r.BackoffRate)
		}
		if r.MaxDelaySeconds < 0 || r.MaxDelaySeconds > maxMaxDelaySeconds {
			v.add(s, field+".MaxDelaySeconds", "is %d; want 1 to %d", r.MaxDelaySeconds, maxMaxDelaySeconds)
		}
		switch r.JitterStrategy {
		case "", JitterFull, JitterNone:
		default:
			v.add(s, field+".JitterStrategy", "is %q; want FULL or NONE", r.JitterStrategy)
		}
	}
	for i, c := range e.catch {
		field := indexField("Catch", i)
		v.errorEquals(s, field, c.ErrorEquals, i == len(e.catch)-1)
		if c.Next == nil {
			v.add(s, field+".Next", "is required: name the fallback state")
		}
		lang.jsonPathField(field+".ResultPath", c.ResultPath != "")
		lang.jsonataField(field+".Output", c.Output != nil)
		v.path(s, field+".ResultPath", c.ResultPath, pathResult)
		v.expressions(s, field+".Output", c.Output)
		v.assign(s, field+".Assign", assignValue(c.Assign), lang.ql)
	}
}

// errorEquals checks one ErrorEquals list: not empty, and States.ALL alone
// and in the last retrier or catcher.
func (v *validator) errorEquals(s State, field string, names []string, last bool) {
	field += ".ErrorEquals"
	if len(names) == 0 {
		v.add(s, field, "is empty; list the error names to match, or States.ALL")
		return
	}
	for _, n := range names {
		switch {
		case n == "":
			v.add(s, field, "contains an empty error name")
		case n == ErrorAll && (len(names) > 1 || !last):
			v.add(s, field, "States.ALL must be alone and last")
		case strings.HasPrefix(n, "States.") && !knownErrors[n]:
			v.add(s, field, "%q is not a predefined States error; names starting with \"States.\" are reserved", n)
		}
	}
}

var knownErrors = map[string]bool{
	ErrorAll: true, ErrorTimeout: true, ErrorHeartbeatTimeout: true, ErrorTaskFailed: true,
	ErrorPermissions: true, ErrorResultPathMatchFailure: true, ErrorParameterPathFailure: true,
	ErrorBranchFailed: true, ErrorNoChoiceMatched: true, ErrorIntrinsicFailure: true,
	ErrorExceedToleratedFailure: true, ErrorItemReaderFailed: true, ErrorResultWriterFailed: true,
	ErrorQueryEvaluationError: true, ErrorRuntime: true, ErrorDataLimitExceeded: true,
}

// integrationPatterns lists, per optimized integration, the patterns AWS
// supports besides request-response.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html.
var integrationPatterns = map[string]map[string]bool{
	ResourceLambdaInvoke:         {suffixWaitForTaskToken: true},
	ResourceSNSPublish:           {suffixWaitForTaskToken: true},
	ResourceSQSSendMessage:       {suffixWaitForTaskToken: true},
	ResourceDynamoDBGetItem:      {},
	ResourceDynamoDBPutItem:      {},
	ResourceDynamoDBUpdateItem:   {},
	ResourceDynamoDBDeleteItem:   {},
	ResourceStatesStartExecution: {suffixSync: true, suffixSync2: true, suffixWaitForTaskToken: true},
	ResourceECSRunTask:           {suffixSync: true, suffixWaitForTaskToken: true},
	ResourceEventBridgePutEvents: {suffixWaitForTaskToken: true},
}

func (v *validator) task(t *TaskState, ql QueryLanguage, lang languageChecker) {
	res := t.Resource()
	switch {
	case t.lambda == nil && res == "":
		v.add(t, "Resource", "is required")
	case t.lambda != nil && !t.invoke && t.pattern != "":
		v.add(t, "Resource", "a Lambda function ARN supports no %s; call WithInvokeIntegration to use the lambda:invoke integration", t.pattern)
	}
	if t.lambda != nil && t.lambda.Name == "" {
		v.add(t, "Resource", "the Lambda function has no name")
	}
	base := trimPattern(res)
	pattern := strings.TrimPrefix(res, base)
	if allowed, known := integrationPatterns[base]; known && pattern != "" && !allowed[pattern] {
		v.add(t, "Resource", "%s does not support the %s integration pattern", base, pattern)
	}
	if err := integrations.Check(res); err != nil {
		v.add(t, "Resource", "%v", err)
	}
	if ql == JSONata {
		v.expressions(t, "Arguments", t.arguments)
	}
	if t.credentials != nil && ql == JSONPath {
		v.payload(t, "Credentials", t.credentials)
	}
	lang.jsonPathField("TimeoutSecondsPath", t.timeoutSecondsPath != "")
	lang.jsonPathField("HeartbeatSecondsPath", t.heartbeatSecondsPath != "")
	timeout := v.seconds(t, "TimeoutSeconds", t.timeoutSeconds, t.timeoutSecondsPath, 1, ql)
	heartbeat := v.seconds(t, "HeartbeatSeconds", t.heartbeatSeconds, t.heartbeatSecondsPath, 1, ql)
	if timeout > 0 && heartbeat > 0 && heartbeat >= timeout {
		v.add(t, "HeartbeatSeconds", "is %d; it must be less than TimeoutSeconds (%d)", heartbeat, timeout)
	}
}

// seconds checks a number-of-seconds field with its ...Path twin and
// returns the literal value, or 0.
func (v *validator) seconds(s State, field string, value any, path string, min int, ql QueryLanguage) int {
	if value != nil && path != "" {
		v.add(s, field, "cannot be combined with %sPath", field)
	}
	v.path(s, field+"Path", path, pathReference)
	if value == nil {
		return 0
	}
	if str, ok := value.(string); ok {
		if ql != JSONata {
			v.add(s, field, "is the string %q; a JSONPath state needs a number here", str)
		} else {
			v.expression(s, field, str, true)
		}
		return 0
	}
	n, ok := intValue(value)
	if !ok || n < min || n > maxTimeoutSeconds {
		v.add(s, field, "is %s; want a whole number from %d to %d", jsonText(value), min, maxTimeoutSeconds)
		return 0
	}
	return n
}

func (v *validator) wait(w *WaitState, ql QueryLanguage, lang languageChecker) {
	set := 0
	for _, present := range []bool{w.seconds != nil, w.secondsPath != "", w.timestamp != nil, w.timestampPath != ""} {
		if present {
			set++
		}
	}
	if set != 1 {
		v.add(w, "", "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp and TimestampPath; it has %d", set)
	}
	lang.jsonPathField("SecondsPath", w.secondsPath != "")
	lang.jsonPathField("TimestampPath", w.timestampPath != "")
	if w.seconds != nil {
		v.seconds(w, "Seconds", w.seconds, "", 0, ql)
	}
	v.path(w, "SecondsPath", w.secondsPath, pathReference)
	v.path(w, "TimestampPath", w.timestampPath, pathReference)
	switch ts := w.timestamp.(type) {
	case nil, time.Time:
	case string:
		if isExpression(ts) {
			if ql != JSONata {
				v.add(w, "Timestamp", "is a JSONata expression in a JSONPath state")
			}
			v.expression(w, "Timestamp", ts, true)
		} else if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
			v.add(w, "Timestamp", "%q is not an RFC 3339 timestamp such as \"2016-03-14T01:59:00Z\"", ts)
		}
	default:
		v.add(w, "Timestamp", "must be an RFC 3339 timestamp string")
	}
}

func (v *validator) fail(f *FailState, ql QueryLanguage, lang languageChecker) {
	if f.errorName != "" && f.errorPath != "" {
		v.add(f, "ErrorPath", "cannot be combined with Error")
	}
	if f.cause != "" && f.causePath != "" {
		v.add(f, "CausePath", "cannot be combined with Cause")
	}
	lang.jsonPathField("ErrorPath", f.errorPath != "")
	lang.jsonPathField("CausePath", f.causePath != "")
	v.path(f, "ErrorPath", f.errorPath, pathReferenceOrIntrinsic)
	v.path(f, "CausePath", f.causePath, pathReferenceOrIntrinsic)
	if ql == JSONata {
		v.expressions(f, "Error", f.errorName)
		v.expressions(f, "Cause", f.cause)
	}
}

func (v *validator) mapState(m *MapState, ql QueryLanguage, lang languageChecker) {
	if m.processor == nil {
		v.add(m, "ItemProcessor", "a Map state needs an item processor: NewMapState(name, NewBranch(start))")
	} else {
		switch m.processor.mode {
		case "", Inline, Distributed:
		default:
			v.add(m, "ItemProcessor.ProcessorConfig.Mode", "is %q; want INLINE or DISTRIBUTED", m.processor.mode)
		}
		switch m.processor.executionType {
		case "", Standard, Express:
		default:
			v.add(m, "ItemProcessor.ProcessorConfig.ExecutionType", "is %q; want STANDARD or EXPRESS", m.processor.executionType)
		}
		if m.processor.mode != Distributed {
			for _, f := range []struct {
				name    string
				present bool
			}{{"ItemReader", m.itemReader != nil}, {"ItemBatcher", m.itemBatcher != nil}, {"ResultWriter", m.resultWriter != nil}, {"Label", m.label != ""}} {
				if f.present {
					v.add(m, f.name, "is only allowed in a Distributed map; set WithProcessorConfig(Distributed, ...)")
				}
			}
		}
	}
	lang.jsonPathField("ItemsPath", m.ItemsPath != "")
	lang.jsonataField("Items", m.items != nil)
	v.path(m, "ItemsPath", m.ItemsPath, pathReference)
	if ql == JSONPath {
		v.payload(m, "ItemSelector", m.itemSelector)
	} else {
		v.expressions(m, "ItemSelector", m.itemSelector)
		v.expressions(m, "Items", m.items)
	}
	for _, f := range []struct {
		name  string
		value any
		path  string
		max   float64
	}{
		{"MaxConcurrency", m.maxConcurrency, m.maxConcurrencyPath, maxTimeoutSeconds},
		{"ToleratedFailurePercentage", m.toleratedFailurePercentage, m.toleratedFailurePercentagePath, 100},
		{"ToleratedFailureCount", m.toleratedFailureCount, m.toleratedFailureCountPath, maxTimeoutSeconds},
	} {
		lang.jsonPathField(f.name+"Path", f.path != "")
		if f.value != nil && f.path != "" {
			v.add(m, f.name, "cannot be combined with %sPath", f.name)
		}
		v.path(m, f.name+"Path", f.path, pathReference)
		switch x := f.value.(type) {
		case nil:
		case string:
			if ql != JSONata {
				v.add(m, f.name, "is the string %q; a JSONPath state needs a number here", x)
			}
			v.expression(m, f.name, x, true)
		default:
			if n, ok := number(x); !ok || n < 0 || n > f.max {
				v.add(m, f.name, "is %s; want a number from 0 to %g", jsonText(x), f.max)
			}
		}
	}
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}
