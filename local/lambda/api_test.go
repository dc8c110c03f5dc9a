package lambda_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
)

func TestGetAndListFunctions(t *testing.T) {
	f := newFixture(t)
	created := f.create(t, "echo", "echo", func(in *lambdasdk.CreateFunctionInput) {
		in.Description = aws.String("says things")
		in.Tags = map[string]string{"team": "dice"}
	})
	f.create(t, "rollDie", "rolldie")
	ctx := context.Background()
	if aws.ToString(created.FunctionArn) != "arn:aws:lambda:us-east-1:000000000000:function:echo" ||
		aws.ToString(created.Version) != "$LATEST" || created.State != types.StateActive || created.CodeSize == 0 ||
		aws.ToInt32(created.Timeout) != 3 || aws.ToInt32(created.MemorySize) != 128 || created.PackageType != types.PackageTypeZip {
		t.Errorf("CreateFunction = %+v, want Lambda's defaults", created)
	}
	got, err := f.client.GetFunction(ctx, &lambdasdk.GetFunctionInput{FunctionName: aws.String("echo")})
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Configuration; aws.ToString(c.Description) != "says things" || aws.ToString(c.CodeSha256) != aws.ToString(created.CodeSha256) ||
		aws.ToString(c.Handler) != "echo" || c.Runtime != types.RuntimeProvidedal2023 || got.Tags["team"] != "dice" ||
		aws.ToString(got.Code.RepositoryType) != "S3" {
		t.Errorf("GetFunction = %+v", got)
	}
	byARN, err := f.client.GetFunctionConfiguration(ctx, &lambdasdk.GetFunctionConfigurationInput{FunctionName: created.FunctionArn})
	if err != nil || aws.ToString(byARN.FunctionName) != "echo" {
		t.Errorf("GetFunctionConfiguration(ARN) = %v, %v", byARN, err)
	}
	list, err := f.client.ListFunctions(ctx, &lambdasdk.ListFunctionsInput{})
	if err != nil || len(list.Functions) != 2 || aws.ToString(list.Functions[0].FunctionName) != "echo" || aws.ToString(list.Functions[1].FunctionName) != "rollDie" {
		t.Errorf("ListFunctions = %+v, %v, want echo and rollDie", list, err)
	}
	page, err := f.client.ListFunctions(ctx, &lambdasdk.ListFunctionsInput{MaxItems: aws.Int32(1)})
	if err != nil || len(page.Functions) != 1 || page.NextMarker == nil {
		t.Fatalf("ListFunctions(MaxItems 1) = %+v, %v", page, err)
	}
	page, err = f.client.ListFunctions(ctx, &lambdasdk.ListFunctionsInput{MaxItems: aws.Int32(1), Marker: page.NextMarker})
	if err != nil || len(page.Functions) != 1 || aws.ToString(page.Functions[0].FunctionName) != "rollDie" || page.NextMarker != nil {
		t.Errorf("second page = %+v, %v", page, err)
	}
}

func TestErrorShapes(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo")
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"missing function", func() error {
			_, err := f.client.GetFunction(ctx, &lambdasdk.GetFunctionInput{FunctionName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException"},
		{"missing version", func() error {
			_, err := f.client.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), Qualifier: aws.String("7")})
			return err
		}, "ResourceNotFoundException"},
		{"duplicate", func() error {
			_, err := f.client.CreateFunction(ctx, &lambdasdk.CreateFunctionInput{FunctionName: aws.String("echo"), Runtime: types.RuntimeProvidedal2023,
				Role: aws.String(role), Handler: aws.String("x"), Code: &types.FunctionCode{S3Bucket: aws.String(bucket), S3Key: aws.String("echo.zip")}})
			return err
		}, "ResourceConflictException"},
		{"missing code object", func() error {
			_, err := f.client.CreateFunction(ctx, &lambdasdk.CreateFunctionInput{FunctionName: aws.String("other"), Runtime: types.RuntimeProvidedal2023,
				Role: aws.String(role), Handler: aws.String("x"), Code: &types.FunctionCode{S3Bucket: aws.String(bucket), S3Key: aws.String("nope.zip")}})
			return err
		}, "InvalidParameterValueException"},
		{"not a zip", func() error {
			_, err := f.client.CreateFunction(ctx, &lambdasdk.CreateFunctionInput{FunctionName: aws.String("other"), Runtime: types.RuntimeProvidedal2023,
				Role: aws.String(role), Handler: aws.String("x"), Code: &types.FunctionCode{ZipFile: []byte("not a zip")}})
			return err
		}, "InvalidParameterValueException"},
		{"reserved variable", func() error {
			_, err := f.client.UpdateFunctionConfiguration(ctx, &lambdasdk.UpdateFunctionConfigurationInput{FunctionName: aws.String("echo"),
				Environment: &types.Environment{Variables: map[string]string{"AWS_REGION": "eu-west-1"}}})
			return err
		}, "InvalidParameterValueException"},
		{"timeout too long", func() error {
			_, err := f.client.UpdateFunctionConfiguration(ctx, &lambdasdk.UpdateFunctionConfigurationInput{FunctionName: aws.String("echo"), Timeout: aws.Int32(901)})
			return err
		}, "ValidationException"},
		{"payload not JSON", func() error {
			_, err := f.client.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte("{nope")})
			return err
		}, "InvalidRequestContentException"},
		{"payload too large", func() error {
			_, err := f.client.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), Payload: []byte(`"` + strings.Repeat("x", 7<<20) + `"`)})
			return err
		}, "RequestTooLargeException"},
		{"event payload too large", func() error {
			_, err := f.client.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), InvocationType: types.InvocationTypeEvent,
				Payload: []byte(`"` + strings.Repeat("x", 300<<10) + `"`)})
			return err
		}, "RequestTooLargeException"},
		{"delete $LATEST", func() error {
			_, err := f.client.DeleteFunction(ctx, &lambdasdk.DeleteFunctionInput{FunctionName: aws.String("echo"), Qualifier: aws.String("$LATEST")})
			return err
		}, "InvalidParameterValueException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.code || ae.ErrorMessage() == "" {
				t.Errorf("error = %v, want %s with a message", err, tt.code)
			}
		})
	}
}

// TestWireShapes checks the raw responses against Lambda's documented
// shapes, beyond what the SDK's deserializers look at.
func TestWireShapes(t *testing.T) {
	f := newFixture(t)
	f.create(t, "failing", "failing")
	resp, err := http.Post(f.url+"/2015-03-31/functions/failing/invocations", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Amz-Function-Error") != "Unhandled" || resp.Header.Get("X-Amz-Executed-Version") != "$LATEST" {
		t.Errorf("function error: status %d, headers %v", resp.StatusCode, resp.Header)
	}
	var doc map[string]any
	if json.Unmarshal(body, &doc) != nil || doc["errorType"] != "errorString" || doc["errorMessage"] != "the dice fell off the table" {
		t.Errorf("function error body = %s", body)
	}
	resp, err = http.Get(f.url + "/2015-03-31/functions/nope")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || resp.Header.Get("X-Amzn-Errortype") != "ResourceNotFoundException" ||
		string(body) != `{"Type":"User","message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope"}` {
		t.Errorf("not found: %d %v %s", resp.StatusCode, resp.Header, body)
	}
}

func TestVersionsAndAliases(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.create(t, "echo", "echo", func(in *lambdasdk.CreateFunctionInput) {
		in.Publish = true
		in.Environment = &types.Environment{Variables: map[string]string{"GREETING": "v1"}}
	})
	if _, err := f.client.UpdateFunctionConfiguration(ctx, &lambdasdk.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("echo"), Environment: &types.Environment{Variables: map[string]string{"GREETING": "v2"}},
	}); err != nil {
		t.Fatal(err)
	}
	v2, err := f.client.PublishVersion(ctx, &lambdasdk.PublishVersionInput{FunctionName: aws.String("echo"), Description: aws.String("second")})
	if err != nil || aws.ToString(v2.Version) != "2" || aws.ToString(v2.FunctionArn) != "arn:aws:lambda:us-east-1:000000000000:function:echo:2" {
		t.Fatalf("PublishVersion = %+v, %v, want version 2", v2, err)
	}
	again, err := f.client.PublishVersion(ctx, &lambdasdk.PublishVersionInput{FunctionName: aws.String("echo")})
	if err != nil || aws.ToString(again.Version) != "2" {
		t.Errorf("publishing an unchanged $LATEST = %v, %v, want version 2 again", aws.ToString(again.Version), err)
	}
	if _, err := f.client.CreateAlias(ctx, &lambdasdk.CreateAliasInput{FunctionName: aws.String("echo"), Name: aws.String("live"), FunctionVersion: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ qualifier, version, greeting string }{{"1", "1", "v1"}, {"2", "2", "v2"}, {"live", "1", "v1"}, {"$LATEST", "$LATEST", "v2"}} {
		out, err := f.client.Invoke(ctx, &lambdasdk.InvokeInput{FunctionName: aws.String("echo"), Qualifier: aws.String(tc.qualifier)})
		if err != nil {
			t.Fatal(err)
		}
		r := decodeEcho(t, out)
		if aws.ToString(out.ExecutedVersion) != tc.version || r.Env["GREETING"] != tc.greeting || r.Env["AWS_LAMBDA_FUNCTION_VERSION"] != tc.version {
			t.Errorf("Invoke(echo:%s) ran version %s with GREETING %q, want %s and %q", tc.qualifier, aws.ToString(out.ExecutedVersion), r.Env["GREETING"], tc.version, tc.greeting)
		}
		if tc.qualifier == "live" && r.ARN != "arn:aws:lambda:us-east-1:000000000000:function:echo:live" {
			t.Errorf("invoked ARN through the alias = %s", r.ARN)
		}
	}
	if _, err := f.client.DeleteFunction(ctx, &lambdasdk.DeleteFunctionInput{FunctionName: aws.String("echo"), Qualifier: aws.String("1")}); err == nil {
		t.Error("deleted version 1 though alias live points at it")
	}
	if _, err := f.client.UpdateAlias(ctx, &lambdasdk.UpdateAliasInput{FunctionName: aws.String("echo"), Name: aws.String("live"), FunctionVersion: aws.String("2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.DeleteFunction(ctx, &lambdasdk.DeleteFunctionInput{FunctionName: aws.String("echo"), Qualifier: aws.String("1")}); err != nil {
		t.Errorf("DeleteFunction(echo:1) = %v", err)
	}
	versions, err := f.client.ListVersionsByFunction(ctx, &lambdasdk.ListVersionsByFunctionInput{FunctionName: aws.String("echo")})
	if err != nil || len(versions.Versions) != 2 {
		t.Errorf("ListVersionsByFunction = %+v, %v, want $LATEST and 2", versions, err)
	}
	if _, err := f.client.AddPermission(ctx, &lambdasdk.AddPermissionInput{FunctionName: aws.String("echo"), StatementId: aws.String("sfn"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("states.amazonaws.com")}); err != nil {
		t.Fatal(err)
	}
	pol, err := f.client.GetPolicy(ctx, &lambdasdk.GetPolicyInput{FunctionName: aws.String("echo")})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), `"Sid":"sfn"`) {
		t.Errorf("GetPolicy = %v, %v", pol, err)
	}
	if _, err := f.client.DeleteFunction(ctx, &lambdasdk.DeleteFunctionInput{FunctionName: aws.String("echo")}); err != nil {
		t.Fatal(err)
	}
	if n := f.svc.Sandboxes("echo"); n != 0 {
		t.Errorf("%d processes left after DeleteFunction", n)
	}
	if _, err := f.client.GetFunction(ctx, &lambdasdk.GetFunctionInput{FunctionName: aws.String("echo")}); !isNotFound(err) {
		t.Errorf("GetFunction after delete = %v", err)
	}
}

func TestUpdateCodeFromInlineZip(t *testing.T) {
	f := newFixture(t)
	f.create(t, "fn", "failing", func(in *lambdasdk.CreateFunctionInput) { in.Handler = aws.String("rollDie") })
	zip, err := os.ReadFile(filepath.Join(codeRoot, bucket, "rolldie.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.UpdateFunctionCode(context.Background(), &lambdasdk.UpdateFunctionCodeInput{FunctionName: aws.String("fn"), ZipFile: zip}); err != nil {
		t.Fatal(err)
	}
	out := f.invoke(t, "fn", `{}`)
	if out.FunctionError != nil || !strings.Contains(string(out.Payload), `"roll"`) {
		t.Errorf("after UpdateFunctionCode the function returned %s (%v), want a roll", out.Payload, aws.ToString(out.FunctionError))
	}
}

// TestRestart is durability: functions survive a restart of the service
// (another process of the local cloud) and run again, lazily.
func TestRestart(t *testing.T) {
	f := newFixture(t)
	f.create(t, "echo", "echo", func(in *lambdasdk.CreateFunctionInput) {
		in.Environment = &types.Environment{Variables: map[string]string{"GREETING": "still here"}}
	})
	before := decodeEcho(t, f.invoke(t, "echo", `{}`))
	if err := f.svc.Close(); err != nil {
		t.Fatal(err)
	}
	f.cfg.WorkDir = t.TempDir() // the unzipped code is gone too
	f.start(t)
	if n := f.svc.Sandboxes("echo"); n != 0 {
		t.Errorf("%d processes right after restart, want none until an invocation", n)
	}
	after := decodeEcho(t, f.invoke(t, "echo", `{}`))
	if after.PID == before.PID || after.Env["GREETING"] != "still here" {
		t.Errorf("after restart: pid %d (before %d), GREETING %q", after.PID, before.PID, after.Env["GREETING"])
	}
}
