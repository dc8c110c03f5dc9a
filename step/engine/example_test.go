package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sparta-go/sparta/step/engine"
)

// CompileValue compiles a definition that is already decoded (as
// encoding/json with UseNumber decodes it), so that a caller that reads
// the definition for its own purposes does not decode it twice.
func ExampleCompileValue() {
	definition := []byte(`{"StartAt":"Greet","States":{"Greet":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('Hello, {}', $.name)"},"End":true}}}`)
	dec := json.NewDecoder(bytes.NewReader(definition))
	dec.UseNumber()
	var decoded any
	if err := dec.Decode(&decoded); err != nil {
		panic(err)
	}
	prog, err := engine.CompileValue(decoded)
	if err != nil {
		panic(err)
	}
	run, err := prog.Start(context.Background(), json.RawMessage(`{"name":"Smok"}`),
		engine.Options{Clock: engine.NewVirtualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		panic(err)
	}
	res := run.Wait()
	fmt.Println(res.Status, string(res.Output))
	// Output: SUCCEEDED {"greeting":"Hello, Smok"}
}
