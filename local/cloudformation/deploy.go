package cloudformation

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation/template"
	"github.com/sparta-go/sparta/local/resource"
)

// op is one create or update of a stack's resources toward a template.
type op struct {
	s    *Service
	st   *stackDoc
	tpl  *template.Template
	eval *template.Evaluator
	// failedCreate and failedUpdate are the root causes (resources whose
	// provider or properties failed), not the ones cancelled after them.
	failedCreate, failedUpdate []string
	// stopped is set at the first failure: resources that finish later are
	// reported as cancelled, as AWS does.
	stopped bool
	// cancelled is set when the update stopped for CancelUpdateStack.
	cancelled bool
	imports   map[string]bool
}

// newOpLocked prepares an operation of st toward tpl with params.
func (s *Service) newOpLocked(st *stackDoc, tpl *template.Template, params map[string]string) (*op, error) {
	o := &op{s: s, st: st, tpl: tpl, imports: map[string]bool{}}
	params, err := ssmParameters(s.cfg.Parameters, tpl, params)
	if err != nil {
		return nil, err
	}
	eval, err := tpl.Evaluator(s.envLocked(st, params, stackRefs{st}, o.imports))
	if err != nil {
		return nil, err
	}
	o.eval = eval
	return o, nil
}

// envLocked is the template environment of a stack. Fn::ImportValue reads
// the exports of the other live stacks and records the names it read in
// imports.
func (s *Service) envLocked(st *stackDoc, params map[string]string, refs template.Resources, imports map[string]bool) template.Env {
	exports := s.exportsLocked()
	return template.Env{
		Parameters: params, AccountID: s.cfg.AccountID, Region: s.cfg.Region,
		StackName: st.Name, StackID: st.ID, NotificationARNs: st.NotificationARNs,
		Resources: refs,
		Imports: func(name string) (string, bool) {
			e, ok := exports[name]
			if !ok || e.stackID == st.ID {
				return "", false
			}
			if imports != nil {
				imports[name] = true
			}
			return e.value, true
		},
	}
}

// activeDeps returns the dependencies of the template's active resources,
// restricted to active resources.
func (o *op) activeDeps() ([]string, map[string][]string) {
	ids := o.eval.ActiveResources()
	deps := make(map[string][]string, len(ids))
	for _, id := range ids {
		for _, d := range o.tpl.Deps[id] {
			if o.eval.Active(d) {
				deps[id] = append(deps[id], d)
			}
		}
	}
	return ids, deps
}

// applyResources creates or updates every active resource in dependency
// order and reports whether all succeeded.
func (o *op) applyResources(ctx context.Context) bool {
	o.s.mu.Lock()
	ids, deps := o.activeDeps()
	o.s.mu.Unlock()
	schedule(ctx, ids, deps, o.s.cfg.Concurrency, true, func(id string) bool {
		return o.apply(ctx, id, deps[id])
	})
	return len(o.failedCreate) == 0 && len(o.failedUpdate) == 0 && !o.stopped
}

func (o *op) request(r *state, props map[string]any) resource.Request {
	return resource.Request{
		StackName: o.st.Name, StackID: o.st.ID, LogicalID: r.LogicalID, Type: r.Type,
		Properties: props, PhysicalID: r.PhysicalID, Region: o.s.cfg.Region, AccountID: o.s.cfg.AccountID,
	}
}

// fail records a root-cause failure; callers hold the lock.
func (o *op) failLocked(r *state, status, reason string) bool {
	o.s.resourceEventLocked(o.st, r, status, reason)
	_ = o.s.saveLocked(o.st)
	if status == StatusCreateFailed {
		o.failedCreate = append(o.failedCreate, r.LogicalID)
	} else {
		o.failedUpdate = append(o.failedUpdate, r.LogicalID)
	}
	o.stopped = true
	return false
}

// apply brings one resource to the template: create it, leave it, update
// it in place or replace it.
func (o *op) apply(ctx context.Context, id string, deps []string) bool {
	s := o.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.st.cancelRequested {
		o.stopped, o.cancelled = true, true
		return false
	}
	def := o.tpl.Resources[id]
	props, perr := o.eval.Properties(id)
	if perr == nil {
		props, perr = resolveDynamic(s.cfg.Parameters, id, props)
	}
	var meta any
	if perr == nil && def.Metadata != nil {
		meta, perr = o.eval.Resolve(def.Metadata, "Resources."+id+".Metadata")
	}
	prov := s.provider(def.Type)
	cur := o.st.Resources[id]
	if cur == nil || cur.Status == StatusDeleteComplete {
		r := &state{LogicalID: id, Type: def.Type, Properties: props, Deps: deps, Metadata: meta,
			DeletionPolicy: def.DeletionPolicy, UpdateReplacePolicy: def.UpdateReplacePolicy}
		o.st.Resources[id] = r
		s.resourceEventLocked(o.st, r, StatusCreateInProgress, "")
		if perr != nil {
			return o.failLocked(r, StatusCreateFailed, perr.Error())
		}
		if prov == nil {
			return o.failLocked(r, StatusCreateFailed, unsupported(def.Type))
		}
		_ = s.saveLocked(o.st)
		return o.create(ctx, prov, r, props, StatusCreateInProgress, StatusCreateComplete, StatusCreateFailed)
	}
	cur.Deps = deps
	if cur.Type != def.Type {
		return o.failLocked(cur, StatusUpdateFailed, fmt.Sprintf("Update of resource type is not permitted. The new template modifies resource type of the following resources: [%s]", id))
	}
	if perr != nil {
		return o.failLocked(cur, StatusUpdateFailed, perr.Error())
	}
	sameProps := resource.Equal(props, cur.Properties)
	if sameProps && resource.Equal(meta, cur.Metadata) {
		return true
	}
	if sameProps {
		// Only Metadata changed: nothing for the provider to do.
		cur.Metadata = meta
		s.resourceEventLocked(o.st, cur, StatusUpdateInProgress, "")
		s.resourceEventLocked(o.st, cur, StatusUpdateComplete, "")
		_ = s.saveLocked(o.st)
		return true
	}
	if prov == nil {
		return o.failLocked(cur, StatusUpdateFailed, unsupported(def.Type))
	}
	if prov.RequiresReplacement(cur.Properties, props) {
		old := cur.clone()
		r := &state{LogicalID: id, Type: def.Type, Properties: props, Deps: deps, Metadata: meta,
			DeletionPolicy: def.DeletionPolicy, UpdateReplacePolicy: def.UpdateReplacePolicy, PhysicalID: old.PhysicalID}
		o.st.Resources[id] = r
		s.resourceEventLocked(o.st, r, StatusUpdateInProgress, reasonReplacing)
		r.PhysicalID = ""
		o.st.Cleanup = append(o.st.Cleanup, old)
		_ = s.saveLocked(o.st)
		return o.create(ctx, prov, r, props, StatusUpdateInProgress, StatusUpdateComplete, StatusUpdateFailed)
	}
	oldProps := cur.Properties
	cur.Properties, cur.Metadata = props, meta
	s.resourceEventLocked(o.st, cur, StatusUpdateInProgress, "")
	_ = s.saveLocked(o.st)
	req := o.request(cur, props)
	req.OldProperties = oldProps
	s.mu.Unlock()
	res, err := prov.Update(ctx, req)
	s.mu.Lock()
	if err != nil {
		if o.stopped || ctx.Err() != nil {
			reason := reasonCancelledUpdate
			if ctx.Err() != nil {
				reason = reasonStopped
			}
			s.resourceEventLocked(o.st, cur, StatusUpdateFailed, reason)
			_ = s.saveLocked(o.st)
			return false
		}
		// The properties stay the attempted ones, so that a rollback puts
		// the old ones back.
		return o.failLocked(cur, StatusUpdateFailed, err.Error())
	}
	if res.PhysicalID != "" && res.PhysicalID != cur.PhysicalID && isCustomType(cur.Type) {
		// A custom resource answered an Update with a new physical ID: a
		// replacement, whose old resource gets a Delete in the cleanup.
		old := cur.clone()
		old.Properties = oldProps
		o.st.Cleanup = append(o.st.Cleanup, old)
	}
	if res.PhysicalID != "" {
		cur.PhysicalID = res.PhysicalID
	}
	if res.Ref != "" {
		cur.Ref = res.Ref
	}
	// Attributes Update returns replace those of the same name; the others
	// (IDs made at creation) stay.
	merged := make(map[string]any, len(cur.Attributes)+len(res.Attributes))
	for k, v := range cur.Attributes {
		merged[k] = v
	}
	for k, v := range res.Attributes {
		merged[k] = v
	}
	cur.Attributes = merged
	if o.stopped {
		s.resourceEventLocked(o.st, cur, StatusUpdateFailed, reasonCancelledUpdate)
		_ = s.saveLocked(o.st)
		return false
	}
	s.resourceEventLocked(o.st, cur, StatusUpdateComplete, "")
	_ = s.saveLocked(o.st)
	return true
}

// create calls the provider's Create for r (a new resource, or the new
// physical resource of a replacement); callers hold the lock, which create
// releases during the call.
func (o *op) create(ctx context.Context, prov resource.Provider, r *state, props map[string]any, progress, complete, failed string) bool {
	s := o.s
	req := o.request(r, props)
	s.mu.Unlock()
	res, err := prov.Create(ctx, req)
	s.mu.Lock()
	cancelled := reasonCancelledCreate
	if failed == StatusUpdateFailed {
		cancelled = reasonCancelledUpdate
	}
	if err != nil {
		if o.stopped || ctx.Err() != nil {
			if ctx.Err() != nil {
				cancelled = reasonStopped
			}
			s.resourceEventLocked(o.st, r, failed, cancelled)
			_ = s.saveLocked(o.st)
			return false
		}
		var partial *failedCreate
		if errors.As(err, &partial) {
			r.PhysicalID = partial.physicalID // the rollback deletes it
		}
		return o.failLocked(r, failed, err.Error())
	}
	if res.PhysicalID == "" {
		return o.failLocked(r, failed, fmt.Sprintf("the provider of %s returned no physical ID", r.Type))
	}
	r.PhysicalID, r.Ref, r.Attributes = res.PhysicalID, res.Ref, res.Attributes
	s.resourceEventLocked(o.st, r, progress, reasonInitiated)
	if o.stopped {
		// Made, but after another resource failed: AWS reports it
		// cancelled, and the rollback deletes it.
		s.resourceEventLocked(o.st, r, failed, cancelled)
		_ = s.saveLocked(o.st)
		return false
	}
	s.resourceEventLocked(o.st, r, complete, "")
	_ = s.saveLocked(o.st)
	return true
}

func unsupported(typ string) string {
	return fmt.Sprintf("resource type %s is not supported by the local cloud", typ)
}

// failureReason is the stack status reason of a failed create or update.
func (o *op) failureReason() string {
	if o.cancelled && len(o.failedCreate) == 0 && len(o.failedUpdate) == 0 {
		return reasonUpdateCancelled
	}
	var b strings.Builder
	if len(o.failedCreate) > 0 {
		sort.Strings(o.failedCreate)
		fmt.Fprintf(&b, "The following resource(s) failed to create: [%s]. ", strings.Join(o.failedCreate, ", "))
	}
	if len(o.failedUpdate) > 0 {
		sort.Strings(o.failedUpdate)
		fmt.Fprintf(&b, "The following resource(s) failed to update: [%s]. ", strings.Join(o.failedUpdate, ", "))
	}
	return b.String()
}

// outputsLocked evaluates the outputs and checks the exports: a name
// exported by another stack, or an export this stack stops exporting or
// changes while another stack imports it, fails the operation.
func (o *op) outputsLocked() ([]template.ResolvedOutput, error) {
	outs, err := o.eval.Outputs()
	if err != nil {
		return nil, err
	}
	exports := o.s.exportsLocked()
	seen := map[string]bool{}
	for _, out := range outs {
		if out.ExportName == "" {
			continue
		}
		if seen[out.ExportName] {
			return nil, fmt.Errorf("Template format error: duplicate Export names %s", out.ExportName)
		}
		seen[out.ExportName] = true
		if e, ok := exports[out.ExportName]; ok && e.stackID != o.st.ID {
			return nil, fmt.Errorf("Export with name %s is already exported by stack %s", out.ExportName, e.stackName)
		}
	}
	newValues := map[string]string{}
	for _, out := range outs {
		if out.ExportName != "" {
			newValues[out.ExportName] = out.Value
		}
	}
	for _, old := range o.st.Outputs {
		if old.ExportName == "" {
			continue
		}
		users := o.s.importersLocked(old.ExportName, o.st.ID)
		if len(users) == 0 {
			continue
		}
		v, still := newValues[old.ExportName]
		if !still {
			return nil, fmt.Errorf("Export %s cannot be deleted as it is in use by %s", old.ExportName, strings.Join(users, " and "))
		}
		if v != old.Value {
			return nil, fmt.Errorf("Export %s cannot be updated as it is in use by %s", old.ExportName, strings.Join(users, " and "))
		}
	}
	return outs, nil
}

func (o *op) importList() []string {
	return sortedIDs(o.imports)
}
