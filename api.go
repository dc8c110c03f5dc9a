package sparta

import "github.com/sparta-go/sparta/service"

// API is an API Gateway REST API passed to Main/MainEx.
type API = service.API

// Stage is the stage an API deploys to.
type Stage = service.Stage

// S3Site is a static website bucket passed to Main/MainEx.
type S3Site = service.S3Site

// NewAPIGateway declares a REST API named name, deployed to stage.
func NewAPIGateway(name string, stage *Stage) *API { return service.NewAPIGateway(name, stage) }

// NewStage declares an API Gateway stage.
func NewStage(name string) *Stage { return service.NewStage(name) }

// NewS3Site declares a static website whose files are the folder resources.
func NewS3Site(resources string) (*S3Site, error) { return service.NewS3Site(resources) }
