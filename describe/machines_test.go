package describe_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

func lambda(t testing.TB, name string) *service.LambdaAWSInfo {
	t.Helper()
	fn, err := service.NewAWSLambda(name, func(context.Context) error { return nil }, service.IAMRoleDefinition{})
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

// rollDie is examples/rolldie's machine: Lambda, Choice, Wait, in a loop.
func rollDie(t testing.TB) *step.StateMachine {
	task := step.NewLambdaTaskState("lambdaRollDie", lambda(t, "rollDie"))
	success := step.NewSuccessState("success")
	delay := step.NewWaitDelayState("tryAgainShortly", 3*time.Second)
	choice := step.NewChoiceState("checkRoll",
		&step.Not{Comparison: &step.NumericGreaterThan{Variable: "$.roll", Value: 3}, Next: delay},
	).WithDefault(success)
	task.Next(choice)
	delay.Next(task)
	return step.NewStateMachine("RollDie", task)
}

// everyState uses the eight state types, Retry and Catch, a Choice with
// combined rules and a Default, a Parallel with two branches and a Map.
func everyState(t testing.TB) *step.StateMachine {
	done := step.NewSucceedState("Done")
	failed := step.NewFailState("Failed", "OrderFailed", "the order could not be completed")
	notify := step.NewSNSPublishState("Notify", "arn:aws:sns:us-east-1:123456789012:orders",
		map[string]any{"Message.$": "$.summary"}).WithResultPath(step.JSONNull).Next(done)
	each := step.NewMapState("EachItem", step.NewBranch(
		step.NewPassState("PriceItem").WithResult(map[string]any{"priced": true}).End(),
	)).WithItemsPath("$.items").WithMaxConcurrency(4).WithResultPath("$.priced").Next(notify)
	checks := step.NewParallelState("Checks",
		step.NewBranch(step.NewLambdaTaskState("CheckStock", lambda(t, "checkStock"))),
		step.NewBranch(step.NewWaitDynamicState("Cooldown", "$.cooldown").Next(
			step.NewLambdaTaskState("CheckFraud", lambda(t, "checkFraud")))),
	).WithResultPath("$.checks").
		WithCatchers(step.Catcher{ErrorEquals: []string{"FraudSuspected", "States.Timeout"}, Next: failed}).
		Next(each)
	route := step.NewChoiceState("Route",
		step.When(&step.And{Comparison: []step.Comparison{
			&step.IsPresent{Variable: "$.items", Value: true},
			&step.Or{Comparison: []step.Comparison{
				&step.StringEquals{Variable: "$.tier", Value: "gold"},
				&step.NumericGreaterThanEquals{Variable: "$.total", Value: 100},
			}},
		}}, checks),
		step.When(&step.BooleanEquals{Variable: "$.express", Value: true}, each),
		step.When(&step.TimestampLessThan{Variable: "$.deadline", Value: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}, each),
	).WithDefault(failed)
	charge := step.NewLambdaTaskState("Charge", lambda(t, "charge")).
		WithRetriers(step.Retrier{ErrorEquals: []string{step.ErrorLambdaServiceException}, MaxAttempts: 5, IntervalSeconds: 2}).
		WithCatchers(step.Catcher{ErrorEquals: []string{step.ErrorAll}, ResultPath: "$.error", Next: failed}).
		Next(route)
	start := step.NewPassState("Start").WithResult(map[string]any{"tier": "gold"}).WithResultPath("$.input").Next(charge)
	return step.NewStateMachine("EveryState", start).WithComment("every state type")
}

// bigMachine is a chain of about n states in groups of four: a Task with
// a Catch, a Choice that loops back to the previous group's Task or goes on
// to a Wait (every tenth group a Parallel of two Tasks instead), and a Pass.
func bigMachine(t testing.TB, n int) *step.StateMachine {
	fn := lambda(t, "work")
	fail := step.NewFailState("Failed", "Big", "it failed")
	end := step.NewSucceedState("Finished")
	var first step.State
	var prevEnd func(step.State)
	var loopTarget step.State
	groups := (n - 2) / 4
	for g := 0; g < groups; g++ {
		task := step.NewLambdaTaskState(fmt.Sprintf("Task%03d", g), fn).
			WithCatchers(step.Catcher{ErrorEquals: []string{step.ErrorAll}, Next: fail})
		wait := step.NewWaitDelayState(fmt.Sprintf("Wait%03d", g), time.Second)
		pass := step.NewPassState(fmt.Sprintf("Pass%03d", g))
		var middle step.State = wait
		if g%10 == 9 {
			par := step.NewParallelState(fmt.Sprintf("Wait%03d", g),
				step.NewBranch(step.NewLambdaTaskState(fmt.Sprintf("Left%03d", g), fn)),
				step.NewBranch(step.NewLambdaTaskState(fmt.Sprintf("Right%03d", g), fn)))
			par.Next(pass)
			middle = par
		} else {
			wait.Next(pass)
		}
		back := loopTarget
		if back == nil {
			back = task
		}
		choice := step.NewChoiceState(fmt.Sprintf("Choice%03d", g),
			step.When(&step.NumericLessThan{Variable: "$.n", Value: float64(g)}, back),
		).WithDefault(middle)
		task.Next(choice)
		if prevEnd != nil {
			prevEnd(task)
		} else {
			first = task
		}
		prevEnd = func(s step.State) { pass.Next(s) }
		loopTarget = task
	}
	prevEnd(end)
	return step.NewStateMachine("Big", first)
}
