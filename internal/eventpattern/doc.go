// Package eventpattern compiles and matches EventBridge event patterns as
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
// and
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// describe them: a pattern mirrors the event's structure; each leaf is an
// array of alternatives (exact strings, numbers, booleans and null, or
// operator objects: prefix, suffix, equals-ignore-case, wildcard,
// anything-but, numeric, exists, cidr); $or lists alternative
// sub-patterns. Every field of a pattern must match (AND); an event array
// matches when one of its elements does.
//
// The local EventBridge routes events with it (PutEvents, TestEventPattern)
// and the framework checks the patterns a program declares with it before
// anything is deployed. Unlike AWS's Event Ruler, the fields matched
// inside an array of objects need not come from the same element.
package eventpattern
