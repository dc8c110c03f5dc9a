package describe

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/cfn"
)

// The stack diagram: one node per template resource, an edge wherever a
// resource refers to another (Ref, Fn::GetAtt, a ${Name} inside Fn::Sub,
// DependsOn), and one column per AWS service, so that the functions, their
// roles and their log groups each line up.

// cfnDoc is the decoded CloudFormation template (cfn.Decode).
type cfnDoc = map[string]any

// resource is one entry of the template's Resources.
type resource struct {
	id    string
	typ   string
	props map[string]any
	raw   map[string]any
}

// resources lists the template's resources sorted by logical ID.
func resources(doc cfnDoc) []resource {
	m, _ := doc["Resources"].(map[string]any)
	out := make([]resource, 0, len(m))
	for _, id := range sortedKeys(m) {
		r, _ := m[id].(map[string]any)
		typ, _ := r["Type"].(string)
		props, _ := r["Properties"].(map[string]any)
		out = append(out, resource{id: id, typ: typ, props: props, raw: r})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// serviceOf is the band of a resource type: "AWS::Lambda::Function" ->
// "AWS::Lambda". Custom resources and modules keep their first two parts.
func serviceOf(typ string) string {
	parts := strings.SplitN(typ, "::", 3)
	if len(parts) < 2 {
		return typ
	}
	return parts[0] + "::" + parts[1]
}

// bandClass is the CSS class of a stack column: the service part of its
// resource type prefix, "AWS::Lambda" -> "lambda".
func bandClass(band string) string {
	parts := strings.Split(band, "::")
	return strings.ToLower(parts[len(parts)-1])
}

// servicePreference orders the columns before they are improved: what
// runs first (state machines, functions), what they talk to, then what
// supports them (roles, logs).
var servicePreference = []string{
	"AWS::StepFunctions", "AWS::Lambda", "AWS::SNS", "AWS::SQS", "AWS::DynamoDB", "AWS::S3",
	"AWS::ECS", "AWS::ECR", "AWS::EC2", "AWS::Events", "AWS::IAM", "AWS::Logs", "AWS::CloudWatch",
}

// nameProperty is the property that names a resource, shown under its ID.
var nameProperty = []string{
	"FunctionName", "StateMachineName", "RoleName", "LogGroupName", "TopicName", "QueueName",
	"BucketName", "TableName", "ClusterName", "RepositoryName", "DisplayName", "Name",
}

// reference is one use of another resource.
type reference struct {
	to   string
	kind edgeKind
	attr string
}

// subRef finds ${Name} and ${Name.Attribute} in an Fn::Sub string; ${!x}
// is a literal.
var subRef = regexp.MustCompile(`\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}`)

// references lists what r refers to, in the order found, walking maps by
// sorted key so that the result is stable.
func references(r resource, ids map[string]bool) []reference {
	var out []reference
	add := func(to string, kind edgeKind, attr string) {
		if ids[to] && to != r.id {
			out = append(out, reference{to, kind, attr})
		}
	}
	cfn.WalkIntrinsics(r.props, func(fn string, arg any) {
		switch fn {
		case "Ref":
			s, _ := arg.(string)
			add(s, edgeRef, "")
		case "Fn::GetAtt":
			id, attr := getAtt(arg)
			add(id, edgeGetAtt, attr)
		case "Fn::Sub":
			s, vars := subArgs(arg)
			for _, m := range subRef.FindAllStringSubmatch(s, -1) {
				if !vars[m[1]] {
					add(m[1], edgeSub, m[2])
				}
			}
		}
	})
	for _, d := range cfn.DependsOn(r.raw["DependsOn"]) {
		add(d, edgeDepends, "")
	}
	return out
}

// getAtt reads Fn::GetAtt in its list and its "Name.Attribute" forms.
func getAtt(arg any) (id, attr string) {
	switch a := arg.(type) {
	case []any:
		if len(a) > 0 {
			id, _ = a[0].(string)
		}
		if len(a) > 1 {
			attr, _ = a[1].(string)
		}
	case string:
		id, attr, _ = strings.Cut(a, ".")
	}
	return id, attr
}

// subArgs reads Fn::Sub's string and the names its variable map defines.
func subArgs(arg any) (string, map[string]bool) {
	switch a := arg.(type) {
	case string:
		return a, nil
	case []any:
		if len(a) == 0 {
			return "", nil
		}
		s, _ := a[0].(string)
		vars := map[string]bool{}
		if len(a) > 1 {
			if m, ok := a[1].(map[string]any); ok {
				for k := range m {
					vars[k] = true
				}
			}
		}
		return s, vars
	}
	return "", nil
}

// edgeStrength orders the kinds of reference between the same two
// resources: one edge is drawn, as the strongest.
var edgeStrength = map[edgeKind]int{edgeGetAtt: 4, edgeRef: 3, edgeSub: 2, edgeDepends: 1}

// stackGraph builds the diagram of the template's resources.
func stackGraph(doc cfnDoc) *graph {
	res := resources(doc)
	ids := make(map[string]bool, len(res))
	bandSet := map[string]bool{}
	for _, r := range res {
		ids[r.id] = true
		bandSet[serviceOf(r.typ)] = true
	}
	g := &graph{lr: true}
	nodes := map[string]*node{}
	for _, r := range res {
		n := &node{
			id:      "r-" + sanitizeID(r.id),
			title:   r.id,
			kicker:  strings.ToUpper(lastPart(r.typ)),
			class:   "res " + bandClass(serviceOf(r.typ)),
			shape:   shapeRect,
			tooltip: r.id + " (" + r.typ + ")",
		}
		for _, p := range nameProperty {
			if s, ok := r.props[p].(string); ok {
				n.lines = []string{truncate(s, detailWrap)}
				break
			}
		}
		nodes[r.id] = g.add(n)
	}
	type pair struct{ from, to string }
	kinds := map[pair][]reference{}
	var pairs []pair
	for _, r := range res {
		for _, ref := range references(r, ids) {
			p := pair{r.id, ref.to}
			if kinds[p] == nil {
				pairs = append(pairs, p)
			}
			kinds[p] = append(kinds[p], ref)
		}
	}
	for _, p := range pairs {
		refs := kinds[p]
		best := refs[0].kind
		var tip []string
		for _, r := range refs {
			if edgeStrength[r.kind] > edgeStrength[best] {
				best = r.kind
			}
			tip = append(tip, refText(r))
		}
		e := g.connect(nodes[p.from], nodes[p.to], best, "")
		e.tooltip = strings.Join(slices.Compact(tip), ", ")
	}
	g.bands = orderBands(bandSet, g, nodes, res)
	band := make(map[string]int, len(g.bands))
	for i, b := range g.bands {
		band[b] = i
	}
	for _, r := range res {
		nodes[r.id].band = band[serviceOf(r.typ)]
	}
	return g
}

func refText(r reference) string {
	switch r.kind {
	case edgeGetAtt:
		return "Fn::GetAtt " + r.to + "." + r.attr
	case edgeSub:
		if r.attr != "" {
			return "Fn::Sub ${" + r.to + "." + r.attr + "}"
		}
		return "Fn::Sub ${" + r.to + "}"
	case edgeDepends:
		return "DependsOn " + r.to
	}
	return "Ref " + r.to
}

func lastPart(typ string) string {
	if i := strings.LastIndex(typ, "::"); i >= 0 {
		return typ[i+2:]
	}
	return typ
}

// orderBands orders the service columns: the preferred order first, then
// adjacent swaps while they shorten the total horizontal span of the
// edges, so that services that talk to each other sit side by side.
func orderBands(set map[string]bool, g *graph, nodes map[string]*node, res []resource) []string {
	var order []string
	for _, s := range servicePreference {
		if set[s] {
			order = append(order, s)
		}
	}
	for _, s := range sortedKeys(set) {
		if !slices.Contains(servicePreference, s) {
			order = append(order, s)
		}
	}
	svcOf := make(map[*node]string, len(res))
	for _, r := range res {
		svcOf[nodes[r.id]] = serviceOf(r.typ)
	}
	cost := func(order []string) int {
		pos := make(map[string]int, len(order))
		for i, s := range order {
			pos[s] = i
		}
		total := 0
		for _, e := range g.edges {
			d := pos[svcOf[e.from]] - pos[svcOf[e.to]]
			total += max(d, -d)
		}
		return total
	}
	for improved := true; improved; {
		improved = false
		for i := 0; i+1 < len(order); i++ {
			before := cost(order)
			order[i], order[i+1] = order[i+1], order[i]
			if cost(order) < before {
				improved = true
			} else {
				order[i], order[i+1] = order[i+1], order[i]
			}
		}
	}
	return order
}

// compactJSON writes v on one line, for table cells.
func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
