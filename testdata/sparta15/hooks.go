//go:build !lambdabinary

package main

import (
	"archive/zip"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/sirupsen/logrus"

	sparta "github.com/sparta-go/sparta"
	spartaIAM "github.com/sparta-go/sparta/aws/iam"
	iamBuilder "github.com/sparta-go/sparta/aws/iam/builder"
	spartaDocker "github.com/sparta-go/sparta/docker"
)

// imageEnv, when set, names the image tag the Docker decorator builds:
// the test that has a Docker engine sets it.
const imageEnv = "SPARTA15_IMAGE_TAG"

// dockerDecorator builds the service's image as the Fargate page does,
// from ./Dockerfile with the binary in SPARTA_DOCKER_BINARY, and pushes it
// to ECR unless noop, recording the URL in the context.
func dockerDecorator() sparta.ServiceDecoratorHookHandler {
	return sparta.ServiceDecoratorHookFunc(func(context map[string]interface{},
		serviceName string,
		template *cloudformation.Template,
		S3Bucket string,
		S3Key string,
		buildID string,
		awsConfig aws.Config,
		noop bool,
		logger *logrus.Logger) error {
		tag := os.Getenv(imageEnv)
		if tag == "" {
			return nil
		}
		if err := spartaDocker.BuildDockerImage(serviceName, "", map[string]string{"sparta15": tag}, logger); err != nil {
			return err
		}
		if noop {
			return nil
		}
		url, err := spartaDocker.PushDockerImageToECR("sparta15:"+tag, "sparta15", awsConfig, logger)
		context["imageURL"] = url
		return err
	})
}

const contextKeyDisplayName = "displayName"

// fargateRoleID is the role the Fargate machine runs as (WithRoleArn).
var fargateRoleID = sparta.CloudFormationResourceName("Sparta15FargateRole", "fargate")

// logHook is a Sparta workflow hook that reports when it runs.
func logHook(name string) sparta.WorkflowHook {
	return func(context map[string]interface{}, serviceName, S3Bucket, buildID string, awsConfig aws.Config, noop bool, logger *logrus.Logger) error {
		logger.WithField("displayName", context[contextKeyDisplayName]).Info("hook " + name + " ran")
		return nil
	}
}

// archiveHook adds a file to the code zip.
func archiveHook(context map[string]interface{}, serviceName string, zipWriter *zip.Writer, awsConfig aws.Config, noop bool, logger *logrus.Logger) error {
	w, err := zipWriter.Create("sparta15.txt")
	if err != nil {
		return err
	}
	_, err = w.Write([]byte("added by the Archive hook\n"))
	return err
}

// topicDecorator is a decorator in Sparta's positional shape: it adds the
// topic, named from the hook context, and the Fargate machine's role.
func topicDecorator() sparta.ServiceDecoratorHookHandler {
	return sparta.ServiceDecoratorHookFunc(func(context map[string]interface{},
		serviceName string,
		template *cloudformation.Template,
		S3Bucket string,
		S3Key string,
		buildID string,
		awsConfig aws.Config,
		noop bool,
		logger *logrus.Logger) error {
		name, _ := context[contextKeyDisplayName].(string)
		template.Resources[topicID] = &sns.Topic{DisplayName: cloudformation.String(name)}
		template.Resources[fargateRoleID] = &iam.Role{
			AssumeRolePolicyDocument: map[string]interface{}{
				"Version": "2012-10-17",
				"Statement": []spartaIAM.PolicyStatement{
					iamBuilder.Allow("sts:AssumeRole").ForPrincipals("states.amazonaws.com").ToPolicyStatement(),
				},
			},
			Policies: []iam.Role_Policy{{
				PolicyName: "Sparta15Fargate",
				PolicyDocument: map[string]interface{}{
					"Version": "2012-10-17",
					"Statement": []spartaIAM.PolicyStatement{
						iamBuilder.Allow("ecs:RunTask").ForResource().
							Literal("arn:").Partition().Literal(":ecs:").Region(":").AccountID().
							Literal(":task-definition/sparta15:1").ToPolicyStatement(),
					},
				},
			}},
		}
		return nil
	})
}
