// Command rolldie is the roll-die service from Sparta's Step Functions
// guide: a Lambda function rolls a die and a state machine keeps rolling,
// waiting between rolls, until the roll is greater than 3.
//
//	go run ./examples/rolldie provision --noop
package main

import (
	"context"
	"math/rand/v2"
	"os"
	"time"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

// Roll is the function's result; the state machine's Choice reads $.roll.
type Roll struct {
	Roll int `json:"roll"`
}

// rollDie returns a number from 1 to 5, as in Sparta's documentation.
func rollDie(ctx context.Context) (Roll, error) {
	return Roll{Roll: rand.IntN(5) + 1}, nil
}

func main() {
	lambdaFn, err := sparta.NewAWSLambda("rollDie", rollDie, sparta.IAMRoleDefinition{})
	if err != nil {
		os.Exit(1)
	}
	lambdaFn.Options = &sparta.LambdaFunctionOptions{
		Description:        "Rolls a die",
		MemorySize:         128,
		LogRetentionInDays: 7,
	}
	lambdas := []*sparta.LambdaAWSInfo{lambdaFn}

	// Make all the Step states, as in Sparta's Step Functions guide.
	lambdaTaskState := step.NewLambdaTaskState("lambdaRollDie", lambdaFn)
	successState := step.NewSuccessState("success")
	delayState := step.NewWaitDelayState("tryAgainShortly", 3*time.Second)
	lambdaChoices := []step.ChoiceBranch{
		&step.Not{
			Comparison: &step.NumericGreaterThan{
				Variable: "$.roll",
				Value:    3,
			},
			Next: delayState,
		},
	}
	choiceState := step.NewChoiceState("checkRoll",
		lambdaChoices...).
		WithDefault(successState)

	// Hook up the transitions.
	lambdaTaskState.Next(choiceState)
	delayState.Next(lambdaTaskState)

	// Startup the machine.
	startMachine := step.NewStateMachine("RollDie", lambdaTaskState)
	hooks := &sparta.WorkflowHooks{
		ServiceDecorators: []sparta.ServiceDecoratorHookHandler{
			startMachine.StateMachineDecorator(),
		},
	}
	if err := sparta.MainEx(cfn.UserScopedStackName("RollDie"), "Rolls a die until it shows more than 3", lambdas, nil, nil, hooks, false); err != nil {
		os.Exit(1)
	}
}
