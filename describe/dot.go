package describe

import (
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/step"
)

// DOT writes sm in the Graphviz DOT language, for those who render with
// dot or paste into a Graphviz viewer: Parallel branches and Map item
// processors become clusters, and edges to a group attach to its frame
// (compound=true with lhead and ltail).
//
// See https://graphviz.org/doc/info/lang.html.
func DOT(sm *step.StateMachine) string {
	g := machineGraph(sm, nil)
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(sm.Name()))
	b.WriteString("    graph [rankdir=TB, compound=true, fontname=\"Helvetica\", nodesep=0.4, ranksep=0.45];\n")
	b.WriteString("    node [fontname=\"Helvetica\", fontsize=11, style=filled, penwidth=1.4];\n")
	b.WriteString("    edge [fontname=\"Helvetica\", fontsize=10, color=\"#52606d\"];\n")
	dotNodes(&b, g, "    ")
	dotEdges(&b, g)
	b.WriteString("}\n")
	return b.String()
}

var dotShapes = map[shape]string{
	shapeRect: `shape=box`, shapeRounded: `shape=box, style="rounded,filled"`, shapeDiamond: `shape=diamond`,
	shapeHexagon: `shape=hexagon`, shapeStadium: `shape=oval`, shapeOctagon: `shape=octagon`,
	shapeCircle: `shape=circle, fixedsize=true, width=0.55`,
}

// isCluster reports whether n is drawn as a cluster: a group with states.
func isCluster(n *node) bool { return n.inner != nil && len(n.inner.nodes) > 0 }

func dotNodes(b *strings.Builder, g *graph, indent string) {
	for _, n := range g.nodes {
		p := palette[n.class]
		if isCluster(n) {
			fmt.Fprintf(b, "%ssubgraph cluster_%s {\n", indent, n.id)
			label := n.title
			if n.kicker != "" {
				label = n.kicker + " " + n.title
			}
			lines := append([]string{label}, n.badges...)
			fmt.Fprintf(b, "%s    label=%s;\n", indent, dotQuote(strings.Join(lines, "\n")))
			if n.shape == shapeBranch {
				fmt.Fprintf(b, "%s    style=\"dashed,rounded\"; color=\"#9aa5b1\"; fontsize=9;\n", indent)
			} else {
				fmt.Fprintf(b, "%s    style=\"rounded,filled\"; fillcolor=%s; color=%s; fontname=\"Helvetica-Bold\"; fontsize=11;\n",
					indent, dotQuote(p.fill), dotQuote(p.stroke))
			}
			dotNodes(b, n.inner, indent+"    ")
			fmt.Fprintf(b, "%s}\n", indent)
			continue
		}
		sh := dotShapes[n.shape]
		if n.inner != nil {
			sh = dotShapes[shapeRounded]
		}
		if n.id == "finish" {
			sh = `shape=doublecircle, fixedsize=true, width=0.5`
		}
		fmt.Fprintf(b, "%s%s [label=%s, %s, fillcolor=%s, color=%s, fontcolor=%s];\n",
			indent, n.id, dotQuote(strings.Join(nodeLines(n), "\n")), sh, dotQuote(p.fill), dotQuote(p.stroke), dotQuote(p.text))
	}
}

// anchor is the node an edge to or from a cluster attaches to: its first
// state, found depth first.
func anchor(n *node) *node {
	for isCluster(n) {
		n = n.inner.nodes[0]
	}
	return n
}

func dotEdges(b *strings.Builder, g *graph) {
	for _, e := range g.edges {
		var attrs []string
		if text := textLabel(e); len(text) > 0 {
			attrs = append(attrs, "label="+dotQuote(strings.Join(text, "\n")))
		}
		if e.kind != edgeNext {
			c := dotQuote(edgeColors[e.kind])
			attrs = append(attrs, "color="+c, "fontcolor="+c)
		}
		if e.kind.dashed() {
			attrs = append(attrs, "style=dashed")
		}
		if isCluster(e.from) {
			attrs = append(attrs, "ltail=cluster_"+e.from.id)
		}
		if isCluster(e.to) {
			attrs = append(attrs, "lhead=cluster_"+e.to.id)
		}
		fmt.Fprintf(b, "    %s -> %s", anchor(e.from).id, anchor(e.to).id)
		if len(attrs) > 0 {
			fmt.Fprintf(b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	for _, n := range g.nodes {
		if n.inner != nil {
			dotEdges(b, n.inner)
		}
	}
}

// dotQuote writes s as a DOT string: quotes and backslashes escaped, line
// breaks as \n.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
