package describe

import (
	"slices"
	"sort"
)

// The layered layout, after Sugiyama, Tagawa and Toda (1981) and Gansner et
// al., "A Technique for Drawing Directed Graphs" (1993), the method behind
// Graphviz dot, in its simple forms:
//
//  1. break cycles by reversing the back edges of a depth-first search, so
//     that a retry loop still flows downwards;
//  2. layer by longest path, a labeled edge spanning two layers so that its
//     label gets a layer slot of its own and never covers a node;
//  3. split long edges with dummy nodes, one per layer crossed;
//  4. order each layer by the barycenter of its neighbours, sweeping down
//     and up, keeping the order with the fewest crossings;
//  5. place nodes horizontally as close to their neighbours as the order
//     and spacing allow (weighted isotonic regression, solved exactly by
//     pool-adjacent-violators), weighting long edges so they run straight;
//  6. route each edge through its dummies as vertical-tangent curves.
//
// Groups (Parallel, Map, branches) are laid out inside out: a group's
// inner graph first, then the group as one big node of its parent, which
// is how AWS Workflow Studio draws them too. A banded graph (the stack)
// keeps each band in a column of its own.

const (
	nodeSep   = 28.0 // horizontal gap between nodes of a layer
	dummySep  = 10.0 // gap beside an edge passing through a layer
	rankSep   = 34.0 // vertical gap between layers
	bandGap   = 16.0 // gap between the stack's bands
	bandPad   = 12.0 // room inside a column's box
	bandHead  = 24.0 // a band's title
	loopWidth = 34.0 // how far a self-loop sticks out
	sweeps    = 16   // crossing-reduction passes
	xRounds   = 10   // coordinate passes
)

// lnode is a node of the layered graph: a real node or a dummy that carries
// an edge (and maybe its label) through a layer.
type lnode struct {
	n      *node // nil for a dummy
	label  *edge // the edge whose label this dummy holds
	w, h   float64
	layer  int
	pos    int
	band   int
	x      float64 // center
	up     []*lnode
	down   []*lnode
	idx    int
	weight float64 // pull of this node toward its neighbours in a pass
}

// chain is an edge routed through its dummies, upper end first.
type chain struct {
	e        *edge
	reversed bool
	nodes    []*lnode
}

// layoutGraph lays out g and every graph nested in it.
func layoutGraph(g *graph) {
	for _, n := range g.nodes {
		if n.inner != nil {
			layoutGraph(n.inner)
			measureGroup(n)
		} else {
			measure(n)
		}
	}
	if len(g.nodes) == 0 {
		return
	}
	if g.lr {
		// Left to right is top to bottom, transposed: lay out the nodes
		// with their sides swapped, then swap every coordinate back.
		for _, n := range g.nodes {
			n.w, n.h = n.h, n.w
		}
	}
	l := newLayered(g)
	l.breakCycles()
	l.assignLayers()
	l.addDummies()
	l.order()
	l.placeX()
	l.placeY()
	l.route()
	if g.lr {
		transpose(g)
	}
}

func transpose(g *graph) {
	for _, n := range g.nodes {
		n.x, n.y, n.w, n.h = n.y, n.x, n.h, n.w
	}
	for _, e := range g.edges {
		for i, p := range e.points {
			e.points[i] = point{p.y, p.x}
		}
		e.labelX, e.labelY = e.labelY, e.labelX
	}
	for i, b := range g.bandBoxes {
		g.bandBoxes[i].x, g.bandBoxes[i].y, g.bandBoxes[i].w, g.bandBoxes[i].h = b.y, b.x, b.h, b.w
	}
	g.w, g.h = g.h, g.w
}

type layered struct {
	g      *graph
	nodes  []*lnode // real nodes first, in g.nodes order, then dummies
	of     map[*node]*lnode
	chains []*chain
	loops  []*edge
	layers [][]*lnode
	layerY []float64
	layerH []float64
	banded bool
}

func newLayered(g *graph) *layered {
	l := &layered{g: g, of: make(map[*node]*lnode, len(g.nodes)), banded: len(g.bands) > 0}
	for i, n := range g.nodes {
		ln := &lnode{n: n, w: n.w, h: n.h, idx: i, weight: 1}
		if l.banded {
			ln.band = n.band
		}
		l.nodes = append(l.nodes, ln)
		l.of[n] = ln
	}
	for _, e := range g.edges {
		if e.from == e.to {
			// A self-loop is drawn on the node's right; widen the node's
			// slot so that the loop and its label have room.
			l.loops = append(l.loops, e)
			l.of[e.from].w += 2 * (loopWidth + maxWidth(e.label, fontLabel, false) + 8)
			continue
		}
		l.chains = append(l.chains, &chain{e: e})
	}
	return l
}

// ends returns a chain's endpoints in layered (downward) orientation.
func (l *layered) ends(c *chain) (upper, lower *lnode) {
	if c.reversed {
		return l.of[c.e.to], l.of[c.e.from]
	}
	return l.of[c.e.from], l.of[c.e.to]
}

// breakCycles reverses the back edges of a depth-first search that starts
// from the nodes in their given order (the start state first), so that the
// main flow points down and loops point back up.
func (l *layered) breakCycles() {
	out := make([][]*chain, len(l.nodes))
	for _, c := range l.chains {
		from := l.of[c.e.from]
		out[from.idx] = append(out[from.idx], c)
	}
	const (
		unseen = iota
		active
		done
	)
	state := make([]int, len(l.nodes))
	type frame struct {
		v    *lnode
		next int
	}
	for _, root := range l.nodes {
		if state[root.idx] != unseen {
			continue
		}
		// An explicit stack: a 10,000-state chain must not overflow.
		stack := []frame{{v: root}}
		state[root.idx] = active
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == len(out[top.v.idx]) {
				state[top.v.idx] = done
				stack = stack[:len(stack)-1]
				continue
			}
			c := out[top.v.idx][top.next]
			top.next++
			to := l.of[c.e.to]
			switch state[to.idx] {
			case active:
				c.reversed = true
			case unseen:
				state[to.idx] = active
				stack = append(stack, frame{v: to})
			}
		}
	}
}

// minLen is how many layers an edge spans at least: two for a labeled one,
// whose label takes the layer between.
func minLen(c *chain) int {
	if len(c.e.label) > 0 {
		return 2
	}
	return 1
}

// assignLayers puts every node on the longest path from a source, in
// topological order (Kahn's algorithm) over the reversed-cycle graph.
func (l *layered) assignLayers() {
	n := len(l.nodes)
	indeg := make([]int, n)
	out := make([][]*chain, n)
	for _, c := range l.chains {
		u, v := l.ends(c)
		out[u.idx] = append(out[u.idx], c)
		indeg[v.idx]++
	}
	queue := make([]*lnode, 0, n)
	for _, v := range l.nodes {
		if indeg[v.idx] == 0 {
			queue = append(queue, v)
		}
	}
	for i := 0; i < len(queue); i++ {
		u := queue[i]
		for _, c := range out[u.idx] {
			_, v := l.ends(c)
			v.layer = max(v.layer, u.layer+minLen(c))
			indeg[v.idx]--
			if indeg[v.idx] == 0 {
				queue = append(queue, v)
			}
		}
	}
}

// addDummies splits every edge into one-layer segments.
func (l *layered) addDummies() {
	for _, c := range l.chains {
		u, v := l.ends(c)
		c.nodes = []*lnode{u}
		labelLayer := -1
		if len(c.e.label) > 0 {
			// The label sits next to the edge's real source: under a
			// Choice for a forward rule, above the source for a loop.
			labelLayer = u.layer + 1
			if c.reversed {
				labelLayer = v.layer - 1
			}
			c.e.labelW = maxWidth(c.e.label, fontLabel, false) + 8
			c.e.labelH = float64(len(c.e.label))*lineLabel + 4
		}
		for layer := u.layer + 1; layer < v.layer; layer++ {
			d := &lnode{layer: layer, idx: len(l.nodes), weight: 1, band: u.band}
			if layer > (u.layer+v.layer)/2 {
				d.band = v.band
			}
			if layer == labelLayer {
				d.label = c.e
				d.w, d.h = c.e.labelW+6, c.e.labelH
			}
			l.nodes = append(l.nodes, d)
			c.nodes = append(c.nodes, d)
		}
		c.nodes = append(c.nodes, v)
		for i := 1; i < len(c.nodes); i++ {
			a, b := c.nodes[i-1], c.nodes[i]
			a.down = append(a.down, b)
			b.up = append(b.up, a)
		}
	}
	depth := 0
	for _, v := range l.nodes {
		depth = max(depth, v.layer+1)
	}
	l.layers = make([][]*lnode, depth)
}

// order fixes the left-to-right order of every layer.
func (l *layered) order() {
	// Initial order: depth-first from the first layer, so that a state's
	// successors appear in the order the definition lists them.
	seen := make([]bool, len(l.nodes))
	var visit func(v *lnode)
	visit = func(v *lnode) {
		seen[v.idx] = true
		l.layers[v.layer] = append(l.layers[v.layer], v)
		for _, w := range v.down {
			if !seen[w.idx] {
				visit(w)
			}
		}
	}
	for _, v := range l.nodes {
		if !seen[v.idx] && len(v.up) == 0 {
			visit(v)
		}
	}
	for _, v := range l.nodes {
		if !seen[v.idx] {
			visit(v)
		}
	}
	for _, layer := range l.layers {
		if l.banded {
			sort.SliceStable(layer, func(i, j int) bool { return layer[i].band < layer[j].band })
		}
		renumber(layer)
	}

	best := l.snapshot()
	bestCross := l.crossings()
	for pass := 0; pass < sweeps && bestCross > 0; pass++ {
		if pass%2 == 0 {
			for i := 1; i < len(l.layers); i++ {
				l.sortByBarycenter(l.layers[i], true)
			}
		} else {
			for i := len(l.layers) - 2; i >= 0; i-- {
				l.sortByBarycenter(l.layers[i], false)
			}
		}
		if c := l.crossings(); c < bestCross {
			bestCross, best = c, l.snapshot()
		}
	}
	l.restore(best)
}

func renumber(layer []*lnode) {
	for i, v := range layer {
		v.pos = i
	}
}

// sortByBarycenter orders a layer by the mean position of each node's
// neighbours in the layer above (up) or below. A node without such
// neighbours keeps its place.
func (l *layered) sortByBarycenter(layer []*lnode, up bool) {
	bary := make(map[*lnode]float64, len(layer))
	for _, v := range layer {
		nb := v.down
		if up {
			nb = v.up
		}
		if len(nb) == 0 {
			bary[v] = float64(v.pos)
			continue
		}
		sum := 0.0
		for _, w := range nb {
			sum += float64(w.pos)
		}
		bary[v] = sum / float64(len(nb))
	}
	sort.SliceStable(layer, func(i, j int) bool {
		a, b := layer[i], layer[j]
		if l.banded && a.band != b.band {
			return a.band < b.band
		}
		return bary[a] < bary[b]
	})
	renumber(layer)
}

// crossings counts edge crossings between adjacent layers: segments sorted
// by their upper position cross when their lower positions are inverted.
func (l *layered) crossings() int {
	total := 0
	var lower []int
	for _, layer := range l.layers {
		lower = lower[:0]
		for _, v := range layer {
			start := len(lower)
			for _, w := range v.down {
				lower = append(lower, w.pos)
			}
			slices.Sort(lower[start:])
		}
		total += inversions(lower)
	}
	return total
}

// inversions counts pairs i < j with s[i] > s[j] by merge sort.
func inversions(s []int) int {
	if len(s) < 2 {
		return 0
	}
	buf := make([]int, len(s))
	copy(buf, s)
	tmp := make([]int, len(s))
	var count func(a []int) int
	count = func(a []int) int {
		if len(a) < 2 {
			return 0
		}
		mid := len(a) / 2
		n := count(a[:mid]) + count(a[mid:])
		t := tmp[:0]
		i, j := 0, mid
		for i < mid && j < len(a) {
			if a[j] < a[i] {
				n += mid - i
				t = append(t, a[j])
				j++
			} else {
				t = append(t, a[i])
				i++
			}
		}
		t = append(t, a[i:mid]...)
		t = append(t, a[j:]...)
		copy(a, t)
		return n
	}
	return count(buf)
}

func (l *layered) snapshot() [][]*lnode {
	s := make([][]*lnode, len(l.layers))
	for i, layer := range l.layers {
		s[i] = slices.Clone(layer)
	}
	return s
}

func (l *layered) restore(s [][]*lnode) {
	l.layers = s
	for _, layer := range l.layers {
		renumber(layer)
	}
}
