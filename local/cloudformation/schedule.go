package cloudformation

import (
	"context"
	"fmt"
	"sort"
)

// schedule runs fn once per id, each after the ids it depends on (deps,
// restricted to ids) have succeeded, at most limit at a time: independent
// resources are created, updated or deleted concurrently, as CloudFormation
// does. An id whose dependency failed is never run. With stopOnFailure, the
// first failure stops launching new work (a failed create or update rolls
// back); without it, everything not blocked by a failure still runs (a
// delete goes as far as it can). schedule returns once no fn is running,
// and also stops launching when ctx ends.
func schedule(ctx context.Context, ids []string, deps map[string][]string, limit int, stopOnFailure bool, fn func(id string) bool) {
	inSet := make(map[string]bool, len(ids))
	for _, id := range ids {
		inSet[id] = true
	}
	waiting := make(map[string]int, len(ids))
	dependents := map[string][]string{}
	for _, id := range ids {
		for _, d := range deps[id] {
			if inSet[d] && d != id {
				waiting[id]++
				dependents[d] = append(dependents[d], id)
			}
		}
	}
	var ready []string
	for _, id := range ids {
		if waiting[id] == 0 {
			ready = append(ready, id)
		}
	}
	sort.Strings(ready)
	type result struct {
		id string
		ok bool
	}
	results := make(chan result)
	running := 0
	stopped := false
	for {
		for len(ready) > 0 && running < limit && !stopped && ctx.Err() == nil {
			id := ready[0]
			ready = ready[1:]
			running++
			go func() { results <- result{id, fn(id)} }()
		}
		if running == 0 {
			return
		}
		r := <-results
		running--
		if !r.ok {
			stopped = stopped || stopOnFailure
			continue
		}
		next := dependents[r.id]
		sort.Strings(next)
		for _, n := range next {
			waiting[n]--
			if waiting[n] == 0 {
				ready = append(ready, n)
			}
		}
	}
}

// reverseDeps turns "a depends on b" into "b waits for a": the order in
// which resources are deleted.
func reverseDeps(deps map[string][]string) map[string][]string {
	rev := make(map[string][]string, len(deps))
	for id, ds := range deps {
		for _, d := range ds {
			rev[d] = append(rev[d], id)
		}
	}
	return rev
}

// stackRefs answers Ref and Fn::GetAtt from a stack's resources, for the
// template evaluator. Callers hold the service's lock while evaluating.
type stackRefs struct{ st *stackDoc }

func (r stackRefs) Ref(id string) (string, error) {
	res := r.st.Resources[id]
	if res == nil || res.PhysicalID == "" {
		return "", fmt.Errorf("Template error: resource %s has not been created", id)
	}
	if res.Ref != "" {
		return res.Ref, nil
	}
	return res.PhysicalID, nil
}

func (r stackRefs) GetAtt(id, attr string) (any, error) {
	res := r.st.Resources[id]
	if res == nil || res.PhysicalID == "" {
		return "", fmt.Errorf("Template error: resource %s has not been created", id)
	}
	v, ok := res.Attributes[attr]
	if !ok {
		if isCustomType(res.Type) {
			return nil, customAttributeError(r.st.ID, id, attr, res.Attributes)
		}
		return nil, fmt.Errorf("Template error: resource %s does not support attribute type %s in Fn::GetAtt", id, attr)
	}
	return v, nil
}
