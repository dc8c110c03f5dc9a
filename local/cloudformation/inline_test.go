package cloudformation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/cloudformation"
	"github.com/sparta-go/sparta/local/localtest"
)

// These tests deploy templates as third parties write them — Lambda
// functions with inline Code.ZipFile, and a custom resource backed by one
// — with the AWS CLI against a local cloud, and check that they behave as
// on AWS. The languages run on this machine's python3 and node.

// needInterpreter skips a test when the host lacks a language's
// interpreter (CI installs python3 and nodejs).
func needInterpreter(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not on PATH, so the local Lambda cannot run this language here (install it to run this test): %v", name, err)
	}
}

// deploy writes template and creates stack from it with `aws
// cloudformation create-stack` (or updates it with update-stack when
// update is set), waits for the operation to end, and returns the stack's
// outputs. It waits through the service rather than the CLI's waiter,
// which polls every 30 seconds.
func deploy(t *testing.T, c *local.Cloud, stack, template string, args ...string) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(template), 0o644); err != nil {
		t.Fatal(err)
	}
	verb, want := "create-stack", "CREATE_COMPLETE"
	if _, err := localtest.RunCLI(t, c, "cloudformation", "describe-stacks", "--stack-name", stack); err == nil {
		verb, want = "update-stack", "UPDATE_COMPLETE"
	}
	localtest.CLI(t, c, append([]string{"cloudformation", verb, "--stack-name", stack, "--template-body", "file://" + path, "--capabilities", "CAPABILITY_IAM"}, args...)...)
	if st := waitStable(t, c, stack); st.Status != want {
		events, _ := localtest.RunCLI(t, c, "cloudformation", "describe-stack-events", "--stack-name", stack)
		t.Fatalf("aws cloudformation %s %s: %s %s\n%s", verb, stack, st.Status, st.StatusReason, events)
	}
	return stackOutputs(t, c, stack)
}

// waitStable waits for the stack's operation to end.
func waitStable(t *testing.T, c *local.Cloud, stack string) cloudformation.Stack {
	t.Helper()
	svc, _ := c.Service("cloudformation")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := svc.(*cloudformation.Service).WaitStable(ctx, stack)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func stackOutputs(t *testing.T, c *local.Cloud, stack string) map[string]string {
	t.Helper()
	var described struct {
		Stacks []struct {
			StackStatus string
			Outputs     []struct{ OutputKey, OutputValue string }
		}
	}
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "cloudformation", "describe-stacks", "--stack-name", stack)), &described); err != nil || len(described.Stacks) != 1 {
		t.Fatalf("describe-stacks %s: %v", stack, err)
	}
	out := map[string]string{}
	for _, o := range described.Stacks[0].Outputs {
		out[o.OutputKey] = o.OutputValue
	}
	return out
}

// invoke runs `aws lambda invoke` and returns the payload.
func invoke(t *testing.T, c *local.Cloud, function, payload string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "out.json")
	in := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(in, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	// fileb:// passes the payload's bytes as they are with AWS CLI v1 and v2.
	printed := localtest.CLI(t, c, "lambda", "invoke", "--function-name", function, "--payload", "fileb://"+in, file)
	if strings.Contains(printed, "FunctionError") {
		b, _ := os.ReadFile(file)
		t.Fatalf("aws lambda invoke %s printed %s; payload %s", function, printed, b)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// functionLog is everything the function logged, from CloudWatch Logs.
func functionLog(t *testing.T, c *local.Cloud, function string) string {
	t.Helper()
	var events struct{ Events []struct{ Message string } }
	if err := json.Unmarshal([]byte(localtest.CLI(t, c, "logs", "filter-log-events", "--log-group-name", "/aws/lambda/"+function)), &events); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range events.Events {
		b.WriteString(e.Message)
	}
	return b.String()
}

const roleYAML = `
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
`

// TestInlinePythonFunction: a template whose function is inline Python
// (python3.13, which AWS accepts today) deploys and answers invocations.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html
func TestInlinePythonFunction(t *testing.T) {
	needInterpreter(t, "python3")
	c := localtest.Start(t)
	out := deploy(t, c, "inline-python", `
Resources:`+roleYAML+`
  Adder:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          def handler(event, context):
              print("adding", event["a"], event["b"], "for", context.function_name)
              return {"sum": event["a"] + event["b"]}
Outputs:
  Name:
    Value: !Ref Adder
`)
	if got := invoke(t, c, out["Name"], `{"a": 2, "b": 40}`); got != `{"sum": 42}` {
		t.Errorf("aws lambda invoke = %s, want {\"sum\": 42}", got)
	}
	if log := functionLog(t, c, out["Name"]); !strings.Contains(log, "adding 2 40 for "+out["Name"]) {
		t.Errorf("the function's log lacks its print:\n%s", log)
	}
	localtest.CLI(t, c, "cloudformation", "delete-stack", "--stack-name", "inline-python")
	if st := waitStable(t, c, "inline-python"); st.Status != "DELETE_COMPLETE" {
		t.Errorf("delete-stack = %s %s", st.Status, st.StatusReason)
	}
}

// TestInlineNodeFunction: the same with inline Node.js (nodejs22.x).
func TestInlineNodeFunction(t *testing.T) {
	needInterpreter(t, "node")
	c := localtest.Start(t)
	out := deploy(t, c, "inline-node", `
Resources:`+roleYAML+`
  Adder:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          exports.handler = async (event, context) => {
            console.log('adding', event.a, event.b, 'for', context.functionName);
            return { sum: event.a + event.b };
          };
Outputs:
  Name:
    Value: !Ref Adder
`)
	if got := invoke(t, c, out["Name"], `{"a": 2, "b": 40}`); got != `{"sum":42}` {
		t.Errorf("aws lambda invoke = %s, want {\"sum\":42}", got)
	}
	if log := functionLog(t, c, out["Name"]); !strings.Contains(log, "INFO\tadding 2 40 for "+out["Name"]) {
		t.Errorf("the function's log lacks its console.log:\n%s", log)
	}
}

const customResourceYAML = `
Parameters:
  Name:
    Type: String
    Default: world
Resources:` + roleYAML + `
  GreeterFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Timeout: 10
      Code:
        ZipFile: |
          import cfnresponse
          def handler(event, context):
              props = event["ResourceProperties"]
              print("REQUEST", event["RequestType"], event.get("PhysicalResourceId", "-"), event["ResourceType"], event["LogicalResourceId"])
              if event["RequestType"] == "Delete":
                  cfnresponse.send(event, context, cfnresponse.SUCCESS, {})
                  return
              if props.get("Fail") == "true":
                  cfnresponse.send(event, context, cfnresponse.FAILED, {}, reason="the greeter refuses " + props["Name"])
                  return
              if props.get("Silent") == "true":
                  return
              data = {"Greeting": "hello " + props["Name"], "Doubled": str(int(props["Count"]) * 2), "CountType": type(props["Count"]).__name__}
              cfnresponse.send(event, context, cfnresponse.SUCCESS, data, "greeter-" + props["Name"])
              cfnresponse.send(event, context, cfnresponse.SUCCESS, data, "greeter-" + props["Name"])
  Greeter:
    Type: Custom::Greeter
    Properties:
      ServiceToken: !GetAtt GreeterFunction.Arn
      Name: !Ref Name
      Count: 21
Outputs:
  Greeting:
    Value: !GetAtt Greeter.Greeting
  Doubled:
    Value: !GetAtt Greeter.Doubled
  CountType:
    Value: !GetAtt Greeter.CountType
  Id:
    Value: !Ref Greeter
  FunctionName:
    Value: !Ref GreeterFunction
`

// TestInlinePythonCustomResource: a custom resource backed by inline
// Python that uses cfn-response. Create sends the request object AWS
// sends (properties as strings), the response's Data is readable with
// Fn::GetAtt and its PhysicalResourceId with Ref; an update that changes
// the physical ID replaces the resource (Delete of the old one); deleting
// the stack sends Delete; the response URL serves once.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html and
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-lambda-function-code-cfnresponsemodule.html
func TestInlinePythonCustomResource(t *testing.T) {
	needInterpreter(t, "python3")
	c := localtest.Start(t)
	out := deploy(t, c, "custom", customResourceYAML)
	want := map[string]string{"Greeting": "hello world", "Doubled": "42", "CountType": "str", "Id": "greeter-world"}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("output %s = %q, want %q (all: %v)", k, out[k], v, out)
		}
	}
	fn := out["FunctionName"]
	log := functionLog(t, c, fn)
	if !strings.Contains(log, "REQUEST Create - Custom::Greeter Greeter") {
		t.Errorf("the function's log lacks the Create request:\n%s", log)
	}
	// The function answered twice: the URL took the first answer only.
	if !strings.Contains(log, "Status code: 200") || !strings.Contains(log, "HTTP Error 403") {
		t.Errorf("the function's log should show the first response accepted and the second refused:\n%s", log)
	}

	// A new name makes a new physical ID: CloudFormation deletes the old.
	if out := deploy(t, c, "custom", customResourceYAML, "--parameters", "ParameterKey=Name,ParameterValue=moon"); out["Greeting"] != "hello moon" || out["Id"] != "greeter-moon" {
		t.Errorf("outputs after the update = %v", out)
	}
	log = functionLog(t, c, fn)
	for _, line := range []string{"REQUEST Update greeter-world Custom::Greeter", "REQUEST Delete greeter-world Custom::Greeter"} {
		if !strings.Contains(log, line) {
			t.Errorf("the function's log lacks %q:\n%s", line, log)
		}
	}

	localtest.CLI(t, c, "cloudformation", "delete-stack", "--stack-name", "custom")
	if st := waitStable(t, c, "custom"); st.Status != "DELETE_COMPLETE" {
		t.Errorf("delete-stack = %s %s", st.Status, st.StatusReason)
	}
	if log := functionLog(t, c, fn); !strings.Contains(log, "REQUEST Delete greeter-moon Custom::Greeter") {
		t.Errorf("deleting the stack sent no Delete for greeter-moon:\n%s", log)
	}

	// The response URL is for the holder of its token, once.
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodPut, "/cloudformation-custom-resource-response/not-a-token", http.StatusForbidden},
		{http.MethodGet, "/cloudformation-custom-resource-response/not-a-token", http.StatusMethodNotAllowed},
	} {
		req, _ := http.NewRequest(tt.method, c.Endpoint()+tt.path, strings.NewReader(`{"Status":"SUCCESS"}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
}

// TestCustomResourceFailures: a FAILED response fails the resource with
// its Reason, and a function that never answers fails it when
// ServiceTimeout runs out, with AWS's message.
func TestCustomResourceFailures(t *testing.T) {
	needInterpreter(t, "python3")
	c := localtest.Start(t)
	for _, tt := range []struct{ stack, props, want string }{
		{"refused", "Fail: \"true\"", "Received response status [FAILED] from custom resource. Message returned: the greeter refuses world"},
		{"silent", "Silent: \"true\"\n      ServiceTimeout: 2", "CloudFormation did not receive a response from your Custom Resource."},
	} {
		t.Run(tt.stack, func(t *testing.T) {
			template := strings.Replace(customResourceYAML, "      Count: 21\n", "      Count: 21\n      "+tt.props+"\n", 1)
			path := filepath.Join(t.TempDir(), "template.yaml")
			_ = os.WriteFile(path, []byte(template), 0o644)
			start := time.Now()
			localtest.CLI(t, c, "cloudformation", "create-stack", "--stack-name", tt.stack, "--template-body", "file://"+path, "--capabilities", "CAPABILITY_IAM")
			if st := waitStable(t, c, tt.stack); st.Status != "ROLLBACK_COMPLETE" {
				t.Fatalf("stack %s = %s; want the custom resource to fail it and the stack to roll back", tt.stack, st.Status)
			}
			var events struct {
				StackEvents []struct{ LogicalResourceId, ResourceStatus, ResourceStatusReason string }
			}
			_ = json.Unmarshal([]byte(localtest.CLI(t, c, "cloudformation", "describe-stack-events", "--stack-name", tt.stack)), &events)
			var reason string
			for _, e := range events.StackEvents {
				if e.LogicalResourceId == "Greeter" && e.ResourceStatus == "CREATE_FAILED" {
					reason = e.ResourceStatusReason
				}
			}
			if !strings.Contains(reason, tt.want) {
				t.Errorf("Greeter CREATE_FAILED reason = %q, want %q", reason, tt.want)
			}
			t.Logf("%s failed after %s (loaded machine)", tt.stack, time.Since(start).Round(time.Millisecond))
		})
	}
}
