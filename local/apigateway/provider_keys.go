package apigateway

import (
	"context"
	"fmt"
	"strconv"

	"github.com/sparta-go/sparta/local/resource"
)

// AWS::ApiGateway::ApiKey, UsagePlan and UsagePlanKey. Keys and plans
// belong to the account, not to an API, as on AWS.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-apikey.html

type apiKeyProvider struct{ s *Service }

// Create makes the key; Ref is its ID (APIKeyId as attribute).
func (p apiKeyProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	return p.put(req, "")
}

func (p apiKeyProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return p.put(req, req.PhysicalID)
}

func (p apiKeyProvider) put(req resource.Request, id string) (resource.Result, error) {
	if _, ok := req.Properties["StageKeys"]; ok {
		return resource.Result{}, fmt.Errorf("ApiKey %s: StageKeys are not supported by the local API Gateway; put the key in a usage plan (AWS::ApiGateway::UsagePlanKey)", req.LogicalID)
	}
	k := &apiKey{ID: id, Name: resource.String(req.Properties, "Name"), Description: resource.String(req.Properties, "Description"),
		Value: resource.String(req.Properties, "Value"), Enabled: boolOf(req.Properties["Enabled"])}
	if k.Name == "" {
		k.Name = resource.PhysicalName(req.StackName, req.LogicalID, 128)
	}
	if err := p.s.putAPIKey(k); err != nil {
		return resource.Result{}, fmt.Errorf("ApiKey %s: %w", req.LogicalID, err)
	}
	return resource.Result{PhysicalID: k.ID, Attributes: map[string]any{"APIKeyId": k.ID}}, nil
}

func (p apiKeyProvider) Delete(_ context.Context, req resource.Request) error {
	return p.s.deleteAPIKey(req.PhysicalID)
}

// RequiresReplacement: a new name or value is a new key, as on AWS.
func (apiKeyProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "Name", "Value")
}

type usagePlanProvider struct{ s *Service }

// Create makes the plan; Ref is its ID.
func (p usagePlanProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	return p.put(req, "")
}

func (p usagePlanProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return p.put(req, req.PhysicalID)
}

func (p usagePlanProvider) put(req resource.Request, id string) (resource.Result, error) {
	plan := &usagePlan{ID: id, Name: resource.String(req.Properties, "UsagePlanName"), Description: resource.String(req.Properties, "Description")}
	if plan.Name == "" {
		plan.Name = resource.PhysicalName(req.StackName, req.LogicalID, 128)
	}
	stages, _ := req.Properties["ApiStages"].([]any)
	for _, item := range stages {
		st, _ := item.(map[string]any)
		if _, ok := st["Throttle"]; ok {
			return resource.Result{}, fmt.Errorf("UsagePlan %s: per-method Throttle in ApiStages is not supported by the local API Gateway; use the plan's Throttle", req.LogicalID)
		}
		plan.APIStages = append(plan.APIStages, apiStage{APIID: resource.String(st, "ApiId"), Stage: resource.String(st, "Stage")})
	}
	if t, ok := req.Properties["Throttle"].(map[string]any); ok {
		plan.Throttle = &throttle{}
		if n, ok, err := resource.Int(t, "BurstLimit"); err != nil {
			return resource.Result{}, fmt.Errorf("UsagePlan %s: Throttle: %w", req.LogicalID, err)
		} else if ok {
			plan.Throttle.BurstLimit = n
		}
		rate, err := floatOf(t["RateLimit"])
		if err != nil || rate <= 0 {
			return resource.Result{}, fmt.Errorf("UsagePlan %s: Throttle.RateLimit must be a positive number", req.LogicalID)
		}
		plan.Throttle.RateLimit = rate
	}
	if q, ok := req.Properties["Quota"].(map[string]any); ok {
		plan.Quota = &quota{Period: resource.String(q, "Period")}
		limit, ok, err := resource.Int(q, "Limit")
		if err != nil || !ok || limit <= 0 {
			return resource.Result{}, fmt.Errorf("UsagePlan %s: Quota.Limit must be a positive integer", req.LogicalID)
		}
		plan.Quota.Limit = limit
		if n, _, err := resource.Int(q, "Offset"); err != nil {
			return resource.Result{}, fmt.Errorf("UsagePlan %s: Quota: %w", req.LogicalID, err)
		} else if n < 0 || n >= limit {
			return resource.Result{}, fmt.Errorf("UsagePlan %s: Quota.Offset %d must be from 0 to the limit %d less one", req.LogicalID, n, limit)
		} else {
			plan.Quota.Offset = n
		}
	}
	if err := p.s.putUsagePlan(plan); err != nil {
		return resource.Result{}, fmt.Errorf("UsagePlan %s: %w", req.LogicalID, err)
	}
	return resource.Result{PhysicalID: plan.ID, Attributes: map[string]any{"Id": plan.ID}}, nil
}

func (p usagePlanProvider) Delete(_ context.Context, req resource.Request) error {
	return p.s.deleteUsagePlan(req.PhysicalID)
}

func (usagePlanProvider) RequiresReplacement(_, _ map[string]any) bool { return false }

type usagePlanKeyProvider struct{ s *Service }

// Create puts an API key in a usage plan; Ref is the key's ID.
func (p usagePlanKeyProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	planID, keyID := resource.String(req.Properties, "UsagePlanId"), resource.String(req.Properties, "KeyId")
	if t := resource.String(req.Properties, "KeyType"); t != "API_KEY" {
		return resource.Result{}, fmt.Errorf("UsagePlanKey %s: KeyType must be API_KEY, not %q", req.LogicalID, t)
	}
	if err := p.s.setPlanKey(planID, keyID, true); err != nil {
		return resource.Result{}, fmt.Errorf("UsagePlanKey %s: %w", req.LogicalID, err)
	}
	return resource.Result{PhysicalID: childID(planID, keyID), Ref: keyID, Attributes: map[string]any{"Id": keyID}}, nil
}

// Update never runs: every property replaces the resource.
func (p usagePlanKeyProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	return p.Create(ctx, req)
}

func (p usagePlanKeyProvider) Delete(_ context.Context, req resource.Request) error {
	planID, keyID := splitChild(req.PhysicalID)
	return p.s.setPlanKey(planID, keyID, false)
}

func (usagePlanKeyProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "UsagePlanId", "KeyId", "KeyType")
}

// floatOf reads a number written as a JSON number or a string.
func floatOf(v any) (float64, error) {
	switch t := v.(type) {
	case float64:
		return t, nil
	case int:
		return float64(t), nil
	case string:
		return strconv.ParseFloat(t, 64)
	case interface{ String() string }: // json.Number
		return strconv.ParseFloat(t.String(), 64)
	}
	return 0, fmt.Errorf("%v is not a number", v)
}
