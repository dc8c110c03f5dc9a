package cloudformation

import (
	"context"
	"encoding/json"
	"net/url"
)

func (s *Service) describeStackEvents(_ context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findLocked(name)
	if st == nil {
		return nil, stackNotFound(name)
	}
	s.loadEventsLocked(st)
	var out describeStackEventsResult
	// Newest first, as AWS returns them.
	for i := len(st.events) - 1; i >= 0; i-- {
		e := st.events[i]
		out.StackEvents = append(out.StackEvents, xmlEvent{
			StackID: e.StackID, EventID: e.EventID, StackName: e.StackName, LogicalResourceID: e.LogicalID,
			PhysicalResourceID: e.PhysicalID, ResourceType: e.ResourceType, Timestamp: isoTime(e.Timestamp),
			ResourceStatus: e.Status, ResourceStatusReason: e.Reason, ResourceProperties: e.Properties,
			ClientRequestToken: e.ClientRequestToken,
		})
	}
	return out, nil
}

// resourcesOf returns the stack's resources that a describe shows:
// all of them, sorted by logical ID.
func resourcesOf(st *stackDoc) []*state {
	out := make([]*state, 0, len(st.Resources))
	for _, id := range sortedIDs(st.Resources) {
		out = append(out, st.Resources[id])
	}
	return out
}

func (s *Service) describeStackResource(_ context.Context, p url.Values) (any, error) {
	name, logical := p.Get("StackName"), p.Get("LogicalResourceId")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findLocked(name)
	if st == nil {
		return nil, stackNotFound(name)
	}
	r := st.Resources[logical]
	if r == nil {
		return nil, validationError("Resource %s does not exist for stack %s", logical, name)
	}
	d := xmlStackResourceDetail{
		StackName: st.Name, StackID: st.ID, LogicalResourceID: r.LogicalID, PhysicalResourceID: r.PhysicalID,
		ResourceType: r.Type, LastUpdatedTimestamp: isoTime(r.Updated), ResourceStatus: r.Status,
		ResourceStatusReason: r.StatusReason, DriftInformation: xmlResourceDrift{StackResourceDriftStatus: "NOT_CHECKED"},
	}
	if r.Metadata != nil {
		b, _ := json.Marshal(r.Metadata)
		d.Metadata = string(b)
	}
	return describeStackResourceResult{StackResourceDetail: d}, nil
}

func (s *Service) describeStackResources(_ context.Context, p url.Values) (any, error) {
	name, logical, physical := p.Get("StackName"), p.Get("LogicalResourceId"), p.Get("PhysicalResourceId")
	s.mu.Lock()
	defer s.mu.Unlock()
	var st *stackDoc
	switch {
	case name != "":
		st = s.findLocked(name)
		if st == nil {
			return nil, stackNotFound(name)
		}
	case physical != "":
		for _, id := range sortedIDs(s.stacks) {
			for _, r := range s.stacks[id].Resources {
				if r.PhysicalID == physical && s.stacks[id].Status != StatusDeleteComplete {
					st = s.stacks[id]
				}
			}
		}
		if st == nil {
			return nil, validationError("Stack for %s does not exist", physical)
		}
	default:
		return nil, validationError("Either StackName or PhysicalResourceId must be specified.")
	}
	var out describeStackResourcesResult
	for _, r := range resourcesOf(st) {
		if logical != "" && r.LogicalID != logical {
			continue
		}
		out.StackResources = append(out.StackResources, xmlStackResource{
			StackName: st.Name, StackID: st.ID, LogicalResourceID: r.LogicalID, PhysicalResourceID: r.PhysicalID,
			ResourceType: r.Type, Timestamp: isoTime(r.Updated), ResourceStatus: r.Status,
			ResourceStatusReason: r.StatusReason, DriftInformation: xmlResourceDrift{StackResourceDriftStatus: "NOT_CHECKED"},
		})
	}
	return out, nil
}

func (s *Service) listStackResources(_ context.Context, p url.Values) (any, error) {
	name := p.Get("StackName")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.findLocked(name)
	if st == nil {
		return nil, stackNotFound(name)
	}
	var out listStackResourcesResult
	for _, r := range resourcesOf(st) {
		out.StackResourceSummaries = append(out.StackResourceSummaries, xmlResourceSummary{
			LogicalResourceID: r.LogicalID, PhysicalResourceID: r.PhysicalID, ResourceType: r.Type,
			LastUpdatedTimestamp: isoTime(r.Updated), ResourceStatus: r.Status, ResourceStatusReason: r.StatusReason,
			DriftInformation: xmlResourceDrift{StackResourceDriftStatus: "NOT_CHECKED"},
		})
	}
	return out, nil
}
