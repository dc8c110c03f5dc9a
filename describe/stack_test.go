package describe

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStackGraphEdges(t *testing.T) {
	const tmpl = `{"Resources":{
		"Fn":{"Type":"AWS::Lambda::Function","DependsOn":"Logs","Properties":{
			"Role":{"Fn::GetAtt":["Role","Arn"]},
			"Environment":{"Variables":{"TOPIC":{"Ref":"Topic"},"REGION":{"Ref":"AWS::Region"}}}}},
		"Logs":{"Type":"AWS::Logs::LogGroup","Properties":{"LogGroupName":"/aws/lambda/fn"}},
		"Role":{"Type":"AWS::IAM::Role","Properties":{"Policies":[{"PolicyDocument":{"Statement":[
			{"Effect":"Allow","Action":"sns:Publish","Resource":{"Fn::Sub":"${Topic}"}},
			{"Effect":"Allow","Action":["logs:PutLogEvents"],"Resource":{"Fn::Sub":["${Group}:*",{"Group":{"Fn::GetAtt":"Logs.Arn"}}]}}]}}]}},
		"Topic":{"Type":"AWS::SNS::Topic","DependsOn":["Queue"]},
		"Queue":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":{"Fn::Sub":"${AWS::StackName}-${!Literal}"}}}
	}}`
	var doc cfnDoc
	if err := json.Unmarshal([]byte(tmpl), &doc); err != nil {
		t.Fatal(err)
	}
	g := stackGraph(doc)
	var got []string
	for _, e := range g.edges {
		got = append(got, e.from.title+" -"+e.kind.class()+"-> "+e.to.title+" ("+e.tooltip+")")
	}
	want := []string{
		"Fn -ref-> Topic (Ref Topic)", // properties in key order: Environment, Role
		"Fn -getatt-> Role (Fn::GetAtt Role.Arn)",
		"Fn -depends-> Logs (DependsOn Logs)",
		"Role -sub-> Topic (Fn::Sub ${Topic})",
		"Role -getatt-> Logs (Fn::GetAtt Logs.Arn)",
		"Topic -depends-> Queue (DependsOn Queue)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stack edges (-want +got):\n%s", diff)
	}
	if len(g.bands) != 5 {
		t.Errorf("bands = %q, want one per service (Lambda, Logs, IAM, SNS, SQS)", g.bands)
	}
}

func TestIntrinsicText(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`{"Ref":"Topic"}`, "Ref Topic"},
		{`{"Fn::GetAtt":["Fn","Arn"]}`, "Fn.Arn"},
		{`{"Fn::GetAtt":"Fn.Arn"}`, "Fn.Arn"},
		{`{"Fn::Sub":"arn:${AWS::Partition}:x"}`, "arn:${AWS::Partition}:x"},
		{`{"Fn::Join":["-",["a",{"Ref":"B"}]]}`, "a-Ref B"},
		{`["a","b"]`, "a, b"},
		{`{"Fn::If":["c","a","b"]}`, `{"Fn::If":["c","a","b"]}`},
	}
	for _, tt := range tests {
		var v any
		if err := json.Unmarshal([]byte(tt.in), &v); err != nil {
			t.Fatal(err)
		}
		if got := intrinsicText(v); got != tt.want {
			t.Errorf("intrinsicText(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
