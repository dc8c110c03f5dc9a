package describe

import (
	"encoding/json"
	"fmt"

	"github.com/sparta-go/sparta/step"
)

// LayoutProblems lays out sm and lists what a reader would trip over:
// overlapping nodes, labels over nodes or labels, anything outside the
// drawing.
func LayoutProblems(sm *step.StateMachine) []string {
	g := machineGraph(sm, nil)
	layoutGraph(g)
	return layoutProblems(g, sm.Name())
}

// StackLayoutProblems does the same for a template's stack diagram.
func StackLayoutProblems(templateJSON []byte) []string {
	var doc cfnDoc
	if err := json.Unmarshal(templateJSON, &doc); err != nil {
		return []string{err.Error()}
	}
	g := stackGraph(doc)
	layoutGraph(g)
	return layoutProblems(g, "stack")
}

type rect struct {
	name       string
	x, y, w, h float64
}

func (a rect) overlaps(b rect) bool {
	const slack = 0.5
	return a.x+slack < b.x+b.w && b.x+slack < a.x+a.w && a.y+slack < b.y+b.h && b.y+slack < a.y+a.h
}

func layoutProblems(g *graph, where string) []string {
	var out []string
	var rects []rect
	for _, n := range g.nodes {
		r := rect{"node " + n.title, n.x, n.y, n.w, n.h}
		if n.x < -0.5 || n.y < -0.5 || n.x+n.w > g.w+0.5 || n.y+n.h > g.h+0.5 {
			out = append(out, fmt.Sprintf("%s: %s at %v lies outside the %.0fx%.0f drawing", where, r.name, r, g.w, g.h))
		}
		rects = append(rects, r)
		if n.inner != nil {
			out = append(out, layoutProblems(n.inner, where+"/"+n.title)...)
		}
	}
	for _, e := range g.edges {
		if len(e.label) > 0 {
			rects = append(rects, rect{"label of " + e.from.title + "->" + e.to.title, e.labelX, e.labelY, e.labelW, e.labelH})
		}
		if len(e.points) < 2 {
			out = append(out, fmt.Sprintf("%s: edge %s->%s has no route", where, e.from.title, e.to.title))
		}
	}
	for i := range rects {
		for j := i + 1; j < len(rects); j++ {
			if rects[i].overlaps(rects[j]) {
				out = append(out, fmt.Sprintf("%s: %s %v overlaps %s %v", where, rects[i].name, rects[i], rects[j].name, rects[j]))
			}
		}
	}
	return out
}
