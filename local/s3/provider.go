package s3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers gives AWS::S3::Bucket and AWS::S3::BucketPolicy their
// behaviour in the local cloud's CloudFormation.
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::S3::Bucket":       bucketProvider{s},
		"AWS::S3::BucketPolicy": policyProvider{s},
	}
}

type bucketProvider struct{ s *Service }

// bucketProperties says what the local cloud does with each property of
// AWS::S3::Bucket: every property is applied, kept without local effect
// (the reason says why that is harmless), or refused with the reason.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html
var bucketProperties = map[string]struct {
	applied bool
	refused string // non-empty: why the property is refused
	note    string // kept without local effect: why
}{
	"BucketName":                       {applied: true},
	"AccessControl":                    {applied: true}, // "Private" and "BucketOwnerFullControl"; others refused as S3 does
	"OwnershipControls":                {applied: true}, // BucketOwnerEnforced only
	"BucketEncryption":                 {applied: true},
	"CorsConfiguration":                {applied: true},
	"NotificationConfiguration":        {applied: true},
	"PublicAccessBlockConfiguration":   {applied: true},
	"VersioningConfiguration":          {applied: true},
	"WebsiteConfiguration":             {applied: true},
	"Tags":                             {note: "tags have no behaviour in S3"},
	"LifecycleConfiguration":           {note: "objects are never expired or transitioned in the local cloud"},
	"LoggingConfiguration":             {note: "server access logs are not written"},
	"MetricsConfigurations":            {note: "request metrics are not published"},
	"AnalyticsConfigurations":          {note: "storage class analysis is not run"},
	"InventoryConfigurations":          {note: "inventory reports are not written"},
	"IntelligentTieringConfigurations": {note: "every object stays in one storage class"},
	"AccelerateConfiguration":          {note: "there is no transfer acceleration endpoint"},
	"ReplicationConfiguration":         {refused: "replication needs a second bucket in another region, which the local cloud does not run"},
	"ObjectLockEnabled":                {refused: "Object Lock (retention and legal holds) is not implemented, and ignoring it would let deletes succeed that AWS refuses"},
	"ObjectLockConfiguration":          {refused: "Object Lock (retention and legal holds) is not implemented, and ignoring it would let deletes succeed that AWS refuses"},
	"MetadataTableConfiguration":       {refused: "S3 Metadata tables need S3 Tables, which the local cloud does not run"},
	"MetadataConfiguration":            {refused: "S3 Metadata tables need S3 Tables, which the local cloud does not run"},
	"AbacStatus":                       {refused: "attribute-based access control on buckets is not implemented"},
}

// checkProperties refuses, before anything is created, a property the local
// cloud cannot apply.
func checkProperties(props map[string]any) error {
	var errs []string
	for _, k := range sortedKeys(props) {
		p, ok := bucketProperties[k]
		switch {
		case !ok:
			errs = append(errs, fmt.Sprintf("property %s is not supported by the local cloud's AWS::S3::Bucket", k))
		case p.refused != "":
			errs = append(errs, fmt.Sprintf("property %s is not supported by the local cloud: %s; remove it from the template to deploy locally", k, p.refused))
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	if ac := resource.String(props, "AccessControl"); ac != "" && ac != "Private" && ac != "BucketOwnerFullControl" {
		return handlerError(errBucketACL())
	}
	if oc, ok := props["OwnershipControls"].(map[string]any); ok {
		rules, _ := oc["Rules"].([]any)
		for _, r := range rules {
			rm, _ := r.(map[string]any)
			if o := resource.String(rm, "ObjectOwnership"); o != "" && o != "BucketOwnerEnforced" {
				return fmt.Errorf("OwnershipControls ObjectOwnership %s is not supported by the local cloud: it enables ACLs, which the local cloud does not implement; use BucketOwnerEnforced (the default) and a bucket policy", o)
			}
		}
	}
	return nil
}

// handlerError words an S3 error as CloudFormation reports a resource
// handler's failure.
func handlerError(err error) error {
	var ce *core.Error
	if !errors.As(err, &ce) {
		return err
	}
	code := "InvalidRequest"
	switch ce.Status {
	case http.StatusForbidden:
		code = "AccessDenied"
	case http.StatusNotFound:
		code = "NotFound"
	case http.StatusConflict:
		code = "AlreadyExists"
	}
	return fmt.Errorf("Resource handler returned message: %q (HandlerErrorCode: %s)",
		fmt.Sprintf("%s (Service: S3, Status Code: %d, Request ID: %s)", ce.Message, ce.Status, core.NewRequestID()), code)
}

// Create makes the bucket: BucketName, or a generated lower-case
// stack-logicalid-random name as CloudFormation makes; then applies its
// configuration. A configuration that fails (a notification destination
// S3 cannot validate, say) removes the bucket again, so a failed create
// leaves nothing behind.
func (p bucketProvider) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	if err := checkProperties(req.Properties); err != nil {
		return resource.Result{}, err
	}
	name := resource.String(req.Properties, "BucketName")
	if name == "" {
		name = strings.ToLower(resource.PhysicalName(req.StackName, req.LogicalID, 63))
	}
	if err := p.s.CreateBucket(name, ""); err != nil {
		var ce *core.Error
		if errors.As(err, &ce) && ce.Code == "BucketAlreadyOwnedByYou" {
			return resource.Result{}, errors.New(name + " already exists")
		}
		return resource.Result{}, err
	}
	if err := p.apply(ctx, name, nil, req.Properties); err != nil {
		_ = p.s.DeleteBucket(name)
		return resource.Result{}, err
	}
	return p.result(name), nil
}

// Update applies the configuration that changed.
func (p bucketProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	if err := checkProperties(req.Properties); err != nil {
		return resource.Result{}, err
	}
	if err := p.apply(ctx, req.PhysicalID, req.OldProperties, req.Properties); err != nil {
		return resource.Result{}, err
	}
	return p.result(req.PhysicalID), nil
}

// apply sets each configuration property that differs from old (all of
// them on create, when old is nil).
func (p bucketProvider) apply(ctx context.Context, name string, old, props map[string]any) error {
	changed := func(k string) bool { return old == nil || !resource.Equal(old[k], props[k]) }
	s := p.s
	steps := []struct {
		prop string
		fn   func(v any) error
	}{
		{"PublicAccessBlockConfiguration", func(v any) error {
			if v == nil {
				if old == nil {
					return nil // a new bucket keeps S3's default: all four on
				}
				return s.updateMeta(name, func(m *bucketMeta) { m.PublicAccessBlock = nil })
			}
			var pab PublicAccessBlock
			if err := decodeProperty(v, &pab); err != nil {
				return err
			}
			return s.updateMeta(name, func(m *bucketMeta) { m.PublicAccessBlock = &pab })
		}},
		{"BucketEncryption", func(v any) error {
			if v == nil {
				return s.updateMeta(name, func(m *bucketMeta) { m.Encryption = nil })
			}
			var cfg struct {
				ServerSideEncryptionConfiguration []struct {
					BucketKeyEnabled              bool
					ServerSideEncryptionByDefault struct {
						SSEAlgorithm   string
						KMSMasterKeyID string
					}
				}
			}
			if err := decodeProperty(v, &cfg); err != nil {
				return err
			}
			enc := Encryption{}
			for _, r := range cfg.ServerSideEncryptionConfiguration {
				var rule EncryptionRule
				rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm = r.ServerSideEncryptionByDefault.SSEAlgorithm
				rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID = r.ServerSideEncryptionByDefault.KMSMasterKeyID
				rule.BucketKeyEnabled = r.BucketKeyEnabled
				enc.Rules = append(enc.Rules, rule)
			}
			return s.updateMeta(name, func(m *bucketMeta) { m.Encryption = &enc })
		}},
		{"VersioningConfiguration", func(v any) error {
			cfg, _ := v.(map[string]any)
			status, _ := cfg["Status"].(string)
			if status == "" {
				return nil
			}
			return s.updateMeta(name, func(m *bucketMeta) { m.Versioning = status })
		}},
		{"WebsiteConfiguration", func(v any) error {
			if v == nil {
				return s.DeleteBucketWebsite(name)
			}
			cfg, err := websiteFromTemplate(v)
			if err != nil {
				return err
			}
			return s.PutBucketWebsite(name, cfg)
		}},
		{"CorsConfiguration", func(v any) error {
			if v == nil {
				return s.updateMeta(name, func(m *bucketMeta) { m.Cors = nil })
			}
			cfg, err := corsFromTemplate(v)
			if err != nil {
				return err
			}
			return s.PutBucketCors(name, cfg)
		}},
		{"NotificationConfiguration", func(v any) error {
			cfg, err := notificationFromTemplate(v)
			if err != nil {
				return err
			}
			return s.PutBucketNotificationConfiguration(ctx, name, cfg)
		}},
	}
	for _, st := range steps {
		if !changed(st.prop) {
			continue
		}
		if err := st.fn(props[st.prop]); err != nil {
			return fmt.Errorf("%s: %w", st.prop, handlerError(err))
		}
	}
	return nil
}

// decodeProperty decodes a template property into a Go value through JSON
// (templates write booleans and numbers as strings too).
func decodeProperty(v any, out any) error {
	b, err := json.Marshal(normalize(v))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("reading the property: %w", err)
	}
	return nil
}

// normalize turns "true"/"false" strings into booleans, as CloudFormation
// accepts both.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = normalize(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = normalize(x)
		}
		return out
	case string:
		switch strings.ToLower(t) {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return v
}

// websiteFromTemplate converts CloudFormation's WebsiteConfiguration.
func websiteFromTemplate(v any) (WebsiteConfiguration, error) {
	var t struct {
		IndexDocument         string
		ErrorDocument         string
		RedirectAllRequestsTo *RedirectAllRequestsTo
		RoutingRules          []struct {
			RedirectRule         Redirect
			RoutingRuleCondition *RoutingCondition
		}
	}
	m, _ := v.(map[string]any)
	if err := decodeProperty(withStrings(m, "RoutingRules"), &t); err != nil {
		return WebsiteConfiguration{}, err
	}
	cfg := WebsiteConfiguration{RedirectAllRequestsTo: t.RedirectAllRequestsTo}
	if t.IndexDocument != "" {
		cfg.IndexDocument = &IndexDocument{Suffix: t.IndexDocument}
	}
	if t.ErrorDocument != "" {
		cfg.ErrorDocument = &ErrorDocument{Key: t.ErrorDocument}
	}
	for _, r := range t.RoutingRules {
		cfg.RoutingRules = append(cfg.RoutingRules, RoutingRule{Condition: r.RoutingRuleCondition, Redirect: r.RedirectRule})
	}
	return cfg, nil
}

// withStrings keeps HttpRedirectCode and HttpErrorCodeReturnedEquals
// strings, which normalize would leave alone anyway; it exists so that a
// numeric code written as a number still decodes.
func withStrings(m map[string]any, _ string) map[string]any {
	rules, _ := m["RoutingRules"].([]any)
	for _, r := range rules {
		rm, _ := r.(map[string]any)
		for _, sub := range []string{"RedirectRule", "RoutingRuleCondition"} {
			sm, _ := rm[sub].(map[string]any)
			for k, x := range sm {
				if f, ok := x.(float64); ok {
					sm[k] = fmt.Sprint(int(f))
				}
			}
		}
	}
	return m
}

// corsFromTemplate converts CloudFormation's CorsConfiguration.
func corsFromTemplate(v any) (CORSConfiguration, error) {
	var t struct {
		CorsRules []struct {
			ID             string `json:"Id"`
			AllowedHeaders []string
			AllowedMethods []string
			AllowedOrigins []string
			ExposedHeaders []string
			MaxAge         *int
		}
	}
	if err := decodeProperty(v, &t); err != nil {
		return CORSConfiguration{}, err
	}
	var cfg CORSConfiguration
	for _, r := range t.CorsRules {
		cfg.Rules = append(cfg.Rules, CORSRule{ID: r.ID, AllowedHeaders: r.AllowedHeaders, AllowedMethods: r.AllowedMethods,
			AllowedOrigins: r.AllowedOrigins, ExposeHeaders: r.ExposedHeaders, MaxAgeSeconds: r.MaxAge})
	}
	return cfg, nil
}

// notificationFromTemplate converts CloudFormation's
// NotificationConfiguration (nil: no notifications).
func notificationFromTemplate(v any) (NotificationConfiguration, error) {
	var cfg NotificationConfiguration
	if v == nil {
		return cfg, nil
	}
	type filter struct {
		S3Key struct {
			Rules []FilterRule
		}
	}
	var t struct {
		EventBridgeConfiguration *struct{ EventBridgeEnabled bool }
		LambdaConfigurations     []struct {
			Event    string
			Function string
			Filter   *filter
		}
		QueueConfigurations []struct {
			Event  string
			Queue  string
			Filter *filter
		}
		TopicConfigurations []struct {
			Event  string
			Topic  string
			Filter *filter
		}
	}
	if err := decodeProperty(v, &t); err != nil {
		return cfg, err
	}
	conv := func(f *filter) *NotificationFilter {
		if f == nil {
			return nil
		}
		nf := &NotificationFilter{}
		nf.Key.FilterRules = f.S3Key.Rules
		return nf
	}
	if t.EventBridgeConfiguration != nil && t.EventBridgeConfiguration.EventBridgeEnabled {
		cfg.EventBridgeConfiguration = &struct{}{}
	}
	for _, l := range t.LambdaConfigurations {
		cfg.LambdaFunctionConfigurations = append(cfg.LambdaFunctionConfigurations,
			LambdaFunctionConfiguration{LambdaFunctionArn: l.Function, Events: []string{l.Event}, Filter: conv(l.Filter)})
	}
	for _, q := range t.QueueConfigurations {
		cfg.QueueConfigurations = append(cfg.QueueConfigurations,
			QueueConfiguration{QueueArn: q.Queue, Events: []string{q.Event}, Filter: conv(q.Filter)})
	}
	for _, tc := range t.TopicConfigurations {
		cfg.TopicConfigurations = append(cfg.TopicConfigurations,
			TopicConfiguration{TopicArn: tc.Topic, Events: []string{tc.Event}, Filter: conv(tc.Filter)})
	}
	return cfg, nil
}

// Delete removes the bucket; as on AWS, a bucket that still holds objects
// cannot be deleted, and the stack's deletion fails with that reason.
func (p bucketProvider) Delete(_ context.Context, req resource.Request) error {
	err := p.s.DeleteBucket(req.PhysicalID)
	var ce *core.Error
	if errors.As(err, &ce) && ce.Code == "NoSuchBucket" {
		return nil
	}
	return err
}

// RequiresReplacement: a bucket's name cannot change, nor can Object Lock
// be turned on in place.
func (bucketProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "BucketName", "ObjectLockEnabled")
}

func (p bucketProvider) result(name string) resource.Result {
	region := p.s.env.Region
	return resource.Result{PhysicalID: name, Attributes: map[string]any{
		"Arn":                 "arn:aws:s3:::" + name,
		"DomainName":          name + ".s3.amazonaws.com",
		"RegionalDomainName":  name + ".s3." + region + ".amazonaws.com",
		"DualStackDomainName": name + ".s3.dualstack." + region + ".amazonaws.com",
		// The local website endpoint (AWS's is
		// http://<bucket>.s3-website-<region>.amazonaws.com), so that a
		// stack output of it can be opened.
		"WebsiteURL": strings.TrimSuffix(WebsiteURL(p.s.env.Endpoint, name), "/"),
	}}
}

// policyProvider owns AWS::S3::BucketPolicy.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucketpolicy.html
type policyProvider struct{ s *Service }

func (p policyProvider) put(req resource.Request) (resource.Result, error) {
	bucket := resource.String(req.Properties, "Bucket")
	if bucket == "" {
		return resource.Result{}, errors.New("property Bucket is required")
	}
	var doc string
	switch d := req.Properties["PolicyDocument"].(type) {
	case string:
		doc = d
	case nil:
		return resource.Result{}, errors.New("property PolicyDocument is required")
	default:
		b, err := json.Marshal(d)
		if err != nil {
			return resource.Result{}, fmt.Errorf("PolicyDocument: %w", err)
		}
		doc = string(b)
	}
	if err := p.s.PutBucketPolicy(bucket, doc, "arn:aws:iam::"+req.AccountID+":root"); err != nil {
		return resource.Result{}, handlerError(err)
	}
	return resource.Result{PhysicalID: bucket}, nil
}

// Create sets the policy, with PutBucketPolicy's checks (a public policy
// fails while the bucket blocks public policies, as on AWS).
func (p policyProvider) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	return p.put(req)
}

// Update replaces the policy.
func (p policyProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return p.put(req)
}

// Delete removes the policy; a bucket already gone is not an error.
func (p policyProvider) Delete(_ context.Context, req resource.Request) error {
	err := p.s.DeleteBucketPolicy(req.PhysicalID)
	var ce *core.Error
	if errors.As(err, &ce) && ce.Code == "NoSuchBucket" {
		return nil
	}
	return err
}

// RequiresReplacement: a policy moves to another bucket by replacement.
func (policyProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "Bucket")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
