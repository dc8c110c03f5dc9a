//go:build !lambdabinary

package eventsource

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// s3Kind names S3 permissions in logical IDs.
const s3Kind = "S3"

// addS3 emits the AWS::Lambda::Permission that lets S3 invoke fn for the
// bucket at SourceArn, scoped to the bucket and (by default) to the
// stack's account, as S3 bucket ARNs carry no account. The bucket's
// notification is added by AttachS3, once the decorators' buckets are in
// the template too.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
func addS3(t *cloudformation.Template, _ string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, p service.S3Permission) error {
	if err := p.Validate(fn.Name); err != nil {
		return err
	}
	base := p.BasePermission
	if base.SourceAccount == "" {
		base.SourceAccount = cfn.Ref("AWS::AccountId")
	}
	invokePermission(t, fn, res, s3Kind, i, "s3.amazonaws.com", base)
	return nil
}

// AttachS3 adds, for every S3Permission of fns (whose resources are res,
// in the same order), a LambdaConfiguration per event to the notification
// of the bucket the permission names, and makes the bucket depend on the
// permission: S3 checks the permission when the configuration is put, so
// the permission must exist first. A bucket referred to by its own ARN
// (GetAtt Arn, or a Join/Sub of its Ref) would then depend on itself
// through the permission, so the permission is scoped to the bucket's name
// instead, which a bucket without one is given (cfn.DerivedBucketName).
// A SourceArn naming no bucket of the template is an error naming the
// function.
func AttachS3(t *cloudformation.Template, serviceName string, fns []*service.LambdaAWSInfo, res []cfn.FunctionResources) error {
	var errs []error
	for k, fn := range fns {
		if fn == nil || k >= len(res) {
			continue
		}
		for i, p := range fn.Permissions {
			sp, ok := asS3(p)
			if !ok {
				continue
			}
			if err := attach(t, serviceName, fn, res[k], i, sp); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func asS3(p service.LambdaPermissionExporter) (service.S3Permission, bool) {
	switch p := p.(type) {
	case service.S3Permission:
		return p, true
	case *service.S3Permission:
		if p != nil {
			return *p, true
		}
	}
	return service.S3Permission{}, false
}

func attach(t *cloudformation.Template, serviceName string, fn *service.LambdaAWSInfo, res cfn.FunctionResources, i int, p service.S3Permission) error {
	where := fmt.Sprintf("function %q: Permissions[%d]: S3Permission", fn.Name, i)
	id, literal := bucketOf(t, p.SourceArn)
	if id == "" {
		if literal != "" {
			return fmt.Errorf("%s: bucket %s is not declared in this service: %s", where, literal, declareHint)
		}
		return fmt.Errorf("%s: SourceArn is neither a bucket ARN (arn:aws:s3:::name) nor the ARN of a bucket of the template ({\"Fn::GetAtt\": [Bucket, \"Arn\"]}, e.g. sparta.S3Bucket's ARN())", where)
	}
	bucket, ok := t.Resources[id].(*s3.Bucket)
	if !ok {
		return fmt.Errorf("%s: SourceArn refers to %q, which is not an AWS::S3::Bucket of the template: %s", where, id, declareHint)
	}
	permID := cfn.LogicalID(fn.Name, s3Kind, strconv.Itoa(i), "Permission")
	perm, ok := t.Resources[permID].(*lambda.Permission)
	if !ok {
		return fmt.Errorf("%s: its AWS::Lambda::Permission %s is missing from the template", where, permID)
	}
	// The bucket depends on the permission, hence on the function and its
	// role: none of them may refer to the bucket resource. The
	// permission, and the function's environment and role, name the
	// bucket by its name instead, which a bucket without one is given.
	if bucket.BucketName == nil {
		bucket.BucketName = cloudformation.String(cfn.DerivedBucketName(serviceName, id))
	}
	name := *bucket.BucketName
	arn := "arn:aws:s3:::" + name
	if cfn.IsIntrinsic(name) {
		arn = cfn.Join("", "arn:aws:s3:::", name)
	}
	if literal == "" {
		perm.SourceArn = cloudformation.String(arn)
	}
	unrefer(t, res, id, name, arn)
	if bucket.NotificationConfiguration == nil {
		bucket.NotificationConfiguration = &s3.Bucket_NotificationConfiguration{}
	}
	var filter *s3.Bucket_NotificationFilter
	if p.Filter.Key != nil && len(p.Filter.Key.FilterRules) > 0 {
		filter = &s3.Bucket_NotificationFilter{S3Key: &s3.Bucket_S3KeyFilter{}}
		for _, r := range p.Filter.Key.FilterRules {
			v := ""
			if r.Value != nil {
				v = *r.Value
			}
			filter.S3Key.Rules = append(filter.S3Key.Rules, s3.Bucket_FilterRule{Name: strings.ToLower(r.Name), Value: v})
		}
	}
	for _, e := range p.Events {
		bucket.NotificationConfiguration.LambdaConfigurations = append(bucket.NotificationConfiguration.LambdaConfigurations,
			s3.Bucket_LambdaConfiguration{Event: e, Function: cloudformation.GetAtt(res.Function, "Arn"), Filter: filter})
	}
	if !slices.Contains(bucket.AWSCloudFormationDependsOn, permID) {
		bucket.AWSCloudFormationDependsOn = append(bucket.AWSCloudFormationDependsOn, permID)
	}
	return nil
}

// unrefer replaces, in the function's environment and its role's
// policies, every {"Ref": id} by the bucket's name and every
// {"Fn::GetAtt": [id, "Arn"]} by its ARN (both as given, literal or
// intrinsic), so that they do not depend on the bucket.
func unrefer(t *cloudformation.Template, res cfn.FunctionResources, id, name, arn string) {
	if f, ok := t.Resources[res.Function].(*lambda.Function); ok && f.Environment != nil {
		for k, v := range f.Environment.Variables {
			f.Environment.Variables[k] = replaceIntrinsic(v, id, name, arn)
		}
	}
	if r, ok := t.Resources[res.Role].(*iam.Role); ok {
		for i := range r.Policies {
			r.Policies[i].PolicyDocument = walkStrings(r.Policies[i].PolicyDocument, func(s string) string { return replaceIntrinsic(s, id, name, arn) })
		}
	}
}

// walkStrings applies fn to every string of a policy document.
func walkStrings(v any, fn func(string) string) any {
	switch x := v.(type) {
	case string:
		return fn(x)
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = fn(s)
		}
		return out
	case []any:
		for i := range x {
			x[i] = walkStrings(x[i], fn)
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = walkStrings(x[k], fn)
		}
		return x
	}
	return v
}

// replaceIntrinsic rewrites an encoded intrinsic string (and the encoded
// intrinsics nested in it) that refers to the bucket id.
func replaceIntrinsic(s, id, name, arn string) string {
	if !cfn.IsIntrinsic(s) {
		return s
	}
	raw, _ := base64.StdEncoding.DecodeString(s)
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return s
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case string:
			return replaceIntrinsic(x, id, name, arn)
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
			return x
		case map[string]any:
			if len(x) == 1 {
				if ref, ok := x["Ref"].(string); ok && ref == id {
					return name
				}
				if ga, ok := x["Fn::GetAtt"].([]any); ok && len(ga) == 2 && ga[0] == id && ga[1] == "Arn" {
					return arn
				}
			}
			for k := range x {
				x[k] = walk(x[k])
			}
			return x
		}
		return v
	}
	switch out := walk(v).(type) {
	case string:
		return out
	default:
		b, err := json.Marshal(out)
		if err != nil {
			return s
		}
		return base64.StdEncoding.EncodeToString(b)
	}
}

// declareHint says how to make a bucket part of the service.
const declareHint = "a bucket has a single notification configuration, which only the stack that owns the bucket can set without dropping " +
	"the notifications others configured; declare the bucket in this service (sparta.NewS3Bucket with cfn.S3BucketDecorator, " +
	"then SourceArn: bucket.ARN()), or configure the bucket's notification where the bucket is managed and grant the invocation with a LambdaPermission"

// bucketOf finds the template's bucket a SourceArn names: the logical ID
// of {"Fn::GetAtt": [X, "Arn"]}, a Join of "arn:aws:s3:::" and {"Ref": X},
// or a Sub of "arn:aws:s3:::${X}"; or, for a literal bucket ARN, the
// bucket whose BucketName is that name. literal is the bucket name of a
// literal ARN (set whether or not a bucket was found).
func bucketOf(t *cloudformation.Template, arn string) (id, literal string) {
	if !cfn.IsIntrinsic(arn) {
		name, ok := strings.CutPrefix(arn, "arn:aws:s3:::")
		if !ok || name == "" || strings.Contains(name, "/") {
			return "", ""
		}
		for rid, r := range t.Resources {
			if b, ok := r.(*s3.Bucket); ok && b.BucketName != nil && *b.BucketName == name {
				return rid, name
			}
		}
		return "", name
	}
	raw, _ := base64.StdEncoding.DecodeString(arn)
	var v map[string]json.RawMessage
	if json.Unmarshal(raw, &v) != nil {
		return "", ""
	}
	if ga, ok := v["Fn::GetAtt"]; ok {
		var parts []string
		if json.Unmarshal(ga, &parts) == nil && len(parts) == 2 && parts[1] == "Arn" {
			return parts[0], ""
		}
	}
	if sub, ok := v["Fn::Sub"]; ok {
		var s string
		if json.Unmarshal(sub, &s) == nil {
			if x, ok := strings.CutPrefix(s, "arn:aws:s3:::${"); ok && strings.HasSuffix(x, "}") && !strings.ContainsAny(strings.TrimSuffix(x, "}"), "${}.:") {
				return strings.TrimSuffix(x, "}"), ""
			}
		}
	}
	if j, ok := v["Fn::Join"]; ok {
		var args []json.RawMessage
		var values []json.RawMessage
		if json.Unmarshal(j, &args) == nil && len(args) == 2 && json.Unmarshal(args[1], &values) == nil && len(values) == 2 {
			var prefix string
			var ref map[string]string
			if json.Unmarshal(values[0], &prefix) == nil && prefix == "arn:aws:s3:::" && json.Unmarshal(values[1], &ref) == nil && ref["Ref"] != "" {
				return ref["Ref"], ""
			}
		}
	}
	return "", ""
}

// ValidateS3Sources checks, before anything is built, that each
// S3Permission with a literal bucket ARN names a bucket the service
// declares (declared: the buckets of cfn.S3BucketDecorator): the
// notification of a bucket outside the stack cannot be configured by it.
// Intrinsic SourceArns are checked when the template is assembled.
func ValidateS3Sources(fns []*service.LambdaAWSInfo, declared []*service.S3Bucket) error {
	names := map[string]bool{}
	for _, b := range declared {
		if b != nil && b.BucketName != "" {
			names[b.BucketName] = true
		}
	}
	var errs []error
	for _, fn := range fns {
		if fn == nil {
			continue
		}
		for i, p := range fn.Permissions {
			sp, ok := asS3(p)
			if !ok || cfn.IsIntrinsic(sp.SourceArn) {
				continue
			}
			name, isBucket := strings.CutPrefix(sp.SourceArn, "arn:aws:s3:::")
			switch {
			case sp.SourceArn == "":
				// Validate reports it.
			case !isBucket || name == "" || strings.Contains(name, "/"):
				errs = append(errs, fmt.Errorf("function %q: Permissions[%d]: S3Permission: SourceArn %q is not a bucket ARN (arn:aws:s3:::name)", fn.Name, i, sp.SourceArn))
			case !names[name]:
				errs = append(errs, fmt.Errorf("function %q: Permissions[%d]: S3Permission: bucket %s is not declared in this service: %s", fn.Name, i, name, declareHint))
			}
		}
	}
	return errors.Join(errs...)
}
