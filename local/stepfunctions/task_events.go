package stepfunctions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/step/engine"
)

// resourceEventsPutEvents is the EventBridge integration (request-response
// and .waitForTaskToken).
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
const resourceEventsPutEvents = "arn:aws:states:::events:putEvents"

// EventPutter puts events on EventBridge buses, as the local EventBridge
// service does: request is PutEvents' JSON request, the answer its JSON
// response. It speaks JSON so that this package need not import the
// EventBridge service (which starts executions of this one).
type EventPutter interface {
	PutEventsJSON(ctx context.Context, request []byte) ([]byte, error)
}

// LocalEvents is an EventPutter putting events on the cloud's EventBridge
// service.
type LocalEvents struct{ Env *core.Env }

// PutEventsJSON puts the events through the EventBridge service's Go API.
func (l LocalEvents) PutEventsJSON(ctx context.Context, request []byte) ([]byte, error) {
	svc, _ := l.Env.Lookup("events")
	p, ok := svc.(EventPutter)
	if !ok {
		return nil, errors.New("the local cloud runs no EventBridge service")
	}
	return p.PutEventsJSON(ctx, request)
}

// eventsPutEventsTask runs events:putEvents: Parameters.Entries are
// PutEvents' entries (Detail may be a JSON object, sent as its text), each
// with the execution's and the machine's ARNs appended to its Resources.
// The role needs events:PutEvents on each entry's bus; an entry that fails
// fails the task with EventBridge.FailedEntry, as on AWS.
func (s *Service) eventsPutEventsTask(ctx context.Context, r *run, req *engine.TaskRequest) (any, error) {
	params, _ := req.Input.(map[string]any)
	entries, _ := params["Entries"].([]any)
	if len(entries) == 0 {
		return nil, &engine.TaskError{Name: "EventBridge.EventBridgeException", Cause: fmt.Sprintf(
			"The state '%s' calls %s without Entries in its Parameters", req.StateName, req.Resource)}
	}
	machineARN := r.snapshot().StateMachineARN
	buses := map[string]bool{}
	for i, e := range entries {
		entry, ok := e.(map[string]any)
		if !ok {
			return nil, &engine.TaskError{Name: "EventBridge.EventBridgeException", Cause: fmt.Sprintf("Entries[%d] of state '%s' is not an object", i, req.StateName)}
		}
		if d, ok := entry["Detail"]; ok {
			if _, isString := d.(string); !isString {
				b, err := plainJSON(req, d)
				if err != nil {
					return nil, err
				}
				entry["Detail"] = string(b)
			}
		}
		resources, _ := entry["Resources"].([]any)
		entry["Resources"] = append(resources, req.ExecutionARN, machineARN)
		bus, _ := entry["EventBusName"].(string)
		buses[s.eventBusARN(bus)] = true
	}
	for bus := range buses {
		if err := s.authorize(r, "events:PutEvents", bus, func(ad *iam.AccessDeniedError) error {
			return &engine.TaskError{Name: "EventBridge.AccessDeniedException", Cause: fmt.Sprintf(
				"%s (Service: EventBridge, Status Code: 400, Request ID: %s)", ad, core.NewRequestID())}
		}); err != nil {
			return nil, err
		}
	}
	if s.cfg.Events == nil {
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: "the local cloud runs no EventBridge service, so state '" + req.StateName + "' cannot put events"}
	}
	body, err := plainJSON(req, map[string]any{"Entries": entries})
	if err != nil {
		return nil, err
	}
	raw, err := s.cfg.Events.PutEventsJSON(ctx, body)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		code := errorCode(err, "EventBridgeException")
		return nil, &engine.TaskError{Name: "EventBridge." + code, Cause: fmt.Sprintf("%s (Service: EventBridge, Status Code: 400, Error Code: %s, Request ID: %s)", message(err), code, core.NewRequestID())}
	}
	out := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	if n, _ := out["FailedEntryCount"].(json.Number); n != "" && n != "0" {
		return nil, &engine.TaskError{Name: "EventBridge.FailedEntry", Cause: string(raw)}
	}
	return out, nil
}

// eventBusARN is the ARN of a bus given by name (empty: default) or ARN.
func (s *Service) eventBusARN(bus string) string {
	if strings.HasPrefix(bus, "arn:") {
		return bus
	}
	if bus == "" {
		bus = "default"
	}
	return fmt.Sprintf("arn:aws:events:%s:%s:event-bus/%s", s.cfg.Region, s.cfg.AccountID, bus)
}
