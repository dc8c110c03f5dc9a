package cloudformation

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation/template"
	"github.com/sparta-go/sparta/local/core"
)

// actions maps the CloudFormation API's actions to their implementations.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Operations.html
func (s *Service) actions() map[string]core.QueryAction {
	return map[string]core.QueryAction{
		"CreateStack":            s.createStack,
		"UpdateStack":            s.updateStack,
		"DeleteStack":            s.deleteStack,
		"ContinueUpdateRollback": s.continueUpdateRollback,
		"CancelUpdateStack":      s.cancelUpdateStack,
		"DescribeStacks":         s.describeStacks,
		"ListStacks":             s.listStacks,
		"GetTemplate":            s.getTemplate,
		"ValidateTemplate":       s.validateTemplate,
		"GetTemplateSummary":     s.getTemplateSummary,
		"ListExports":            s.listExports,
		"DescribeStackEvents":    s.describeStackEvents,
		"DescribeStackResource":  s.describeStackResource,
		"DescribeStackResources": s.describeStackResources,
		"ListStackResources":     s.listStackResources,
		"CreateChangeSet":        s.createChangeSet,
		"DescribeChangeSet":      s.describeChangeSet,
		"ExecuteChangeSet":       s.executeChangeSet,
		"DeleteChangeSet":        s.deleteChangeSet,
		"ListChangeSets":         s.listChangeSets,
	}
}

func stackNotFound(name string) error {
	return validationError("Stack with id %s does not exist", name)
}

// notUpdatable is AWS's refusal to change a stack in a state that does not
// allow it (ROLLBACK_COMPLETE, an operation in progress, ...).
func notUpdatable(st *stackDoc) error {
	return validationError("Stack:%s is in %s state and can not be updated.", st.ID, st.Status)
}

// updatable lists the statuses from which UpdateStack and ExecuteChangeSet
// may start.
var updatable = map[string]bool{
	StatusCreateComplete: true, StatusUpdateComplete: true, StatusUpdateRollbackComplete: true,
}

func (s *Service) createStack(ctx context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	if err := checkStackName(name); err != nil {
		return nil, err
	}
	switch p.Get("OnFailure") {
	case "", "ROLLBACK", "DELETE", "DO_NOTHING":
	default:
		return nil, validationError("1 validation error detected: Value '%s' at 'onFailure' failed to satisfy constraint: Member must satisfy enum value set: [ROLLBACK, DELETE, DO_NOTHING]", p.Get("OnFailure"))
	}
	if p.Get("OnFailure") != "" && p.Has("DisableRollback") {
		return nil, validationError("You may not specify both OnFailure and DisableRollback.")
	}
	in, err := s.prepare(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, core.Errorf(http.StatusServiceUnavailable, "ServiceUnavailable", "the local cloud is shutting down")
	}
	if existing := s.findLocked(name); existing != nil && existing.Status != StatusDeleteComplete {
		return nil, core.Errorf(http.StatusBadRequest, "AlreadyExistsException", "Stack [%s] already exists", name)
	}
	_, _, imports, err := s.planLocked(nil, name, in)
	if err != nil {
		return nil, err
	}
	st := s.newStackLocked(name, in)
	st.Imports = imports
	st.DisableRollback = p.Get("DisableRollback") == "true"
	st.OnFailure = p.Get("OnFailure")
	if t := p.Get("TimeoutInMinutes"); t != "" {
		st.TimeoutInMinutes, _ = strconv.Atoi(t)
	}
	s.setStatusLocked(st, StatusCreateInProgress, reasonUserInitiated)
	tpl := in.tpl
	s.goOp(func(ctx context.Context) { s.runCreate(ctx, st, tpl, nil) })
	return stackIDResult{StackID: st.ID}, nil
}

// newStackLocked registers a new stack (CREATE_IN_PROGRESS or, for a
// change set of type CREATE, REVIEW_IN_PROGRESS).
func (s *Service) newStackLocked(name string, in *deployInput) *stackDoc {
	now := s.now()
	st := &stackDoc{
		ID:   stackARN(s.cfg.Region, s.cfg.AccountID, name, core.NewRequestID()),
		Name: name, Created: now, Resources: map[string]*state{}, loaded: true,
	}
	if in != nil {
		st.TemplateBody, st.tpl, st.Parameters = in.body, in.tpl, in.params
		st.Description = in.tpl.Description
		st.Capabilities, st.NotificationARNs, st.Tags = in.capabilities, in.notificationARNs, in.tags
	}
	s.stacks[st.ID] = st
	s.byName[name] = st.ID
	return st
}

func (s *Service) updateStack(ctx context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	st := s.findLocked(name)
	s.mu.Unlock()
	if st == nil || st.Status == StatusDeleteComplete {
		return nil, validationError("Stack [%s] does not exist", name)
	}
	in, err := s.prepare(ctx, p, st)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !updatable[st.Status] {
		return nil, notUpdatable(st)
	}
	_, changed, imports, err := s.planLocked(st, st.Name, in)
	if err != nil {
		return nil, err
	}
	if !changed {
		return nil, validationError(reasonNoChanges)
	}
	s.startUpdateLocked(st, in, imports, nil)
	return stackIDResult{StackID: st.ID}, nil
}

// startUpdateLocked snapshots the stack for a rollback, switches it to the
// new template and starts the update.
func (s *Service) startUpdateLocked(st *stackDoc, in *deployInput, imports []string, cs *changeSetDoc) {
	st.Previous = &snapshot{
		TemplateBody: st.TemplateBody, Parameters: st.Parameters, Description: st.Description,
		Capabilities: st.Capabilities, Tags: st.Tags, Resources: cloneStates(st.Resources),
		Outputs: st.Outputs, Imports: st.Imports,
	}
	st.TemplateBody, st.tpl, st.Parameters, st.Description = in.body, in.tpl, in.params, in.tpl.Description
	st.Capabilities, st.NotificationARNs, st.Tags = in.capabilities, in.notificationARNs, in.tags
	st.Imports = imports
	st.Updated = s.now()
	st.cancelRequested = false
	s.setStatusLocked(st, StatusUpdateInProgress, reasonUserInitiated)
	tpl := in.tpl
	s.goOp(func(ctx context.Context) { s.runUpdate(ctx, st, tpl, cs) })
}

func (s *Service) deleteStack(_ context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findLocked(name)
	if st == nil || st.Status == StatusDeleteComplete || st.Status == StatusDeleteInProgress {
		return nil, nil // as on AWS: deleting what is gone or going succeeds
	}
	retain := map[string]bool{}
	for _, id := range core.QueryList(p, "RetainResources.member") {
		retain[id] = true
	}
	if len(retain) > 0 && st.Status != StatusDeleteFailed {
		return nil, validationError("Invalid operation on stack %s. RetainResources can only be specified when the stack is in the DELETE_FAILED state", st.ID)
	}
	if inProgress(st.Status) {
		return nil, validationError("Stack %s is in %s state and can not be deleted until the operation completes", st.ID, st.Status)
	}
	if st.Status == StatusReviewInProgress {
		// Nothing was ever made.
		s.setStatusLocked(st, StatusDeleteInProgress, reasonUserInitiated)
		s.deletedLocked(st)
		return nil, nil
	}
	s.setStatusLocked(st, StatusDeleteInProgress, reasonUserInitiated)
	s.goOp(func(ctx context.Context) { s.runDelete(ctx, st, retain) })
	return nil, nil
}

// reasonUpdateCancelled is the stack's status reason after CancelUpdateStack.
const reasonUpdateCancelled = "Stack update cancelled"

// cancelUpdateStack stops an update under way: it starts no more resources
// and rolls back. Only an UPDATE_IN_PROGRESS stack can be cancelled.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CancelUpdateStack.html.
func (s *Service) cancelUpdateStack(_ context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findLocked(name)
	if st == nil || st.Status == StatusDeleteComplete {
		return nil, stackNotFound(name)
	}
	if st.Status != StatusUpdateInProgress {
		return nil, validationError("CancelUpdateStack cannot be called from current stack status")
	}
	st.cancelRequested = true
	return empty{}, nil
}

func (s *Service) continueUpdateRollback(_ context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findLocked(name)
	if st == nil || st.Status == StatusDeleteComplete {
		return nil, stackNotFound(name)
	}
	if st.Status != StatusUpdateRollbackFailed {
		return nil, validationError("Stack %s is in %s state and can not continue update rollback; it must be in UPDATE_ROLLBACK_FAILED", st.ID, st.Status)
	}
	s.setStatusLocked(st, StatusUpdateRollbackInProgress, reasonUserInitiated)
	s.goOp(func(ctx context.Context) { s.rollbackUpdate(ctx, st) })
	return empty{}, nil
}

func (s *Service) describeStacks(_ context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	defer s.mu.Unlock()
	var out describeStacksResult
	if name != "" {
		st := s.findLocked(name)
		if st == nil {
			return nil, stackNotFound(name)
		}
		out.Stacks = append(out.Stacks, s.xmlStackLocked(st))
		return out, nil
	}
	for _, n := range sortedIDs(s.byName) {
		out.Stacks = append(out.Stacks, s.xmlStackLocked(s.stacks[s.byName[n]]))
	}
	return out, nil
}

func (s *Service) xmlStackLocked(st *stackDoc) xmlStack {
	x := xmlStack{
		StackID: st.ID, StackName: st.Name, Description: st.Description,
		CreationTime: isoTime(st.Created), DeletionTime: isoTime(st.Deleted), LastUpdatedTime: isoTime(st.Updated),
		StackStatus: st.Status, StackStatusReason: st.StatusReason, DisableRollback: st.DisableRollback,
		NotificationARNs: st.NotificationARNs, TimeoutInMinutes: st.TimeoutInMinutes, Capabilities: st.Capabilities,
		DriftInformation: xmlDrift{StackDriftStatus: "NOT_CHECKED"},
	}
	if cs := s.changeSets[st.ChangeSetID]; cs != nil {
		x.ChangeSetID = cs.ID
	}
	x.Parameters = xmlParameters(st.parsedTemplate, st.Parameters)
	for _, o := range st.Outputs {
		x.Outputs = append(x.Outputs, xmlOutput{OutputKey: o.Name, OutputValue: o.Value, Description: o.Description, ExportName: o.ExportName})
	}
	for _, t := range st.Tags {
		x.Tags = append(x.Tags, xmlTag(t))
	}
	return x
}

// xmlParameters lists parameter values, NoEcho ones masked as AWS does.
func xmlParameters(tplOf func() (*template.Template, error), values map[string]string) []xmlParameter {
	tpl, _ := tplOf()
	var out []xmlParameter
	for _, k := range sortedIDs(values) {
		v := values[k]
		if tpl != nil && tpl.Parameters[k] != nil && tpl.Parameters[k].NoEcho {
			v = "****"
		}
		out = append(out, xmlParameter{ParameterKey: k, ParameterValue: v})
	}
	return out
}

func (s *Service) listStacks(_ context.Context, p url.Values) (any, error) {
	filter := map[string]bool{}
	for _, f := range core.QueryList(p, "StackStatusFilter.member") {
		filter[f] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out listStacksResult
	stacks := make([]*stackDoc, 0, len(s.stacks))
	for _, st := range s.stacks {
		stacks = append(stacks, st)
	}
	// Newest first, as AWS lists them.
	sort.SliceStable(stacks, func(i, j int) bool { return stacks[i].Created.After(stacks[j].Created) })
	for _, st := range stacks {
		if len(filter) > 0 && !filter[st.Status] {
			continue
		}
		out.StackSummaries = append(out.StackSummaries, xmlStackSummary{
			StackID: st.ID, StackName: st.Name, TemplateDescription: st.Description,
			CreationTime: isoTime(st.Created), LastUpdatedTime: isoTime(st.Updated), DeletionTime: isoTime(st.Deleted),
			StackStatus: st.Status, StackStatusReason: st.StatusReason, DriftInformation: xmlDrift{StackDriftStatus: "NOT_CHECKED"},
		})
	}
	return out, nil
}

func (s *Service) getTemplate(_ context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	defer s.mu.Unlock()
	if csName := p.Get("ChangeSetName"); csName != "" {
		cs, err := s.findChangeSetLocked(csName, name)
		if err != nil {
			return nil, err
		}
		return getTemplateResult{TemplateBody: cs.TemplateBody, StagesAvailable: []string{"Original", "Processed"}}, nil
	}
	st := s.findLocked(name)
	if st == nil {
		return nil, stackNotFound(name)
	}
	return getTemplateResult{TemplateBody: st.TemplateBody, StagesAvailable: []string{"Original", "Processed"}}, nil
}

func (s *Service) validateTemplate(ctx context.Context, p url.Values) (any, error) {
	body, err := s.readTemplate(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	tpl, err := template.Parse([]byte(body))
	if err != nil {
		return nil, validationErr(err)
	}
	return validateResult(tpl), nil
}

func validateResult(tpl *template.Template) validateTemplateResult {
	out := validateTemplateResult{Description: tpl.Description}
	for _, n := range tpl.SortedParameters() {
		p := tpl.Parameters[n]
		x := xmlTemplateParameter{ParameterKey: n, NoEcho: p.NoEcho, Description: p.Description}
		if p.Default != nil {
			x.DefaultValue = *p.Default
		}
		out.Parameters = append(out.Parameters, x)
	}
	if need, types := requiredCapabilities(tpl); need != "" {
		out.Capabilities = []string{need}
		out.CapabilitiesReason = fmt.Sprintf("The following resource(s) require capabilities: [%s]", strings.Join(types, ", "))
	}
	return out
}

func (s *Service) listExports(context.Context, url.Values) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	exports := s.exportsLocked()
	var out listExportsResult
	for _, n := range sortedIDs(exports) {
		e := exports[n]
		out.Exports = append(out.Exports, xmlExport{ExportingStackID: e.stackID, Name: n, Value: e.value})
	}
	return out, nil
}
