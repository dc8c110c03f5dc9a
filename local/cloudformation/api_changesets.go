package cloudformation

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/local/cloudformation/template"
	"github.com/sparta-go/sparta/local/core"
)

// Change sets.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets.html

func changeSetNotFound(name string) error {
	return core.Errorf(http.StatusNotFound, "ChangeSetNotFound", "ChangeSet [%s] does not exist", name)
}

func (s *Service) createChangeSet(ctx context.Context, p url.Values) (any, error) {
	name, csName := p.Get("StackName"), p.Get("ChangeSetName")
	if err := checkStackName(name); err != nil {
		return nil, err
	}
	if len(csName) > 128 || !stackNamePattern.MatchString(csName) {
		return nil, validationError("1 validation error detected: Value '%s' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", csName)
	}
	typ := p.Get("ChangeSetType")
	switch typ {
	case "":
		typ = "UPDATE"
	case "CREATE", "UPDATE":
	case "IMPORT":
		return nil, validationError("ChangeSetType IMPORT is not supported by the local cloud")
	default:
		return nil, validationError("1 validation error detected: Value '%s' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum value set: [CREATE, UPDATE, IMPORT]", typ)
	}
	s.mu.Lock()
	st := s.findLocked(name)
	if st != nil && st.Status == StatusDeleteComplete {
		st = nil
	}
	s.mu.Unlock()
	var prev *stackDoc
	switch {
	case typ == "CREATE" && st != nil && st.Status != StatusReviewInProgress:
		return nil, validationError("Stack [%s] already exists and cannot be created again with the changeSet [%s].", name, csName)
	case typ == "UPDATE" && st == nil:
		return nil, validationError("Stack [%s] does not exist", name)
	case typ == "UPDATE":
		prev = st
	}
	in, err := s.prepare(ctx, p, prev)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if typ == "UPDATE" && !updatable[st.Status] {
		return nil, notUpdatable(st)
	}
	if st != nil {
		for _, cs := range s.changeSets {
			if cs.StackID == st.ID && cs.Name == csName {
				return nil, core.Errorf(http.StatusBadRequest, "AlreadyExistsException", "ChangeSet [%s] already exists", csName)
			}
		}
	}
	changes, changed, _, err := s.planLocked(prev, name, in)
	if err != nil {
		return nil, err
	}
	if st == nil {
		st = s.newStackLocked(name, nil)
		s.setStatusLocked(st, StatusReviewInProgress, reasonUserInitiated)
	}
	sortChanges(changes)
	cs := &changeSetDoc{
		ID:   "arn:aws:cloudformation:" + s.cfg.Region + ":" + s.cfg.AccountID + ":changeSet/" + csName + "/" + core.NewRequestID(),
		Name: csName, StackID: st.ID, StackName: st.Name, Description: p.Get("Description"), Type: typ,
		Status: changeSetStatusCreateComplete, ExecutionStatus: execAvailable,
		TemplateBody: in.body, Parameters: in.params, Capabilities: in.capabilities,
		NotificationARNs: in.notificationARNs, Tags: in.tags, Changes: changes, Created: s.now(),
	}
	if !changed {
		cs.Status, cs.StatusReason, cs.ExecutionStatus = changeSetStatusFailed, reasonChangeSetEmpty, execUnavailable
	}
	s.changeSets[cs.ID] = cs
	if err := s.changeSetsC.Put(cs.ID, cs); err != nil {
		return nil, err
	}
	return createChangeSetResult{ID: cs.ID, StackID: st.ID}, nil
}

// findChangeSetLocked resolves a change set by ARN, or by name within a
// stack.
func (s *Service) findChangeSetLocked(nameOrARN, stackName string) (*changeSetDoc, error) {
	if strings.HasPrefix(nameOrARN, "arn:") {
		if cs := s.changeSets[nameOrARN]; cs != nil {
			return cs, nil
		}
		return nil, changeSetNotFound(nameOrARN)
	}
	if stackName == "" {
		return nil, validationError("StackName must be specified if ChangeSetName is not specified as an ARN.")
	}
	st := s.findLocked(stackName)
	if st == nil {
		return nil, changeSetNotFound(nameOrARN)
	}
	for _, cs := range s.changeSets {
		if cs.StackID == st.ID && cs.Name == nameOrARN {
			return cs, nil
		}
	}
	return nil, changeSetNotFound(nameOrARN)
}

func (s *Service) describeChangeSet(_ context.Context, p url.Values) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.findChangeSetLocked(p.Get("ChangeSetName"), p.Get("StackName"))
	if err != nil {
		return nil, err
	}
	tpl := &stackDoc{TemplateBody: cs.TemplateBody}
	out := describeChangeSetResult{
		ChangeSetName: cs.Name, ChangeSetID: cs.ID, StackID: cs.StackID, StackName: cs.StackName,
		Description: cs.Description, Parameters: xmlParameters(tpl.parsedTemplate, cs.Parameters),
		CreationTime: isoTime(cs.Created), ExecutionStatus: cs.ExecutionStatus, Status: cs.Status,
		StatusReason: cs.StatusReason, NotificationARNs: cs.NotificationARNs, Capabilities: cs.Capabilities,
	}
	for _, t := range cs.Tags {
		out.Tags = append(out.Tags, xmlTag(t))
	}
	for _, c := range cs.Changes {
		rc := xmlResourceChange{Action: c.Action, LogicalResourceID: c.LogicalID, PhysicalResourceID: c.PhysicalID,
			ResourceType: c.ResourceType, Replacement: c.Replacement, Scope: c.Scope}
		for _, d := range c.Details {
			rc.Details = append(rc.Details, xmlDetail{
				Target:     xmlTarget{Attribute: "Properties", Name: d.Name, RequiresRecreation: d.RequiresRecreation},
				Evaluation: d.Evaluation, ChangeSource: d.ChangeSource, CausingEntity: d.CausingEntity,
			})
		}
		out.Changes = append(out.Changes, xmlChange{Type: "Resource", ResourceChange: rc})
	}
	return out, nil
}

func (s *Service) executeChangeSet(_ context.Context, p url.Values) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.findChangeSetLocked(p.Get("ChangeSetName"), p.Get("StackName"))
	if err != nil {
		return nil, err
	}
	if cs.Status != changeSetStatusCreateComplete || cs.ExecutionStatus != execAvailable {
		return nil, core.Errorf(http.StatusBadRequest, "InvalidChangeSetStatus",
			"ChangeSet [%s] cannot be executed in its current status of [%s]", cs.ID, cs.Status+"/"+cs.ExecutionStatus)
	}
	st := s.stacks[cs.StackID]
	if st == nil {
		return nil, changeSetNotFound(cs.ID)
	}
	if cs.Type == "CREATE" && st.Status != StatusReviewInProgress || cs.Type == "UPDATE" && !updatable[st.Status] {
		return nil, notUpdatable(st)
	}
	tpl, err := template.Parse([]byte(cs.TemplateBody))
	if err != nil {
		return nil, validationErr(err)
	}
	in := &deployInput{body: cs.TemplateBody, tpl: tpl, params: cs.Parameters, capabilities: cs.Capabilities,
		notificationARNs: cs.NotificationARNs, tags: cs.Tags}
	var prev *stackDoc
	if cs.Type == "UPDATE" {
		prev = st
	}
	_, _, imports, err := s.planLocked(prev, st.Name, in)
	if err != nil {
		return nil, err
	}
	// As on AWS, executing a change set removes the stack's other ones.
	for id, other := range s.changeSets {
		if other.StackID == st.ID && id != cs.ID {
			delete(s.changeSets, id)
			_ = s.changeSetsC.Delete(id)
		}
	}
	cs.ExecutionStatus = execInProgress
	_ = s.changeSetsC.Put(cs.ID, cs)
	st.ChangeSetID = cs.ID
	if cs.Type == "UPDATE" {
		s.startUpdateLocked(st, in, imports, cs)
		return empty{}, nil
	}
	st.TemplateBody, st.tpl, st.Parameters, st.Description = in.body, tpl, in.params, tpl.Description
	st.Capabilities, st.NotificationARNs, st.Tags, st.Imports = in.capabilities, in.notificationARNs, in.tags, imports
	s.setStatusLocked(st, StatusCreateInProgress, reasonUserInitiated)
	s.goOp(func(ctx context.Context) { s.runCreate(ctx, st, tpl, cs) })
	return empty{}, nil
}

// finishChangeSetLocked records how the execution of cs (nil for a direct
// CreateStack or UpdateStack) ended.
func (s *Service) finishChangeSetLocked(cs *changeSetDoc, ok bool) {
	if cs == nil {
		return
	}
	cs.ExecutionStatus = execComplete
	if !ok {
		cs.ExecutionStatus = execFailedState
	}
	if s.changeSets[cs.ID] != nil {
		_ = s.changeSetsC.Put(cs.ID, cs)
	}
}

func (s *Service) deleteChangeSet(_ context.Context, p url.Values) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.findChangeSetLocked(p.Get("ChangeSetName"), p.Get("StackName"))
	if err != nil {
		return nil, err
	}
	if cs.ExecutionStatus == execInProgress {
		return nil, core.Errorf(http.StatusBadRequest, "InvalidChangeSetStatus",
			"ChangeSet [%s] cannot be deleted in its current status of [%s]", cs.ID, cs.ExecutionStatus)
	}
	delete(s.changeSets, cs.ID)
	if err := s.changeSetsC.Delete(cs.ID); err != nil {
		return nil, err
	}
	return empty{}, nil
}

func (s *Service) listChangeSets(_ context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findLocked(name)
	if st == nil {
		return nil, stackNotFound(name)
	}
	var list []*changeSetDoc
	for _, cs := range s.changeSets {
		if cs.StackID == st.ID {
			list = append(list, cs)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Created.Before(list[j].Created) })
	var out listChangeSetsResult
	for _, cs := range list {
		out.Summaries = append(out.Summaries, xmlChangeSetSummary{
			StackID: cs.StackID, StackName: cs.StackName, ChangeSetID: cs.ID, ChangeSetName: cs.Name,
			ExecutionStatus: cs.ExecutionStatus, Status: cs.Status, StatusReason: cs.StatusReason,
			CreationTime: isoTime(cs.Created), Description: cs.Description,
		})
	}
	return out, nil
}
