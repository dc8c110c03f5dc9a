package step

import "time"

// choice checks a Choice state's rules.
func (v *validator) choice(c *ChoiceState, ql QueryLanguage) {
	if len(c.choices) == 0 {
		v.add(c, "Choices", "a Choice state needs at least one rule")
	}
	for i, r := range c.choices {
		field := indexField("Choices", i)
		if r == nil {
			v.add(c, field, "is nil")
			continue
		}
		if r.Next == nil {
			v.add(c, field+".Next", "is required in a top-level choice rule")
		}
		if r.Output != nil && ql != JSONata {
			v.add(c, field+".Output", "is a JSONata field; set QueryLanguage to JSONata")
		}
		v.expressions(c, field+".Output", r.Output)
		v.assign(c, field+".Assign", assignValue(r.Assign), ql)
		if ql == JSONata {
			if _, ok := r.Comparison.(Condition); !ok && !isNil(r.Comparison) {
				v.add(c, field, "a JSONata Choice rule is a Condition; Variable-based operators, And, Or and Not are JSONPath rules")
				continue
			}
		}
		v.comparison(c, field, r.Comparison, true)
	}
}

// comparison checks one Boolean expression; top is set for the
// expression of a top-level rule.
func (v *validator) comparison(c *ChoiceState, field string, cmp Comparison, top bool) {
	if isNil(cmp) {
		v.add(c, field, "has no comparison")
		return
	}
	switch x := cmp.(type) {
	case Condition:
		if !top {
			v.add(c, field, "a Condition cannot be nested in And, Or or Not; combine inside the JSONata expression")
		}
		if !isExpression(string(x)) {
			v.add(c, field+".Condition", "%q must be a JSONata expression written {%% ... %%}", string(x))
		} else {
			v.expression(c, field+".Condition", string(x), true)
		}
	case *And:
		v.combinator(c, field+".And", x.Comparison, x.Next)
	case *Or:
		v.combinator(c, field+".Or", x.Comparison, x.Next)
	case *Not:
		if x.Next != nil {
			v.add(c, field+".Not.Next", "is allowed only in top-level choice rules")
		}
		v.comparison(c, field+".Not", x.Comparison, false)
	case leafComparison:
		variable, op, value := x.leaf()
		if variable == "" {
			v.add(c, field+".Variable", "%s needs a Variable path", op)
		} else {
			v.path(c, field+".Variable", variable, pathReference)
		}
		switch val := value.(type) {
		case time.Time:
			if val.IsZero() {
				v.add(c, field+"."+op, "has no timestamp")
			}
		case string:
			if isPathOperator(op) {
				if val == "" {
					v.add(c, field+"."+op, "needs a path to compare with")
				} else {
					v.path(c, field+"."+op, val, pathReference)
				}
			}
		}
	}
}

func (v *validator) combinator(c *ChoiceState, field string, cmps []Comparison, next State) {
	if next != nil {
		v.add(c, field+".Next", "is allowed only in top-level choice rules")
	}
	if len(cmps) == 0 {
		v.add(c, field, "needs at least one rule")
	}
	for i, sub := range cmps {
		v.comparison(c, indexField(field, i), sub, false)
	}
}

func isPathOperator(op string) bool { return len(op) > 4 && op[len(op)-4:] == "Path" }
