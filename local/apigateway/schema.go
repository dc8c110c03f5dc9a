package apigateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaString reads a Model's Schema property: a JSON object (as in a
// template) or a string holding one (as in the API).
func schemaString(v any) (string, error) {
	switch t := v.(type) {
	case nil:
		return "{}", nil
	case string:
		return t, checkSchema(t)
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return "", err
		}
		return string(b), checkSchema(string(b))
	}
}

func checkSchema(s string) error {
	_, err := compileSchema(s)
	return err
}

// noLoader refuses every $ref outside the schema: a model must not make
// the local cloud read files or reach the network.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("the local API Gateway does not load %s: inline the referenced schema in the model", url)
}

// compileSchema compiles a model's JSON Schema as draft 4, the draft API
// Gateway uses (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html).
func compileSchema(s string) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(s))
	if err != nil {
		return nil, fmt.Errorf("the schema is not JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseLoader(noLoader{})
	const url = "urn:sparta:model"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// validBody reports whether body is JSON that satisfies the schema.
func validBody(sch *jsonschema.Schema, body []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return errors.New("the body is not JSON")
	}
	return sch.Validate(inst)
}
