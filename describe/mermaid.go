package describe

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/step"
)

// Mermaid writes sm as a Mermaid flowchart, for Markdown that GitHub and
// most documentation sites render: the same nodes, shapes, labels and
// groups as the SVG diagram, without coordinates.
//
// See https://mermaid.js.org/syntax/flowchart.html.
func Mermaid(sm *step.StateMachine) string {
	g := machineGraph(sm, nil)
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	fmt.Fprintf(&b, "    %%%% State machine %s\n", sm.Name())
	classes := map[string][]string{}
	mermaidNodes(&b, g, "    ", classes)
	var links []string
	mermaidEdges(&b, g, &links)
	for _, c := range paletteOrder {
		if ids := classes[c]; len(ids) > 0 {
			p := palette[c]
			fmt.Fprintf(&b, "    classDef %s fill:%s,stroke:%s,color:%s\n", c, p.fill, p.stroke, p.text)
			fmt.Fprintf(&b, "    class %s %s\n", strings.Join(ids, ","), c)
		}
	}
	for _, l := range links {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}

// mermaidShapes are the bracket pairs of each shape. Mermaid has no
// octagon; the flag shape stands for Fail.
var mermaidShapes = map[shape][2]string{
	shapeRect: {"[", "]"}, shapeRounded: {"(", ")"}, shapeDiamond: {"{", "}"},
	shapeHexagon: {"{{", "}}"}, shapeStadium: {"([", "])"}, shapeOctagon: {">", "]"},
	shapeCircle: {"((", "))"},
}

func mermaidNodes(b *strings.Builder, g *graph, indent string, classes map[string][]string) {
	for _, n := range g.nodes {
		if n.inner != nil && len(n.inner.nodes) > 0 {
			title := n.title
			if n.kicker != "" {
				title = n.kicker + " " + n.title
			}
			fmt.Fprintf(b, "%ssubgraph %s [%s]\n", indent, n.id, mermaidText(title))
			fmt.Fprintf(b, "%s    direction TB\n", indent)
			mermaidNodes(b, n.inner, indent+"    ", classes)
			fmt.Fprintf(b, "%send\n", indent)
			if n.shape != shapeBranch {
				classes[n.class] = append(classes[n.class], n.id)
			}
			continue
		}
		s := mermaidShapes[n.shape]
		if n.shape == shapeCircle && n.id == "finish" {
			s = [2]string{"(((", ")))"}
		}
		if n.inner != nil {
			s = mermaidShapes[shapeRounded]
		}
		fmt.Fprintf(b, "%s%s%s%s%s\n", indent, n.id, s[0], mermaidText(nodeLines(n)...), s[1])
		classes[n.class] = append(classes[n.class], n.id)
	}
}

// mermaidEdges writes the edges of g and of its groups, recording a
// linkStyle for each edge kind that is not a plain Next, by edge number.
func mermaidEdges(b *strings.Builder, g *graph, links *[]string) {
	var walk func(g *graph)
	count := 0
	byKind := map[edgeKind][]string{}
	walk = func(g *graph) {
		for _, e := range g.edges {
			arrow := "-->"
			if e.kind.dashed() {
				arrow = "-.->"
			}
			if text := textLabel(e); len(text) > 0 {
				fmt.Fprintf(b, "    %s %s|%s| %s\n", e.from.id, arrow, mermaidText(text...), e.to.id)
			} else {
				fmt.Fprintf(b, "    %s %s %s\n", e.from.id, arrow, e.to.id)
			}
			if e.kind != edgeNext {
				byKind[e.kind] = append(byKind[e.kind], strconv.Itoa(count))
			}
			count++
		}
		for _, n := range g.nodes {
			if n.inner != nil {
				walk(n.inner)
			}
		}
	}
	walk(g)
	kinds := make([]int, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, int(k))
	}
	sort.Ints(kinds)
	for _, k := range kinds {
		*links = append(*links, fmt.Sprintf("linkStyle %s stroke:%s", strings.Join(byKind[edgeKind(k)], ","), edgeColors[edgeKind(k)]))
	}
}

// mermaidText quotes lines for a Mermaid label. Mermaid reads its own
// entity codes (#quot;) rather than backslash escapes, and <br/> for lines.
func mermaidText(lines ...string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;")
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = r.Replace(l)
	}
	return `"` + strings.Join(parts, "<br/>") + `"`
}

// textLabel is an edge's label for the text formats, unwrapped: one line
// per Choice rule, each after the first starting "or".
func textLabel(e *edge) []string {
	if e.kind != edgeChoice || len(e.text) < 2 {
		return e.text
	}
	out := []string{e.text[0]}
	for _, t := range e.text[1:] {
		out = append(out, "or "+t)
	}
	return out
}

// nodeLines are a node's text lines for the text formats: the title, the
// details and the Retry badges.
func nodeLines(n *node) []string {
	lines := []string{n.title}
	lines = append(lines, n.lines...)
	return append(lines, n.badges...)
}
