package describe

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sparta-go/sparta/step"
)

// Turning a state machine into a graph: one node per state, shaped and
// classed by its type, edges for Next, Choice rules, Default and Catch, and
// groups for Parallel branches and Map item processors.

const (
	ruleWrap   = 40 // characters per line of a Choice rule label
	maxLabel   = 6  // label lines shown on one edge; the rest in the tooltip
	maxBadges  = 3  // Retry lines shown on one state
	detailWrap = 40 // characters per detail line
)

// machineBuilder numbers nodes in walk order, so that ids are stable.
type machineBuilder struct {
	next    int
	visited map[string]bool
}

// machineGraph builds the graph of sm. path, when given, is an execution's
// states in order (step.Execution.Path); those states and the transitions
// between consecutive ones are marked visited.
func machineGraph(sm *step.StateMachine, path []string) *graph {
	b := &machineBuilder{visited: map[string]bool{}}
	for _, name := range path {
		b.visited[name] = true
	}
	g := &graph{}
	start := g.add(&node{id: "start", title: "Start", class: "marker", shape: shapeCircle, visited: len(path) > 0})
	nodes := b.scope(g, sm.States())
	end := &node{id: "finish", title: "End", class: "marker", shape: shapeCircle}
	if first := nodes[sm.StartAt()]; first != nil {
		e := g.connect(start, first, edgeNext, "")
		e.visited = len(path) > 0 && path[0] == sm.StartAt().Name()
	}
	ended := false
	for _, s := range sm.States() {
		if ends(s) {
			if !ended {
				g.add(end)
				ended = true
			}
			e := g.connect(nodes[s], end, edgeNext, "")
			e.visited = len(path) > 0 && path[len(path)-1] == s.Name()
			end.visited = end.visited || e.visited
		}
	}
	// The Start edge was added last but reads first.
	for i, e := range g.edges {
		if e.from == start {
			copy(g.edges[1:i+1], g.edges[:i])
			g.edges[0] = e
			break
		}
	}
	markPath(g, path)
	return g
}

// scope adds the states of one scope (the machine, a branch, an item
// processor) and the edges between them.
func (b *machineBuilder) scope(g *graph, states []step.State) map[step.State]*node {
	nodes := make(map[step.State]*node, len(states))
	for _, s := range states {
		nodes[s] = g.add(b.stateNode(s))
	}
	for _, s := range states {
		from := nodes[s]
		for _, t := range step.Transitions(s) {
			to := nodes[t.To]
			if to == nil {
				continue // a target outside the scope; Validate reports it
			}
			kind, label := transitionStyle(s, t.Field)
			g.connect(from, to, kind, label)
		}
	}
	for _, e := range g.edges {
		e.text = slices.Clone(e.label)
		e.tooltip = strings.Join(e.label, "\n")
		e.label = wrapLabels(e.label, e.kind == edgeChoice)
	}
	return nodes
}

// wrapLabels wraps each label and keeps the first maxLabel lines, saying
// how many were left out. Several Choice rules on one edge are alternatives,
// so each after the first reads "or ...".
func wrapLabels(labels []string, rules bool) []string {
	var lines []string
	for i, r := range labels {
		if i > 0 && rules {
			r = "or " + r
		}
		w := wrap(r, ruleWrap)
		if i == 0 && len(w) > maxLabel {
			w = append(w[:maxLabel-1], "...")
		}
		if len(lines)+len(w) > maxLabel {
			lines = append(lines, fmt.Sprintf("... and %d more", len(labels)-i))
			break
		}
		lines = append(lines, w...)
	}
	return lines
}

// transitionStyle gives an edge its kind and label from the ASL field it
// comes from ("Next", "Default", "Choices[2].Next", "Catch[0].Next").
func transitionStyle(s step.State, field string) (edgeKind, string) {
	switch {
	case field == "Default":
		return edgeDefault, "Default"
	case strings.HasPrefix(field, "Choices["):
		c := s.(*step.ChoiceState)
		if i, ok := fieldIndex(field); ok && i < len(c.Choices()) {
			return edgeChoice, ruleText(c.Choices()[i].Comparison)
		}
		return edgeChoice, field
	case strings.HasPrefix(field, "Catch["):
		if i, ok := fieldIndex(field); ok {
			if cs := catchers(s); i < len(cs) {
				return edgeCatch, "Catch " + strings.Join(cs[i].ErrorEquals, ", ")
			}
		}
		return edgeCatch, "Catch"
	}
	return edgeNext, ""
}

// fieldIndex reads i from "Name[i].Next".
func fieldIndex(field string) (int, bool) {
	open, close := strings.IndexByte(field, '['), strings.IndexByte(field, ']')
	if open < 0 || close < open {
		return 0, false
	}
	i, err := strconv.Atoi(field[open+1 : close])
	return i, err == nil
}

func catchers(s step.State) []step.Catcher {
	if h, ok := s.(interface{ Catchers() []step.Catcher }); ok {
		return h.Catchers()
	}
	return nil
}

func retriers(s step.State) []step.Retrier {
	if h, ok := s.(interface{ Retriers() []step.Retrier }); ok {
		return h.Retriers()
	}
	return nil
}

// ends reports whether s ends its scope: a Succeed or Fail state, or one
// with End instead of Next.
func ends(s step.State) bool {
	switch s.Type() {
	case step.TypeSucceed, step.TypeFail:
		return true
	case step.TypeChoice:
		return false
	}
	for _, t := range step.Transitions(s) {
		if t.Field == "Next" {
			return false
		}
	}
	return true
}

// stateFields are the ASL fields describe reads from a state's JSON, which
// already holds them in their final, written-out form.
type stateFields struct {
	Comment       string
	Resource      string
	Seconds       json.RawMessage
	SecondsPath   string
	Timestamp     string
	TimestampPath string
	Error         string
	ErrorPath     string
	Cause         string
	CausePath     string
	ItemsPath     string
	Items         json.RawMessage
}

func (b *machineBuilder) stateNode(s step.State) *node {
	b.next++
	n := &node{
		id:      "s" + strconv.Itoa(b.next),
		title:   s.Name(),
		state:   s.Name(),
		class:   strings.ToLower(string(s.Type())),
		visited: b.visited[s.Name()],
	}
	var f stateFields
	if raw, err := s.MarshalJSON(); err == nil {
		_ = json.Unmarshal(raw, &f)
	}
	var tip []string
	tip = append(tip, fmt.Sprintf("%s (%s)", s.Name(), s.Type()))
	if f.Comment != "" {
		tip = append(tip, f.Comment)
	}
	switch st := s.(type) {
	case *step.TaskState:
		n.shape, n.kicker = shapeRounded, "TASK"
		n.lines = wrap(taskTarget(st, f.Resource), detailWrap)
		tip = append(tip, "Resource: "+st.Resource())
	case *step.PassState:
		n.shape, n.kicker = shapeRect, "PASS"
	case *step.ChoiceState:
		n.shape = shapeDiamond
		tip = append(tip, fmt.Sprintf("%d rules", len(st.Choices())))
	case *step.WaitState:
		n.shape, n.kicker = shapeHexagon, "WAIT"
		n.lines = []string{waitText(f)}
	case *step.SucceedState:
		n.shape, n.kicker = shapeStadium, "SUCCEED"
	case *step.FailState:
		n.shape, n.kicker = shapeOctagon, "FAIL"
		switch {
		case f.Error != "":
			n.lines = []string{truncate(f.Error, detailWrap)}
		case f.ErrorPath != "":
			n.lines = []string{truncate("error from "+f.ErrorPath, detailWrap)}
		}
		if f.Cause != "" {
			tip = append(tip, "Cause: "+f.Cause)
		}
	case *step.ParallelState:
		n.shape, n.kicker = shapeGroup, "PARALLEL"
		n.inner = &graph{}
		for i, br := range st.Branches() {
			bn := n.inner.add(&node{
				id: fmt.Sprintf("%s_b%d", n.id, i), title: fmt.Sprintf("BRANCH %d", i+1),
				class: "branch", shape: shapeBranch, inner: &graph{},
			})
			b.scope(bn.inner, br.States())
		}
	case *step.MapState:
		n.shape, n.kicker = shapeGroup, "MAP"
		n.inner = &graph{}
		if p := st.ItemProcessor(); p != nil {
			b.scope(n.inner, p.States())
		}
		if f.ItemsPath != "" {
			tip = append(tip, "ItemsPath: "+f.ItemsPath)
		}
	}
	for i, r := range retriers(s) {
		if i == maxBadges {
			n.badges = append(n.badges, fmt.Sprintf("... %d more retriers", len(retriers(s))-i))
			break
		}
		text, detail := retryText(r)
		n.badges = append(n.badges, truncate(text, detailWrap+6))
		tip = append(tip, detail)
	}
	for _, c := range catchers(s) {
		tip = append(tip, "Catch "+strings.Join(c.ErrorEquals, ", ")+" -> "+nameOrEmpty(c.Next))
	}
	n.tooltip = strings.Join(tip, "\n")
	return n
}

func nameOrEmpty(s step.State) string {
	if s == nil {
		return ""
	}
	return s.Name()
}

// taskTarget says what a Task calls: the Go function of a Lambda task, or
// the service action of an integration ("sns:publish").
func taskTarget(t *step.TaskState, resource string) string {
	if fn := t.LambdaFunction(); fn != nil {
		if strings.HasPrefix(resource, step.ResourceLambdaInvoke) {
			return "lambda:invoke " + fn.Name
		}
		return "Lambda " + fn.Name
	}
	r := t.Resource()
	switch {
	case strings.HasPrefix(r, "arn:aws:states:::"):
		return strings.TrimPrefix(r, "arn:aws:states:::")
	case strings.Contains(r, ":function:"):
		return "Lambda " + r[strings.LastIndex(r, ":function:")+len(":function:"):]
	case strings.Contains(r, ":activity:"):
		return "activity " + r[strings.LastIndex(r, ":activity:")+len(":activity:"):]
	}
	return r
}

func waitText(f stateFields) string {
	switch {
	case len(f.Seconds) > 0:
		var secs int64
		if json.Unmarshal(f.Seconds, &secs) == nil {
			return "wait " + (time.Duration(secs) * time.Second).String()
		}
		return truncate("wait "+strings.Trim(string(f.Seconds), `"`), detailWrap)
	case f.SecondsPath != "":
		return truncate("wait seconds at "+f.SecondsPath, detailWrap)
	case f.Timestamp != "":
		return "until " + f.Timestamp
	case f.TimestampPath != "":
		return truncate("until time at "+f.TimestampPath, detailWrap)
	}
	return "wait"
}

// retryText is the badge of a retrier, and the full policy for the tooltip.
func retryText(r step.Retrier) (badge, detail string) {
	errs := strings.Join(r.ErrorEquals, ", ")
	attempts := r.MaxAttempts
	if attempts == 0 {
		attempts = 3
	}
	if r.MaxAttempts == step.NoRetry {
		return "no retry: " + errs, "Retry " + errs + ": never"
	}
	interval, backoff := r.IntervalSeconds, r.BackoffRate
	if interval == 0 {
		interval = 1
	}
	if backoff == 0 {
		backoff = 2
	}
	detail = fmt.Sprintf("Retry %s: %d times, after %ds, backoff %s", errs, attempts, interval, strconv.FormatFloat(backoff, 'g', -1, 64))
	if r.MaxDelaySeconds > 0 {
		detail += fmt.Sprintf(", at most %ds", r.MaxDelaySeconds)
	}
	if r.JitterStrategy != "" {
		detail += ", jitter " + string(r.JitterStrategy)
	}
	return fmt.Sprintf("retry x%d: %s", attempts, errs), detail
}

// markPath marks the edges an execution took: from each state on the path
// to the next one, at any nesting level.
func markPath(g *graph, path []string) {
	if len(path) < 2 {
		return
	}
	taken := map[[2]string]bool{}
	for i := 1; i < len(path); i++ {
		taken[[2]string{path[i-1], path[i]}] = true
	}
	var visit func(g *graph)
	visit = func(g *graph) {
		for _, e := range g.edges {
			if e.from.state != "" && taken[[2]string{e.from.state, e.to.state}] {
				e.visited = true
			}
		}
		for _, n := range g.nodes {
			if n.inner != nil {
				visit(n.inner)
			}
		}
	}
	visit(g)
}
