package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/resource"
)

// Providers returns the CloudFormation providers of the resource types the
// Lambda service owns: AWS::Lambda::Function, Permission, Version, Alias
// and EventSourceMapping. The engine resolves intrinsics before it calls them.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_Lambda.html
func (s *Service) Providers() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::Lambda::Function":   functionProvider{s},
		"AWS::Lambda::Permission": permissionProvider{s},
		"AWS::Lambda::Version":    versionProvider{s},
		"AWS::Lambda::Alias":      aliasProvider{s},

		"AWS::Lambda::EventSourceMapping": mappingProvider{s},
	}
}

var (
	_ resource.Provider = functionProvider{}
	_ resource.Provider = permissionProvider{}
	_ resource.Provider = versionProvider{}
	_ resource.Provider = aliasProvider{}
)

// Property readers: the engine hands over JSON-shaped values.

func propString(props map[string]any, k string) string {
	switch v := props[k].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func propInt(props map[string]any, k string) (*int, error) {
	var n int
	switch v := props[k].(type) {
	case nil:
		return nil, nil
	case float64:
		n = int(v)
	case int:
		n = v
	case json.Number:
		i, err := v.Int64()
		if err != nil {
			return nil, fmt.Errorf("property %s: %q is not an integer", k, v)
		}
		n = int(i)
	case string:
		i, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("property %s: %q is not an integer", k, v)
		}
		n = i
	default:
		return nil, fmt.Errorf("property %s: %v is not an integer", k, v)
	}
	return &n, nil
}

func propFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case json.Number:
		f, _ := x.Float64()
		return f
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	case int:
		return float64(x)
	}
	return 0
}

func propMap(props map[string]any, k string) map[string]any {
	m, _ := props[k].(map[string]any)
	return m
}

func propStrings(props map[string]any, k string) []string {
	list, _ := props[k].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// propTags reads CloudFormation's [{Key, Value}] tags.
func propTags(props map[string]any) map[string]string {
	list, _ := props["Tags"].([]any)
	if len(list) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, t := range list {
		if m, ok := t.(map[string]any); ok {
			out[propString(m, "Key")] = propString(m, "Value")
		}
	}
	return out
}

// notFound reports whether err is a ResourceNotFoundException: deleting
// what is gone is not an error for CloudFormation.
func notFound(err error) bool {
	var e *core.Error
	return errors.As(err, &e) && e.Code == CodeResourceNotFound
}

// functionProvider implements AWS::Lambda::Function. Ref is the function
// name, Fn::GetAtt Arn its ARN.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html
type functionProvider struct{ s *Service }

// functionInput reads a function's properties.
func functionInput(name string, props map[string]any) (CreateFunctionInput, error) {
	in := CreateFunctionInput{
		FunctionName:  name,
		Runtime:       propString(props, "Runtime"),
		Role:          propString(props, "Role"),
		Handler:       propString(props, "Handler"),
		Description:   propString(props, "Description"),
		Architectures: propStrings(props, "Architectures"),
		PackageType:   propString(props, "PackageType"),
		Layers:        propStrings(props, "Layers"),
		Tags:          propTags(props),
	}
	var errs []error
	var err error
	if in.Timeout, err = propInt(props, "Timeout"); err != nil {
		errs = append(errs, err)
	}
	if in.MemorySize, err = propInt(props, "MemorySize"); err != nil {
		errs = append(errs, err)
	}
	if in.ReservedConcurrentExecutions, err = propInt(props, "ReservedConcurrentExecutions"); err != nil {
		errs = append(errs, err)
	}
	if env := propMap(props, "Environment"); env != nil {
		vars := map[string]string{}
		for k, v := range propMap(env, "Variables") {
			vars[k] = propString(map[string]any{"v": v}, "v")
		}
		in.Environment = &Environment{Variables: vars}
	}
	if es := propMap(props, "EphemeralStorage"); es != nil {
		n, err := propInt(es, "Size")
		if err != nil {
			errs = append(errs, err)
		} else if n != nil {
			in.EphemeralStorage = &EphemeralStorage{Size: *n}
		}
	}
	if lc := propMap(props, "LoggingConfig"); lc != nil {
		in.LoggingConfig = &LoggingConfig{LogFormat: propString(lc, "LogFormat"), LogGroup: propString(lc, "LogGroup")}
	}
	if tc := propMap(props, "TracingConfig"); tc != nil {
		in.TracingConfig = &TracingConfig{Mode: propString(tc, "Mode")}
	}
	code := propMap(props, "Code")
	switch {
	case code == nil:
		errs = append(errs, errors.New("property Code is required"))
	case propString(code, "ZipFile") != "":
		// CloudFormation zips inline code itself; the function is then
		// made from that zip like any other.
		zipped, err := InlineZip(in.Runtime, propString(code, "ZipFile"))
		if err != nil {
			errs = append(errs, err)
		}
		in.Code = FunctionCode{ZipFile: zipped}
	default:
		in.Code = FunctionCode{S3Bucket: propString(code, "S3Bucket"), S3Key: propString(code, "S3Key"),
			S3ObjectVersion: propString(code, "S3ObjectVersion"), ImageURI: propString(code, "ImageUri")}
	}
	return in, errors.Join(errs...)
}

func (p functionProvider) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	name := propString(req.Properties, "FunctionName")
	if name == "" {
		name = resource.PhysicalName(req.StackName, req.LogicalID, 64)
	}
	in, err := functionInput(name, req.Properties)
	if err != nil {
		return resource.Result{}, fmt.Errorf("function %s: %w", name, err)
	}
	c, err := p.s.CreateFunction(ctx, in)
	if err != nil {
		return resource.Result{}, err
	}
	return functionResult(c), nil
}

func functionResult(c FunctionConfiguration) resource.Result {
	return resource.Result{PhysicalID: c.FunctionName, Attributes: map[string]any{
		"Arn":                                  c.FunctionArn,
		"SnapStartResponse.ApplyOn":            "None",
		"SnapStartResponse.OptimizationStatus": "Off",
	}}
}

// Update changes code and configuration in place: the code when Code or
// Architectures changed, every configuration property (an absent one goes
// back to its default), reserved concurrency and tags.
func (p functionProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	name := req.PhysicalID
	in, err := functionInput(name, req.Properties)
	if err != nil {
		return resource.Result{}, fmt.Errorf("function %s: %w", name, err)
	}
	if err := unsupportedPackage(in.PackageType, in.Code.ImageURI, in.Layers); err != nil {
		return resource.Result{}, err
	}
	codeChanged := resource.ReplaceOnChange(req.OldProperties, req.Properties, "Code", "Architectures")
	if len(in.Code.ZipFile) > 0 && propString(req.OldProperties, "Runtime") != in.Runtime {
		codeChanged = true // inline code is index.py or index.js by runtime
	}
	if codeChanged {
		if _, err := p.s.UpdateFunctionCode(ctx, UpdateFunctionCodeInput{FunctionName: name,
			S3Bucket: in.Code.S3Bucket, S3Key: in.Code.S3Key, ZipFile: in.Code.ZipFile, Architectures: in.Architectures}); err != nil {
			return resource.Result{}, err
		}
	}
	timeout, memory := DefaultTimeout, DefaultMemorySize
	if in.Timeout != nil {
		timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		memory = *in.MemorySize
	}
	env := in.Environment
	if env == nil {
		env = &Environment{}
	}
	storage := in.EphemeralStorage
	if storage == nil {
		storage = &EphemeralStorage{Size: DefaultEphemeralStorage}
	}
	logging := &LoggingConfig{LogFormat: "Text", LogGroup: "/aws/lambda/" + name}
	if in.LoggingConfig != nil {
		applyLogging(&FunctionConfiguration{LoggingConfig: logging}, in.LoggingConfig)
	}
	tracing := in.TracingConfig
	if tracing == nil {
		tracing = &TracingConfig{Mode: "PassThrough"}
	}
	c, err := p.s.UpdateFunctionConfiguration(ctx, UpdateFunctionConfigurationInput{FunctionName: name,
		Runtime: &in.Runtime, Role: &in.Role, Handler: &in.Handler, Description: &in.Description,
		Timeout: &timeout, MemorySize: &memory, Environment: env, EphemeralStorage: storage,
		LoggingConfig: logging, TracingConfig: tracing})
	if err != nil {
		return resource.Result{}, err
	}
	if err := p.s.PutFunctionConcurrency(ctx, name, in.ReservedConcurrentExecutions); err != nil {
		return resource.Result{}, err
	}
	if err := p.s.SetTags(ctx, name, in.Tags); err != nil {
		return resource.Result{}, err
	}
	return functionResult(c), nil
}

func (p functionProvider) Delete(ctx context.Context, req resource.Request) error {
	if err := p.s.DeleteFunction(ctx, req.PhysicalID, ""); err != nil && !notFound(err) {
		return err
	}
	return nil
}

// RequiresReplacement: a new FunctionName (or going from a generated name
// to a given one) or PackageType makes a new function.
func (functionProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "FunctionName", "PackageType")
}

// versionProvider implements AWS::Lambda::Version: Ref is the version's
// ARN; Fn::GetAtt Version its number and FunctionArn its ARN.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-version.html
type versionProvider struct{ s *Service }

func (p versionProvider) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	fn := propString(req.Properties, "FunctionName")
	if fn == "" {
		return resource.Result{}, errors.New("property FunctionName is required")
	}
	c, err := p.s.PublishVersion(ctx, fn, propString(req.Properties, "Description"), propString(req.Properties, "CodeSha256"))
	if err != nil {
		return resource.Result{}, err
	}
	return versionResult(c.FunctionArn, c.Version), nil
}

func versionResult(arn, v string) resource.Result {
	return resource.Result{PhysicalID: arn, Attributes: map[string]any{"Version": v, "FunctionArn": arn}}
}

// Update only sees changes to properties that have no local meaning
// (ProvisionedConcurrencyConfig, RuntimePolicy): the version stays.
func (p versionProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	_, q, err := p.s.parseRef(req.PhysicalID)
	if err != nil {
		return resource.Result{}, err
	}
	return versionResult(req.PhysicalID, q), nil
}

func (p versionProvider) Delete(ctx context.Context, req resource.Request) error {
	name, q, err := p.s.parseRef(req.PhysicalID)
	if err != nil || q == "" {
		return nil // never created
	}
	if err := p.s.DeleteFunction(ctx, name, q); err != nil && !notFound(err) {
		return err
	}
	return nil
}

func (versionProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "FunctionName", "Description", "CodeSha256")
}

// aliasProvider implements AWS::Lambda::Alias: Ref and Fn::GetAtt AliasArn
// are the alias's ARN.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-alias.html
type aliasProvider struct{ s *Service }

func aliasInput(props map[string]any) CreateAliasInput {
	in := CreateAliasInput{
		FunctionName:    propString(props, "FunctionName"),
		Name:            propString(props, "Name"),
		FunctionVersion: propString(props, "FunctionVersion"),
		Description:     propString(props, "Description"),
	}
	if rc := propMap(props, "RoutingConfig"); rc != nil {
		weights := map[string]float64{}
		list, _ := rc["AdditionalVersionWeights"].([]any)
		for _, w := range list {
			if m, ok := w.(map[string]any); ok {
				weights[propString(m, "FunctionVersion")] = propFloat(m["FunctionWeight"])
			}
		}
		in.RoutingConfig = &AliasRoutingConfiguration{AdditionalVersionWeights: weights}
	}
	return in
}

func (p aliasProvider) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	a, err := p.s.CreateAlias(ctx, aliasInput(req.Properties))
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: a.AliasArn, Attributes: map[string]any{"AliasArn": a.AliasArn}}, nil
}

func (p aliasProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	in := aliasInput(req.Properties)
	if in.RoutingConfig == nil {
		in.RoutingConfig = &AliasRoutingConfiguration{}
	}
	a, err := p.s.UpdateAlias(ctx, in)
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: a.AliasArn, Attributes: map[string]any{"AliasArn": a.AliasArn}}, nil
}

func (p aliasProvider) Delete(ctx context.Context, req resource.Request) error {
	name, alias, err := p.s.parseRef(req.PhysicalID)
	if err != nil || alias == "" {
		return nil
	}
	if err := p.s.DeleteAlias(ctx, name, alias); err != nil && !notFound(err) {
		return err
	}
	return nil
}

func (aliasProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "FunctionName", "Name")
}

// permissionProvider implements AWS::Lambda::Permission: a statement of
// the function's resource policy, kept but not enforced. Its physical ID
// (and Ref) is the statement ID.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html
type permissionProvider struct{ s *Service }

func (p permissionProvider) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	props := req.Properties
	sid := resource.PhysicalName(req.StackName, req.LogicalID, 100)
	_, err := p.s.AddPermission(ctx, AddPermissionInput{
		FunctionName:        propString(props, "FunctionName"),
		StatementID:         sid,
		Action:              propString(props, "Action"),
		Principal:           propString(props, "Principal"),
		SourceArn:           propString(props, "SourceArn"),
		SourceAccount:       propString(props, "SourceAccount"),
		EventSourceToken:    propString(props, "EventSourceToken"),
		PrincipalOrgID:      propString(props, "PrincipalOrgID"),
		FunctionURLAuthType: propString(props, "FunctionUrlAuthType"),
	})
	if err != nil {
		return resource.Result{}, err
	}
	return resource.Result{PhysicalID: sid}, nil
}

// Update is never called: every property of a permission requires
// replacement.
func (p permissionProvider) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	return resource.Result{PhysicalID: req.PhysicalID}, nil
}

func (p permissionProvider) Delete(ctx context.Context, req resource.Request) error {
	props := req.Properties
	if props == nil {
		props = req.OldProperties
	}
	fn := propString(props, "FunctionName")
	if fn == "" {
		return nil
	}
	if err := p.s.RemovePermission(ctx, fn, req.PhysicalID); err != nil && !notFound(err) {
		var e *core.Error
		if errors.As(err, &e) && strings.HasPrefix(e.Code, "Validation") {
			return nil // a malformed name never made a permission
		}
		return err
	}
	return nil
}

func (permissionProvider) RequiresReplacement(old, new map[string]any) bool {
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range new {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	return resource.ReplaceOnChange(old, new, names...)
}
