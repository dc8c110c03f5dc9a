package engine

import (
	"context"
	"fmt"
	"sync"
)

// Parallel states: every branch runs on its own goroutine with the same
// input; the result is the array of branch outputs in branch order. The
// first branch to fail fails the state with that branch's error and cancels
// the others.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html.

func (c *compiler) compileParallel(o *object, s *state, depth int) []string {
	allowed := []string{"Branches", "Retry", "Catch"}
	if s.jsonata {
		s.arguments = c.jsonataField(o, "Arguments")
		allowed = append(allowed, "Arguments")
	} else {
		allowed = append(allowed, c.jsonPathResultFields(o, s, true)...)
	}
	list, ok := o.list("Branches", true)
	if ok && len(list) == 0 {
		o.errorf("Branches", "must hold at least one branch")
	}
	for i, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			o.errorf(fmt.Sprintf("Branches[%d]", i), "must be an object with StartAt and States")
			continue
		}
		bo := c.object(s.name, fmt.Sprintf("Branches[%d].", i), m)
		bo.known("StartAt", "States", "Comment", "QueryLanguage")
		s.branches = append(s.branches, c.branch(bo, s, depth+1, false))
	}
	c.compileRetry(o, s)
	c.compileCatch(o, s)
	return allowed
}

// branch compiles a nested machine, which inherits the state's query
// language unless it sets its own.
func (c *compiler) branch(o *object, s *state, depth int, isolated bool) *machine {
	saved := c.topJSONata
	c.topJSONata = s.jsonata
	if ql, ok := o.str("QueryLanguage", false); ok {
		switch {
		case ql == "JSONata":
			c.topJSONata = true
		case ql == "JSONPath" && !s.jsonata && !saved:
			c.topJSONata = false
		default:
			o.errorf("QueryLanguage", "%q is not allowed here", ql)
		}
	}
	m := c.machine(o, s.name, depth, isolated)
	c.topJSONata = saved
	return m
}

func (r *runner) parallelAttempt(f *frame) (any, *failure) {
	st := f.st
	args, fl := f.effectiveArgs()
	if fl != nil {
		return nil, fl
	}
	started := r.emit(event{typ: "ParallelStateStarted", state: st.name})
	fn := newFan(r.fan, started)
	results := make([]any, len(st.branches))
	first := r.fanOut(len(st.branches), len(st.branches), func(ctx context.Context, i int) *failure {
		sub := r.child(ctx, st.branches[i], started, fn)
		out, fl := sub.runSafe(args)
		if fl != nil {
			if !(fl.fatal && fl.name == "") {
				fn.fail(sub.last)
			}
			return fl
		}
		results[i] = out
		fn.finished(sub.last, 0)
		return nil
	})
	if first != nil {
		if first.name == "" && !first.fatal {
			first = fail(ErrBranchFailed, "A branch of the Parallel state '%s' failed without an error name: %s", st.name, first.cause)
		}
		f.failedPrev = fn.failedAt()
		return nil, first
	}
	// ParallelStateSucceeded and ParallelStateExited both link to the last
	// event of the branch that finished last (see history_links.go).
	r.last = fn.lastEnd
	r.exec.record(event{typ: "ParallelStateSucceeded", state: st.name}, fn.lastEnd)
	return f.finish(results, true)
}

// fanOut runs n jobs on at most workers goroutines and returns the first
// failure a job reports, after cancelling the jobs still running. A job
// whose failure is tolerated returns nil.
func (r *runner) fanOut(n, workers int, job func(ctx context.Context, i int) *failure) *failure {
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first *failure
		next  int
		wg    sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= n || first != nil {
			return 0, false
		}
		next++
		return next - 1, true
	}
	if workers > n {
		workers = n
	}
	wg.Add(workers)
	for range workers {
		go func() {
			defer wg.Done()
			for {
				i, ok := take()
				if !ok || ctx.Err() != nil {
					return
				}
				if fl := job(ctx, i); fl != nil {
					mu.Lock()
					// A failure caused by the cancellation itself says
					// nothing: keep the one that caused it.
					if first == nil && !(fl.fatal && fl.name == "" && ctx.Err() != nil) {
						first = fl
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil && r.ctx.Err() != nil {
		return r.ctxFailure()
	}
	return first
}
