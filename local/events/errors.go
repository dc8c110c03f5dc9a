package events

import (
	"net/http"

	"github.com/sparta-go/sparta/internal/eventpattern"
	"github.com/sparta-go/sparta/internal/schedule"
	"github.com/sparta-go/sparta/local/core"
)

// EventBridge's error codes, as its API reference lists them.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html
const (
	codeNotFound       = "ResourceNotFoundException"
	codeValidation     = "ValidationException"
	codeInvalidPattern = "InvalidEventPatternException"
	codeExists         = "ResourceAlreadyExistsException"
	codeLimit          = "LimitExceededException"
)

func errRuleNotFound(rule, bus string) error {
	return core.Errorf(http.StatusBadRequest, codeNotFound, "Rule %s does not exist on EventBus %s.", rule, bus)
}

func errBusNotFound(bus string) error {
	return core.Errorf(http.StatusBadRequest, codeNotFound, "Event bus %s does not exist.", bus)
}

func errValidation(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, codeValidation, format, args...)
}

// errSchedule is AWS's refusal of a schedule expression.
func errSchedule() error { return errValidation("%s", schedule.AWSMessage) }

// errPattern renders a pattern error as InvalidEventPatternException.
func errPattern(err error) error {
	if pe, ok := err.(*eventpattern.Error); ok {
		return core.Errorf(http.StatusBadRequest, codeInvalidPattern, "%s", pe.Error())
	}
	return core.Errorf(http.StatusBadRequest, codeInvalidPattern, "Event pattern is not valid. Reason: %v", err)
}

func errLimit() error {
	return core.Errorf(http.StatusBadRequest, codeLimit, "The requested resource exceeds the maximum number allowed.")
}
