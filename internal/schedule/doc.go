// Package schedule parses and evaluates EventBridge schedule expressions:
// rate(N unit) and AWS's six-field cron(Minutes Hours Day-of-month Month
// Day-of-week Year), in UTC, as
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
// describes them. The local EventBridge fires rules by it, and the
// framework validates the schedules a program declares with it before
// anything is deployed. It has no dependencies, so that the Lambda binary
// may link it.
package schedule
