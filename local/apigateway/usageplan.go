package apigateway

import (
	"crypto/rand"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/store"
)

// apiKey is an API key: account-wide, as on AWS, and usable on a stage
// only through a usage plan of that stage.
type apiKey struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	Description     string    `json:"description,omitempty"`
	Value           string    `json:"value"`
	Enabled         bool      `json:"enabled"`
	CreatedDate     time.Time `json:"createdDate"`
	LastUpdatedDate time.Time `json:"lastUpdatedDate"`
}

// usagePlan is a usage plan: its stages, limits and keys.
type usagePlan struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	APIStages   []apiStage `json:"apiStages,omitempty"`
	Throttle    *throttle  `json:"throttle,omitempty"`
	Quota       *quota     `json:"quota,omitempty"`
	// Keys are the IDs of the plan's API keys.
	Keys []string `json:"keys,omitempty"`
}

type apiStage struct {
	APIID string `json:"apiId"`
	Stage string `json:"stage"`
}

type throttle struct {
	BurstLimit int     `json:"burstLimit"`
	RateLimit  float64 `json:"rateLimit"`
}

type quota struct {
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
	Period string `json:"period"`
}

func (s *Service) keysColl() *store.Collection {
	return s.env.Store.Collection("apigateway", "apikeys")
}
func (s *Service) plansColl() *store.Collection {
	return s.env.Store.Collection("apigateway", "usageplans")
}

// loadKeysAndPlans reloads the account's API keys and usage plans.
func (s *Service) loadKeysAndPlans() error {
	if err := store.ScanAs(s.keysColl(), "API key", func(id string, k *apiKey) error {
		s.keys[id] = k
		s.keyByValue[k.Value] = id
		return nil
	}); err != nil {
		return err
	}
	return store.ScanAs(s.plansColl(), "usage plan", func(id string, p *usagePlan) error {
		s.plans[id] = p
		return nil
	})
}

// keyAlphabet is what generated key values are made of, as API Gateway's
// 40-character keys.
const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func newKeyValue() string {
	b := make([]byte, 40)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = keyAlphabet[int(b[i])%len(keyAlphabet)]
	}
	return string(b)
}

// putAPIKey creates a key (id empty) or replaces one; an empty value is
// generated (and kept across updates).
func (s *Service) putAPIKey(k *apiKey) error {
	if k.Value != "" && (len(k.Value) < 20 || len(k.Value) > 128) {
		return badRequest("API Key value should be at least 20 characters and at most 128")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.env.Clock.Now().UTC()
	k.LastUpdatedDate = now
	if old, ok := s.keys[k.ID]; ok {
		k.CreatedDate = old.CreatedDate
		if k.Value == "" {
			k.Value = old.Value
		}
		delete(s.keyByValue, old.Value)
	} else {
		k.ID, k.CreatedDate = newID(10), now
	}
	if k.Value == "" {
		k.Value = newKeyValue()
	}
	if other, dup := s.keyByValue[k.Value]; dup && other != k.ID {
		return conflict("API Key already exists")
	}
	if err := s.keysColl().Put(k.ID, k); err != nil {
		return err
	}
	s.keys[k.ID] = k
	s.keyByValue[k.Value] = k.ID
	return nil
}

func (s *Service) deleteAPIKey(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return nil
	}
	delete(s.keys, id)
	delete(s.keyByValue, k.Value)
	for _, p := range s.plans {
		if i := slices.Index(p.Keys, id); i >= 0 {
			p.Keys = slices.Delete(p.Keys, i, i+1)
			if err := s.plansColl().Put(p.ID, p); err != nil {
				return err
			}
		}
	}
	return s.keysColl().Delete(id)
}

// putUsagePlan creates a plan (id empty) or replaces one, keeping its keys.
func (s *Service) putUsagePlan(p *usagePlan) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range p.APIStages {
		a, ok := s.apis[st.APIID]
		if !ok {
			return notFound("Invalid API identifier specified %s:%s", s.env.AccountID, st.APIID)
		}
		if _, ok := a.Stages[st.Stage]; !ok {
			return badRequest("Invalid stage identifier specified: %s", st.Stage)
		}
	}
	if p.Quota != nil && p.Quota.Period != "DAY" && p.Quota.Period != "WEEK" && p.Quota.Period != "MONTH" {
		return badRequest("Invalid quota period %q: DAY, WEEK or MONTH", p.Quota.Period)
	}
	if old, ok := s.plans[p.ID]; ok {
		p.Keys = old.Keys
	} else {
		p.ID = newID(6)
	}
	if err := s.plansColl().Put(p.ID, p); err != nil {
		return err
	}
	s.plans[p.ID] = p
	s.limits.forget(p.ID)
	return nil
}

func (s *Service) deleteUsagePlan(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.plans[id]; !ok {
		return nil
	}
	delete(s.plans, id)
	s.limits.forget(id)
	return s.plansColl().Delete(id)
}

// setPlanKey adds (or, with add false, removes) a key of a plan.
func (s *Service) setPlanKey(planID, keyID string, add bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.plans[planID]
	if !ok {
		if !add {
			return nil
		}
		return notFound("Invalid Usage Plan ID specified")
	}
	if _, ok := s.keys[keyID]; !ok && add {
		return notFound("Invalid API Key identifier specified")
	}
	i := slices.Index(p.Keys, keyID)
	switch {
	case add && i >= 0:
		return conflict("Usage Plan %s cannot be added because API Key %s cannot reference multiple Usage Plans with the same API Stage", planID, keyID)
	case add:
		p.Keys = append(p.Keys, keyID)
	case i >= 0:
		p.Keys = slices.Delete(p.Keys, i, i+1)
	default:
		return nil
	}
	return s.plansColl().Put(p.ID, p)
}

// planFor finds the enabled key of value and the plan that gives it
// access to the API's stage.
func (s *Service) planFor(value, apiID, stageName string) (*apiKey, *usagePlan, bool) {
	if value == "" {
		return nil, nil, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	k := s.keys[s.keyByValue[value]]
	if k == nil || !k.Enabled {
		return nil, nil, false
	}
	for _, id := range sortedKeys(s.plans) {
		p := s.plans[id]
		if !slices.Contains(p.Keys, k.ID) {
			continue
		}
		for _, st := range p.APIStages {
			if st.APIID == apiID && st.Stage == stageName {
				return k, p, true
			}
		}
	}
	return nil, nil, false
}

func keyView(k *apiKey, withValue bool) map[string]any {
	v := map[string]any{"id": k.ID, "name": k.Name, "enabled": k.Enabled, "createdDate": epoch(k.CreatedDate),
		"lastUpdatedDate": epoch(k.LastUpdatedDate), "stageKeys": []string{}}
	if k.Description != "" {
		v["description"] = k.Description
	}
	if withValue {
		v["value"] = k.Value
	}
	return v
}

func planView(p *usagePlan) map[string]any {
	v := map[string]any{"id": p.ID, "name": p.Name}
	if p.Description != "" {
		v["description"] = p.Description
	}
	if len(p.APIStages) > 0 {
		v["apiStages"] = p.APIStages
	}
	if p.Throttle != nil {
		v["throttle"] = p.Throttle
	}
	if p.Quota != nil {
		v["quota"] = p.Quota
	}
	return v
}

// keysAndPlans answers the REST calls on /apikeys and /usageplans.
func (s *Service) keysAndPlans(p []string, query map[string][]string) (string, any, error) {
	has := func(k string) bool { v := query[k]; return len(v) > 0 && v[0] == "true" }
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch {
	case p[0] == "apikeys" && len(p) == 1:
		items := []any{}
		for _, id := range sortedKeys(s.keys) {
			k := s.keys[id]
			if n := query["name"]; len(n) > 0 && n[0] != k.Name {
				continue
			}
			items = append(items, keyView(k, has("includeValues")))
		}
		return "GetApiKeys", map[string]any{"item": items}, nil
	case p[0] == "apikeys" && len(p) == 2:
		k, ok := s.keys[p[1]]
		if !ok {
			return "GetApiKey", nil, notFound("Invalid API Key identifier specified")
		}
		return "GetApiKey", keyView(k, has("includeValue")), nil
	case p[0] == "usageplans" && len(p) == 1:
		items := []any{}
		for _, id := range sortedKeys(s.plans) {
			pl := s.plans[id]
			if k := query["keyId"]; len(k) > 0 && !slices.Contains(pl.Keys, k[0]) {
				continue
			}
			items = append(items, planView(pl))
		}
		return "GetUsagePlans", map[string]any{"item": items}, nil
	case p[0] == "usageplans" && len(p) >= 2:
		pl, ok := s.plans[p[1]]
		if !ok {
			return "GetUsagePlan", nil, notFound("Invalid Usage Plan ID specified")
		}
		if len(p) == 2 {
			return "GetUsagePlan", planView(pl), nil
		}
		if p[2] == "keys" && len(p) <= 4 {
			items := []any{}
			for _, id := range pl.Keys {
				if k, ok := s.keys[id]; ok && (len(p) == 3 || p[3] == id) {
					items = append(items, map[string]any{"id": k.ID, "type": "API_KEY", "name": k.Name, "value": k.Value})
				}
			}
			if len(p) == 4 {
				if len(items) == 0 {
					return "GetUsagePlanKey", nil, notFound("Invalid Usage Plan Key identifier specified")
				}
				return "GetUsagePlanKey", items[0], nil
			}
			return "GetUsagePlanKeys", map[string]any{"item": items}, nil
		}
	}
	return "", nil, notFound("the local API Gateway has no resource /%s", strings.Join(p, "/"))
}

// checkAPIKey admits a request to a method that requires an API key: the
// x-api-key header must hold an enabled key of a usage plan of this stage
// (403 {"message":"Forbidden"}), within the plan's throttle (429 "Too Many
// Requests") and quota (429 "Limit Exceeded").
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
func (x *exchange) checkAPIKey() bool {
	k, p, ok := x.s.planFor(x.r.Header.Get("X-Api-Key"), x.api.ID, x.stage.StageName)
	if !ok {
		x.gatewayError(http.StatusForbidden, "ForbiddenException", "Forbidden")
		return false
	}
	switch x.s.limits.take(p, k.ID, x.s.env.Clock.Now()) {
	case throttled:
		x.gatewayError(http.StatusTooManyRequests, "TooManyRequestsException", "Too Many Requests")
		return false
	case overQuota:
		x.gatewayError(http.StatusTooManyRequests, "LimitExceededException", "Limit Exceeded")
		return false
	}
	x.key = k
	return true
}
