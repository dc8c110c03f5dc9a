package events

import (
	"net/http"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// CreateEventBus creates a custom event bus and returns its ARN.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html
func (s *Service) CreateEventBus(name, description string) (string, error) {
	if !busName.MatchString(name) || name == DefaultBus || strings.HasPrefix(name, "aws.") {
		return "", errValidation("Event bus name %q is not valid: use 1 to 256 letters, digits and . - _ /, not \"default\" and not starting with \"aws.\".", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.buses[name]; ok {
		return "", core.Errorf(http.StatusBadRequest, codeExists, "Event bus %s already exists.", name)
	}
	b := Bus{Name: name, Arn: s.busARN(name), Description: description, Created: s.env.Clock.Now().UTC()}
	if err := s.busesColl().Put(name, b); err != nil {
		return "", err
	}
	s.buses[name] = &b
	return b.Arn, nil
}

// DeleteEventBus deletes a custom bus, which must have no rules left.
// Deleting a missing bus succeeds, as on AWS.
func (s *Service) DeleteEventBus(name string) error {
	name = busNameOf(name)
	if name == DefaultBus {
		return errValidation("Cannot delete event bus default.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.buses[name]; !ok {
		return nil
	}
	if len(s.rulesOfLocked(name)) > 0 {
		return errValidation("Cannot delete event bus %s because it has rules; delete them first.", name)
	}
	if err := s.busesColl().Delete(name); err != nil {
		return err
	}
	delete(s.buses, name)
	return nil
}

// DescribeEventBus returns a bus.
func (s *Service) DescribeEventBus(name string) (Bus, error) {
	name = busNameOf(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buses[name]
	if !ok {
		return Bus{}, errBusNotFound(name)
	}
	return *b, nil
}

// ListEventBuses returns the buses whose name starts with prefix, sorted.
func (s *Service) ListEventBuses(prefix string) []Bus {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Bus
	for _, b := range s.buses {
		if strings.HasPrefix(b.Name, prefix) {
			out = append(out, *b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
