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

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/cfn"
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
	hooks := &sparta.WorkflowHooks{}
	if err := sparta.MainEx(cfn.UserScopedStackName("RollDie"), "Rolls a die until it shows more than 3", lambdas, hooks); err != nil {
		os.Exit(1)
	}
}
