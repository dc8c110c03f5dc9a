package logtail

import (
	"fmt"
)

// Format is a line for people: time, source padded to width, message.
func Format(l Line, width int) string {
	return fmt.Sprintf("%s %-*s %s", l.Time.Local().Format("15:04:05.000"), width, l.Source, l.Message)
}

// Width is the source column's width for these functions and machines.
func Width(o Options) int {
	w := 0
	for _, f := range o.Functions {
		w = max(w, len(f.Name))
	}
	for _, m := range o.Machines {
		w = max(w, len(m.Name))
	}
	return w
}
