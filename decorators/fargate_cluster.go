package decorators

import (
	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
	"github.com/sparta-go/sparta/step"
)

// FargateCluster is a Fargate cluster of the service: create it with
// [FargateClusterDecorator] and set the options before provisioning. Its
// name methods (ClusterRef, TaskDefinitionRef, SubnetRefs...) are template
// references that states use to run the task; they build in both builds.
type FargateCluster struct {
	// Name prefixes every logical ID.
	Name string
	// ContainerName is the task's container name (default "task").
	ContainerName string
	// CPU and Memory are the task size in Fargate units (defaults 256
	// and 512: a quarter vCPU and 512 MiB).
	CPU, Memory string
	// Architecture is X86_64 (default) or ARM64; match the image.
	Architecture string
	// ImageURI is the image to run; empty uses the URI the ECR image builder
	// recorded (Values[ImageURIValue]), so put that decorator first.
	ImageURI string
	// Command overrides the image's command.
	Command []string
	// Environment is the container's environment.
	Environment map[string]string
	// LogRetentionDays is the log group's retention (default 7).
	LogRetentionDays int
	// Privileges are the task role's statements: what the task's code may
	// call on AWS.
	Privileges []service.IAMRolePrivilege
}

// FargateClusterDecorator returns the decorator that adds a Fargate cluster
// named name to the template: a VPC with two public subnets in two
// availability zones (Fn::GetAZs), an internet gateway and its attachment,
// a route table with a default route and the subnets' associations, a
// security group that allows egress only, the ECS cluster, a log group with
// retention, an execution role (image pull and log writes only), a task role
// (Privileges), and the FARGATE/awsvpc task definition running the image.
func FargateClusterDecorator(name string) *FargateCluster {
	return &FargateCluster{Name: name}
}

// String names the decorator in provisioning logs.
func (c *FargateCluster) String() string { return "Fargate cluster " + c.Name }

// Logical IDs of the cluster's resources.
func (c *FargateCluster) VPCID() string { return cfn.LogicalID(c.Name, "VPC") }
func (c *FargateCluster) SubnetIDs() [2]string {
	return [2]string{cfn.LogicalID(c.Name, "SubnetA"), cfn.LogicalID(c.Name, "SubnetB")}
}
func (c *FargateCluster) InternetGatewayID() string { return cfn.LogicalID(c.Name, "InternetGateway") }
func (c *FargateCluster) GatewayAttachmentID() string {
	return cfn.LogicalID(c.Name, "GatewayAttachment")
}
func (c *FargateCluster) RouteTableID() string     { return cfn.LogicalID(c.Name, "RouteTable") }
func (c *FargateCluster) DefaultRouteID() string   { return cfn.LogicalID(c.Name, "DefaultRoute") }
func (c *FargateCluster) SecurityGroupID() string  { return cfn.LogicalID(c.Name, "SecurityGroup") }
func (c *FargateCluster) ClusterID() string        { return cfn.LogicalID(c.Name, "Cluster") }
func (c *FargateCluster) LogGroupID() string       { return cfn.LogicalID(c.Name, "LogGroup") }
func (c *FargateCluster) ExecutionRoleID() string  { return cfn.LogicalID(c.Name, "ExecutionRole") }
func (c *FargateCluster) TaskRoleID() string       { return cfn.LogicalID(c.Name, "TaskRole") }
func (c *FargateCluster) TaskDefinitionID() string { return cfn.LogicalID(c.Name, "TaskDefinition") }

// ClusterRef is the cluster's name ({"Ref": cluster}).
func (c *FargateCluster) ClusterRef() string { return cfn.Ref(c.ClusterID()) }

// TaskDefinitionRef is the task definition's ARN.
func (c *FargateCluster) TaskDefinitionRef() string { return cfn.Ref(c.TaskDefinitionID()) }

// SubnetRefs are the two subnets' IDs.
func (c *FargateCluster) SubnetRefs() []string {
	ids := c.SubnetIDs()
	return []string{cfn.Ref(ids[0]), cfn.Ref(ids[1])}
}

// SecurityGroupRef is the security group's ID.
func (c *FargateCluster) SecurityGroupRef() string { return cfn.GetAtt(c.SecurityGroupID(), "GroupId") }

// ExecutionRoleARN and TaskRoleARN are the roles a state must pass.
func (c *FargateCluster) ExecutionRoleARN() string { return cfn.GetAtt(c.ExecutionRoleID(), "Arn") }

// TaskRoleARN is the task role's ARN.
func (c *FargateCluster) TaskRoleARN() string { return cfn.GetAtt(c.TaskRoleID(), "Arn") }

// container is the container name.
func (c *FargateCluster) container() string {
	if c.ContainerName == "" {
		return "task"
	}
	return c.ContainerName
}

// TaskParameters are the parameters of a state that runs this cluster's
// task: step.NewFargateTaskState("Run", cluster.TaskParameters()). The
// task gets a public IP, which a public subnet without a NAT needs to pull
// its image; the machine may pass exactly the two roles.
func (c *FargateCluster) TaskParameters() step.FargateTaskParameters {
	return step.FargateTaskParameters{
		Cluster:        c.ClusterRef(),
		TaskDefinition: c.TaskDefinitionRef(),
		NetworkConfiguration: &step.FargateNetworkConfiguration{AWSVPCConfiguration: &step.AwsvpcConfiguration{
			Subnets: c.SubnetRefs(), SecurityGroups: []string{c.SecurityGroupRef()}, AssignPublicIp: "ENABLED",
		}},
		PassRoles: []string{c.ExecutionRoleARN(), c.TaskRoleARN()},
	}
}

// ContainerOverride starts an override of this cluster's container, for
// TaskParameters().Overrides.
func (c *FargateCluster) ContainerOverride() step.ContainerOverride {
	return step.ContainerOverride{Name: c.container()}
}
