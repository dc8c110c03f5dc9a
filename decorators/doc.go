// Package decorators holds ready service decorators: an ECR image builder
// ([ECRImageBuilderDecorator]) that builds the service's container image
// and pushes it, and a Fargate cluster ([FargateClusterDecorator]) that adds
// the network, the ECS cluster, the task definition running that image, its
// log group and its two roles to the template.
//
// The types and their name methods build everywhere, so main.go can wire
// states to the cluster's resources (FargateCluster.TaskParameters) in both
// builds; the decorating code is in files built without the lambdabinary
// tag, and the Lambda build gets decorators that do nothing.
package decorators
