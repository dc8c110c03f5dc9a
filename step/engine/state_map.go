package engine

import (
	"context"
	"strconv"
	"sync/atomic"
)

// Map states: an item processor runs once per item, at most MaxConcurrency
// at a time, and the results keep the items' order.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html and
// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html.

// maxWorkers bounds the goroutines of a Map whose MaxConcurrency is 0
// (unbounded).
const maxWorkers = 1000

type mapSpec struct {
	processor    *machine
	itemsPath    pathRef // JSONPath; nil: the effective input
	items        tmpl    // JSONata Items
	itemSelector tmpl
	maxConc      intField
	tolCount     intField
	tolPct       floatField
	// distributed runs the processor as child executions of a Map Run
	// (ProcessorConfig.Mode DISTRIBUTED); label is the Map's Label.
	distributed bool
	label       string
}

// floatField is ToleratedFailurePercentage: literal, path or expression.
type floatField struct {
	set    bool
	static float64
	path   pathRef
	expr   *jexpr
}

func (c *compiler) compileMap(o *object, s *state, depth int) []string {
	ms := &mapSpec{}
	s.mapSpec = ms
	allowed := []string{"ItemProcessor", "Iterator", "ItemSelector", "MaxConcurrency", "Retry", "Catch",
		"ToleratedFailurePercentage", "ToleratedFailureCount", "Label"}
	for _, unsupported := range []string{"ItemReader", "ResultWriter", "ItemBatcher"} {
		if o.has(unsupported) {
			o.errorf(unsupported, "is not supported by the local execution engine (Distributed Map reading from or writing to S3); pass the items in the state input instead")
			allowed = append(allowed, unsupported)
		}
	}
	if s.jsonata {
		allowed = append(allowed, "Items")
		if v, ok := o.m["Items"]; ok {
			ms.items = c.jsonataValue(o, "Items", v)
			if cst, ok := ms.items.(tmplConst); ok {
				if _, isArr := cst.v.([]any); !isArr {
					o.errorf("Items", "must be an array or a JSONata expression, not %s", typeName(cst.v))
				}
			}
		}
	} else {
		allowed = append(allowed, c.jsonPathResultFields(o, s, true)...)
		allowed = append(allowed, "ItemsPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath")
		if v, ok := o.m["ItemsPath"]; ok {
			str, isStr := v.(string)
			if p, err := parsePath(str); !isStr || err != nil {
				o.errorf("ItemsPath", "must be a path: %v", err)
			} else {
				ms.itemsPath = p
			}
		}
		// Parameters is the older name of ItemSelector; on a Map it shapes
		// each item, not the state's input.
		if s.parameters != nil {
			if o.has("ItemSelector") {
				o.errorf("Parameters", "cannot be used together with ItemSelector")
			}
			ms.itemSelector, s.parameters = s.parameters, nil
		}
	}
	if v, ok := o.m["ItemSelector"]; ok {
		if s.jsonata {
			ms.itemSelector = c.jsonataValue(o, "ItemSelector", v)
		} else {
			ms.itemSelector = c.payload(o, "ItemSelector", v)
		}
	}
	ms.label, _ = o.str("Label", false)
	ms.maxConc = c.intOrPath(o, s, "MaxConcurrency", 0)
	ms.tolCount = c.intOrPath(o, s, "ToleratedFailureCount", 0)
	ms.maxConc.mapLimit, ms.tolCount.mapLimit = true, true
	ms.tolPct = c.percentage(o, s)
	proc, hasProc := o.sub("ItemProcessor", false)
	iter, hasIter := o.sub("Iterator", false)
	switch {
	case hasProc && hasIter:
		o.errorf("Iterator", "cannot be used together with ItemProcessor")
	case hasIter:
		proc, hasProc = iter, true
	case !hasProc:
		o.errorf("ItemProcessor", "is required")
	}
	if hasProc {
		isolated := false
		if cfg, ok := proc.sub("ProcessorConfig", false); ok {
			if mode, ok := cfg.str("Mode", false); ok {
				switch mode {
				case "INLINE":
				case "DISTRIBUTED":
					// A distributed processor runs as child executions that
					// cannot read the parent's variables.
					isolated, ms.distributed = true, true
				default:
					cfg.errorf("Mode", "must be INLINE or DISTRIBUTED, not %q", mode)
				}
			}
			cfg.str("ExecutionType", false)
			cfg.known("Mode", "ExecutionType")
		}
		proc.known("StartAt", "States", "ProcessorConfig", "Comment", "QueryLanguage")
		ms.processor = c.branch(proc, s, depth+1, isolated)
	}
	c.compileRetry(o, s)
	c.compileCatch(o, s)
	return allowed
}

func (c *compiler) percentage(o *object, s *state) floatField {
	var f floatField
	const field = "ToleratedFailurePercentage"
	if v, ok := o.m[field]; ok {
		if str, isStr := v.(string); isStr && s.jsonata && isExpr(str) {
			f.expr = c.expr(o, field, str)
			f.set = f.expr != nil
		} else if n, ok := o.number(field); ok {
			if n < 0 || n > 100 {
				o.errorf(field, "must be between 0 and 100")
			}
			f.set, f.static = true, n
		}
	}
	if v, ok := o.m[field+"Path"]; ok && !s.jsonata {
		str, isStr := v.(string)
		if p, err := parsePath(str); !isStr || err != nil {
			o.errorf(field+"Path", "must be a path: %v", err)
		} else if f.set {
			o.errorf(field+"Path", "cannot be used together with %s", field)
		} else {
			f.set, f.path = true, p
		}
	}
	return f
}

func (f *frame) evalPercentage(ff floatField, doc any) (float64, *failure) {
	var v any = ff.static
	switch {
	case ff.path != nil:
		var fl *failure
		if v, fl = f.getPath(ff.path, doc, "ToleratedFailurePercentagePath"); fl != nil {
			return 0, fl
		}
	case ff.expr != nil:
		var fl *failure
		if v, fl = (&env{f: f}).jsonata(ff.expr); fl != nil {
			return 0, fl
		}
	}
	p, ok := toFloat(v)
	if s, isStr := v.(string); isStr && ff.path != nil {
		// A numeric string is read as its number (recorded AWS behaviour).
		n, err := strconv.ParseFloat(s, 64)
		p, ok = n, err == nil
	}
	if !ok && ff.path != nil {
		return 0, runtimeFailure(`The ToleratedFailurePercentagePath field refers to value "%s" which is not a valid float: %s`, limitText(v), ff.path)
	}
	if !ok || p < 0 || p > 100 {
		return 0, runtimeFailure("ToleratedFailurePercentage must be between 0 and 100.")
	}
	return p, nil
}

func (r *runner) mapAttempt(f *frame) (any, *failure) {
	st := f.st
	ms := st.mapSpec
	eff := f.input
	var rawItems any
	var fl *failure
	if st.jsonata {
		rawItems = f.input
		if ms.items != nil {
			if rawItems, fl = ms.items.eval(&env{f: f}); fl != nil {
				return nil, fl
			}
		}
	} else {
		if eff, fl = f.effectiveInput(); fl != nil {
			return nil, fl
		}
		rawItems = eff
		if ms.itemsPath != nil {
			if rawItems, fl = f.getPath(ms.itemsPath, eff, "ItemsPath"); fl != nil {
				return nil, fl
			}
		}
	}
	items, ok := rawItems.([]any)
	if !ok {
		if st.jsonata {
			return nil, fail(ErrQueryEvaluationError, "The Items of the Map state '%s' evaluated to %s, but must be an array", st.name, typeName(rawItems))
		}
		return nil, runtimeFailure("The ItemsPath of the Map state must select an array, but it selected %s", typeName(rawItems))
	}
	maxConc, _, fl := f.evalInt(ms.maxConc, eff)
	if fl != nil {
		return nil, fl
	}
	if maxConc < 0 {
		return nil, runtimeFailure("The Map state '%s' has MaxConcurrency %d; it must not be negative", st.name, maxConc)
	}
	if st.jsonata && ms.itemSelector != nil {
		(&env{f: f}).statesVar() // convert the input once for every item
	}
	// AWS evaluates the tolerated failure fields after MapStateStarted
	// (recorded AWS behaviour), MaxConcurrency before.
	started := r.emit(event{typ: "MapStateStarted", state: st.name, index: len(items)})
	tolerant := ms.tolCount.set || ms.tolPct.set
	tolCount, _, fl := f.evalInt(ms.tolCount, eff)
	if fl != nil {
		return nil, fl
	}
	tolPct := 0.0
	if ms.tolPct.set {
		if tolPct, fl = f.evalPercentage(ms.tolPct, eff); fl != nil {
			return nil, fl
		}
	}
	n := len(items)
	if ms.distributed {
		return r.mapRun(f, mapRunSpec{items: items, eff: eff, maxConc: maxConc, tolCount: tolCount, tolPct: tolPct, started: started})
	}
	fn := newFan(r.fan, started)
	results := make([]any, n)
	var failed atomic.Int64
	workers := int(maxConc)
	if workers == 0 || workers > maxWorkers {
		workers = maxWorkers
	}
	first := r.fanOut(n, workers, func(ctx context.Context, i int) *failure {
		input := items[i]
		if ms.itemSelector != nil {
			fi := &frame{r: r, st: st, input: f.input, entered: f.entered, retry: f.retry, item: &mapItem{index: i, value: items[i]}, jsIn: f.jsIn}
			var fl *failure
			input, fl = ms.itemSelector.eval(&env{f: fi, doc: eff})
			if fl != nil {
				return fl
			}
		}
		sub := r.child(ctx, ms.processor, 0, fn)
		sub.last = r.exec.record(event{typ: "MapIterationStarted", state: st.name, index: i}, fn.next())
		out, fl := sub.runSafe(input)
		if fl != nil {
			if fl.fatal && fl.name == "" {
				r.exec.record(event{typ: "MapIterationAborted", state: st.name, index: i}, fn.abortPrev(sub.last))
				return fl
			}
			// mapIterationFailedEventDetails holds the index and name only.
			if !tolerant || fl.fatal {
				fn.fail(sub.last)
				r.exec.record(event{typ: "MapIterationFailed", state: st.name, index: i}, sub.last)
				return fl
			}
			fn.finished(sub.last, r.exec.record(event{typ: "MapIterationFailed", state: st.name, index: i}, sub.last))
			results[i] = fl.errorOutput()
			k := failed.Add(1)
			if (ms.tolCount.set && k > tolCount) || (ms.tolPct.set && float64(k)*100 > tolPct*float64(n)) ||
				(!ms.tolCount.set && !ms.tolPct.set) {
				fn.fail(sub.last)
				return fail(ErrExceedToleratedFailureThreshold, "The Map state '%s' failed because %d of its %d iterations failed, which exceeds its tolerated failure threshold", st.name, k, n)
			}
			return nil
		}
		results[i] = out
		fn.finished(sub.last, r.exec.record(event{typ: "MapIterationSucceeded", state: st.name, index: i}, sub.last))
		return nil
	})
	if first != nil {
		f.failedPrev = fn.failedAt()
		return nil, first
	}
	r.last = fn.lastEnd
	r.exec.record(event{typ: "MapStateSucceeded", state: st.name}, fn.lastEnd)
	return f.finish(results, true)
}
