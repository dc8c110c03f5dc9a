package step_test

import (
	"context"
	"testing"
	"time"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

type rollResponse struct {
	Roll int `json:"roll"`
}

func rollDie(context.Context) (rollResponse, error) { return rollResponse{Roll: 4}, nil }

func rollDieLambda(t testing.TB) *service.LambdaAWSInfo {
	t.Helper()
	fn, err := service.NewAWSLambda("StepRollDie", rollDie, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

// rollDieMachine is the machine of Sparta's Step Functions page.
func rollDieMachine(t testing.TB) *step.StateMachine {
	lambdaTaskState := step.NewLambdaTaskState("lambdaRollDie", rollDieLambda(t))
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
	choiceState := step.NewChoiceState("checkRoll", lambdaChoices...).
		WithDefault(successState)
	lambdaTaskState.Next(choiceState)
	delayState.Next(lambdaTaskState)
	return step.NewStateMachine("RollDie", lambdaTaskState)
}
