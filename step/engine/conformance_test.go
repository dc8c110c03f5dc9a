package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The conformance suite replays worked examples of the AWS Step Functions
// Developer Guide and the Amazon States Language specification. Each file in
// testdata/conformance holds cases:
//
//	{"source": "<page the example comes from>",
//	 "cases": [{"name": ..., "definition": {...}, "input": {...},
//	            "tasks": {"<resource>": [<response>, ...]},
//	            "want": {"status": ..., "output": ..., "error": ..., "path": [...]}}]}
//
// A task response is {"result": v}, {"echo": true} (the task's input) or
// {"error": name, "cause": text}; a resource's responses are used in order
// and the last one repeats.
type conformanceFile struct {
	Source string            `json:"source"`
	Cases  []conformanceCase `json:"cases"`
}

type conformanceCase struct {
	Name       string                    `json:"name"`
	Source     string                    `json:"source"`
	Definition json.RawMessage           `json:"definition"`
	Input      json.RawMessage           `json:"input"`
	Tasks      map[string][]taskResponse `json:"tasks"`
	Want       struct {
		Status string          `json:"status"`
		Output json.RawMessage `json:"output"`
		Error  string          `json:"error"`
		Cause  string          `json:"cause"`
		Path   []string        `json:"path"`
	} `json:"want"`
}

type taskResponse struct {
	Result json.RawMessage `json:"result"`
	Echo   bool            `json:"echo"`
	Error  string          `json:"error"`
	Cause  string          `json:"cause"`
}

func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/conformance/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cf conformanceFile
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if cf.Source == "" {
			t.Errorf("%s: every conformance file must cite its source", file)
		}
		for _, tc := range cf.Cases {
			name := strings.TrimSuffix(filepath.Base(file), ".json") + "/" + tc.Name
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				runConformanceCase(t, tc)
			})
		}
	}
}

func runConformanceCase(t *testing.T, tc conformanceCase) {
	var mu sync.Mutex
	calls := map[string]int{}
	invoke := func(ctx context.Context, req *TaskRequest) (any, error) {
		responses, ok := tc.Tasks[req.Resource]
		if !ok {
			return nil, &TaskError{Name: "UnknownResource", Cause: req.Resource}
		}
		mu.Lock()
		i := min(calls[req.Resource], len(responses)-1)
		calls[req.Resource]++
		mu.Unlock()
		r := responses[i]
		switch {
		case r.Error != "":
			return nil, &TaskError{Name: r.Error, Cause: r.Cause}
		case r.Echo:
			return req.Input, nil
		}
		return r.Result, nil
	}
	input := string(tc.Input)
	if input == "" {
		input = "{}"
	}
	res := execute(t, string(tc.Definition), input, Options{Invoke: invoke})
	want := tc.Want
	if want.Status == "" {
		want.Status = StatusSucceeded
	}
	if res.Status != want.Status {
		t.Fatalf("Status = %s (%s: %s), want %s", res.Status, res.Error, res.Cause, want.Status)
	}
	if want.Output != nil {
		jsonEqual(t, res.Output, string(want.Output))
	}
	if want.Error != "" && res.Error != want.Error {
		t.Errorf("Error = %q (%s), want %q", res.Error, res.Cause, want.Error)
	}
	if want.Cause != "" && res.Cause != want.Cause {
		t.Errorf("Cause = %q, want %q", res.Cause, want.Cause)
	}
	if want.Path != nil && !slices.Equal(res.Path, want.Path) {
		t.Errorf("Path = %v, want %v", res.Path, want.Path)
	}
}
