package step_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

type roll struct {
	Roll int `json:"roll"`
}

func Example() {
	fn, _ := service.NewAWSLambda("StepRollDie",
		func(context.Context) (roll, error) { return roll{Roll: 4}, nil },
		service.IAMRoleDefinition{})

	lambdaTaskState := step.NewLambdaTaskState("lambdaRollDie", fn)
	successState := step.NewSuccessState("success")
	delayState := step.NewWaitDelayState("tryAgainShortly", 3*time.Second)
	choiceState := step.NewChoiceState("checkRoll",
		&step.Not{
			Comparison: &step.NumericGreaterThan{Variable: "$.roll", Value: 3},
			Next:       delayState,
		}).WithDefault(successState)
	lambdaTaskState.Next(choiceState)
	delayState.Next(lambdaTaskState)

	sm := step.NewStateMachine("RollDie", lambdaTaskState)
	if err := sm.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	asl, _ := sm.MarshalIndent()
	fmt.Print(string(asl))
	// Output:
	// {
	//   "StartAt": "lambdaRollDie",
	//   "States": {
	//     "lambdaRollDie": {
	//       "Type": "Task",
	//       "Resource": "${StepRollDieLambdada7c33d3Arn}",
	//       "Next": "checkRoll"
	//     },
	//     "checkRoll": {
	//       "Type": "Choice",
	//       "Choices": [
	//         {
	//           "Not": {
	//             "Variable": "$.roll",
	//             "NumericGreaterThan": 3
	//           },
	//           "Next": "tryAgainShortly"
	//         }
	//       ],
	//       "Default": "success"
	//     },
	//     "tryAgainShortly": {
	//       "Type": "Wait",
	//       "Seconds": 3,
	//       "Next": "lambdaRollDie"
	//     },
	//     "success": {
	//       "Type": "Succeed"
	//     }
	//   }
	// }
}

func ExampleNewChoiceState() {
	small := step.NewPassState("Small")
	large := step.NewPassState("Large")
	choice := step.NewChoiceState("Size",
		step.When(&step.And{Comparison: []step.Comparison{
			&step.IsNumeric{Variable: "$.size", Value: true},
			&step.NumericLessThan{Variable: "$.size", Value: 10},
		}}, small),
	).WithDefault(large)
	b, _ := choice.MarshalJSON()
	fmt.Println(string(b))
	// Output:
	// {"Type":"Choice","Choices":[{"And":[{"Variable":"$.size","IsNumeric":true},{"Variable":"$.size","NumericLessThan":10}],"Next":"Small"}],"Default":"Large"}
}

func ExampleStateMachine_Validate() {
	charge := step.NewResourceTaskState("ChargeCard", "arn:aws:states:us-east-1:123456789012:activity:charge", nil).
		WithRetriers(
			step.Retrier{ErrorEquals: []string{step.ErrorAll}},
			step.Retrier{ErrorEquals: []string{"CardDeclined"}, MaxAttempts: step.NoRetry},
		).
		Next(step.NewChoiceState("Route").WithDefault(step.NewSuccessState("Done")))
	err := step.NewStateMachine("Orders", charge).Validate()
	for _, e := range step.ValidationErrors(err) {
		fmt.Println(e)
	}
	var ve *step.ValidationError
	fmt.Println(errors.As(err, &ve), ve.State)
	// Output:
	// state machine "Orders": state "ChargeCard" (Task): Retry[0].ErrorEquals: States.ALL must be alone and last
	// state machine "Orders": state "Route" (Choice): Choices: a Choice state needs at least one rule
	// true ChargeCard
}

func ExampleFromJSON() {
	sm, err := step.FromJSON([]byte(`{
		"QueryLanguage": "JSONata",
		"StartAt": "Greet",
		"States": {"Greet": {"Type": "Pass", "Output": {"hello": "{% $states.input.name %}"}, "End": true}}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sm.StartAt().Name(), sm.StartAt().Type(), sm.Validate())
	b, _ := sm.MarshalJSON()
	fmt.Println(string(b))
	// Output:
	// Greet Pass <nil>
	// {"QueryLanguage":"JSONata","StartAt":"Greet","States":{"Greet":{"Type":"Pass","Output":{"hello":"{% $states.input.name %}"},"End":true}}}
}
