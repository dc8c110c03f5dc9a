package schedule

import (
	"strconv"
	"strings"
	"time"
)

// Year bounds of AWS's cron Year field.
const (
	minYear = 1970
	maxYear = 2199
)

// Cron is a cron(Minutes Hours Day-of-month Month Day-of-week Year)
// schedule, evaluated in UTC. One of Day-of-month and Day-of-week is "?".
// Besides lists (,), ranges (-), increments (/, not in Day-of-week) and *,
// Day-of-month takes L (the last day), LW (the last weekday) and nW (the
// weekday nearest day n, within the month); Day-of-week takes L
// (Saturday), nL (the last day n of the month) and n#k (the k-th day n of
// the month, alone in its field). Days of the week are 1 (SUN) to 7 (SAT); months and days
// take their three-letter English names.
//
// See https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions
type Cron struct {
	expr    string
	minutes [60]bool
	hours   [24]bool
	months  [13]bool
	years   [maxYear - minYear + 1]bool

	// byWeek is true when Day-of-month is "?": days are chosen by dow.
	byWeek bool
	dom    [32]bool
	// domLast: L; domLastWeekday: LW; domNearest: nW.
	domLast        bool
	domLastWeekday bool
	domNearest     int
	dow            [8]bool
	// dowLast: nL; dowNth with dowNthDay: n#k.
	dowLast   int
	dowNth    int
	dowNthDay int
}

var (
	monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
	dayNames   = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
)

func parseCron(expr, body string, bad func(string, ...any) error) (Schedule, error) {
	f := strings.Fields(body)
	if len(f) != 6 {
		return nil, bad("a cron has 6 fields (minutes hours day-of-month month day-of-week year), got %d", len(f))
	}
	c := &Cron{expr: expr}
	if err := parseList(f[0], 0, 59, nil, c.minutes[:], "Minutes", bad); err != nil {
		return nil, err
	}
	if err := parseList(f[1], 0, 23, nil, c.hours[:], "Hours", bad); err != nil {
		return nil, err
	}
	if err := parseList(f[3], 1, 12, monthNames, c.months[:], "Month", bad); err != nil {
		return nil, err
	}
	years := make([]bool, maxYear+1)
	if err := parseList(f[5], minYear, maxYear, nil, years, "Year", bad); err != nil {
		return nil, err
	}
	copy(c.years[:], years[minYear:])
	switch {
	case f[2] == "?" && f[4] == "?":
		return nil, bad("only one of Day-of-month and Day-of-week may be ?")
	case f[2] != "?" && f[4] != "?":
		return nil, bad("one of Day-of-month and Day-of-week must be ?: a cron cannot choose days both ways")
	case f[2] == "?":
		c.byWeek = true
		if err := c.parseDayOfWeek(f[4], bad); err != nil {
			return nil, err
		}
	default:
		if err := c.parseDayOfMonth(f[2], bad); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// parseDayOfMonth reads L, LW, nW or a list.
func (c *Cron) parseDayOfMonth(s string, bad func(string, ...any) error) error {
	switch {
	case s == "L":
		c.domLast = true
		return nil
	case s == "LW":
		c.domLastWeekday = true
		return nil
	case strings.HasSuffix(s, "W"):
		n, err := number(strings.TrimSuffix(s, "W"), 1, 31, nil)
		if err != nil {
			return bad("Day-of-month %q: nW takes one day from 1 to 31", s)
		}
		c.domNearest = n
		return nil
	}
	if strings.ContainsAny(s, "LW#") {
		return bad("Day-of-month %q: L and W stand alone (L, LW, nW), not in a list", s)
	}
	return parseList(s, 1, 31, nil, c.dom[:], "Day-of-month", bad)
}

// parseDayOfWeek reads L, nL, n#k or a list.
func (c *Cron) parseDayOfWeek(s string, bad func(string, ...any) error) error {
	switch {
	case s == "L":
		c.dow[7] = true
		return nil
	case strings.HasSuffix(s, "L"):
		n, err := number(strings.TrimSuffix(s, "L"), 1, 7, dayNames)
		if err != nil {
			return bad("Day-of-week %q: nL takes one day from 1 (SUN) to 7 (SAT)", s)
		}
		c.dowLast = n
		return nil
	case strings.Contains(s, "#"):
		d, k, _ := strings.Cut(s, "#")
		n, err1 := number(d, 1, 7, dayNames)
		nth, err2 := number(k, 1, 5, nil)
		if err1 != nil || err2 != nil {
			return bad("Day-of-week %q: n#k takes a day from 1 (SUN) to 7 (SAT) and k from 1 to 5", s)
		}
		c.dowNthDay, c.dowNth = n, nth
		return nil
	}
	if strings.Contains(s, "/") {
		return bad("Day-of-week %q: increments (/) are not allowed in Day-of-week", s)
	}
	return parseList(s, 1, 7, dayNames, c.dow[:], "Day-of-week", bad)
}

// parseList reads a comma-separated list of *, a, a-b, each with an
// optional /step, into set (indexed by value).
func parseList(s string, lo, hi int, names map[string]int, set []bool, field string, bad func(string, ...any) error) error {
	if s == "" {
		return bad("%s is empty", field)
	}
	for _, item := range strings.Split(s, ",") {
		rng, stepText, hasStep := strings.Cut(item, "/")
		step := 1
		if hasStep {
			n, err := number(stepText, 1, hi-lo+1, nil)
			if err != nil {
				return bad("%s %q: the increment %q is not a number from 1 to %d", field, item, stepText, hi-lo+1)
			}
			step = n
		}
		from, to := lo, hi
		switch {
		case rng == "*":
		default:
			a, b, isRange := strings.Cut(rng, "-")
			var err error
			if from, err = number(a, lo, hi, names); err != nil {
				return bad("%s %q: %q is not a value from %d to %d", field, item, a, lo, hi)
			}
			to = from
			if isRange {
				if to, err = number(b, lo, hi, names); err != nil {
					return bad("%s %q: %q is not a value from %d to %d", field, item, b, lo, hi)
				}
				if to < from {
					return bad("%s %q: the range runs backwards", field, item)
				}
			} else if hasStep {
				to = hi
			}
		}
		for v := from; v <= to; v += step {
			set[v] = true
		}
	}
	return nil
}

// number reads a decimal value (or a name) within [lo, hi].
func number(s string, lo, hi int, names map[string]int) (int, error) {
	if v, ok := names[strings.ToUpper(s)]; ok {
		return v, nil
	}
	if s == "" || len(s) > 4 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	v, _ := strconv.Atoi(s)
	if v < lo || v > hi {
		return 0, strconv.ErrRange
	}
	return v, nil
}

// String implements Schedule.
func (c *Cron) String() string { return c.expr }

// Next implements Schedule: the first selected minute after t.
func (c *Cron) Next(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Minute).Add(time.Minute)
	for t.Year() <= maxYear {
		y, m, d := t.Date()
		switch {
		case y < minYear:
			t = time.Date(minYear, 1, 1, 0, 0, 0, 0, time.UTC)
		case !c.years[y-minYear]:
			t = time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
		case !c.months[m]:
			t = time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
		case !c.day(y, m, d):
			t = time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
		case !c.hours[t.Hour()]:
			t = time.Date(y, m, d, t.Hour()+1, 0, 0, 0, time.UTC)
		case !c.minutes[t.Minute()]:
			t = t.Add(time.Minute)
		default:
			return t
		}
	}
	return time.Time{}
}

// day reports whether the cron selects day d of month m of year y.
func (c *Cron) day(y int, m time.Month, d int) bool {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	weekday := int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()) + 1 // 1 = SUN
	if c.byWeek {
		switch {
		case c.dowLast != 0:
			return weekday == c.dowLast && d+7 > last
		case c.dowNth != 0:
			return weekday == c.dowNthDay && (d-1)/7+1 == c.dowNth
		}
		return c.dow[weekday]
	}
	switch {
	case c.domLast:
		return d == last
	case c.domLastWeekday:
		return d == nearestWeekday(y, m, last, last)
	case c.domNearest != 0:
		return c.domNearest <= last && d == nearestWeekday(y, m, c.domNearest, last)
	}
	return c.dom[d]
}

// nearestWeekday is the weekday (Monday to Friday) nearest day n of the
// month, without leaving the month: a Saturday moves to Friday (or to
// Monday the 3rd for the 1st), a Sunday to Monday (or to Friday for the
// last day).
func nearestWeekday(y int, m time.Month, n, last int) int {
	switch time.Date(y, m, n, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}
