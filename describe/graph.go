package describe

// The drawing model shared by every renderer: the state machine and the
// stack are both turned into a graph, laid out once (layout.go) and written
// as SVG, Mermaid or DOT. Keeping one model means the three outputs always
// agree on what is a node, an edge and a group.

// shape is how a node is drawn. Each state type has its own, so a reader
// tells a Choice from a Wait at a glance.
type shape int

const (
	shapeRect    shape = iota // Pass, and stack resources
	shapeRounded              // Task
	shapeDiamond              // Choice
	shapeHexagon              // Wait
	shapeStadium              // Succeed
	shapeOctagon              // Fail: a stop sign
	shapeGroup                // Parallel and Map: a container of sub-graphs
	shapeBranch               // one Parallel branch or Map item processor
	shapeCircle               // the Start and End markers
)

// edgeKind says what an edge means; renderers style each kind its own way.
type edgeKind int

const (
	edgeNext    edgeKind = iota // Next, and Start/End markers
	edgeChoice                  // a Choice rule's Next
	edgeDefault                 // a Choice's Default
	edgeCatch                   // a Catch fallback
	edgeRef                     // stack: Ref
	edgeGetAtt                  // stack: Fn::GetAtt
	edgeSub                     // stack: a reference inside Fn::Sub
	edgeDepends                 // stack: DependsOn
)

// class is the CSS class of the edge kind, also used by Mermaid and DOT.
func (k edgeKind) class() string {
	return [...]string{"next", "choice", "default", "catch", "ref", "getatt", "sub", "depends"}[k]
}

// dashed kinds are alternatives rather than the main flow.
func (k edgeKind) dashed() bool { return k == edgeDefault || k == edgeCatch || k == edgeDepends }

// node is a state, a marker, a group or a resource.
type node struct {
	id string // stable identifier: "s3", "s3_b0", "r7", "start"
	// title is the node's name (a state name, a logical ID).
	title string
	// kicker is the small line above the title: the type ("TASK").
	kicker string
	// lines are details under the title (the Lambda function, the wait).
	lines []string
	// badges are marked lines at the bottom (Retry policies).
	badges []string
	// tooltip is the full text shown on hover, where lines are shortened.
	tooltip string
	// class is the CSS class: the state type ("task") or the AWS service.
	class string
	shape shape
	// inner is the sub-graph of a Parallel, Map or branch node.
	inner *graph
	// band is the index in graph.bands of the column the node belongs to,
	// in a banded graph (the stack's AWS services).
	band int
	// visited marks a state on the highlighted execution path.
	visited bool
	// state is the state's name for the HTML details panel; "" otherwise.
	state string

	// Layout results, relative to the containing graph's origin; the inner
	// graph's origin is at (innerX, innerY) inside the node.
	x, y, w, h     float64
	innerX, innerY float64
}

// edge is a directed connection. Several Choice rules with the same target
// are one edge with one label line per rule, so forty rules do not draw
// forty arrows.
type edge struct {
	from, to *node
	kind     edgeKind
	// text is one line per Choice rule or Catch, unwrapped, for the text
	// formats; label is text wrapped and shortened for the diagram.
	text    []string
	label   []string
	tooltip string
	visited bool

	// Layout results: the route from the source's port to the target's
	// port, and the top-left corner of the label box.
	points         []point
	labelX, labelY float64
	labelW, labelH float64
}

// graph is one level of nodes and edges; groups nest graphs.
type graph struct {
	nodes []*node
	edges []*edge
	// bands names the columns of a banded graph (the stack's services).
	bands []string
	// lr lays the graph out left to right instead of top to bottom: the
	// stack's resources are wide and short, so rows of them fit a page.
	lr bool
	// edgeIndex finds the edge to merge a Choice rule into.
	edgeIndex map[edgeKey]*edge

	// Layout results.
	w, h      float64
	bandBoxes []box
}

type point struct{ x, y float64 }

// box is a titled rectangle drawn behind a band of the stack.
type box struct {
	title      string
	class      string
	x, y, w, h float64
}

type edgeKey struct {
	from, to *node
	kind     edgeKind
}

func (g *graph) add(n *node) *node {
	g.nodes = append(g.nodes, n)
	return n
}

// connect adds an edge, merging it into an existing one of the same kind
// between the same nodes by appending the label line.
func (g *graph) connect(from, to *node, kind edgeKind, label string) *edge {
	k := edgeKey{from, to, kind}
	e := g.edgeIndex[k]
	if e == nil {
		e = &edge{from: from, to: to, kind: kind}
		if g.edgeIndex == nil {
			g.edgeIndex = map[edgeKey]*edge{}
		}
		g.edgeIndex[k] = e
		g.edges = append(g.edges, e)
	}
	if label != "" {
		e.label = append(e.label, label)
	}
	return e
}
