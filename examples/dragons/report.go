package main

import (
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/step"
)

// newReportMachine is the nightly report: an EventBridge schedule starts
// it, and it reads how many sightings the workflow stored and publishes
// the figure to the alerts topic.
func newReportMachine() *step.StateMachine {
	done := step.NewSuccessState("Reported")
	none := step.NewSuccessState("NothingToReport")
	publish := step.NewSNSPublishState("PublishReport", cfn.Ref(alertsTopic), map[string]any{
		"Subject":   "Dragon sightings report",
		"Message.$": "States.Format('{} dragon sightings stored so far', $.stats.Item.sightings.N)",
	}).WithResultPath(step.JSONNull).Next(done)
	anySightings := step.NewChoiceState("AnySightings?",
		step.When(&step.IsPresent{Variable: "$.stats.Item", Value: true}, publish),
	).WithDefault(none)
	read := step.NewDynamoDBGetItemState("ReadCount", cfn.Ref(sightingsTable.LogicalID), map[string]any{
		"Key": reportKey, "ConsistentRead": true,
	}).WithResultPath("$.stats").Next(anySightings)
	return step.NewStateMachine("DragonReport", read).
		WithComment("Publish how many dragon sightings are stored (started every night)").
		WithSchedule("nightly", reportSchedule)
}

// reportSchedule starts the report at 02:00 UTC every day (EventBridge's
// six-field cron).
const reportSchedule = "cron(0 2 * * ? *)"
