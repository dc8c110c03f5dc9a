//go:build !lambdabinary

package step_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sparta-go/sparta/step"
	"github.com/sparta-go/sparta/step/engine"
)

// onePathCase is a definition of the repository's corpus with its input
// and the scripted answers of its tasks (see the engine's conformance
// files): {"result": v}, {"echo": true} or {"error": name, "cause": text},
// used in order, the last one repeating; a resource without answers echoes.
type onePathCase struct {
	name       string
	definition json.RawMessage
	input      json.RawMessage
	tasks      map[string][]onePathAnswer
}

type onePathAnswer struct {
	Result json.RawMessage `json:"result"`
	Echo   bool            `json:"echo"`
	Error  string          `json:"error"`
	Cause  string          `json:"cause"`
}

// script answers a run's tasks; each run gets its own counters.
type script struct {
	tasks map[string][]onePathAnswer
	mu    sync.Mutex
	calls map[string]int
}

func (s *script) answer(resource string) onePathAnswer {
	responses := s.tasks[resource]
	if len(responses) == 0 {
		return onePathAnswer{Echo: true}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := min(s.calls[resource], len(responses)-1)
	s.calls[resource]++
	return responses[i]
}

func onePathCorpus(t *testing.T) []onePathCase {
	t.Helper()
	var out []onePathCase
	defs, err := filepath.Glob("testdata/*/*.asl.json")
	if err != nil || len(defs) == 0 {
		t.Fatalf("no definitions under step/testdata: %v", err)
	}
	for _, f := range defs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, onePathCase{name: f, definition: data, input: json.RawMessage(`{}`)})
	}
	files, err := filepath.Glob("engine/testdata/conformance/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cf struct {
			Cases []struct {
				Name       string                     `json:"name"`
				Definition json.RawMessage            `json:"definition"`
				Input      json.RawMessage            `json:"input"`
				Tasks      map[string][]onePathAnswer `json:"tasks"`
			} `json:"cases"`
		}
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range cf.Cases {
			in := c.Input
			if len(in) == 0 {
				in = json.RawMessage(`{}`)
			}
			out = append(out, onePathCase{name: filepath.Base(f) + "/" + c.Name, definition: c.Definition, input: in, tasks: c.Tasks})
		}
	}
	return out
}

// verdict is what a run tells a user: whether the definition was accepted,
// and the execution's outcome and history.
type verdict struct {
	Accepted                   bool
	Status, Error, Cause       string
	Output                     string
	Path                       []string
	History                    []string
	CompileProblem, RunProblem string
}

// historyShape is the history as a sorted list of events without their
// ids: Parallel branches and Map iterations run concurrently, so the order
// of their events, and so their ids, may differ from run to run.
func historyShape(events []engine.Event) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		ev.ID, ev.PreviousEventID = 0, 0
		b, _ := json.Marshal(ev)
		out[i] = string(b)
	}
	slices.Sort(out)
	return out
}

// inProcess runs the definition as a user of the public API does.
func inProcess(tc onePathCase, start time.Time) verdict {
	sm, err := step.FromJSON(tc.definition)
	if err != nil {
		return verdict{CompileProblem: err.Error()}
	}
	sm.WithName("OnePath")
	if err := sm.Compile(); err != nil {
		return verdict{CompileProblem: err.Error()}
	}
	s := &script{tasks: tc.tasks, calls: map[string]int{}}
	var opts []step.ExecuteOption
	opts = append(opts, step.WithExecutionName("run"), step.WithVirtualClockAt(start))
	seen := map[string]bool{}
	var resources []string
	collectResources(tc.definition, &resources)
	for _, r := range resources {
		if seen[r] {
			continue
		}
		seen[r] = true
		opts = append(opts, step.WithTaskHandler(r, func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			a := s.answer(r)
			switch {
			case a.Error != "":
				return nil, step.NewTaskError(a.Error, a.Cause)
			case a.Echo:
				return in, nil
			}
			return a.Result, nil
		}))
	}
	ex, err := sm.Execute(context.Background(), tc.input, opts...)
	if err != nil {
		return verdict{Accepted: true, RunProblem: err.Error()}
	}
	return verdict{Accepted: true, Status: ex.Status, Error: ex.Error, Cause: ex.Cause, Output: string(ex.Output),
		Path: ex.Path, History: historyShape(ex.History())}
}

// asTheLocalCloudDoes compiles the definition with the engine and runs it,
// as the local Step Functions' CreateStateMachine and StartExecution do.
func asTheLocalCloudDoes(tc onePathCase, start time.Time) verdict {
	p, err := engine.Compile(tc.definition)
	if err != nil {
		return verdict{CompileProblem: err.Error()}
	}
	s := &script{tasks: tc.tasks, calls: map[string]int{}}
	invoke := func(ctx context.Context, req *engine.TaskRequest) (any, error) {
		a := s.answer(req.Resource)
		switch {
		case a.Error != "":
			return nil, &engine.TaskError{Name: a.Error, Cause: a.Cause}
		case a.Echo:
			return req.Input, nil
		}
		return a.Result, nil
	}
	e, err := p.Start(context.Background(), tc.input, engine.Options{Invoke: invoke, ExecutionName: "run",
		StateMachineName: "OnePath", Clock: engine.NewVirtualClock(start)})
	if err != nil {
		return verdict{Accepted: true, RunProblem: err.Error()}
	}
	res := e.Wait()
	return verdict{Accepted: true, Status: res.Status, Error: res.Error, Cause: res.Cause, Output: string(res.Output),
		Path: res.Path, History: historyShape(res.History())}
}

// collectResources lists every Task Resource of a definition, nested ones
// included.
func collectResources(definition json.RawMessage, out *[]string) {
	var v any
	if json.Unmarshal(definition, &v) != nil {
		return
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["Type"] == "Task" {
				if r, ok := x["Resource"].(string); ok {
					*out = append(*out, r)
				}
			}
			for _, k := range slices.Sorted(func(yield func(string) bool) {
				for k := range x {
					if !yield(k) {
						return
					}
				}
			}) {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
}

// TestOnePathFromDefinitionToEngine runs every definition of the
// repository's corpus (step/testdata and the engine's conformance cases)
// through the public API (FromJSON, Execute) and through the engine as the
// local cloud runs it, and demands the same verdict: both accept or both
// refuse, and accepted ones end alike, history included. The typed model
// is for building and validating machines, never a lossy step between a
// definition and the engine (issue 18, "Two paths, two verdicts").
func TestOnePathFromDefinitionToEngine(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range onePathCorpus(t) {
		t.Run(strings.ReplaceAll(tc.name, "/", "_"), func(t *testing.T) {
			local := asTheLocalCloudDoes(tc, start)
			public := inProcess(tc, start)
			if local.Accepted != public.Accepted {
				t.Fatalf("the engine accepts: %v (%s); FromJSON+Execute accepts: %v (%s)",
					local.Accepted, local.CompileProblem, public.Accepted, public.CompileProblem)
			}
			if !local.Accepted {
				return
			}
			if cmp.Equal(local, public) {
				return
			}
			// Concurrent Map iterations and Parallel branches may end
			// differently from run to run (which siblings ran before one
			// failed): the public run must be one the engine also gives, or
			// the engine's one the public API also gives. An aborted
			// sibling can be rare on an idle machine, so try both sides,
			// many times (each run takes microseconds).
			for range 200 {
				if cmp.Equal(asTheLocalCloudDoes(tc, start), public) || cmp.Equal(local, inProcess(tc, start)) {
					return
				}
			}
			if again := asTheLocalCloudDoes(tc, start); !cmp.Equal(again, local) && !cmp.Equal(again.History, local.History) {
				// Random or generated values (States.UUID, $random): only
				// the outcome can be compared.
				if public.Status != local.Status || public.Error != local.Error {
					t.Fatalf("status: public %s %s, engine %s %s", public.Status, public.Error, local.Status, local.Error)
				}
				return
			}
			t.Errorf("engine (-) and FromJSON+Execute (+) differ:\n%s", cmp.Diff(local, public))
		})
	}
}
