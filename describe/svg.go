package describe

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"
)

// SVG output of a laid-out graph. Every diagram carries its own style
// sheet, so that an SVG saved from the report looks the same on its own;
// ids are prefixed with the diagram's id because a report holds several.

const margin = 16.0

// diagramCSS styles nodes by state type (or AWS service) and edges by kind.
// A diagram with an execution path dims what the execution did not visit.
const diagramCSS = `
.dg text{font-family:Helvetica,Arial,"Liberation Sans",sans-serif;fill:#1f2933}
.dg .kicker{font-size:9px;font-weight:700;letter-spacing:.06em;fill:#52606d}
.dg .title{font-size:13px;font-weight:700}
.dg .line{font-size:11px;fill:#3e4c59}
.dg .badge{font-size:10.5px;fill:#8a4b00}
.dg .shape{stroke-width:1.4}
.dg .task>.shape{fill:#e8f1fb;stroke:#2f6fb5}
.dg .pass>.shape{fill:#f1f3f5;stroke:#6b7280}
.dg .choice>.shape{fill:#fff3dc;stroke:#c27803}
.dg .wait>.shape{fill:#f1ebfb;stroke:#6b46c1}
.dg .succeed>.shape{fill:#e3f6e8;stroke:#23843b}
.dg .fail>.shape{fill:#fdeaea;stroke:#c62828}
.dg .parallel>.shape{fill:#fafbfc;stroke:#52606d}
.dg .map>.shape{fill:#f5f9ff;stroke:#2f6fb5}
.dg .branch>.shape{fill:#fff;stroke:#9aa5b1;stroke-dasharray:5 3}
.dg .marker>.shape{fill:#323f4b;stroke:#323f4b}
.dg .marker text{fill:#fff;font-size:10px;font-weight:700}
.dg .marker.end>.shape{fill:#fff;stroke-width:3}
.dg .marker.end text{fill:#323f4b}
.dg .res>.shape{fill:#fff;stroke:#7b8794}
.dg .res.lambda>.shape{fill:#fff4e6;stroke:#d9730d}
.dg .res.iam>.shape{fill:#fdecef;stroke:#c2255c}
.dg .res.logs>.shape{fill:#e6fcf5;stroke:#0b7285}
.dg .res.stepfunctions>.shape{fill:#f3f0ff;stroke:#6741d9}
.dg .res.sns>.shape{fill:#fff0f6;stroke:#a61e4d}
.dg .res.s3>.shape{fill:#ebfbee;stroke:#2b8a3e}
.dg .band rect{fill:#f8f9fb;stroke:#e4e7eb}
.dg .band text{font-size:11px;font-weight:700;fill:#616e7c}
.dg .edge path{fill:none;stroke:#52606d;stroke-width:1.4}
.dg .edge.choice path{stroke:#b76e00}
.dg .edge.default path{stroke:#b76e00;stroke-dasharray:6 4}
.dg .edge.catch path{stroke:#c62828;stroke-dasharray:6 4}
.dg .edge.getatt path{stroke:#2f6fb5}
.dg .edge.sub path{stroke:#2b8a3e}
.dg .edge.depends path{stroke:#9aa5b1;stroke-dasharray:4 3}
.dg .elabel rect{fill:#fff;stroke:#e4e7eb;opacity:.92}
.dg .elabel text{font-size:10.5px;fill:#3e4c59}
.dg .elabel.catch text{fill:#a61b1b}
.dg .elabel.default text{fill:#8a5300;font-style:italic}
.dg .node{cursor:pointer}
.dg .node.selected>.shape{stroke-width:3}
.dg.has-path .node:not(.visited):not(.group)>.shape,.dg.has-path .node:not(.visited)>text{opacity:.45}
.dg.has-path .edge:not(.visited){opacity:.3}
.dg .node.visited>.shape{stroke:#0a7d32;stroke-width:3}
.dg .edge.visited path{stroke:#0a7d32;stroke-width:3;stroke-dasharray:none}
`

// edgeColors are the arrowhead colors per edge kind; markers cannot take
// the stroke of the path that uses them in SVG 1.1.
var edgeColors = map[edgeKind]string{
	edgeNext: "#52606d", edgeChoice: "#b76e00", edgeDefault: "#b76e00", edgeCatch: "#c62828",
	edgeRef: "#52606d", edgeGetAtt: "#2f6fb5", edgeSub: "#2b8a3e", edgeDepends: "#9aa5b1",
}

type svgWriter struct {
	b  *bytes.Buffer
	id string
	lr bool
}

// writeSVG lays g out if needed and writes it as one <svg> element with id.
func writeSVG(b *bytes.Buffer, g *graph, id, title string, hasPath bool) {
	w := svgWriter{b: b, id: id}
	width, height := g.w+2*margin, g.h+2*margin
	class := "dg"
	if hasPath {
		class += " has-path"
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="%s" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-label="%s">`,
		id, class, num(width), num(height), num(width), num(height), esc(title))
	b.WriteString("\n<style>" + diagramCSS + "</style>\n<defs>")
	for k := edgeNext; k <= edgeDepends; k++ {
		fmt.Fprintf(b, `<marker id="%s-arrow-%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="%s"/></marker>`,
			id, k.class(), edgeColors[k])
	}
	b.WriteString(`<marker id="` + id + `-arrow-visited" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="3.6" markerHeight="3.6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#0a7d32"/></marker>`)
	b.WriteString("</defs>\n")
	fmt.Fprintf(b, `<g transform="translate(%s,%s)">`, num(margin), num(margin))
	w.graph(g)
	b.WriteString("</g>\n</svg>\n")
}

func (w svgWriter) graph(g *graph) {
	w.lr = g.lr
	for _, bx := range g.bandBoxes {
		fmt.Fprintf(w.b, `<g class="band %s"><rect x="%s" y="%s" width="%s" height="%s" rx="6"/><text x="%s" y="%s">%s</text></g>`+"\n",
			bx.class, num(bx.x), num(bx.y), num(bx.w), num(bx.h), num(bx.x+10), num(bx.y+16), esc(bx.title))
	}
	for _, e := range g.edges {
		w.edge(e)
	}
	for _, e := range g.edges {
		w.edgeLabel(e)
	}
	for _, n := range g.nodes {
		w.node(n)
	}
}

func (w svgWriter) edge(e *edge) {
	if len(e.points) < 2 {
		return
	}
	class := "edge " + e.kind.class()
	marker := e.kind.class()
	if e.visited {
		class += " visited"
		marker = "visited"
	}
	fmt.Fprintf(w.b, `<g class="%s" data-from="%s" data-to="%s">`, class, e.from.id, e.to.id)
	if tip := edgeTooltip(e); tip != "" {
		fmt.Fprintf(w.b, "<title>%s</title>", esc(tip))
	}
	fmt.Fprintf(w.b, `<path d="%s" marker-end="url(#%s-arrow-%s)"/></g>`+"\n", pathData(e, w.lr), w.id, marker)
}

func edgeTooltip(e *edge) string {
	if e.tooltip != "" {
		return e.from.title + " -> " + e.to.title + "\n" + e.tooltip
	}
	return e.from.title + " -> " + e.to.title
}

// pathData draws the route as curves whose tangents are vertical at every
// point (horizontal, left to right), so that an edge leaves and enters
// nodes straight and runs straight through the layers it crosses.
func pathData(e *edge, lr bool) string {
	p := e.points
	var s strings.Builder
	fmt.Fprintf(&s, "M%s,%s", num(p[0].x), num(p[0].y))
	if e.from == e.to && len(p) == 4 {
		fmt.Fprintf(&s, "C%s,%s %s,%s %s,%s", num(p[1].x), num(p[1].y), num(p[2].x), num(p[2].y), num(p[3].x), num(p[3].y))
		return s.String()
	}
	for i := 1; i < len(p); i++ {
		a, b := p[i-1], p[i]
		if (!lr && a.x == b.x) || (lr && a.y == b.y) {
			fmt.Fprintf(&s, "L%s,%s", num(b.x), num(b.y))
			continue
		}
		if lr {
			mid := (a.x + b.x) / 2
			fmt.Fprintf(&s, "C%s,%s %s,%s %s,%s", num(mid), num(a.y), num(mid), num(b.y), num(b.x), num(b.y))
			continue
		}
		mid := (a.y + b.y) / 2
		fmt.Fprintf(&s, "C%s,%s %s,%s %s,%s", num(a.x), num(mid), num(b.x), num(mid), num(b.x), num(b.y))
	}
	return s.String()
}

func (w svgWriter) edgeLabel(e *edge) {
	if len(e.label) == 0 || len(e.points) < 2 {
		return
	}
	fmt.Fprintf(w.b, `<g class="elabel %s"><rect x="%s" y="%s" width="%s" height="%s" rx="3"/>`,
		e.kind.class(), num(e.labelX), num(e.labelY), num(e.labelW), num(e.labelH))
	for i, line := range e.label {
		fmt.Fprintf(w.b, `<text x="%s" y="%s">%s</text>`, num(e.labelX+4), num(e.labelY+2+lineLabel*float64(i+1)-3), esc(line))
	}
	w.b.WriteString("</g>\n")
}

func (w svgWriter) node(n *node) {
	class := "node " + n.class
	if n.inner != nil {
		class += " group"
	}
	if n.id == "finish" {
		class += " end"
	}
	if n.visited {
		class += " visited"
	}
	fmt.Fprintf(w.b, `<g class="%s" id="%s-%s" transform="translate(%s,%s)"`, class, w.id, n.id, num(n.x), num(n.y))
	if n.state != "" {
		fmt.Fprintf(w.b, ` data-state="%s"`, esc(n.state))
	}
	w.b.WriteString(">")
	if n.tooltip != "" {
		fmt.Fprintf(w.b, "<title>%s</title>", esc(n.tooltip))
	}
	w.shape(n)
	if n.inner != nil {
		w.groupText(n)
		fmt.Fprintf(w.b, `<g transform="translate(%s,%s)">`+"\n", num(n.innerX), num(n.innerY))
		w.graph(n.inner)
		w.b.WriteString("</g>")
	} else {
		w.nodeText(n)
	}
	w.b.WriteString("</g>\n")
}

func (w svgWriter) shape(n *node) {
	W, H := n.w, n.h
	switch n.shape {
	case shapeRounded:
		fmt.Fprintf(w.b, `<rect class="shape" width="%s" height="%s" rx="10"/>`, num(W), num(H))
	case shapeDiamond:
		w.polygon(W/2, 0, W, H/2, W/2, H, 0, H/2)
	case shapeHexagon:
		k := H * 0.25
		w.polygon(k, 0, W-k, 0, W, H/2, W-k, H, k, H, 0, H/2)
	case shapeStadium:
		fmt.Fprintf(w.b, `<rect class="shape" width="%s" height="%s" rx="%s"/>`, num(W), num(H), num(H/2))
	case shapeOctagon:
		c := H * 0.2
		w.polygon(c, 0, W-c, 0, W, c, W, H-c, W-c, H, c, H, 0, H-c, 0, c)
	case shapeCircle:
		fmt.Fprintf(w.b, `<circle class="shape" cx="%s" cy="%s" r="%s"/>`, num(W/2), num(H/2), num(W/2-1.5))
	case shapeGroup:
		if n.class == "map" {
			// A second frame behind the first: the processor runs once
			// per item.
			fmt.Fprintf(w.b, `<rect class="shape" x="4" y="4" width="%s" height="%s" rx="10"/>`, num(W), num(H))
		}
		fmt.Fprintf(w.b, `<rect class="shape" width="%s" height="%s" rx="10"/>`, num(W), num(H))
	case shapeBranch:
		fmt.Fprintf(w.b, `<rect class="shape" width="%s" height="%s" rx="6"/>`, num(W), num(H))
	default:
		fmt.Fprintf(w.b, `<rect class="shape" width="%s" height="%s" rx="2"/>`, num(W), num(H))
	}
}

func (w svgWriter) polygon(xy ...float64) {
	w.b.WriteString(`<polygon class="shape" points="`)
	for i := 0; i < len(xy); i += 2 {
		if i > 0 {
			w.b.WriteByte(' ')
		}
		w.b.WriteString(num(xy[i]) + "," + num(xy[i+1]))
	}
	w.b.WriteString(`"/>`)
}

// nodeText centers the kicker, title, detail lines and badges.
func (w svgWriter) nodeText(n *node) {
	cx := n.w / 2
	if n.shape == shapeCircle {
		fmt.Fprintf(w.b, `<text x="%s" y="%s" text-anchor="middle">%s</text>`, num(cx), num(n.h/2+3.5), esc(n.title))
		return
	}
	_, th := contentSize(n)
	y := (n.h - th) / 2
	if n.kicker != "" {
		fmt.Fprintf(w.b, `<text class="kicker" x="%s" y="%s" text-anchor="middle">%s</text>`, num(cx), num(y+9), esc(n.kicker))
		y += lineKicker
	}
	fmt.Fprintf(w.b, `<text class="title" x="%s" y="%s" text-anchor="middle">%s</text>`, num(cx), num(y+13), esc(n.title))
	y += lineTitle
	for _, l := range n.lines {
		fmt.Fprintf(w.b, `<text class="line" x="%s" y="%s" text-anchor="middle">%s</text>`, num(cx), num(y+11), esc(l))
		y += lineDetail
	}
	w.badges(n, cx, y)
}

// badges writes the Retry lines, each after a circular-arrow icon drawn as
// a path, so that no icon font is needed.
func (w svgWriter) badges(n *node, cx, y float64) {
	for _, bd := range n.badges {
		tw := textWidth(bd, fontBadge, false)
		left := cx - (tw+badgeIcon)/2
		ix, iy := left+5, y+7
		fmt.Fprintf(w.b, `<path class="retry-icon" d="M%s,%s a4,4 0 1 1 -3.6,-2.2" fill="none" stroke="#8a4b00" stroke-width="1.3"/><path d="M%s,%s l2.6,-1.2 l0.6,2.8z" fill="#8a4b00"/>`,
			num(ix+4), num(iy), num(ix-4.6), num(iy-4.8))
		fmt.Fprintf(w.b, `<text class="badge" x="%s" y="%s">%s</text>`, num(left+badgeIcon), num(y+11), esc(bd))
		y += lineDetail
	}
}

// groupText writes a group's header, and its Retry badges under the
// inner graph.
func (w svgWriter) groupText(n *node) {
	if n.shape == shapeBranch {
		fmt.Fprintf(w.b, `<text class="kicker" x="10" y="14">%s</text>`, esc(n.title))
		return
	}
	fmt.Fprintf(w.b, `<text x="12" y="20"><tspan class="kicker">%s</tspan><tspan class="title" dx="6">%s</tspan></text>`, esc(n.kicker), esc(n.title))
	if len(n.badges) > 0 {
		w.badges(n, n.w/2, n.innerY+n.inner.h+4)
	}
}

// num writes a coordinate with at most one decimal, so that output is
// short and the same on every platform.
func num(f float64) string {
	return strconv.FormatFloat(float64(int64(f*10+copysignHalf(f)))/10, 'f', -1, 64)
}

func copysignHalf(f float64) float64 {
	if f < 0 {
		return -0.5
	}
	return 0.5
}

func esc(s string) string { return html.EscapeString(s) }
