package events

import (
	"regexp"
	"time"
)

// DefaultBus is the name of the account's default event bus, which always
// exists.
const DefaultBus = "default"

// Rule is a stored rule with its targets.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html
type Rule struct {
	Name               string
	Arn                string
	EventBusName       string
	EventPattern       string `json:",omitempty"`
	ScheduleExpression string `json:",omitempty"`
	// State is ENABLED or DISABLED.
	State       string
	Description string `json:",omitempty"`
	RoleArn     string `json:",omitempty"`
	// Created anchors a rate() schedule.
	Created time.Time
	Targets []Target `json:",omitempty"`
}

// Target is one target of a rule.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
type Target struct {
	Id               string
	Arn              string
	RoleArn          string            `json:",omitempty"`
	Input            string            `json:",omitempty"`
	InputPath        string            `json:",omitempty"`
	InputTransformer *InputTransformer `json:",omitempty"`
}

// InputTransformer builds a target's input from parts of the event.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
type InputTransformer struct {
	InputPathsMap map[string]string `json:",omitempty"`
	InputTemplate string
}

// Bus is an event bus.
type Bus struct {
	Name        string
	Arn         string
	Description string `json:",omitempty"`
	Created     time.Time
}

// Limits EventBridge sets.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
const (
	maxTargetsPerRule = 5
	maxTargetsPerCall = 10
	maxEntriesPerPut  = 10
	maxEventSize      = 256 * 1024
)

var (
	ruleName   = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)
	busName    = regexp.MustCompile(`^[/\.\-_A-Za-z0-9]{1,256}$`)
	targetID   = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)
	timeLayout = "2006-01-02T15:04:05Z"
)
