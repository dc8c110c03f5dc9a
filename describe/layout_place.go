package describe

import "slices"

// Coordinates and routes: the second half of the layered layout.

// anchor is where edges attach to a layered node horizontally: its center,
// or for a label's dummy the left side, so that the label reads to the
// right of its edge.
func (v *lnode) anchor() float64 {
	if v.label != nil {
		return v.x - v.w/2 + 3
	}
	return v.x
}

func (v *lnode) anchorOffset() float64 { return v.anchor() - v.x }

// pull is how strongly an edge segment between v and w straightens: long
// edges (dummy to dummy) most, so they run vertically instead of zigzagging.
func pull(v, w *lnode) float64 {
	switch {
	case v.n == nil && w.n == nil:
		return 8
	case v.n == nil || w.n == nil:
		return 2
	}
	return 1
}

// gap is the space between two neighbours of a layer.
func gap(a, b *lnode) float64 {
	switch {
	case a.n != nil && b.n != nil:
		return nodeSep
	case a.label != nil || b.label != nil:
		return dummySep + 6
	}
	return dummySep
}

// placeX assigns horizontal centers, band by band.
func (l *layered) placeX() {
	bands := 1
	if l.banded {
		bands = len(l.g.bands)
	}
	start := 0.0
	if l.banded {
		start = bandPad
	}
	// The band's title sits above its column, or, left to right, at the
	// start of its row: in layout space, before its nodes.
	lead := 0.0
	if l.banded && l.g.lr {
		lead = bandHead
	}
	l.g.bandBoxes = nil
	for b := 0; b < bands; b++ {
		segs := make([][]*lnode, len(l.layers))
		count := 0
		for i, layer := range l.layers {
			for _, v := range layer {
				if !l.banded || v.band == b {
					segs[i] = append(segs[i], v)
				}
			}
			count += len(segs[i])
		}
		if count == 0 {
			continue
		}
		placeBand(segs, b, l.banded)
		left, right := bounds(segs)
		for _, seg := range segs {
			for _, v := range seg {
				v.x += start + lead - left
			}
		}
		if l.banded {
			l.g.bandBoxes = append(l.g.bandBoxes, box{
				title: l.g.bands[b], class: bandClass(l.g.bands[b]),
				x: start - bandPad, w: lead + right - left + 2*bandPad,
			})
		}
		start += lead + right - left + bandGap
		if l.banded {
			start += 2 * bandPad
		}
	}
}

func bounds(segs [][]*lnode) (left, right float64) {
	first := true
	for _, seg := range segs {
		for _, v := range seg {
			if first || v.x-v.w/2 < left {
				left = v.x - v.w/2
			}
			if first || v.x+v.w/2 > right {
				right = v.x + v.w/2
			}
			first = false
		}
	}
	return left, right
}

// placeBand packs each layer's segment left to right, then moves nodes
// toward their neighbours in alternating passes, down then up, finishing
// with passes that weigh both sides so that a fork sits above the middle
// of its branches.
func placeBand(segs [][]*lnode, band int, banded bool) {
	for _, seg := range segs {
		x := 0.0
		for i, v := range seg {
			if i > 0 {
				x += seg[i-1].w/2 + gap(seg[i-1], v) + v.w/2
			}
			v.x = x
		}
	}
	same := func(w *lnode) bool { return !banded || w.band == band }
	for round := 0; round < xRounds; round++ {
		useUp, useDown := round%2 == 0, round%2 == 1
		if round >= xRounds-2 {
			useUp, useDown = true, true
		}
		order := make([]int, len(segs))
		for i := range order {
			order[i] = i
		}
		if round%2 == 1 {
			slices.Reverse(order)
		}
		for _, i := range order {
			seg := segs[i]
			if len(seg) == 0 {
				continue
			}
			want := make([]float64, len(seg))
			weight := make([]float64, len(seg))
			for j, v := range seg {
				sum, wsum := 0.0, 0.0
				add := func(nb []*lnode) {
					for _, w := range nb {
						if same(w) {
							p := pull(v, w)
							sum += p * w.anchor()
							wsum += p
						}
					}
				}
				if useUp {
					add(v.up)
				}
				if useDown {
					add(v.down)
				}
				if wsum == 0 {
					want[j], weight[j] = v.x, 0.01
					continue
				}
				want[j], weight[j] = sum/wsum-v.anchorOffset(), wsum
			}
			seps := make([]float64, len(seg)-1)
			for j := 1; j < len(seg); j++ {
				seps[j-1] = seg[j-1].w/2 + gap(seg[j-1], seg[j]) + seg[j].w/2
			}
			for j, x := range isotonic(want, weight, seps) {
				seg[j].x = x
			}
		}
	}
}

// isotonic returns the positions x closest to want (weighted least
// squares) that keep the order with at least seps[i] between x[i] and
// x[i+1]. Subtracting the cumulative spacing turns it into isotonic
// regression, which pool-adjacent-violators solves exactly in linear time.
func isotonic(want, weight, seps []float64) []float64 {
	n := len(want)
	offset := make([]float64, n)
	for i := 1; i < n; i++ {
		offset[i] = offset[i-1] + seps[i-1]
	}
	type block struct {
		w, wy float64
		count int
	}
	blocks := make([]block, 0, n)
	for i := 0; i < n; i++ {
		blocks = append(blocks, block{weight[i], weight[i] * (want[i] - offset[i]), 1})
		for len(blocks) > 1 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.wy/a.w <= b.wy/b.w {
				break
			}
			blocks = blocks[:len(blocks)-1]
			blocks[len(blocks)-1] = block{a.w + b.w, a.wy + b.wy, a.count + b.count}
		}
	}
	out := make([]float64, 0, n)
	for _, b := range blocks {
		for k := 0; k < b.count; k++ {
			out = append(out, b.wy/b.w+offset[len(out)])
		}
	}
	return out
}

// placeY stacks the layers and centers each node in its layer.
func (l *layered) placeY() {
	y := 0.0
	if l.banded && !l.g.lr {
		y = bandHead + bandPad
	} else if l.banded {
		y = bandPad
	}
	l.layerY = make([]float64, len(l.layers))
	l.layerH = make([]float64, len(l.layers))
	right := 0.0
	for i, layer := range l.layers {
		h := 6.0
		for _, v := range layer {
			h = max(h, v.h)
			right = max(right, v.x+v.w/2)
		}
		l.layerY[i], l.layerH[i] = y, h
		for _, v := range layer {
			if v.n != nil {
				v.n.x, v.n.y = v.x-v.n.w/2, y+(h-v.n.h)/2
				if v.n.shape == shapeBranch {
					v.n.y = y // branches side by side start level
				}
			}
		}
		y += h + rankSep
	}
	l.g.w = right
	l.g.h = y - rankSep
	if l.banded {
		l.g.w += bandPad
		l.g.h += bandPad
		for i := range l.g.bandBoxes {
			l.g.bandBoxes[i].h = l.g.h
		}
	}
}

// route turns every chain into the points its curve passes through, with
// each node's edges spread along its side in the order of where they go,
// so that arrows do not pile onto one point and cross at the node.
func (l *layered) route() {
	type end struct {
		c     *chain
		other float64
		port  float64
	}
	bottom := map[*lnode][]*end{}
	top := map[*lnode][]*end{}
	ends := make(map[*chain][2]*end, len(l.chains))
	for _, c := range l.chains {
		first, last := c.nodes[0], c.nodes[len(c.nodes)-1]
		b := &end{c: c, other: c.nodes[1].anchor()}
		t := &end{c: c, other: c.nodes[len(c.nodes)-2].anchor()}
		bottom[first] = append(bottom[first], b)
		top[last] = append(top[last], t)
		ends[c] = [2]*end{b, t}
	}
	spread := func(v *lnode, list []*end) {
		slices.SortStableFunc(list, func(a, b *end) int {
			switch {
			case a.other < b.other:
				return -1
			case a.other > b.other:
				return 1
			}
			return 0
		})
		k := len(list)
		step := 0.0
		if k > 1 && v.n.shape != shapeDiamond && v.n.shape != shapeCircle {
			step = min(16, v.n.w*0.6/float64(k-1))
		}
		for i, e := range list {
			e.port = v.x + (float64(i)-float64(k-1)/2)*step
		}
	}
	for _, v := range l.nodes[:len(l.g.nodes)] {
		spread(v, bottom[v])
		spread(v, top[v])
	}
	for _, c := range l.chains {
		first, last := c.nodes[0], c.nodes[len(c.nodes)-1]
		pe := ends[c]
		pts := []point{{pe[0].port, first.n.y + first.n.h}}
		for _, d := range c.nodes[1 : len(c.nodes)-1] {
			x := d.anchor()
			y0, h := l.layerY[d.layer], l.layerH[d.layer]
			pts = append(pts, point{x, y0}, point{x, y0 + h})
			if d.label != nil {
				c.e.labelX, c.e.labelY = x+5, y0+(h-c.e.labelH)/2
			}
		}
		pts = append(pts, point{pe[1].port, last.n.y})
		if c.reversed {
			slices.Reverse(pts)
		}
		c.e.points = pts
	}
	for _, e := range l.loops {
		n := e.from
		a := point{n.x + n.w, n.y + n.h*0.3}
		b := point{n.x + n.w, n.y + n.h*0.7}
		e.points = []point{a, {a.x + loopWidth, a.y - 12}, {b.x + loopWidth, b.y + 12}, b}
		e.labelW = maxWidth(e.label, fontLabel, false) + 8
		e.labelH = float64(len(e.label))*lineLabel + 4
		e.labelX, e.labelY = a.x+loopWidth*0.75+4, n.y+(n.h-e.labelH)/2
		l.g.w = max(l.g.w, e.labelX+e.labelW)
	}
}
