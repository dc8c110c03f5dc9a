package describe

// Node sizes. Layout needs every node's size before placing anything, and
// the sizes come from the estimated text widths (text.go), so a long state
// name widens its box instead of overflowing it.

const (
	fontTitle  = 13.0
	fontKicker = 9.0
	fontLine   = 11.0
	fontBadge  = 10.5
	fontLabel  = 10.5

	lineTitle  = 17.0
	lineKicker = 12.0
	lineDetail = 14.0
	lineLabel  = 13.0

	padX       = 12.0
	padY       = 8.0
	minNodeW   = 96.0
	badgeIcon  = 14.0 // room for the retry icon before a badge
	markerSize = 40.0 // Start and End circles

	groupPad    = 14.0
	groupHeader = 30.0
	branchPad   = 10.0
	branchHead  = 20.0
)

// contentSize is the width and height of a node's text block.
func contentSize(n *node) (w, h float64) {
	w = textWidth(n.title, fontTitle, true)
	h = lineTitle
	if n.kicker != "" {
		w = max(w, textWidth(n.kicker, fontKicker, true)*1.15)
		h += lineKicker
	}
	w = max(w, maxWidth(n.lines, fontLine, false))
	h += float64(len(n.lines)) * lineDetail
	w = max(w, maxWidth(n.badges, fontBadge, false)+badgeIcon)
	h += float64(len(n.badges)) * lineDetail
	return w, h
}

// measure sets the size of a node without an inner graph. Shapes with
// slanted sides get the extra room their slants take from the text.
func measure(n *node) {
	if n.shape == shapeCircle {
		n.w, n.h = markerSize, markerSize
		return
	}
	tw, th := contentSize(n)
	n.h = th + 2*padY
	switch n.shape {
	case shapeDiamond:
		// A rhombus with half-diagonals a and b holds the text box when
		// tw/2a + th/2b <= 1; b = 1.3 th leaves about 60% for the width.
		n.h = 2.6 * th
		n.w = max(1.63*tw+padX, minNodeW)
	case shapeHexagon:
		n.w = max(tw+2*padX+n.h*0.5, minNodeW)
	case shapeStadium:
		n.w = max(tw+n.h, minNodeW)
	case shapeOctagon:
		n.w = max(tw+2*padX+n.h*0.4, minNodeW)
	default:
		n.w = max(tw+2*padX, minNodeW)
	}
}

// measureGroup sizes a container around its laid-out inner graph, with a
// header for its title and, when the title is the wider, the inner graph
// centered.
func measureGroup(n *node) {
	head, pad := groupHeader, groupPad
	if n.shape == shapeBranch {
		head, pad = branchHead, branchPad
	}
	titleW := textWidth(n.title, fontTitle, true) + textWidth(n.kicker, fontKicker, true)*1.15 + 3*padX
	if n.shape == shapeBranch {
		titleW = textWidth(n.title, fontKicker, true)*1.15 + 2*padX
	}
	n.w = max(n.inner.w+2*pad, titleW, minNodeW)
	n.h = head + n.inner.h + pad
	if len(n.badges) > 0 {
		n.h += float64(len(n.badges))*lineDetail + 4
		n.w = max(n.w, maxWidth(n.badges, fontBadge, false)+badgeIcon+2*pad)
	}
	n.innerX = (n.w - n.inner.w) / 2
	n.innerY = head
}
