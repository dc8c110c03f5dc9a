package stepfunctions_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/sparta-go/sparta/local/iam"
)

const passMachine = `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"End":true}}}`

func TestStateMachineLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	role := f.role("machine-role")
	arn := f.machine("Hello", passMachine, role)
	if arn != "arn:aws:states:us-east-1:000000000000:stateMachine:Hello" {
		t.Errorf("CreateStateMachine ARN = %s", arn)
	}
	// Creating it again with the same definition is idempotent.
	if again := f.machine("Hello", passMachine, role); again != arn {
		t.Errorf("CreateStateMachine again = %s, want %s", again, arn)
	}
	_, err := f.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Hello"),
		Definition: aws.String(`{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}`), RoleArn: aws.String(role)})
	var exists *sfntypes.StateMachineAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("CreateStateMachine(other definition) = %v, want StateMachineAlreadyExists", err)
	}

	d, err := f.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeStateMachine = %v", err)
	}
	if aws.ToString(d.Definition) != passMachine || aws.ToString(d.RoleArn) != role || d.Type != sfntypes.StateMachineTypeStandard ||
		d.Status != sfntypes.StateMachineStatusActive || d.CreationDate == nil || aws.ToString(d.RevisionId) == "" {
		t.Errorf("DescribeStateMachine = %+v", d)
	}

	upd, err := f.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn),
		Definition: aws.String(`{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}`)})
	if err != nil {
		t.Fatalf("UpdateStateMachine = %v", err)
	}
	if aws.ToString(upd.RevisionId) == aws.ToString(d.RevisionId) || upd.UpdateDate == nil {
		t.Errorf("UpdateStateMachine = %+v, want a new revision and an update date", upd)
	}

	f.machine("Another", passMachine, role)
	list, err := f.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 1})
	if err != nil {
		t.Fatalf("ListStateMachines = %v", err)
	}
	if len(list.StateMachines) != 1 || aws.ToString(list.StateMachines[0].Name) != "Another" || list.NextToken == nil {
		t.Errorf("ListStateMachines(max 1) = %+v", list)
	}
	list, err = f.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{NextToken: list.NextToken})
	if err != nil || len(list.StateMachines) != 1 || aws.ToString(list.StateMachines[0].Name) != "Hello" || list.NextToken != nil {
		t.Errorf("ListStateMachines(page 2) = %+v, %v", list, err)
	}

	if _, err := f.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(arn)}); err != nil {
		t.Fatalf("DeleteStateMachine = %v", err)
	}
	_, err = f.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	var missing *sfntypes.StateMachineDoesNotExist
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), arn) {
		t.Errorf("DescribeStateMachine after delete = %v, want StateMachineDoesNotExist naming the ARN", err)
	}
}

func TestCreateStateMachineErrors(t *testing.T) {
	f := newFixture(t)
	role := f.role("good")
	lambdaOnly, err := f.iam.CreateRole(iam.RoleInput{RoleName: "lambda-only",
		AssumeRolePolicyDocument: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	otherAccount, err := f.iam.CreateRole(iam.RoleInput{RoleName: "other-account",
		AssumeRolePolicyDocument: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"states.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}}}]}`})
	if err != nil {
		t.Fatal(err)
	}
	const trustMessage = "Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role."
	tests := []struct {
		name, machine, definition, role string
		code, message                   string
	}{
		{"bad definition", "Bad", `{"StartAt":"Nope","States":{}}`, role, "InvalidDefinition", "Nope"},
		{"not JSON", "Bad", `{`, role, "InvalidDefinition", ""},
		{"bad name", "has space", passMachine, role, "InvalidName", ""},
		{"role without states trust", "M", passMachine, lambdaOnly.Arn, "AccessDeniedException", trustMessage},
		{"role trusting another account", "M", passMachine, otherAccount.Arn, "AccessDeniedException", trustMessage},
		{"missing role", "M", passMachine, "arn:aws:iam::000000000000:role/nope", "AccessDeniedException", trustMessage},
		{"not a role ARN", "M", passMachine, "arn:aws:s3:::bucket", "InvalidArn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.client.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
				Name: aws.String(tt.machine), Definition: aws.String(tt.definition), RoleArn: aws.String(tt.role)})
			if apiCode(err) != tt.code || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("CreateStateMachine = %v, want %s containing %q", err, tt.code, tt.message)
			}
		})
	}
	_, err = f.client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{
		ExecutionArn: aws.String("arn:aws:states:us-east-1:000000000000:execution:Nope:x")})
	var noExec *sfntypes.ExecutionDoesNotExist
	if !errors.As(err, &noExec) {
		t.Errorf("DescribeExecution(unknown) = %v, want ExecutionDoesNotExist", err)
	}
	_, err = f.client.StartExecution(context.Background(), &sfn.StartExecutionInput{
		StateMachineArn: aws.String("arn:aws:states:us-east-1:000000000000:stateMachine:Nope")})
	var noMachine *sfntypes.StateMachineDoesNotExist
	if !errors.As(err, &noMachine) {
		t.Errorf("StartExecution(unknown machine) = %v, want StateMachineDoesNotExist", err)
	}
}
