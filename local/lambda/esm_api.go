package lambda

import (
	"encoding/json"
	"io"
	"net/http"
	"sort"

	"github.com/sparta-go/sparta/local/core"
)

// esmFields are the request fields of Create/UpdateEventSourceMapping the
// local cloud implements; any other field set in a request (Kafka, MQ,
// DocumentDB, self-managed sources, filters, metrics...) is refused by name
// rather than ignored.
var esmFields = map[string]bool{
	"FunctionName": true, "EventSourceArn": true, "Enabled": true, "BatchSize": true,
	"MaximumBatchingWindowInSeconds": true, "StartingPosition": true, "StartingPositionTimestamp": true,
	"ParallelizationFactor": true, "BisectBatchOnFunctionError": true, "MaximumRecordAgeInSeconds": true,
	"MaximumRetryAttempts": true, "TumblingWindowInSeconds": true, "DestinationConfig": true,
	"FunctionResponseTypes": true, "ScalingConfig": true, "Tags": true,
}

// decodeMapping reads a mapping request into v and lists the fields set
// that the local cloud does not implement.
func decodeMapping(r *http.Request, v any) ([]string, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSmallBody+1))
	if err != nil {
		return nil, core.Errorf(http.StatusBadRequest, "SerializationException", "reading the request body: %v", err)
	}
	if len(body) > maxSmallBody {
		return nil, core.Errorf(http.StatusRequestEntityTooLarge, CodeRequestTooLarge, "the request body is larger than %d bytes", maxSmallBody)
	}
	if err := core.DecodeJSON(body, v); err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(body, &fields)
	return unsupportedFields(fields), nil
}

func unsupportedFields[V any](fields map[string]V) []string {
	var out []string
	for k := range fields {
		if !esmFields[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func (s *Service) httpCreateMapping(w http.ResponseWriter, r *http.Request, _ []string) error {
	var in CreateEventSourceMappingInput
	un, err := decodeMapping(r, &in)
	if err != nil {
		return err
	}
	in.Unsupported = un
	c, err := s.CreateEventSourceMapping(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, c)
}

func (s *Service) httpGetMapping(w http.ResponseWriter, r *http.Request, p []string) error {
	c, err := s.GetEventSourceMapping(r.Context(), p[1])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Service) httpUpdateMapping(w http.ResponseWriter, r *http.Request, p []string) error {
	var in UpdateEventSourceMappingInput
	un, err := decodeMapping(r, &in)
	if err != nil {
		return err
	}
	for _, f := range un {
		if f != "EventSourceArn" && f != "StartingPosition" {
			in.Unsupported = append(in.Unsupported, f)
		}
	}
	in.UUID = p[1]
	c, err := s.UpdateEventSourceMapping(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, c)
}

func (s *Service) httpDeleteMapping(w http.ResponseWriter, r *http.Request, p []string) error {
	c, err := s.DeleteEventSourceMapping(r.Context(), p[1])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, c)
}

// httpListMappings serves ListEventSourceMappings with Marker and MaxItems
// (1 to 10000, default 100).
func (s *Service) httpListMappings(w http.ResponseWriter, r *http.Request, _ []string) error {
	q := r.URL.Query()
	all, err := s.ListEventSourceMappings(r.Context(), q.Get("EventSourceArn"), q.Get("FunctionName"))
	if err != nil {
		return err
	}
	start, end, next, err := page(q, len(all), 100)
	if err != nil {
		return err
	}
	out := struct {
		EventSourceMappings []EventSourceMappingConfiguration
		NextMarker          *string `json:",omitempty"`
	}{EventSourceMappings: all[start:end], NextMarker: nextMarker(next)}
	return writeJSON(w, http.StatusOK, out)
}
