package describe

import (
	"strconv"
	"strings"
)

// jsonTree writes a decoded JSON value as nested <details> elements: the
// template reads as pretty-printed JSON whose objects and arrays fold, and
// the report's search opens the folds around what it finds. Keys come in
// sorted order, the order cfn.Marshal writes them.
func jsonTree(v any) string {
	var b strings.Builder
	b.WriteString(`<div class="jtree">`)
	writeJSONNode(&b, "", v, 0, true)
	b.WriteString(`</div>`)
	return b.String()
}

// openDepth is how deep the tree starts unfolded: the document and its
// sections; each resource starts folded.
const openDepth = 2

func writeJSONNode(b *strings.Builder, key string, v any, depth int, last bool) {
	comma := ","
	if last {
		comma = ""
	}
	keyHTML := ""
	if key != "" {
		keyHTML = `<span class="jk">` + esc(strconv.Quote(key)) + `</span>: `
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			b.WriteString(`<div class="jl">` + keyHTML + "{}" + comma + "</div>")
			return
		}
		writeFold(b, keyHTML, "{", "}", len(x), "keys", depth)
		keys := sortedKeys(x)
		for i, k := range keys {
			writeJSONNode(b, k, x[k], depth+1, i == len(keys)-1)
		}
		b.WriteString(`</div><div class="jl">}` + comma + `</div></details>`)
	case []any:
		if len(x) == 0 {
			b.WriteString(`<div class="jl">` + keyHTML + "[]" + comma + "</div>")
			return
		}
		writeFold(b, keyHTML, "[", "]", len(x), "items", depth)
		for i, e := range x {
			writeJSONNode(b, "", e, depth+1, i == len(x)-1)
		}
		b.WriteString(`</div><div class="jl">]` + comma + `</div></details>`)
	default:
		b.WriteString(`<div class="jl">` + keyHTML + scalarHTML(x) + comma + "</div>")
	}
}

func writeFold(b *strings.Builder, keyHTML, open, close string, n int, what string, depth int) {
	attr := ""
	if depth < openDepth {
		attr = " open"
	}
	b.WriteString(`<details class="jf"` + attr + `><summary>` + keyHTML + open +
		`<span class="jn"> ` + strconv.Itoa(n) + " " + what + " " + close + `</span></summary><div class="jc">`)
}

func scalarHTML(v any) string {
	switch x := v.(type) {
	case string:
		return `<span class="js">` + esc(strconv.Quote(x)) + `</span>`
	case float64:
		return `<span class="jnum">` + strconv.FormatFloat(x, 'f', -1, 64) + `</span>`
	case bool:
		return `<span class="jb">` + strconv.FormatBool(x) + `</span>`
	case nil:
		return `<span class="jb">null</span>`
	}
	return esc(compactJSON(v))
}
