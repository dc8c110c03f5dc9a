// Command dragons is the dragon-sighting workflow of the AWS Step Functions
// workshop, written with the framework: a report is validated by two Lambda
// functions in parallel (a validation error is caught and sent as an SNS
// alert); a sighting with a witness is stored in the Sightings DynamoDB
// table with dynamodb:putItem; one whose reporter asked for confirmation
// is sent to the Confirmations SQS queue with its task token
// (sqs:sendMessage.waitForTaskToken) and waits until the confirmSighting
// function answers with SendTaskSuccess; a sighting nobody confirms ends
// in an alert. A second machine, DragonReport, reads the count of stored
// sightings and publishes a report.
//
//	go run ./examples/dragons execute --offline --state-machine DragonSightings --input '{"dragonName":"Bahamut","reportedBy":"Ana","location":{"latitude":48.1,"longitude":11.6},"sizeFeet":120}'
//	go run ./examples/dragons provision --noop
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

// Sighting is a dragon sighting report, the execution's input.
type Sighting struct {
	DragonName  string   `json:"dragonName"`
	Description string   `json:"description,omitempty"`
	ReportedBy  string   `json:"reportedBy,omitempty"`
	Location    Location `json:"location"`
	SizeFeet    int      `json:"sizeFeet"`
	// ConfirmationRequired sends the sighting to the Confirmations queue
	// and waits for a witness before it is stored.
	ConfirmationRequired bool `json:"confirmationRequired,omitempty"`
}

// Location is where the dragon was seen.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Confirmation is what adding a dragon answers, and what the confirming
// function sends back with the task token; the Choices read confirmed.
type Confirmation struct {
	DragonID    string `json:"dragonId"`
	Confirmed   bool   `json:"confirmed"`
	ConfirmedBy string `json:"confirmedBy,omitempty"`
}

// ErrValidation is the error name Catch matches; NewTaskError keeps it as the
// function's errorType on AWS Lambda too.
const ErrValidation = "DragonValidationFailed"

func validateName(ctx context.Context, s Sighting) error {
	if strings.TrimSpace(s.DragonName) == "" {
		return step.NewTaskError(ErrValidation, "the report names no dragon")
	}
	return nil
}

func validateLocation(ctx context.Context, s Sighting) error {
	l := s.Location
	if l.Latitude < -90 || l.Latitude > 90 || l.Longitude < -180 || l.Longitude > 180 {
		return step.NewTaskError(ErrValidation, fmt.Sprintf("location %.4f,%.4f is not on Earth", l.Latitude, l.Longitude))
	}
	if s.SizeFeet <= 0 || s.SizeFeet > 1000 {
		return step.NewTaskError(ErrValidation, fmt.Sprintf("a dragon of %d feet is not credible", s.SizeFeet))
	}
	return nil
}

// addDragon records the sighting; a report with a named witness counts as
// confirmed.
func addDragon(ctx context.Context, s Sighting) (Confirmation, error) {
	id := strings.ToLower(strings.ReplaceAll(s.DragonName, " ", "-"))
	return Confirmation{DragonID: id, Confirmed: s.ReportedBy != ""}, nil
}

// alertsTopic is the logical ID of the SNS topic the alerts go to; the
// topic itself is added by the decorator in alerts.go.
var alertsTopic = cfn.LogicalID("DragonAlerts", "Topic")

func newLambda(name string, handler any) *sparta.LambdaAWSInfo {
	fn, err := sparta.NewAWSLambda(name, handler, sparta.IAMRoleDefinition{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fn.Options = &sparta.LambdaFunctionOptions{LogRetentionInDays: 7}
	return fn
}

// newMachine wires the workflow.
func newMachine(validateNameFn, validateLocationFn, addDragonFn *sparta.LambdaAWSInfo) *step.StateMachine {
	rejected := step.NewFailState("ReportRejected", "InvalidReport", "the dragon report did not validate")
	alertInvalid := step.NewSNSPublishState("AlertInvalidReport", cfn.Ref(alertsTopic), map[string]any{
		"Subject":   "Invalid dragon report",
		"Message.$": "$.validationError.Cause",
	}).WithResultPath(step.JSONNull).Next(rejected)

	added := step.NewSuccessState("DragonAdded")
	count := step.NewDynamoDBUpdateItemState("CountSighting", cfn.Ref(sightingsTable.LogicalID), map[string]any{
		"Key":                       reportKey,
		"UpdateExpression":          "ADD sightings :one",
		"ExpressionAttributeValues": map[string]any{":one": map[string]any{"N": "1"}},
	}).WithResultPath(step.JSONNull).Next(added)
	store := step.NewDynamoDBPutItemState("StoreSighting", cfn.Ref(sightingsTable.LogicalID), map[string]any{
		"Item":                sightingItem,
		"ConditionExpression": "attribute_not_exists(sightingId)",
	}).WithResultPath(step.JSONNull).Next(count)

	pending := step.NewSuccessState("PendingConfirmation")
	alertUnconfirmed := step.NewSNSPublishState("AlertUnconfirmed", cfn.Ref(alertsTopic), map[string]any{
		"Subject":   "Unconfirmed dragon sighting",
		"Message.$": "States.Format('Dragon {} was reported without a witness', $.dragonName)",
	}).WithResultPath(step.JSONNull).Next(pending)

	witnessed := step.NewChoiceState("Witnessed?",
		step.When(&step.BooleanEquals{Variable: "$.confirmation.confirmed", Value: true}, store),
	).WithDefault(alertUnconfirmed)
	// The workshop's callback: the message carries the task token, and
	// the execution waits until confirmSighting answers with it.
	await := step.NewSQSSendMessageState("AwaitConfirmation", cfn.Ref(confirmationsQueue.LogicalID), map[string]any{
		"MessageBody": map[string]any{
			"dragonId.$":   "$.confirmation.dragonId",
			"dragonName.$": "$.dragonName",
			"taskToken.$":  "$$.Task.Token",
		},
	}).WaitForTaskToken().WithHeartbeatSeconds(confirmationHeartbeatSeconds).
		WithResultPath("$.confirmation").
		WithCatchers(step.Catcher{ErrorEquals: []string{step.ErrorTimeout}, Next: alertUnconfirmed, ResultPath: "$.confirmationError"}).
		Next(witnessed)

	confirmed := step.NewChoiceState("Confirmed?",
		step.When(&step.And{Comparison: []step.Comparison{
			&step.IsPresent{Variable: "$.confirmationRequired", Value: true},
			&step.BooleanEquals{Variable: "$.confirmationRequired", Value: true},
		}}, await),
		step.When(&step.BooleanEquals{Variable: "$.confirmation.confirmed", Value: true}, store),
	).WithDefault(alertUnconfirmed)

	add := step.NewLambdaTaskState("AddDragon", addDragonFn).
		WithResultPath("$.confirmation").
		WithRetriers(step.Retrier{ErrorEquals: []string{"Lambda.ServiceException", "Lambda.TooManyRequestsException"}, MaxAttempts: 2}).
		Next(confirmed)

	validate := step.NewParallelState("ValidateReport",
		step.NewBranch(step.NewLambdaTaskState("ValidateName", validateNameFn)),
		step.NewBranch(step.NewLambdaTaskState("ValidateLocation", validateLocationFn)),
	).WithResultPath(step.JSONNull).
		WithCatchers(step.Catcher{ErrorEquals: []string{ErrValidation}, Next: alertInvalid, ResultPath: "$.validationError"}).
		Next(add)
	return step.NewStateMachine("DragonSightings", validate).
		WithComment("Validate a dragon sighting in parallel, confirm it with a witness when asked, store it, and alert on invalid or unconfirmed reports")
}

// confirmationHeartbeatSeconds bounds the wait for a witness: with no
// answer (or heartbeat) within an hour the sighting counts as unconfirmed.
const confirmationHeartbeatSeconds = 3600

// extraDecorators holds decorators that touch the template; they live in
// files built without the lambdabinary tag (see docs/decorators.md).
var extraDecorators []sparta.ServiceDecoratorHookHandler

func main() {
	validateNameFn := newLambda("validateName", validateName)
	validateLocationFn := newLambda("validateLocation", validateLocation)
	addDragonFn := newLambda("addDragon", addDragon)
	machine := newMachine(validateNameFn, validateLocationFn, addDragonFn)
	report := newReportMachine()
	listDragonsFn := newLambda("listDragons", listDragons)
	confirmFn := newConfirmLambda(machine)

	hooks := &sparta.WorkflowHooks{ServiceDecorators: append(extraDecorators,
		cfn.DataDecorator([]*sparta.DynamoDBTable{sightingsTable}, []*sparta.SQSQueue{confirmationsQueue}),
		machine.StateMachineDecorator(), report.StateMachineDecorator())}
	lambdas := []*sparta.LambdaAWSInfo{validateNameFn, validateLocationFn, addDragonFn, listDragonsFn, confirmFn}
	api := newAPI(machine, listDragonsFn) // api.go: POST and GET /dragons
	if err := sparta.MainEx(cfn.UserScopedStackName("Dragons"), "Dragon sighting reports", lambdas, api, nil, hooks, false); err != nil {
		os.Exit(1)
	}
}
