package describe

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRouteRows(t *testing.T) {
	const tmpl = `{"Resources":{
		"Api":{"Type":"AWS::ApiGateway::RestApi","Properties":{"Name":"dragons"}},
		"Dragons":{"Type":"AWS::ApiGateway::Resource","Properties":{"ParentId":{"Fn::GetAtt":["Api","RootResourceId"]},"PathPart":"dragons","RestApiId":{"Ref":"Api"}}},
		"One":{"Type":"AWS::ApiGateway::Resource","Properties":{"ParentId":{"Ref":"Dragons"},"PathPart":"{name}","RestApiId":{"Ref":"Api"}}},
		"ListLambda":{"Type":"AWS::Lambda::Function","Properties":{"Handler":"listDragons"}},
		"Machine":{"Type":"AWS::StepFunctions::StateMachine","Properties":{}},
		"Get":{"Type":"AWS::ApiGateway::Method","Properties":{"HttpMethod":"GET","ResourceId":{"Ref":"One"},"RestApiId":{"Ref":"Api"},
			"AuthorizationType":"CUSTOM","Integration":{"Type":"AWS_PROXY","Uri":{"Fn::Sub":"arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ListLambda.Arn}/invocations"}}}},
		"Post":{"Type":"AWS::ApiGateway::Method","Properties":{"HttpMethod":"POST","ResourceId":{"Ref":"Dragons"},"RestApiId":{"Ref":"Api"},
			"AuthorizationType":"NONE","Integration":{"Type":"AWS","Uri":{"Fn::Sub":"arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution"},
			"RequestTemplates":{"application/json":{"Fn::Join":["",["{\"stateMachineArn\": \"",{"Ref":"Machine"},"\"}"]]}}}}},
		"Root":{"Type":"AWS::ApiGateway::Method","Properties":{"HttpMethod":"OPTIONS","ResourceId":{"Fn::GetAtt":["Api","RootResourceId"]},"RestApiId":{"Ref":"Api"},
			"Integration":{"Type":"MOCK"}}}
	}}`
	var doc cfnDoc
	if err := json.Unmarshal([]byte(tmpl), &doc); err != nil {
		t.Fatal(err)
	}
	want := []routeRow{
		{Method: "OPTIONS", Path: "/", Integration: "MOCK", Target: "answered by API Gateway", Auth: "NONE"},
		{Method: "POST", Path: "/dragons", Integration: "AWS", Target: "StartExecution of Machine", Auth: "NONE"},
		{Method: "GET", Path: "/dragons/{name}", Integration: "AWS_PROXY", Target: "function listDragons", Auth: "CUSTOM"},
	}
	if diff := cmp.Diff(want, routeRows(doc)); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
}
