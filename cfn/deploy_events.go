//go:build !lambdabinary

package cfn

import (
	"slices"
	"strings"
	"time"
)

// ResourceChanged is one stack event, as the deployer streams it to a
// renderer: plain lines in CI, JSON with --format json.
type ResourceChanged struct {
	Time      time.Time
	LogicalID string
	Type      string
	Status    string
	Reason    string
	// Done and Total count the resources of the operation that have
	// finished, for a progress line.
	Done, Total int
	Elapsed     time.Duration
}

// ResourceTiming is how long CloudFormation spent on one resource.
type ResourceTiming struct {
	LogicalID, Type, Status string
	Duration                time.Duration
}

// cancellationEchoes are the reasons CloudFormation gives resources that did
// not fail themselves but were stopped because another one did; a root
// cause is never one of these.
var cancellationEchoes = []string{
	"Resource creation cancelled",
	"Resource update cancelled",
	"Resource deletion cancelled",
}

// FailedEvent is a resource that failed, with its reason.
type FailedEvent struct {
	LogicalID, Type, Status, Reason string
}

// RootCause picks, from events in chronological order, the first resource
// that failed for a reason of its own: the failure that started a rollback,
// not the "cancelled" echoes nor the stack's own ROLLBACK status.
func RootCause(events []ResourceChanged, stackName string) (FailedEvent, bool) {
	for _, e := range events {
		if !strings.HasSuffix(e.Status, "_FAILED") || e.LogicalID == stackName {
			continue
		}
		if slices.ContainsFunc(cancellationEchoes, func(echo string) bool { return strings.Contains(e.Reason, echo) }) {
			continue
		}
		return FailedEvent{LogicalID: e.LogicalID, Type: e.Type, Status: e.Status, Reason: e.Reason}, true
	}
	return FailedEvent{}, false
}

// Timings derives per-resource durations from events in chronological
// order: from a resource's first IN_PROGRESS to its last terminal status.
func Timings(events []ResourceChanged, stackName string) []ResourceTiming {
	start := map[string]time.Time{}
	var order []string
	out := map[string]*ResourceTiming{}
	for _, e := range events {
		if e.LogicalID == stackName {
			continue
		}
		if strings.HasSuffix(e.Status, "_IN_PROGRESS") {
			if _, seen := start[e.LogicalID]; !seen {
				start[e.LogicalID] = e.Time
				order = append(order, e.LogicalID)
			}
			continue
		}
		if t0, ok := start[e.LogicalID]; ok {
			out[e.LogicalID] = &ResourceTiming{LogicalID: e.LogicalID, Type: e.Type, Status: e.Status, Duration: e.Time.Sub(t0)}
		}
	}
	var timings []ResourceTiming
	for _, id := range order {
		if t, ok := out[id]; ok {
			timings = append(timings, *t)
		}
	}
	return timings
}

// terminal reports whether a resource status ends that resource's part of
// an operation.
func terminal(status string) bool {
	return strings.HasSuffix(status, "_COMPLETE") || strings.HasSuffix(status, "_FAILED") || status == "DELETE_SKIPPED"
}
