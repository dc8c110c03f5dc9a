package service

import (
	"fmt"
	"slices"
)

// APIKey is an API Gateway API key: clients of a method with
// Method.APIKeyRequired send its value in the x-api-key header. A key
// works only through a usage plan of the API's stage (API.NewUsagePlan).
//
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
type APIKey struct {
	name string
	// Description is the key's description.
	Description string
	// Value is the key clients send (20 to 128 characters); empty lets
	// API Gateway generate one, read with
	// `aws apigateway get-api-key --api-key ID --include-value` (the stack
	// outputs the ID).
	Value string
	// Disabled keeps the key but refuses it (403), as Enabled: false.
	Disabled bool
}

// Name is the key's name.
func (k *APIKey) Name() string { return k.name }

// UsagePlan is an API Gateway usage plan: who may call the API's stage
// (its keys) and how much: a steady rate with a burst (Throttle) and a
// number of requests per day, week or month (Quota). Requests over the
// rate are refused with 429 {"message":"Too Many Requests"}, over the
// quota with 429 {"message":"Limit Exceeded"}.
//
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
type UsagePlan struct {
	name string
	keys []*APIKey
	// Description is the plan's description.
	Description string
	// Throttle, when set, limits the request rate of each key.
	Throttle *ThrottleSettings
	// Quota, when set, limits the requests of each key per period.
	Quota *QuotaSettings
}

// ThrottleSettings is a token bucket: RateLimit requests per second on
// average, at most BurstLimit at once.
type ThrottleSettings struct {
	// RateLimit is the steady rate in requests per second (> 0).
	RateLimit float64
	// BurstLimit is the bucket's size; 0 means the rate rounded up.
	BurstLimit int
}

// QuotaSettings is a number of requests per period.
type QuotaSettings struct {
	// Limit is the number of requests allowed in a period (> 0).
	Limit int
	// Period is "DAY", "WEEK" or "MONTH".
	Period string
	// Offset is the number of requests subtracted from the first period.
	Offset int
}

// Quota periods.
const (
	QuotaDay   = "DAY"
	QuotaWeek  = "WEEK"
	QuotaMonth = "MONTH"
)

// Name is the plan's name.
func (p *UsagePlan) Name() string { return p.name }

// Keys are the plan's API keys.
func (p *UsagePlan) Keys() []*APIKey { return p.keys }

// NewAPIKey declares an API key named name; give it to a usage plan.
func (a *API) NewAPIKey(name string) (*APIKey, error) {
	if !authorizerNamePattern.MatchString(name) {
		return nil, fmt.Errorf("API %q: API key name %q: use letters, digits, - and _", a.name, name)
	}
	for _, k := range a.keys {
		if k.name == name {
			return nil, fmt.Errorf("API %q: API key %q is already declared", a.name, name)
		}
	}
	k := &APIKey{name: name}
	a.keys = append(a.keys, k)
	return k, nil
}

// NewUsagePlan declares a usage plan named name for the API's stage,
// holding keys (declared with NewAPIKey).
func (a *API) NewUsagePlan(name string, keys ...*APIKey) (*UsagePlan, error) {
	if !authorizerNamePattern.MatchString(name) {
		return nil, fmt.Errorf("API %q: usage plan name %q: use letters, digits, - and _", a.name, name)
	}
	for _, p := range a.plans {
		if p.name == name {
			return nil, fmt.Errorf("API %q: usage plan %q is already declared", a.name, name)
		}
	}
	p := &UsagePlan{name: name, keys: keys}
	a.plans = append(a.plans, p)
	return p, nil
}

// APIKeys are the API's keys in declaration order.
func (a *API) APIKeys() []*APIKey { return a.keys }

// UsagePlans are the API's usage plans in declaration order.
func (a *API) UsagePlans() []*UsagePlan { return a.plans }

func (a *API) validateUsagePlans() []error {
	var errs []error
	for _, k := range a.keys {
		if k.Value != "" && (len(k.Value) < 20 || len(k.Value) > 128) {
			errs = append(errs, fmt.Errorf("API %q: API key %q: the value has %d characters; API Gateway takes 20 to 128 (or none, to generate one)", a.name, k.name, len(k.Value)))
		}
	}
	if len(a.plans) > 0 && a.stage == nil {
		errs = append(errs, fmt.Errorf("API %q: usage plans apply to a stage, and the API has none: pass one to sparta.NewAPIGateway", a.name))
	}
	for _, p := range a.plans {
		where := fmt.Sprintf("API %q: usage plan %q", a.name, p.name)
		for _, k := range p.keys {
			if k == nil || !slices.Contains(a.keys, k) {
				errs = append(errs, fmt.Errorf("%s: a key is nil or belongs to another API: declare it with this API's NewAPIKey", where))
			}
		}
		if t := p.Throttle; t != nil && (t.RateLimit <= 0 || t.BurstLimit < 0) {
			errs = append(errs, fmt.Errorf("%s: Throttle wants RateLimit > 0 and BurstLimit >= 0, not %v and %d", where, t.RateLimit, t.BurstLimit))
		}
		if q := p.Quota; q != nil {
			if q.Limit <= 0 {
				errs = append(errs, fmt.Errorf("%s: Quota.Limit must be positive, not %d", where, q.Limit))
			}
			if !slices.Contains([]string{QuotaDay, QuotaWeek, QuotaMonth}, q.Period) {
				errs = append(errs, fmt.Errorf("%s: Quota.Period %q is not DAY, WEEK or MONTH", where, q.Period))
			}
			if q.Offset < 0 || (q.Limit > 0 && q.Offset >= q.Limit) {
				errs = append(errs, fmt.Errorf("%s: Quota.Offset %d must be at least 0 and below the limit", where, q.Offset))
			}
		}
	}
	return errs
}
