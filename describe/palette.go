package describe

// colors of a node class in the text formats (Mermaid and DOT); the SVG
// style sheet in svg.go uses the same values.
type colors struct{ fill, stroke, text string }

var palette = map[string]colors{
	"task":     {"#e8f1fb", "#2f6fb5", "#1f2933"},
	"pass":     {"#f1f3f5", "#6b7280", "#1f2933"},
	"choice":   {"#fff3dc", "#c27803", "#1f2933"},
	"wait":     {"#f1ebfb", "#6b46c1", "#1f2933"},
	"succeed":  {"#e3f6e8", "#23843b", "#1f2933"},
	"fail":     {"#fdeaea", "#c62828", "#1f2933"},
	"parallel": {"#fafbfc", "#52606d", "#1f2933"},
	"map":      {"#f5f9ff", "#2f6fb5", "#1f2933"},
	"marker":   {"#323f4b", "#323f4b", "#ffffff"},
}

// paletteOrder fixes the order classes are written in.
var paletteOrder = []string{"task", "pass", "choice", "wait", "succeed", "fail", "parallel", "map", "marker"}
