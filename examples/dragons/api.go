package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	sparta "github.com/sparta-go/sparta"
	"github.com/sparta-go/sparta/step"
)

// The dragons API is the workshop's front door: POST /dragons validates a
// sighting against the Dragon model and starts the state machine through
// a mapping template that injects the machine's ARN (clients never see
// it); GET /dragons lists known dragons, from a Lambda function.

// DragonModel is the workshop's Dragon model (JSON Schema draft 4), with
// the optional measurements this example's workflow checks (sizeFeet and
// the coordinates of the sighting).
const DragonModel = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "Dragon",
  "type": "object",
  "required": ["dragonName", "description", "family", "city", "country", "state", "neighborhood", "reportingPhoneNumber", "confirmationRequired"],
  "properties": {
    "dragonName": {"type": "string"},
    "description": {"type": "string"},
    "family": {"type": "string"},
    "city": {"type": "string"},
    "country": {"type": "string"},
    "state": {"type": "string"},
    "neighborhood": {"type": "string"},
    "reportingPhoneNumber": {"type": "string"},
    "confirmationRequired": {"type": "boolean"},
    "sizeFeet": {"type": "integer", "minimum": 1},
    "latitude": {"type": "number"},
    "longitude": {"type": "number"}
  }
}`

// SightingTemplate is the workshop's mapping template, shaped for this
// workflow's input (a Sighting): the body read with $input.path, an object
// built from its fields, escaped into StartExecution's input, and the
// machine's ARN injected where ${StateMachineArn} stands. A sighting whose
// reporter asks for no confirmation names the reporter as its witness; one
// that asks for it keeps confirmationRequired, and waits for a witness.
const SightingTemplate = `#set($data = $input.path('$'))
#if($data.confirmationRequired)#set($witness = "")#else#set($witness = $data.reportingPhoneNumber)#end
#if($data.sizeFeet)#set($size = $data.sizeFeet)#else#set($size = 0)#end
#if($data.latitude)#set($lat = $data.latitude)#else#set($lat = 0)#end
#if($data.longitude)#set($lng = $data.longitude)#else#set($lng = 0)#end
#set($sighting = {
  "dragonName": "$data.dragonName",
  "description": "$data.description ($data.family), $data.neighborhood, $data.city, $data.state, $data.country",
  "reportedBy": "$witness",
  "location": {"latitude": $lat, "longitude": $lng},
  "sizeFeet": $size,
  "confirmationRequired": $data.confirmationRequired
})
{
  "input": "$util.escapeJavaScript($sighting).replaceAll("\\'", "'")",
  "stateMachineArn": "${StateMachineArn}"
}`

// Dragon is one entry of the catalogue GET /dragons lists.
type Dragon struct {
	Name   string `json:"dragonName"`
	Family string `json:"family"`
	City   string `json:"city"`
}

var catalogue = []Dragon{
	{"Bahamut", "gold", "Munich"},
	{"Smok", "red", "Krakow"},
	{"Frank", "purple", "Dallas"},
	{"Nessie", "green", "Inverness"},
}

// listDragons answers GET /dragons with the catalogue, filtered by the
// optional family and dragonName query parameters, as the workshop's
// list function does.
func listDragons(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	family, name := req.QueryStringParameters["family"], req.QueryStringParameters["dragonName"]
	out := []Dragon{}
	for _, d := range catalogue {
		if (family == "" || strings.EqualFold(d.Family, family)) && (name == "" || strings.EqualFold(d.Name, name)) {
			out = append(out, d)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return events.APIGatewayProxyResponse{StatusCode: http.StatusOK, Body: string(b),
		Headers: map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}}, nil
}

// newAPI declares the dragons API on stage v1.
func newAPI(machine *step.StateMachine, list *sparta.LambdaAWSInfo) *sparta.API {
	stage := sparta.NewStage("v1")
	stage.AccessLogging = true
	api := sparta.NewAPIGateway("dragons", stage)
	api.Description = "Dragon sightings: POST a sighting, GET the known dragons"
	api.CORSEnabled = true
	must := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	get, err := api.NewResource("/dragons", list)
	must(err)
	getMethod, err := get.NewMethod(http.MethodGet, http.StatusOK)
	must(err)
	getMethod.Parameters["method.request.querystring.family"] = false
	getMethod.Parameters["method.request.querystring.dragonName"] = false
	post, err := api.NewStateMachineResource("/dragons", machine)
	must(err)
	postMethod, err := post.NewMethod(http.MethodPost, http.StatusOK)
	must(err)
	postMethod.Models["application/json"] = &sparta.Model{Name: "Dragon", Schema: DragonModel}
	postMethod.Integration.RequestTemplates["application/json"] = SightingTemplate
	return api
}
