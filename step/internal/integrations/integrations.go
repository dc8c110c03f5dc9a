// Package integrations owns the list of Step Functions' optimized service
// integrations ("arn:aws:states:::<service>:<action>"), which both the
// typed model's validation and the engine's compiler check a Task's
// Resource against, as CreateStateMachine does.
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html.
package integrations

import (
	"fmt"
	"strings"
)

// statesPrefix starts every optimized integration's resource.
const statesPrefix = "arn:aws:states:::"

// optimized lists, per service, the actions of its optimized integration.
// Every other action of these services exists only as an AWS SDK
// integration ("arn:aws:states:::aws-sdk:<service>:<action>").
var optimized = map[string][]string{
	"apigateway":       {"invoke"},
	"athena":           {"startQueryExecution", "stopQueryExecution", "getQueryExecution", "getQueryResults"},
	"batch":            {"submitJob"},
	"bedrock":          {"invokeModel", "createModelCustomizationJob"},
	"codebuild":        {"startBuild", "stopBuild", "batchDeleteBuilds", "batchGetReports", "startBuildBatch", "stopBuildBatch", "retryBuildBatch", "deleteBuildBatch"},
	"databrew":         {"startJobRun"},
	"dynamodb":         {"getItem", "putItem", "updateItem", "deleteItem"},
	"ecs":              {"runTask"},
	"eks":              {"createCluster", "deleteCluster", "createFargateProfile", "deleteFargateProfile", "createNodegroup", "deleteNodegroup", "runJob", "call"},
	"elasticmapreduce": {"createCluster", "terminateCluster", "addStep", "cancelStep", "setClusterTerminationProtection", "modifyInstanceFleetByName", "modifyInstanceGroupByName"},
	"emr-containers":   {"startJobRun", "createVirtualCluster", "deleteVirtualCluster"},
	"emr-serverless":   {"createApplication", "startApplication", "stopApplication", "deleteApplication", "startJobRun", "cancelJobRun"},
	"events":           {"putEvents"},
	"glue":             {"startJobRun"},
	"http":             {"invoke"},
	"lambda":           {"invoke"},
	"mediaconvert":     {"createJob"},
	"sagemaker":        {"createTrainingJob", "createTransformJob", "createProcessingJob", "createHyperParameterTuningJob", "createLabelingJob", "createModel", "createEndpointConfig", "createEndpoint", "updateEndpoint"},
	"sns":              {"publish"},
	"sqs":              {"sendMessage"},
	"states":           {"startExecution"},
}

// patterns are the integration pattern suffixes a resource may carry.
var patterns = []string{".waitForTaskToken", ".sync:2", ".sync"}

// Check returns an error when resource names an optimized integration
// that does not exist, such as arn:aws:states:::dynamodb:query, which
// exists only as arn:aws:states:::aws-sdk:dynamodb:query. Other resources
// (Lambda and activity ARNs, aws-sdk integrations, placeholders, services
// it does not list) pass.
func Check(resource string) error {
	rest, ok := strings.CutPrefix(resource, statesPrefix)
	if !ok || strings.HasPrefix(rest, "aws-sdk:") {
		return nil
	}
	for _, p := range patterns {
		if r, cut := strings.CutSuffix(rest, p); cut {
			rest = r
			break
		}
	}
	service, action, _ := strings.Cut(rest, ":")
	actions, known := optimized[service]
	if !known {
		return nil
	}
	for _, a := range actions {
		if a == action {
			return nil
		}
	}
	return fmt.Errorf("the resource %q is not a supported optimized integration of %s (%s); use the AWS SDK integration arn:aws:states:::aws-sdk:%s:%s",
		resource, service, strings.Join(actions, ", "), service, action)
}
