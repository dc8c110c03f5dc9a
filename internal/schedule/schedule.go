package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a parsed schedule expression.
type Schedule interface {
	// Next returns the first firing time strictly after t, in UTC, or the
	// zero time when the schedule never fires again (a cron whose years
	// are over).
	Next(t time.Time) time.Time
	// String returns the expression as it was parsed.
	String() string
}

// Error is a schedule expression that EventBridge would refuse. AWS's own
// message for every such expression is "Parameter ScheduleExpression is
// not valid."; Reason says what is wrong with it.
type Error struct {
	Expr   string
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("schedule expression %q is not valid: %s", e.Expr, e.Reason)
}

// AWSMessage is the message EventBridge gives for an invalid schedule
// expression (ValidationException).
const AWSMessage = "Parameter ScheduleExpression is not valid."

// Parse parses rate(...) or cron(...). A rate fires every period counted
// from its Anchor (see [Rate]); a cron fires on the minutes its fields
// select, in UTC.
func Parse(expr string) (Schedule, error) {
	bad := func(format string, args ...any) error {
		return &Error{Expr: expr, Reason: fmt.Sprintf(format, args...)}
	}
	if len(expr) > 256 {
		return nil, bad("longer than 256 characters")
	}
	switch {
	case strings.HasPrefix(expr, "rate(") && strings.HasSuffix(expr, ")"):
		return parseRate(expr, strings.TrimSuffix(strings.TrimPrefix(expr, "rate("), ")"), bad)
	case strings.HasPrefix(expr, "cron(") && strings.HasSuffix(expr, ")"):
		return parseCron(expr, strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"), bad)
	}
	return nil, bad("want rate(value unit) or cron(minutes hours day-of-month month day-of-week year)")
}

// Rate is a rate(value unit) schedule: it fires every Every, at Anchor
// plus whole multiples of Every. The zero Anchor is the Unix epoch, so
// rate(1 minute) fires at second 0 of every minute and rate(1 hour) at the
// top of every hour; EventBridge counts from when the rule is created,
// which the local EventBridge sets as the anchor (cut to the minute).
type Rate struct {
	Every  time.Duration
	Anchor time.Time
	expr   string
}

// Next implements Schedule.
func (r *Rate) Next(t time.Time) time.Time {
	anchor := r.Anchor
	if anchor.IsZero() {
		anchor = time.Unix(0, 0)
	}
	t = t.UTC()
	if t.Before(anchor) {
		return anchor.UTC()
	}
	n := t.Sub(anchor)/r.Every + 1
	return anchor.Add(n * r.Every).UTC()
}

// String implements Schedule.
func (r *Rate) String() string { return r.expr }

// parseRate reads "value unit": a positive integer, and minute, hour or
// day in the singular for 1 and in the plural otherwise, as AWS requires.
func parseRate(expr, body string, bad func(string, ...any) error) (Schedule, error) {
	fields := strings.Fields(body)
	if len(fields) != 2 || strings.Count(body, " ") != 1 {
		return nil, bad("a rate is rate(value unit), e.g. rate(5 minutes)")
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n <= 0 || fields[0][0] == '+' || fields[0][0] == '0' {
		return nil, bad("the value %q of a rate is not a positive integer", fields[0])
	}
	units := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}
	unit := fields[1]
	singular := strings.TrimSuffix(unit, "s")
	d, ok := units[singular]
	if !ok {
		return nil, bad("the unit %q of a rate is not minute(s), hour(s) or day(s)", unit)
	}
	if n == 1 && unit != singular {
		return nil, bad("a rate of 1 takes the singular unit %q", singular)
	}
	if n > 1 && unit == singular {
		return nil, bad("a rate of %d takes the plural unit %q", n, singular+"s")
	}
	if int64(n) > int64(1<<62)/int64(d) {
		return nil, bad("the rate %d %s is too long", n, unit)
	}
	return &Rate{Every: time.Duration(n) * d, expr: expr}, nil
}
