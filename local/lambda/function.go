package lambda

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

var (
	namePattern      = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	qualifierPattern = regexp.MustCompile(`^[a-zA-Z0-9$_-]{1,128}$`)
	versionPattern   = regexp.MustCompile(`^[0-9]+$`)
)

// reservedEnv are the variables Lambda sets itself and refuses in a
// function's Environment.
// See https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
var reservedEnv = map[string]bool{
	"_HANDLER": true, "_X_AMZN_TRACE_ID": true, "AWS_DEFAULT_REGION": true, "AWS_REGION": true,
	"AWS_EXECUTION_ENV": true, "AWS_LAMBDA_FUNCTION_NAME": true, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": true,
	"AWS_LAMBDA_FUNCTION_VERSION": true, "AWS_LAMBDA_INITIALIZATION_TYPE": true, "AWS_LAMBDA_LOG_GROUP_NAME": true,
	"AWS_LAMBDA_LOG_STREAM_NAME": true, "AWS_ACCESS_KEY": true, "AWS_ACCESS_KEY_ID": true,
	"AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true, "AWS_LAMBDA_RUNTIME_API": true,
	"LAMBDA_TASK_ROOT": true, "LAMBDA_RUNTIME_DIR": true,
}

func errValidation(format string, args ...any) *core.Error {
	return core.Errorf(http.StatusBadRequest, "ValidationException", format, args...)
}

// parseRef splits a function reference — a name, name:qualifier, a partial
// ARN (account:function:name) or a full ARN, each with an optional
// qualifier — into the function's name and the qualifier.
func (s *Service) parseRef(ref string) (name, qualifier string, err error) {
	parts := strings.Split(ref, ":")
	switch {
	case len(parts) >= 7 && parts[0] == "arn" && parts[5] == "function" && len(parts) <= 8:
		if parts[3] != s.cfg.Region || parts[4] != s.cfg.AccountID {
			return "", "", errNotFound(ref)
		}
		name = parts[6]
		if len(parts) == 8 {
			qualifier = parts[7]
		}
	case (len(parts) == 3 || len(parts) == 4) && parts[1] == "function":
		if parts[0] != s.cfg.AccountID {
			return "", "", errNotFound(ref)
		}
		name = parts[2]
		if len(parts) == 4 {
			qualifier = parts[3]
		}
	case len(parts) <= 2:
		name = parts[0]
		if len(parts) == 2 {
			qualifier = parts[1]
		}
	default:
		return "", "", errValidation("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: "+
			"Member must be a function name, a partial ARN (account:function:name) or an ARN", ref)
	}
	if !namePattern.MatchString(name) {
		return "", "", errValidation("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}", name)
	}
	if len(parts) == 2 || len(parts) == 4 || len(parts) == 8 {
		if !qualifierPattern.MatchString(qualifier) {
			return "", "", errValidation("1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: "+
				"Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)", qualifier)
		}
	}
	return name, qualifier, nil
}

// parseRefQualifier is parseRef with a separate Qualifier parameter, which
// must agree with a qualifier in the reference.
func (s *Service) parseRefQualifier(ref, qualifier string) (string, string, error) {
	name, q, err := s.parseRef(ref)
	if err != nil {
		return "", "", err
	}
	if qualifier != "" {
		if q != "" && q != qualifier {
			return "", "", errInvalid("The derived qualifier from the function name does not match the specified qualifier.")
		}
		if !qualifierPattern.MatchString(qualifier) {
			return "", "", errValidation("1 validation error detected: Value '%s' at 'qualifier' failed to satisfy constraint: "+
				"Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)", qualifier)
		}
		q = qualifier
	}
	return name, q, nil
}

// get returns the function (which the caller must not modify without
// holding s.mu for writing) or ResourceNotFoundException.
func (s *Service) get(name string) (*function, error) {
	f, ok := s.fns[name]
	if !ok {
		return nil, errNotFound(s.functionARN(name))
	}
	return f, nil
}

// lookup finds the function that ref (a name or ARN, unqualified or not)
// names. The caller holds s.mu.
func (s *Service) lookup(ref string) (string, *function, error) {
	name, _, err := s.parseRef(ref)
	if err != nil {
		return "", nil, err
	}
	f, err := s.get(name)
	return name, f, err
}

// put persists f under name and makes it current.
func (s *Service) put(name string, f *function) error {
	if err := s.functions.Put(name, f); err != nil {
		return core.AsError(err)
	}
	s.fns[name] = f
	return nil
}

// validateConfig checks the configurable fields of c as Lambda does.
func validateConfig(c *FunctionConfiguration) error {
	var errs []error
	if c.Runtime == "" || c.Handler == "" {
		errs = append(errs, errInvalid("Runtime and Handler are mandatory parameters for functions created with deployment packages."))
	}
	if c.Role == "" {
		errs = append(errs, errValidation("1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null"))
	} else if !strings.HasPrefix(c.Role, "arn:") || !strings.Contains(c.Role, ":role/") {
		errs = append(errs, errValidation("1 validation error detected: Value '%s' at 'role' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+", c.Role))
	}
	if c.Timeout < 1 || c.Timeout > MaxTimeout {
		errs = append(errs, errValidation("1 validation error detected: Value '%d' at 'timeout' failed to satisfy constraint: "+
			"Member must have value between 1 and %d", c.Timeout, MaxTimeout))
	}
	if c.MemorySize < 128 || c.MemorySize > 10240 {
		errs = append(errs, errValidation("1 validation error detected: Value '%d' at 'memorySize' failed to satisfy constraint: "+
			"Member must have value between 128 and 10240", c.MemorySize))
	}
	if c.EphemeralStorage != nil && (c.EphemeralStorage.Size < 512 || c.EphemeralStorage.Size > 10240) {
		errs = append(errs, errValidation("1 validation error detected: Value '%d' at 'ephemeralStorage.size' failed to satisfy constraint: "+
			"Member must have value between 512 and 10240", c.EphemeralStorage.Size))
	}
	if len(c.Architectures) != 1 || (c.Architectures[0] != "x86_64" && c.Architectures[0] != "arm64") {
		errs = append(errs, errValidation("1 validation error detected: Value '%v' at 'architectures' failed to satisfy constraint: "+
			"Member must have one element, x86_64 or arm64", c.Architectures))
	}
	if c.Environment != nil {
		var reserved []string
		size := 0
		for k, v := range c.Environment.Variables {
			if reservedEnv[k] {
				reserved = append(reserved, k)
			}
			size += len(k) + len(v)
		}
		if len(reserved) > 0 {
			sort.Strings(reserved)
			errs = append(errs, errInvalid("Lambda was unable to configure your environment variables because the environment variables you have provided "+
				"contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(reserved, ", ")))
		}
		if size > 4096 {
			errs = append(errs, errInvalid("Lambda was unable to configure your environment variables because the environment variables you have provided "+
				"exceeded the 4KB limit. String measured: %d bytes", size))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	// One error code per response: the first problem's, with every
	// message, so that the caller fixes all of them at once.
	first := core.AsError(errs[0])
	if len(errs) > 1 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = core.AsError(e).Message
		}
		return &core.Error{Code: first.Code, Status: first.Status, Message: strings.Join(msgs, "; ")}
	}
	return first
}

func copyEnv(e *Environment) *EnvironmentResponse {
	if e == nil || len(e.Variables) == 0 {
		return nil
	}
	vars := make(map[string]string, len(e.Variables))
	for k, v := range e.Variables {
		vars[k] = v
	}
	return &EnvironmentResponse{Variables: vars}
}

func unsupportedPackage(packageType, imageURI string, layers []string) error {
	if packageType == "Image" || imageURI != "" {
		return errInvalid("container image functions (PackageType Image) are not supported by the local Lambda: package the function as a zip holding bootstrap")
	}
	if len(layers) > 0 {
		return errInvalid("layers are not supported by the local Lambda (function layers %s): put what the function needs in its zip", strings.Join(layers, ", "))
	}
	return nil
}

// CreateFunction creates a function from a zip in S3 (or inline), copying
// the code as Lambda does, so that later changes to the S3 object do not
// change the function.
// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
func (s *Service) CreateFunction(ctx context.Context, in CreateFunctionInput) (FunctionConfiguration, error) {
	if !namePattern.MatchString(in.FunctionName) {
		return FunctionConfiguration{}, errValidation("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}", in.FunctionName)
	}
	if err := unsupportedPackage(in.PackageType, in.Code.ImageURI, in.Layers); err != nil {
		return FunctionConfiguration{}, err
	}
	c := FunctionConfiguration{
		FunctionName:  in.FunctionName,
		FunctionArn:   s.functionARN(in.FunctionName),
		Runtime:       in.Runtime,
		Role:          in.Role,
		Handler:       in.Handler,
		Description:   in.Description,
		Timeout:       DefaultTimeout,
		MemorySize:    DefaultMemorySize,
		Version:       LatestVersion,
		Environment:   copyEnv(in.Environment),
		TracingConfig: &TracingConfig{Mode: "PassThrough"},
		State:         "Active", LastUpdateStatus: "Successful", PackageType: "Zip",
		Architectures:    in.Architectures,
		EphemeralStorage: &EphemeralStorage{Size: DefaultEphemeralStorage},
		LoggingConfig:    &LoggingConfig{LogFormat: "Text", LogGroup: "/aws/lambda/" + in.FunctionName},
	}
	if in.Timeout != nil {
		c.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		c.MemorySize = *in.MemorySize
	}
	if len(c.Architectures) == 0 {
		c.Architectures = []string{"x86_64"}
	}
	if in.EphemeralStorage != nil {
		c.EphemeralStorage = &EphemeralStorage{Size: in.EphemeralStorage.Size}
	}
	if in.TracingConfig != nil && in.TracingConfig.Mode != "" {
		c.TracingConfig = &TracingConfig{Mode: in.TracingConfig.Mode}
	}
	applyLogging(&c, in.LoggingConfig)
	if err := validateConfig(&c); err != nil {
		return FunctionConfiguration{}, err
	}
	if err := s.checkCreateRuntime(c.Runtime); err != nil {
		return FunctionConfiguration{}, err
	}
	if in.ReservedConcurrentExecutions != nil && *in.ReservedConcurrentExecutions < 0 {
		return FunctionConfiguration{}, errInvalid("ReservedConcurrentExecutions must not be negative")
	}
	s.mu.RLock()
	_, exists := s.fns[in.FunctionName]
	s.mu.RUnlock()
	if exists {
		return FunctionConfiguration{}, errConflict("Function already exist: %s", in.FunctionName)
	}
	stored, err := s.storeCode(ctx, in.Code.S3Bucket, in.Code.S3Key, in.Code.ZipFile)
	if err != nil {
		return FunctionConfiguration{}, err
	}
	defer s.unpin(stored.digest)
	c.CodeSha256, c.CodeSize = stored.sha256, stored.size
	now := time.Now()
	c.LastModified, c.RevisionID = formatTime(now), core.NewRequestID()
	f := &function{
		Latest:      version{Config: c, Code: stored.digest, Source: stored.source},
		NextVersion: 1,
		Tags:        in.Tags,
		Reserved:    in.ReservedConcurrentExecutions,
		Created:     now.UTC(),
	}

	s.mu.Lock()
	if _, exists := s.fns[in.FunctionName]; exists {
		s.mu.Unlock()
		return FunctionConfiguration{}, errConflict("Function already exist: %s", in.FunctionName)
	}
	if in.Publish {
		publish(f, "")
	}
	err = s.put(in.FunctionName, f)
	s.mu.Unlock()
	if err != nil {
		return FunctionConfiguration{}, err
	}
	s.prepare(c, stored.digest)
	if in.Publish {
		return f.Versions[len(f.Versions)-1].Config, nil
	}
	return c, nil
}

func applyLogging(c *FunctionConfiguration, l *LoggingConfig) {
	if l == nil {
		return
	}
	if l.LogGroup != "" {
		c.LoggingConfig.LogGroup = l.LogGroup
	}
	if l.LogFormat != "" {
		c.LoggingConfig.LogFormat = l.LogFormat
	}
}

// prepare unzips the code of a new or updated function ahead of its first
// invocation, and warns in the service's log about code that cannot run
// here, so that the problem shows when the function is deployed and not
// only when it is first invoked.
func (s *Service) prepare(c FunctionConfiguration, digest string) {
	if msg := unsupportedRuntime(c.Runtime); msg != "" {
		s.log.WithField("function", c.FunctionName).Warn(msg)
		return
	}
	if m, ok := parseManaged(c.Runtime); ok {
		if _, fail := s.interpreterFor(m); fail != nil {
			s.log.WithField("function", c.FunctionName).Warn(fail.message)
		}
	}
	dir, err := s.codeDir(digest)
	if err != nil {
		s.log.WithField("function", c.FunctionName).Warnf("unpacking the code: %v", err)
		return
	}
	if msg := dir.refusal(c.FunctionName); msg != "" {
		s.log.WithField("function", c.FunctionName).Warn(msg)
	}
}

// UpdateFunctionCode replaces the code of $LATEST (and publishes a version
// when asked). Warm processes of $LATEST are retired.
// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
func (s *Service) UpdateFunctionCode(ctx context.Context, in UpdateFunctionCodeInput) (FunctionConfiguration, error) {
	name, q, err := s.parseRef(in.FunctionName)
	if err != nil {
		return FunctionConfiguration{}, err
	}
	if q != "" {
		return FunctionConfiguration{}, errInvalid("Cannot update the code of a qualified function (%s): update $LATEST, then publish a version", in.FunctionName)
	}
	if err := unsupportedPackage("", in.ImageURI, nil); err != nil {
		return FunctionConfiguration{}, err
	}
	s.mu.RLock()
	_, err = s.get(name)
	s.mu.RUnlock()
	if err != nil {
		return FunctionConfiguration{}, err
	}
	stored, err := s.storeCode(ctx, in.S3Bucket, in.S3Key, in.ZipFile)
	if err != nil {
		return FunctionConfiguration{}, err
	}
	defer s.unpin(stored.digest)
	s.mu.Lock()
	f, err := s.get(name)
	if err == nil {
		err = checkRevision(f.Latest.Config.RevisionID, in.RevisionID)
	}
	if err != nil {
		s.mu.Unlock()
		return FunctionConfiguration{}, err
	}
	if err := s.checkUpdateRuntime(f.Latest.Config.Runtime); err != nil {
		s.mu.Unlock()
		return FunctionConfiguration{}, err
	}
	nf := f.clone()
	c := &nf.Latest.Config
	c.CodeSha256, c.CodeSize = stored.sha256, stored.size
	if len(in.Architectures) > 0 {
		c.Architectures = in.Architectures
	}
	if err := validateConfig(c); err != nil {
		s.mu.Unlock()
		return FunctionConfiguration{}, err
	}
	c.LastModified, c.RevisionID = formatTime(time.Now()), core.NewRequestID()
	nf.Latest.Code, nf.Latest.Source = stored.digest, stored.source
	if in.Publish {
		publish(nf, "")
	}
	err = s.put(name, nf)
	s.mu.Unlock()
	if err != nil {
		return FunctionConfiguration{}, err
	}
	s.retire(name, LatestVersion)
	s.gcCode()
	s.prepare(nf.Latest.Config, stored.digest)
	if in.Publish {
		return nf.Versions[len(nf.Versions)-1].Config, nil
	}
	return nf.Latest.Config, nil
}

// UpdateFunctionConfiguration changes the settings of $LATEST; nil fields
// keep their value. Warm processes of $LATEST are retired.
// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
func (s *Service) UpdateFunctionConfiguration(_ context.Context, in UpdateFunctionConfigurationInput) (FunctionConfiguration, error) {
	name, q, err := s.parseRef(in.FunctionName)
	if err != nil {
		return FunctionConfiguration{}, err
	}
	if q != "" {
		return FunctionConfiguration{}, errInvalid("Cannot update the configuration of a qualified function (%s): update $LATEST, then publish a version", in.FunctionName)
	}
	if err := unsupportedPackage("", "", in.Layers); err != nil {
		return FunctionConfiguration{}, err
	}
	s.mu.Lock()
	f, err := s.get(name)
	if err == nil {
		err = checkRevision(f.Latest.Config.RevisionID, in.RevisionID)
	}
	if err != nil {
		s.mu.Unlock()
		return FunctionConfiguration{}, err
	}
	nf := f.clone()
	c := &nf.Latest.Config
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.Runtime, in.Runtime)
	set(&c.Role, in.Role)
	set(&c.Handler, in.Handler)
	set(&c.Description, in.Description)
	if in.Timeout != nil {
		c.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		c.MemorySize = *in.MemorySize
	}
	if in.Environment != nil {
		c.Environment = copyEnv(in.Environment)
	}
	if in.EphemeralStorage != nil {
		c.EphemeralStorage = &EphemeralStorage{Size: in.EphemeralStorage.Size}
	}
	if in.TracingConfig != nil && in.TracingConfig.Mode != "" {
		c.TracingConfig = &TracingConfig{Mode: in.TracingConfig.Mode}
	}
	applyLogging(c, in.LoggingConfig)
	if err := validateConfig(c); err != nil {
		s.mu.Unlock()
		return FunctionConfiguration{}, err
	}
	check := s.checkUpdateRuntime
	if c.Runtime != f.Latest.Config.Runtime {
		check = s.checkCreateRuntime // moving to a runtime is creating with it
	}
	if err := check(c.Runtime); err != nil {
		s.mu.Unlock()
		return FunctionConfiguration{}, err
	}
	c.LastModified, c.RevisionID = formatTime(time.Now()), core.NewRequestID()
	err = s.put(name, nf)
	s.mu.Unlock()
	if err != nil {
		return FunctionConfiguration{}, err
	}
	s.retire(name, LatestVersion)
	return nf.Latest.Config, nil
}

func checkRevision(current, given string) error {
	if given != "" && given != current {
		return core.Errorf(http.StatusPreconditionFailed, "PreconditionFailedException",
			"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	return nil
}

// DeleteFunction deletes a function with its versions and aliases, or only
// the version named by qualifier, and stops its processes.
// See https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html
func (s *Service) DeleteFunction(_ context.Context, ref, qualifier string) error {
	name, q, err := s.parseRefQualifier(ref, qualifier)
	if err != nil {
		return err
	}
	s.mu.Lock()
	f, err := s.get(name)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	switch {
	case q == LatestVersion:
		err = errInvalid("$LATEST version cannot be deleted without deleting the function.")
	case q == "":
		if err = s.functions.Delete(name); err == nil {
			delete(s.fns, name)
		}
	case !versionPattern.MatchString(q):
		err = errInvalid("Deletion of aliases is not supported through DeleteFunction: use DeleteAlias for %s", q)
	default:
		err = s.deleteVersion(name, f, q)
	}
	s.mu.Unlock()
	if err != nil {
		return core.AsError(err)
	}
	if q == "" {
		s.retire(name, "")
	} else {
		s.retire(name, q)
	}
	s.gcCode()
	return nil
}

func (s *Service) deleteVersion(name string, f *function, q string) error {
	if _, ok := f.version(q); !ok {
		return errNotFound(s.qualifiedARN(name, q))
	}
	for _, a := range f.Aliases {
		if a.FunctionVersion == q {
			return errConflict("Unable to delete version because the following aliases reference it: [%s]", a.Name)
		}
		if _, ok := aliasWeights(a)[q]; ok {
			return errConflict("Unable to delete version because the following aliases reference it: [%s]", a.Name)
		}
	}
	nf := f.clone()
	nf.Versions = nf.Versions[:0]
	for _, v := range f.Versions {
		if v.Config.Version != q {
			nf.Versions = append(nf.Versions, v)
		}
	}
	return s.put(name, nf)
}

// GetFunction returns a function version's configuration, where its code
// is and its tags. ref may carry a qualifier (a version or an alias).
// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html
func (s *Service) GetFunction(_ context.Context, ref string) (GetFunctionOutput, error) {
	name, q, err := s.parseRef(ref)
	if err != nil {
		return GetFunctionOutput{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, err := s.get(name)
	if err != nil {
		return GetFunctionOutput{}, err
	}
	v, err := s.lookupVersion(name, f, q)
	if err != nil {
		return GetFunctionOutput{}, err
	}
	out := GetFunctionOutput{Configuration: v.Config, Tags: copyTags(f.Tags),
		Code: FunctionCodeLocation{RepositoryType: "S3", Location: s.codeLocation(v)}}
	if f.Reserved != nil {
		r := *f.Reserved
		out.Concurrency = &Concurrency{ReservedConcurrentExecutions: &r}
	}
	return out, nil
}

// GetFunctionConfiguration returns a function version's configuration.
// See https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
func (s *Service) GetFunctionConfiguration(ctx context.Context, ref string) (FunctionConfiguration, error) {
	out, err := s.GetFunction(ctx, ref)
	return out.Configuration, err
}

// lookupVersion returns the version a qualifier names: "" and $LATEST, a
// version number, or an alias (its primary version).
func (s *Service) lookupVersion(name string, f *function, q string) (version, error) {
	if a, ok := f.Aliases[q]; ok {
		q = a.FunctionVersion
	}
	v, ok := f.version(q)
	if !ok {
		return version{}, errNotFound(s.qualifiedARN(name, q))
	}
	return v, nil
}

// ListFunctions returns the $LATEST configuration of every function, by
// name; with allVersions, every published version follows its $LATEST.
// See https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html
func (s *Service) ListFunctions(_ context.Context, allVersions bool) []FunctionConfiguration {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.fns))
	for n := range s.fns {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]FunctionConfiguration, 0, len(names))
	for _, n := range names {
		f := s.fns[n]
		out = append(out, f.Latest.Config)
		if allVersions {
			for _, v := range f.Versions {
				out = append(out, v.Config)
			}
		}
	}
	return out
}

// SetTags replaces a function's tags (CloudFormation's Tags property).
func (s *Service) SetTags(_ context.Context, ref string, tags map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	name, f, err := s.lookup(ref)
	if err != nil {
		return err
	}
	nf := f.clone()
	nf.Tags = copyTags(tags)
	return s.put(name, nf)
}

func copyTags(t map[string]string) map[string]string {
	if len(t) == 0 {
		return nil
	}
	out := make(map[string]string, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

// clone returns a copy of f whose slices and maps can be changed without
// affecting readers of f (which hold s.mu for reading only).
func (f *function) clone() *function {
	nf := *f
	nf.Versions = append([]version(nil), f.Versions...)
	nf.Aliases = make(map[string]AliasConfiguration, len(f.Aliases))
	for k, v := range f.Aliases {
		nf.Aliases[k] = v
	}
	nf.Policy = append([]policyStatement(nil), f.Policy...)
	nf.Tags = copyTags(f.Tags)
	if f.Latest.Config.Environment != nil {
		nf.Latest.Config.Environment = copyEnv(&Environment{Variables: f.Latest.Config.Environment.Variables})
	}
	nf.Latest.Config.Architectures = append([]string(nil), f.Latest.Config.Architectures...)
	if l := f.Latest.Config.LoggingConfig; l != nil {
		lc := *l
		nf.Latest.Config.LoggingConfig = &lc
	}
	return &nf
}

// errClosed refuses work once Close has begun.
var errClosed = &core.Error{Code: CodeService, Status: http.StatusServiceUnavailable, Receiver: true,
	Message: "the local Lambda service is closed (the local cloud is stopping)"}
