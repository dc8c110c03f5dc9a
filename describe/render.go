package describe

import (
	"bytes"

	"github.com/sparta-go/sparta/step"
)

// MachineSVG draws sm as a standalone SVG document. path, when not empty,
// is the states of an execution in order (step.Execution.Path): they and
// the transitions between them are highlighted and the rest dimmed.
func MachineSVG(sm *step.StateMachine, path []string) []byte {
	g := machineGraph(sm, path)
	layoutGraph(g)
	var b bytes.Buffer
	writeSVG(&b, g, "sm-"+sanitizeID(sm.Name()), "State machine "+sm.Name(), len(path) > 0)
	return b.Bytes()
}

// sanitizeID keeps letters, digits, '-' and '_' so that a name can be part
// of an XML id and a CSS selector.
func sanitizeID(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}
