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

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/cloudformation"
	"github.com/sparta-go/sparta/local/localtest"
)

// These tests deploy templates as third parties write them — Lambda
// functions with inline Code.ZipFile, and a custom resource backed by one
// — against a local cloud, and check that they behave as on AWS. The
// languages run on this machine's python3 and node. They drive the cloud
// with the AWS CLI (as CI does); where the CLI is not installed they say
// so and use the SDK, so that the behaviour is still checked.

// needInterpreter skips a test when the host lacks a language's
// interpreter (CI installs python3 and nodejs).
func needInterpreter(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not on PATH, so the local Lambda cannot run this language here (install it to run this test): %v", name, err)
	}
}

// client drives a cloud with the AWS CLI, or the SDK without it.
type client struct {
	c   *local.Cloud
	cli bool
	cfg aws.Config
}

func newClient(t *testing.T, c *local.Cloud) *client {
	t.Helper()
	_, err := os.Stat(localtest.CLIPath)
	if err != nil {
		t.Logf("the AWS CLI is not installed at %s (apt-get install -y awscli): driving the cloud with the SDK instead", localtest.CLIPath)
	}
	return &client{c: c, cli: err == nil, cfg: localtest.Config(c)}
}

// stackRequest creates (or updates) stack from the template file with
// the parameters (KEY=VALUE).
func (k *client) stackRequest(t *testing.T, update bool, stack, path string, params ...string) {
	t.Helper()
	if k.cli {
		verb := "create-stack"
		if update {
			verb = "update-stack"
		}
		args := []string{"cloudformation", verb, "--stack-name", stack, "--template-body", "file://" + path, "--capabilities", "CAPABILITY_IAM"}
		for _, p := range params {
			key, value, _ := strings.Cut(p, "=")
			args = append(args, "--parameters", "ParameterKey="+key+",ParameterValue="+value)
		}
		localtest.CLI(t, k.c, args...)
		return
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ps []cfntypes.Parameter
	for _, p := range params {
		key, value, _ := strings.Cut(p, "=")
		ps = append(ps, cfntypes.Parameter{ParameterKey: aws.String(key), ParameterValue: aws.String(value)})
	}
	c := cfnsdk.NewFromConfig(k.cfg)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	if update {
		_, err = c.UpdateStack(context.Background(), &cfnsdk.UpdateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(string(body)), Parameters: ps, Capabilities: caps})
	} else {
		_, err = c.CreateStack(context.Background(), &cfnsdk.CreateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(string(body)), Parameters: ps, Capabilities: caps})
	}
	if err != nil {
		t.Fatalf("stack %s: %v", stack, err)
	}
}

// deploy writes template and creates stack from it (or updates it when it
// exists), waits for the operation to end, and returns the stack's
// outputs. It waits through the service rather than the CLI's waiter,
// which polls every 30 seconds.
func (k *client) deploy(t *testing.T, stack, template string, params ...string) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(template), 0o644); err != nil {
		t.Fatal(err)
	}
	svc, _ := k.c.Service("cloudformation")
	st, found := svc.(*cloudformation.Service).Stack(stack)
	update := found && st.Status != "DELETE_COMPLETE"
	want := "CREATE_COMPLETE"
	if update {
		want = "UPDATE_COMPLETE"
	}
	k.stackRequest(t, update, stack, path, params...)
	if st := waitStable(t, k.c, stack); st.Status != want {
		t.Fatalf("stack %s: %s %s\n%s", stack, st.Status, st.StatusReason, k.events(t, stack))
	}
	return k.outputs(t, stack)
}

// deleteStack deletes the stack and waits for it to be gone.
func (k *client) deleteStack(t *testing.T, stack string) {
	t.Helper()
	if k.cli {
		localtest.CLI(t, k.c, "cloudformation", "delete-stack", "--stack-name", stack)
	} else if _, err := cfnsdk.NewFromConfig(k.cfg).DeleteStack(context.Background(), &cfnsdk.DeleteStackInput{StackName: aws.String(stack)}); err != nil {
		t.Fatal(err)
	}
	if st := waitStable(t, k.c, stack); st.Status != "DELETE_COMPLETE" {
		t.Errorf("deleting stack %s = %s %s", stack, st.Status, st.StatusReason)
	}
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

// stackEvent is one event of describe-stack-events.
type stackEvent struct {
	LogicalResourceId, PhysicalResourceId, ResourceStatus, ResourceStatusReason string
}

func (k *client) events(t *testing.T, stack string) []stackEvent {
	t.Helper()
	var out []stackEvent
	if k.cli {
		var events struct{ StackEvents []stackEvent }
		_ = json.Unmarshal([]byte(localtest.CLI(t, k.c, "cloudformation", "describe-stack-events", "--stack-name", stack)), &events)
		return events.StackEvents
	}
	res, err := cfnsdk.NewFromConfig(k.cfg).DescribeStackEvents(context.Background(), &cfnsdk.DescribeStackEventsInput{StackName: aws.String(stack)})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.StackEvents {
		out = append(out, stackEvent{aws.ToString(e.LogicalResourceId), aws.ToString(e.PhysicalResourceId), string(e.ResourceStatus), aws.ToString(e.ResourceStatusReason)})
	}
	return out
}

func (k *client) outputs(t *testing.T, stack string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if k.cli {
		var described struct {
			Stacks []struct {
				Outputs []struct{ OutputKey, OutputValue string }
			}
		}
		if err := json.Unmarshal([]byte(localtest.CLI(t, k.c, "cloudformation", "describe-stacks", "--stack-name", stack)), &described); err != nil || len(described.Stacks) != 1 {
			t.Fatalf("describe-stacks %s: %v", stack, err)
		}
		for _, o := range described.Stacks[0].Outputs {
			out[o.OutputKey] = o.OutputValue
		}
		return out
	}
	res, err := cfnsdk.NewFromConfig(k.cfg).DescribeStacks(context.Background(), &cfnsdk.DescribeStacksInput{StackName: aws.String(stack)})
	if err != nil || len(res.Stacks) != 1 {
		t.Fatalf("DescribeStacks %s: %v", stack, err)
	}
	for _, o := range res.Stacks[0].Outputs {
		out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return out
}

// invoke invokes the function and returns its payload.
func (k *client) invoke(t *testing.T, function, payload string) string {
	t.Helper()
	if !k.cli {
		res, err := lambdasdk.NewFromConfig(k.cfg).Invoke(context.Background(), &lambdasdk.InvokeInput{FunctionName: aws.String(function), Payload: []byte(payload)})
		if err != nil || res.FunctionError != nil {
			t.Fatalf("Invoke %s = %v %s", function, err, res.Payload)
		}
		return string(res.Payload)
	}
	file := filepath.Join(t.TempDir(), "out.json")
	in := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(in, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	// fileb:// passes the payload's bytes as they are with AWS CLI v1 and v2.
	printed := localtest.CLI(t, k.c, "lambda", "invoke", "--function-name", function, "--payload", "fileb://"+in, file)
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
func (k *client) functionLog(t *testing.T, function string) string {
	t.Helper()
	var b strings.Builder
	group := "/aws/lambda/" + function
	if k.cli {
		var events struct{ Events []struct{ Message string } }
		if err := json.Unmarshal([]byte(localtest.CLI(t, k.c, "logs", "filter-log-events", "--log-group-name", group)), &events); err != nil {
			t.Fatal(err)
		}
		for _, e := range events.Events {
			b.WriteString(e.Message)
		}
		return b.String()
	}
	res, err := cloudwatchlogs.NewFromConfig(k.cfg).FilterLogEvents(context.Background(), &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group)})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Events {
		b.WriteString(aws.ToString(e.Message))
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
	k := newClient(t, localtest.Start(t))
	out := k.deploy(t, "inline-python", `
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
	if got := k.invoke(t, out["Name"], `{"a": 2, "b": 40}`); got != `{"sum": 42}` {
		t.Errorf("aws lambda invoke = %s, want {\"sum\": 42}", got)
	}
	if log := k.functionLog(t, out["Name"]); !strings.Contains(log, "adding 2 40 for "+out["Name"]) {
		t.Errorf("the function's log lacks its print:\n%s", log)
	}
	k.deleteStack(t, "inline-python")
}

// TestInlineNodeFunction: the same with inline Node.js (nodejs22.x).
func TestInlineNodeFunction(t *testing.T) {
	needInterpreter(t, "node")
	k := newClient(t, localtest.Start(t))
	out := k.deploy(t, "inline-node", `
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
	if got := k.invoke(t, out["Name"], `{"a": 2, "b": 40}`); got != `{"sum":42}` {
		t.Errorf("aws lambda invoke = %s, want {\"sum\":42}", got)
	}
	if log := k.functionLog(t, out["Name"]); !strings.Contains(log, "INFO\tadding 2 40 for "+out["Name"]) {
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
              if props.get("Big") == "true":
                  cfnresponse.send(event, context, cfnresponse.SUCCESS, {"X": "a" * 5000})
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
	k := newClient(t, localtest.Start(t))
	out := k.deploy(t, "custom", customResourceYAML)
	want := map[string]string{"Greeting": "hello world", "Doubled": "42", "CountType": "str", "Id": "greeter-world"}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("output %s = %q, want %q (all: %v)", k, out[k], v, out)
		}
	}
	fn := out["FunctionName"]
	log := k.functionLog(t, fn)
	if !strings.Contains(log, "REQUEST Create - Custom::Greeter Greeter") {
		t.Errorf("the function's log lacks the Create request:\n%s", log)
	}
	// The function answered twice: the URL took the first answer only.
	if !strings.Contains(log, "Status code: 200") || !strings.Contains(log, "HTTP Error 403") {
		t.Errorf("the function's log should show the first response accepted and the second refused:\n%s", log)
	}

	// A new name makes a new physical ID: CloudFormation deletes the old.
	if out := k.deploy(t, "custom", customResourceYAML, "Name=moon"); out["Greeting"] != "hello moon" || out["Id"] != "greeter-moon" {
		t.Errorf("outputs after the update = %v", out)
	}
	log = k.functionLog(t, fn)
	for _, line := range []string{"REQUEST Update greeter-world Custom::Greeter", "REQUEST Delete greeter-world Custom::Greeter"} {
		if !strings.Contains(log, line) {
			t.Errorf("the function's log lacks %q:\n%s", line, log)
		}
	}

	k.deleteStack(t, "custom")
	if log := k.functionLog(t, fn); !strings.Contains(log, "REQUEST Delete greeter-moon Custom::Greeter") {
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
		req, _ := http.NewRequest(tt.method, k.c.Endpoint()+tt.path, strings.NewReader(`{"Status":"SUCCESS"}`))
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
	k := newClient(t, localtest.Start(t))
	sns := "ServiceToken: arn:aws:sns:us-east-1:000000000000:provisioner"
	for _, tt := range []struct{ stack, from, to, want string }{
		{"refused", "Count: 21", "Count: 21\n      Fail: \"true\"", "Received response status [FAILED] from custom resource. Message returned: the greeter refuses world"},
		{"silent", "Count: 21", "Count: 21\n      Silent: \"true\"\n      ServiceTimeout: 2", "CloudFormation did not receive a response from your Custom Resource."},
		{"toolong", "Count: 21", "Count: 21\n      Big: \"true\"", "Response object is too long."},
		{"sns", "ServiceToken: !GetAtt GreeterFunction.Arn", sns, "is an SNS topic: the local cloud runs custom resources backed by Lambda functions only"},
	} {
		t.Run(tt.stack, func(t *testing.T) {
			template := strings.Replace(customResourceYAML, tt.from, tt.to, 1)
			path := filepath.Join(t.TempDir(), "template.yaml")
			_ = os.WriteFile(path, []byte(template), 0o644)
			start := time.Now()
			k.stackRequest(t, false, tt.stack, path)
			if st := waitStable(t, k.c, tt.stack); st.Status != "ROLLBACK_COMPLETE" {
				t.Fatalf("stack %s = %s; want the custom resource to fail it and the stack to roll back", tt.stack, st.Status)
			}
			var reason, function string
			for _, e := range k.events(t, tt.stack) {
				if e.LogicalResourceId == "Greeter" && e.ResourceStatus == "CREATE_FAILED" {
					reason = e.ResourceStatusReason
				}
				if e.LogicalResourceId == "GreeterFunction" && e.PhysicalResourceId != "" {
					function = e.PhysicalResourceId
				}
			}
			if !strings.Contains(reason, tt.want) {
				t.Errorf("Greeter CREATE_FAILED reason = %q, want %q", reason, tt.want)
			}
			// A FAILED Create names a physical ID (cfn-response's default,
			// the log stream): the rollback sends it a Delete, as AWS does.
			t.Logf("%s failed after %s (loaded machine)", tt.stack, time.Since(start).Round(time.Millisecond))
			if tt.stack != "refused" {
				return
			}
			if log := k.functionLog(t, function); !strings.Contains(log, "REQUEST Delete 20") {
				t.Errorf("the rollback sent no Delete to the function:\n%s", log)
			}
		})
	}
}

// TestInlineNodeCustomResource: the same with Node.js and its
// cfn-response module, which ends the invocation with context.done().
func TestInlineNodeCustomResource(t *testing.T) {
	needInterpreter(t, "node")
	k := newClient(t, localtest.Start(t))
	out := k.deploy(t, "node-custom", `
Resources:`+roleYAML+`
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          var response = require('cfn-response');
          exports.handler = function (event, context) {
            console.log('REQUEST', event.RequestType, event.PhysicalResourceId || '-');
            var n = Number(event.ResourceProperties.N);
            response.send(event, context, response.SUCCESS, { Square: String(n * n) }, 'square-' + n);
          };
  Square:
    Type: AWS::CloudFormation::CustomResource
    Properties:
      ServiceToken: !GetAtt Fn.Arn
      N: 12
Outputs:
  Square:
    Value: !GetAtt Square.Square
  Id:
    Value: !Ref Square
  FunctionName:
    Value: !Ref Fn
`)
	if out["Square"] != "144" || out["Id"] != "square-12" {
		t.Errorf("outputs = %v, want Square 144 and Id square-12", out)
	}
	k.deleteStack(t, "node-custom")
	if log := k.functionLog(t, out["FunctionName"]); !strings.Contains(log, "REQUEST Delete square-12") {
		t.Errorf("deleting the stack sent no Delete:\n%s", log)
	}
}
