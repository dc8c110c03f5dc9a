//go:build !lambdabinary

package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// MetadataKey is the template Metadata key under which the framework records
// what built the template.
const MetadataKey = "Sparta"

// NewServiceTemplate starts a service's template with its description and
// build metadata.
func NewServiceTemplate(description, buildID, frameworkVersion string) *cloudformation.Template {
	t := cloudformation.NewTemplate()
	t.Description = description
	t.Metadata = map[string]any{
		MetadataKey: map[string]any{"BuildId": buildID, "FrameworkVersion": frameworkVersion},
	}
	return t
}

// Marshal renders the template as indented JSON. encoding/json sorts map keys
// and goformation expands its string-encoded intrinsics, so the same template
// always gives the same bytes.
func Marshal(t *cloudformation.Template) ([]byte, error) {
	b, err := t.JSON()
	if err != nil {
		return nil, fmt.Errorf("rendering template: %w", err)
	}
	if !bytes.HasSuffix(b, []byte("\n")) {
		b = append(b, '\n')
	}
	return b, nil
}

// Decode parses rendered template JSON into plain maps for inspection.
func Decode(b []byte) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("decoding template: %w", err)
	}
	return doc, nil
}
