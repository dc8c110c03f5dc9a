package describe

import (
	"strings"
	"unicode/utf8"
)

// helveticaWidths are the advance widths of printable ASCII (32 to 126) in
// Helvetica, in thousandths of the font size, from the font's AFM. Layout
// happens in Go, before any browser sees the text, so it estimates widths
// from these metrics; Arial and Liberation Sans share them.
var helveticaWidths = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' to '/'
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // digits
	278, 278, 584, 584, 584, 556, 1015, // ':' to '@'
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A to M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N to Z
	278, 278, 278, 469, 556, 333, // '[' to '`'
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a to m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n to z
	334, 260, 334, 584, // '{' to '~'
}

// textWidth estimates the rendered width of s at size px. Bold text is about
// 8% wider; characters outside ASCII count as a wide letter, so estimates
// err on the side of room.
func textWidth(s string, size float64, bold bool) float64 {
	var units float64
	for _, r := range s {
		if r >= 32 && r <= 126 {
			units += float64(helveticaWidths[r-32])
		} else {
			units += 722
		}
	}
	w := units * size / 1000
	if bold {
		w *= 1.08
	}
	return w
}

// wrap breaks s into lines of at most max characters, at spaces when it
// can, so that long Choice rules and ARNs do not stretch the diagram.
func wrap(s string, max int) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		for utf8.RuneCountInString(para) > max {
			cut := lastSpaceBefore(para, max)
			if cut <= 0 {
				cut = byteIndexOfRune(para, max)
			}
			lines = append(lines, strings.TrimRight(para[:cut], " "))
			para = strings.TrimLeft(para[cut:], " ")
		}
		lines = append(lines, para)
	}
	return lines
}

func lastSpaceBefore(s string, max int) int {
	limit := byteIndexOfRune(s, max+1)
	if limit > len(s) {
		limit = len(s)
	}
	// Break at a space, or after a separator that reads well at a line end.
	for i := limit - 1; i > 0; i-- {
		switch s[i] {
		case ' ':
			return i
		case ',', '/':
			if i+1 < limit && i > max/3 {
				return i + 1
			}
		}
	}
	return -1
}

// byteIndexOfRune is the byte offset of the n-th rune of s, or len(s).
func byteIndexOfRune(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	return len(s)
}

// truncate shortens s to max characters with an ellipsis.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return s[:byteIndexOfRune(s, max-3)] + "..."
}

// maxWidth is the widest of lines at size px.
func maxWidth(lines []string, size float64, bold bool) float64 {
	w := 0.0
	for _, l := range lines {
		w = max(w, textWidth(l, size, bold))
	}
	return w
}
