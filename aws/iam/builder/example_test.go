package iambuilder_test

import (
	"encoding/json"
	"fmt"

	iambuilder "github.com/sparta-go/sparta/aws/iam/builder"
	"github.com/sparta-go/sparta/cfn"
)

func Example() {
	trust := iambuilder.Allow("sts:AssumeRole").ForPrincipals("states.amazonaws.com").ToPolicyStatement()
	b, _ := json.Marshal(trust)
	fmt.Println(string(b))

	literal := iambuilder.Allow("ecs:StopTask").ForResource().Literal("*").ToPolicyStatement()
	fmt.Println(literal.Resource)

	joined := iambuilder.Allow("events:PutRule").ForResource().
		Literal("arn:").Partition().Literal(":events:").Region(":").AccountID().
		Literal(":rule/StepFunctionsGetEventsForECSTaskRule").ToPolicyStatement()
	fmt.Println(joined.Resource == cfn.Join("", "arn:", cfn.Ref("AWS::Partition"), ":events:", cfn.Ref("AWS::Region"), ":",
		cfn.Ref("AWS::AccountId"), ":rule/StepFunctionsGetEventsForECSTaskRule"))
	// Output:
	// {"Effect":"Allow","Action":["sts:AssumeRole"],"Principal":{"Service":["states.amazonaws.com"]}}
	// *
	// true
}
