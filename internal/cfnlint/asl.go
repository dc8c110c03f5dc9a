package cfnlint

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// aslSchema is the JSON Schema of an Amazon States Language definition
// that cfn-lint 1.51.0 checks state machines against (rule E3601), copied
// from its source (src/cfnlint/data/schemas/other/step_functions/
// statemachine.json, https://github.com/aws-cloudformation/cfn-lint,
// MIT-0), so that definitions are checked even where cfn-lint is not
// installed. Two changes, both where the copy disagrees with the
// specification: a Parallel state's Branches refer to the root as "#"
// instead of "#/" (which, read strictly as a JSON pointer, names a
// property "" that does not exist), and a Succeed state may have
// InputPath, OutputPath and QueryLanguage, as the specification and AWS
// allow (https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html). AWS publishes no schema of its own; the specification is
// https://states-language.net/spec.html.
//
//go:embed statemachine.schema.json
var aslSchema []byte

var compiledASL = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(aslSchema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	// cfn-lint evaluates the keywords beside a $ref, as drafts since
	// 2019-09 do (draft 7 ignores them); its own "requiredXor" (exactly one
	// of Next and End) is not a standard keyword and goes unchecked here.
	c.DefaultDraft(jsonschema.Draft2020)
	const url = "urn:cfn-lint:statemachine"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
})

// CheckASL validates a state machine definition (ASL JSON) against the ASL
// schema; the error lists every violation with its location.
func CheckASL(definition []byte) error {
	schema, err := compiledASL()
	if err != nil {
		return fmt.Errorf("compiling the ASL schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(definition))
	if err != nil {
		return fmt.Errorf("the definition is not JSON: %w", err)
	}
	if err := schema.Validate(doc); err != nil {
		return fmt.Errorf("the definition does not satisfy the ASL schema: %s", strings.TrimSpace(fmt.Sprintf("%#v", err)))
	}
	return nil
}
