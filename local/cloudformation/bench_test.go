package cloudformation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

// inertTemplate has 30 inert resources: a VPC with a gateway and routes,
// and per zone a subnet, a route table association and a security group,
// plus alarms; most depend on the VPC, so creation has a real order.
func inertTemplate() string {
	var b strings.Builder
	b.WriteString(`{"Resources": {
	  "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
	  "Igw": {"Type": "AWS::EC2::InternetGateway"},
	  "Attach": {"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {"VpcId": {"Ref": "Vpc"}, "InternetGatewayId": {"Ref": "Igw"}}},
	  "Rtb": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
	  "Route": {"Type": "AWS::EC2::Route", "DependsOn": "Attach", "Properties": {"RouteTableId": {"Ref": "Rtb"}, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": {"Ref": "Igw"}}},
	  "Dash": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": "{}"}}`)
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&b, `,
	  "Subnet%[1]d": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": {"Fn::Select": [%[1]d, {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 6, 8]}]}}},
	  "Assoc%[1]d": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {"SubnetId": {"Ref": "Subnet%[1]d"}, "RouteTableId": {"Ref": "Rtb"}}},
	  "Sg%[1]d": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": {"Fn::Sub": "group ${Subnet%[1]d}"}, "VpcId": {"Ref": "Vpc"}}},
	  "Alarm%[1]d": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "AlarmDescription": {"Ref": "Sg%[1]d"}}}`, i)
	}
	b.WriteString("}}")
	return b.String()
}

// BenchmarkCreateStack30 measures CreateStack of 30 inert resources through
// the HTTP API until CREATE_COMPLETE (with the store on disk).
func BenchmarkCreateStack30(b *testing.B) {
	e := newEnv(b)
	body := inertTemplate()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		name := fmt.Sprintf("bench%d", i)
		if _, err := e.client.CreateStack(ctx, &cfnsdk.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body)}); err != nil {
			b.Fatal(err)
		}
		s, err := e.svc.WaitStable(ctx, name)
		if err != nil || s.Status != "CREATE_COMPLETE" || len(s.Resources) != 30 {
			b.Fatalf("%s = %s with %d resources, %v", name, s.Status, len(s.Resources), err)
		}
	}
}

func TestInertTemplateHas30Resources(t *testing.T) {
	e := newEnv(t)
	e.create("thirty", inertTemplate())
	if st := e.wait("thirty"); st.StackStatus != "CREATE_COMPLETE" || len(e.resources("thirty")) != 30 {
		t.Errorf("thirty = %s with %d resources (%v)", st.StackStatus, len(e.resources("thirty")), e.events("thirty"))
	}
}
