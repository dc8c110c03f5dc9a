package service

// API is an Amazon API Gateway REST API that fronts the service's functions
// and state machines, as Sparta's sparta.NewAPIGateway declares it. Pass it
// to sparta.Main/MainEx.
//
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-rest-api.html
type API struct {
	name  string
	stage *Stage
}

// NewAPIGateway declares a REST API named name, deployed to stage.
func NewAPIGateway(name string, stage *Stage) *API {
	return &API{name: name, stage: stage}
}

// Name is the API's name.
func (a *API) Name() string { return a.name }

// Stage is the stage the API deploys to (nil when none was given).
func (a *API) Stage() *Stage { return a.stage }

// Stage is an API Gateway stage: a named snapshot of the API that clients
// call, as Sparta's sparta.NewStage declares it.
type Stage struct {
	name string
}

// NewStage declares a stage named name ("v1", "prod").
func NewStage(name string) *Stage { return &Stage{name: name} }

// Name is the stage's name.
func (s *Stage) Name() string { return s.name }
