//go:build !lambdabinary

package step

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

// ValuesKey is the ServiceContext.Values key under which the decorator
// records the machines it added: a map[string]string from machine name to
// the logical ID of its AWS::StepFunctions::StateMachine, for later
// decorators and for the describe, execute and status commands.
const ValuesKey = "step.StateMachines"

// StateMachineLogicalID is the logical ID of the named machine's
// AWS::StepFunctions::StateMachine resource.
func StateMachineLogicalID(name string) string { return cfn.LogicalID(name, "StateMachine") }

// StateMachineRoleLogicalID is the logical ID of the machine's IAM role.
func StateMachineRoleLogicalID(name string) string { return cfn.LogicalID(name, "StateMachineRole") }

// StateMachineLogGroupLogicalID is the logical ID of the log group the
// decorator creates when logging is on without a LogGroupARN.
func StateMachineLogGroupLogicalID(name string) string {
	return cfn.LogicalID(name, "StateMachineLogs")
}

// StateMachineARNOutput is the stack output key of the named machine's ARN.
func StateMachineARNOutput(name string) string { return cfn.LogicalID(name, "StateMachineArn") }

// StateMachineNameOutput is the stack output key of the named machine's
// name, which CloudFormation generates.
func StateMachineNameOutput(name string) string { return cfn.LogicalID(name, "StateMachineName") }

type stateMachineDecorator struct{ sm *StateMachine }

var _ service.ServiceDecoratorHookHandler = (*stateMachineDecorator)(nil)

// StateMachineDecorator returns the decorator that adds the machine to the
// service's template: an AWS::StepFunctions::StateMachine (STANDARD unless
// WithType(Express); DefinitionString with DefinitionSubstitutions binding
// every placeholder; logging and X-Ray as configured), an IAM role that
// only states.amazonaws.com may assume on behalf of this account, with a
// least-privilege inline policy derived from the states, and stack outputs
// with the machine's ARN and name. It validates the machine first and adds
// nothing when it is invalid. Several machines may decorate one service.
//
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html.
func (sm *StateMachine) StateMachineDecorator() service.ServiceDecoratorHookHandler {
	return service.NamedDecorator(fmt.Sprintf("state machine %q", sm.name), &stateMachineDecorator{sm: sm})
}

// DecorateService implements service.ServiceDecoratorHookHandler.
func (d *stateMachineDecorator) DecorateService(_ context.Context, sc *service.ServiceContext) error {
	sm := d.sm
	if sm.name == "" {
		return errors.New("state machine has no name: use NewStateMachine(name, start), or WithName for one read with FromJSON")
	}
	if sc.Template == nil {
		return fmt.Errorf("state machine %q: the service context has no template", sm.name)
	}
	if err := sm.Validate(); err != nil {
		return err
	}
	machineID := StateMachineLogicalID(sm.name)
	roleID := StateMachineRoleLogicalID(sm.name)
	ids := []string{machineID, roleID}
	if sm.roleARN != "" {
		ids = ids[:1]
	}
	for _, id := range ids {
		if _, taken := sc.Template.Resources[id]; taken {
			return fmt.Errorf("state machine %q: the template already has a resource %s; give each state machine a different name", sm.name, id)
		}
	}
	definition, err := sm.definition()
	if err != nil {
		return fmt.Errorf("state machine %q: %w", sm.name, err)
	}
	subs, functions, err := sm.bindings(sc.Lambdas, definition)
	if err != nil {
		return err
	}
	statements, warnings, err := sm.rolePolicy(subs, functions)
	if err != nil {
		return fmt.Errorf("state machine %q: %w", sm.name, err)
	}
	unbound := map[string]bool{}
	for _, m := range placeholderPattern.FindAllSubmatch(definition, -1) {
		if _, bound := subs[string(m[1])]; !bound && !unbound[string(m[1])] {
			unbound[string(m[1])] = true
			warnings = append(warnings, fmt.Sprintf("placeholder ${%s} has no DefinitionSubstitutions value and stays literal; bind it with WithSubstitution", m[1]))
		}
	}
	for _, w := range warnings {
		if sc.Log != nil {
			sc.Log.WithField("stateMachine", sm.name).Warn(w)
		}
	}

	roleARN := sm.roleARN
	if roleARN == "" {
		role := &iam.Role{AssumeRolePolicyDocument: trustPolicy()}
		if len(statements) > 0 {
			doc := map[string]any{"Version": "2012-10-17", "Statement": statements}
			role.Policies = []iam.Role_Policy{{PolicyName: "StateMachine", PolicyDocument: doc}}
		}
		sc.Template.Resources[roleID] = role
		roleARN = cfn.GetAtt(roleID, "Arn")
	}

	machine := &stepfunctions.StateMachine{
		RoleArn:          roleARN,
		DefinitionString: cloudformation.String(string(definition)),
		StateMachineType: cloudformation.String(string(sm.Type())),
	}
	if len(subs) > 0 {
		machine.DefinitionSubstitutions = make(map[string]any, len(subs))
		for k, v := range subs {
			machine.DefinitionSubstitutions[k] = v
		}
	}
	if sm.logging.enabled() {
		arn := sm.logging.LogGroupARN
		if arn == "" {
			logID := StateMachineLogGroupLogicalID(sm.name)
			sc.Template.Resources[logID] = &logs.LogGroup{}
			arn = cfn.GetAtt(logID, "Arn")
		}
		machine.LoggingConfiguration = &stepfunctions.StateMachine_LoggingConfiguration{
			Level:                cloudformation.String(string(sm.logging.Level)),
			IncludeExecutionData: cloudformation.Bool(sm.logging.IncludeExecutionData),
			Destinations: []stepfunctions.StateMachine_LogDestination{{
				CloudWatchLogsLogGroup: &stepfunctions.StateMachine_CloudWatchLogsLogGroup{LogGroupArn: cloudformation.String(arn)},
			}},
		}
	}
	if sm.tracing {
		machine.TracingConfiguration = &stepfunctions.StateMachine_TracingConfiguration{Enabled: cloudformation.Bool(true)}
	}
	sc.Template.Resources[machineID] = machine
	if err := sm.addTriggers(sc.Template, machineID); err != nil {
		return err
	}

	if sc.Template.Outputs == nil {
		sc.Template.Outputs = cloudformation.Outputs{}
	}
	sc.Template.Outputs[StateMachineARNOutput(sm.name)] = cloudformation.Output{
		Value:       cfn.Ref(machineID),
		Description: cloudformation.String(fmt.Sprintf("ARN of state machine %s", sm.name)),
	}
	sc.Template.Outputs[StateMachineNameOutput(sm.name)] = cloudformation.Output{
		Value:       cfn.GetAtt(machineID, "Name"),
		Description: cloudformation.String(fmt.Sprintf("Name of state machine %s", sm.name)),
	}

	if sc.Values == nil {
		sc.Values = map[string]any{}
	}
	machines, _ := sc.Values[ValuesKey].(map[string]string)
	if machines == nil {
		machines = map[string]string{}
		sc.Values[ValuesKey] = machines
	}
	machines[sm.name] = machineID
	return nil
}

var placeholderPattern = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)

// bindings returns the DefinitionSubstitutions of the definition: the
// service's functions it names, the template references of its
// integrations and the user's WithSubstitution values; and the function
// name behind each function placeholder. A Lambda task whose function is
// not one of the service's functions is an error, since its ARN would not
// resolve.
func (sm *StateMachine) bindings(lambdas []*service.LambdaAWSInfo, definition []byte) (map[string]string, map[string]string, error) {
	subs := map[string]string{}
	functions := map[string]string{}
	service := map[string]bool{}
	for _, fn := range lambdas {
		if fn != nil {
			service[fn.Name] = true
			functions[functionARNSubstitution(fn.Name)] = fn.Name
		}
	}
	var errs []error
	sm.Walk(func(s, _ State) bool {
		t, ok := s.(*TaskState)
		if !ok {
			return true
		}
		if t.lambda != nil {
			if !service[t.lambda.Name] {
				errs = append(errs, &ValidationError{Machine: sm.name, State: t.name, StateType: TypeTask, Field: "Resource",
					Reason: fmt.Sprintf("function %q is not one of the service's functions; pass it to sparta.Main or sparta.MainEx with the others", t.lambda.Name)})
			}
			functions[functionARNSubstitution(t.lambda.Name)] = t.lambda.Name
		}
		for k, v := range t.refs {
			subs[k] = v
		}
		return true
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	for _, m := range placeholderPattern.FindAllSubmatch(definition, -1) {
		key := string(m[1])
		if name, ok := functions[key]; ok {
			subs[key] = cfn.GetAtt(cfn.FunctionLogicalID(name), "Arn")
		}
	}
	for k, v := range sm.substitutions {
		subs[k] = v
	}
	return subs, functions, nil
}
