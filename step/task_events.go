package step

// ResourceEventBridgePutEvents is the optimized EventBridge integration;
// chain WaitForTaskToken for the callback pattern.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html.
const ResourceEventBridgePutEvents = "arn:aws:states:::events:putEvents"

// EventBridgeEntry is one event a putEvents task sends. The zero value of
// an optional field leaves it out of the request.
//
// See https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html.
type EventBridgeEntry struct {
	// Source and DetailType identify the event (required).
	Source     string
	DetailType string
	// Detail is the event's detail: a JSON object as a Go value (a map or
	// a struct), which Step Functions sends as its JSON text. DetailPath,
	// when set instead, takes it from the state's input ("$.sighting").
	Detail     any
	DetailPath string
	// EventBusName is the bus: a name, an ARN, or a reference to an
	// AWS::Events::EventBus of the template (cfn.Ref or cfn.GetAtt);
	// empty is the default bus.
	EventBusName string
	// Resources are ARNs the event is about; Step Functions appends the
	// execution's and the machine's.
	Resources []string
}

// NewEventBridgePutEventsState declares a Task state that puts entries on
// their event buses: {"Entries": [...]}. The role may events:PutEvents on
// those buses only. Chain WaitForTaskToken to wait for a consumer of the
// event to call SendTaskSuccess with the token the Detail carries
// ("TaskToken.$": "$$.Task.Token").
func NewEventBridgePutEventsState(name string, entries ...EventBridgeEntry) *TaskState {
	t := NewResourceTaskState(name, ResourceEventBridgePutEvents, nil)
	list := make([]any, 0, len(entries))
	for _, e := range entries {
		m := map[string]any{"Source": e.Source, "DetailType": e.DetailType}
		switch {
		case e.DetailPath != "":
			m["Detail.$"] = e.DetailPath
		case e.Detail != nil:
			m["Detail"] = e.Detail
		}
		if e.EventBusName != "" {
			m["EventBusName"] = t.bind("EventBus", e.EventBusName)
		}
		if len(e.Resources) > 0 {
			m["Resources"] = t.bindAll("Resource", e.Resources)
		}
		list = append(list, m)
	}
	t.parameters = map[string]any{"Entries": list}
	return t
}
