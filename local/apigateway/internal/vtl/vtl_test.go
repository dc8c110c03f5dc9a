package vtl

import (
	"strings"
	"testing"
)

func run(t *testing.T, src string, vars map[string]any) string {
	t.Helper()
	tpl, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q) = %v", src, err)
	}
	if vars == nil {
		vars = map[string]any{}
	}
	out, err := tpl.Execute(vars)
	if err != nil {
		t.Fatalf("Execute(%q) = %v", src, err)
	}
	return out
}

func TestLanguage(t *testing.T) {
	m := NewMap()
	m.Set("name", "Frank")
	m.Set("age", int64(3))
	m.Set("tags", []any{"a", "b", "c"})
	vars := func() map[string]any { return map[string]any{"d": m, "n": int64(5), "s": "it's"} }
	cases := []struct{ src, want string }{
		{`Hello $d.name!`, `Hello Frank!`},
		{`${d.name}s`, `Franks`},
		{`[$!missing][$missing]`, `[][]`},
		{`$d.tags[1] $d.tags.size() $d.get("age")`, `b 3 3`},
		{"#set($x = 1 + 2 * 3)$x", `7`},
		{"#set($x = (1 + 2) * 3 / 2)$x", `4`},
		{"#set($x = 7 % 4)$x #set($y = 1.5 * 2)$y", `3 3`},
		{"#set($m = {\"a\": 1, \"b\": [true, null, \"x\"]})$m", `{"a":1,"b":[true,null,"x"]}`},
		{"#set($m = {})#set($m.k = \"v\")$m.k", `v`},
		{"#if($n > 3)big#elseif($n > 1)mid#else small#end", `big`},
		{"#if($n < 3)big#elseif($n == 5)five#else small#end", `five`},
		{"#if($n lt 3 or $n eq 4)x#else#if(!$missing && $n ne 4)y#end#end", `y`},
		{"#if($missing)x#{else}z#{end}", `z`},
		{"#foreach($t in $d.tags)$t#if($foreach.hasNext),#end#end", `a,b,c`},
		{"#foreach($i in [1..3])$velocityCount:$i;#end", `1:1;2:2;3:3;`},
		{"#foreach($v in $d)$v|#end", `Frank|3|["a","b","c"]|`},
		{"#set($s2 = \"$d.name is $d.age\")$s2", `Frank is 3`},
		{"#set($q = 'no $interp')$q", `no $interp`},
		{`$s.replaceAll("'", "\\'")`, `it\'s`},
		{`$s.length() $s.toUpperCase() $s.contains("'") $s.substring(0, 2)`, `4 IT'S true it`},
		{"a ## comment\nb #* block *#c", "a b c"},
		{"  #set($a = 1)\nline\n  #if(true)\n  yes\n  #end\nend", "line\n  yes\nend"},
		{`cost: $5 and #notadirective`, `cost: $5 and #notadirective`},
		{"#set($a = \"x\")#set($a = $nothing)$a", `x`},
		{`$d.name.toLowerCase().startsWith("fr")`, `true`},
		{`"$d.age" == "3": #if("$d.age" == "3")yes#end`, `"3" == "3": yes`},
	}
	for _, c := range cases {
		if got := run(t, c.src, vars()); got != c.want {
			t.Errorf("%q\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, src := range []string{"#if(true)x", "#end", "#set($a = )", "#foreach($x in $l)", `$a.b("x"`, "#if(1 +)#end", "#set(1 = 2)", strings.Repeat("#if(true)", 200)} {
		if _, err := Parse(src); err == nil {
			t.Errorf("Parse(%q) succeeded", src)
		}
	}
}

func TestLimits(t *testing.T) {
	tpl, err := Parse("#foreach($i in [1..5000])x#end")
	if err != nil {
		t.Fatal(err)
	}
	out, err := tpl.Execute(map[string]any{})
	if err != nil || len(out) != MaxForeachIterations {
		t.Errorf("got %d characters, %v; want %d", len(out), err, MaxForeachIterations)
	}
	tpl, _ = Parse("#set($s = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')#foreach($a in [1..1000])#foreach($b in [1..1000])$s#end#end")
	if _, err := tpl.Execute(map[string]any{}); err != ErrLimit {
		t.Errorf("runaway template: %v", err)
	}
}

// FuzzTemplate: no template, however malformed, panics or runs unbounded.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"#set($data = $input.path('$'))\n{\"input\": \"$util.escapeJavaScript($data)\"}",
		"#foreach($x in [1..3])#if($foreach.hasNext)$x,#else$x#end#end",
		"${a.b[0].c(\"x\", 'y', 1.5, [1,2], {\"k\": true})}",
		"#if($a == 1 && !$b || $c >= 2)#elseif($d)#else#end",
		"## c\n#* b *#$!x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := Parse(src)
		if err != nil {
			return
		}
		m := NewMap()
		m.Set("k", []any{int64(1), "two"})
		_, _ = tpl.Execute(map[string]any{"a": m, "b": "s", "c": int64(3)})
	})
}
