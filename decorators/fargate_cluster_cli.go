//go:build !lambdabinary

package decorators

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/ecs"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/service"
)

var _ service.ServiceDecoratorHookHandler = (*FargateCluster)(nil)

// DecorateService implements service.ServiceDecoratorHookHandler.
func (c *FargateCluster) DecorateService(_ context.Context, sc *service.ServiceContext) error {
	if c.Name == "" {
		return errors.New("Fargate cluster: no name: pass one to FargateClusterDecorator")
	}
	if sc.Template == nil {
		return fmt.Errorf("Fargate cluster %s: the service context has no template", c.Name)
	}
	image := c.ImageURI
	if image == "" {
		image, _ = sc.Values[ImageURIValue].(string)
	}
	if image == "" {
		return fmt.Errorf("Fargate cluster %s: no image: set ImageURI, or put ECRImageBuilderDecorator before this decorator", c.Name)
	}
	resources := c.resources(image, sc.Values)
	for id := range resources {
		if _, taken := sc.Template.Resources[id]; taken {
			return fmt.Errorf("Fargate cluster %s: the template already has a resource %s; give each cluster a different name", c.Name, id)
		}
	}
	for id, r := range resources {
		sc.Template.Resources[id] = r
	}
	if sc.Template.Outputs == nil {
		sc.Template.Outputs = cloudformation.Outputs{}
	}
	sc.Template.Outputs[cfn.LogicalID(c.Name, "ClusterName")] = cloudformation.Output{
		Value: c.ClusterRef(), Description: cloudformation.String("ECS cluster of " + c.Name),
	}
	sc.Template.Outputs[cfn.LogicalID(c.Name, "TaskDefinitionArn")] = cloudformation.Output{
		Value: c.TaskDefinitionRef(), Description: cloudformation.String("Task definition of " + c.Name),
	}
	return nil
}

// resources are the cluster's template resources by logical ID.
func (c *FargateCluster) resources(image string, values map[string]any) map[string]cloudformation.Resource {
	vpc := c.VPCID()
	subnets := c.SubnetIDs()
	out := map[string]cloudformation.Resource{
		vpc: &ec2.VPC{
			CidrBlock:          cloudformation.String("10.0.0.0/16"),
			EnableDnsHostnames: cloudformation.Bool(true),
			EnableDnsSupport:   cloudformation.Bool(true),
		},
		c.InternetGatewayID(): &ec2.InternetGateway{},
		c.GatewayAttachmentID(): &ec2.VPCGatewayAttachment{
			VpcId:             cfn.Ref(vpc),
			InternetGatewayId: cloudformation.String(cfn.Ref(c.InternetGatewayID())),
		},
		c.RouteTableID(): &ec2.RouteTable{VpcId: cfn.Ref(vpc)},
		c.DefaultRouteID(): &ec2.Route{
			RouteTableId:               cfn.Ref(c.RouteTableID()),
			DestinationCidrBlock:       cloudformation.String("0.0.0.0/0"),
			GatewayId:                  cloudformation.String(cfn.Ref(c.InternetGatewayID())),
			AWSCloudFormationDependsOn: []string{c.GatewayAttachmentID()},
		},
		c.SecurityGroupID(): &ec2.SecurityGroup{
			GroupDescription: c.Name + " Fargate tasks: egress only",
			VpcId:            cloudformation.String(cfn.Ref(vpc)),
			SecurityGroupEgress: []ec2.SecurityGroup_Egress{{
				IpProtocol: "-1", CidrIp: cloudformation.String("0.0.0.0/0"), Description: cloudformation.String("all outbound traffic"),
			}},
		},
		c.ClusterID():  &ecs.Cluster{},
		c.LogGroupID(): &logs.LogGroup{RetentionInDays: cloudformation.Int(c.retention())},
		c.ExecutionRoleID(): &iam.Role{
			AssumeRolePolicyDocument: cfn.AssumeRolePolicy("ecs-tasks.amazonaws.com"),
			Policies:                 []iam.Role_Policy{{PolicyName: "PullImageWriteLogs", PolicyDocument: c.executionPolicy(values)}},
		},
		c.TaskRoleID():       c.taskRole(),
		c.TaskDefinitionID(): c.taskDefinition(image),
	}
	for i, id := range subnets {
		out[id] = &ec2.Subnet{
			VpcId:               cfn.Ref(vpc),
			CidrBlock:           cloudformation.String(fmt.Sprintf("10.0.%d.0/24", i)),
			AvailabilityZone:    cloudformation.String(cfn.Select(i, cfn.GetAZs(""))),
			MapPublicIpOnLaunch: cloudformation.Bool(true),
		}
		out[c.associationID(i)] = &ec2.SubnetRouteTableAssociation{SubnetId: cfn.Ref(id), RouteTableId: cfn.Ref(c.RouteTableID())}
	}
	return out
}

// associationID is the logical ID of subnet i's route table association.
func (c *FargateCluster) associationID(i int) string {
	return cfn.LogicalID(c.Name, "SubnetRoute", string(rune('A'+i)))
}

func (c *FargateCluster) retention() int {
	if c.LogRetentionDays == 0 {
		return 7
	}
	return c.LogRetentionDays
}

// executionPolicy lets ECS pull the image and write the task's logs, and
// nothing else. ecr:GetAuthorizationToken takes no resource; the pulls are
// scoped to the builder's repository when it is known.
//
// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html.
func (c *FargateCluster) executionPolicy(values map[string]any) map[string]any {
	repo := cfn.ARN("ecr", "repository/*")
	if name, _ := values[RepositoryValue].(string); name != "" {
		repo = cfn.ARN("ecr", "repository/"+name)
	}
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{"Effect": "Allow", "Action": []string{"ecr:GetAuthorizationToken"}, "Resource": "*"},
			map[string]any{"Effect": "Allow", "Action": []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, "Resource": repo},
			map[string]any{"Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": cfn.GetAtt(c.LogGroupID(), "Arn")},
		},
	}
}

// taskRole is the role the task's code runs as: exactly the privileges.
func (c *FargateCluster) taskRole() *iam.Role {
	role := &iam.Role{AssumeRolePolicyDocument: cfn.AssumeRolePolicy("ecs-tasks.amazonaws.com")}
	if len(c.Privileges) == 0 {
		return role
	}
	var statements []any
	for _, p := range c.Privileges {
		statements = append(statements, map[string]any{"Effect": "Allow", "Action": p.Actions, "Resource": p.Resource})
	}
	role.Policies = []iam.Role_Policy{{PolicyName: "TaskPrivileges", PolicyDocument: map[string]any{"Version": "2012-10-17", "Statement": statements}}}
	return role
}

func (c *FargateCluster) taskDefinition(image string) *ecs.TaskDefinition {
	cpu, mem, arch := c.CPU, c.Memory, c.Architecture
	if cpu == "" {
		cpu = "256"
	}
	if mem == "" {
		mem = "512"
	}
	if arch == "" {
		arch = "X86_64"
	}
	var env []ecs.TaskDefinition_KeyValuePair
	keys := make([]string, 0, len(c.Environment))
	for k := range c.Environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, ecs.TaskDefinition_KeyValuePair{Name: cloudformation.String(k), Value: cloudformation.String(c.Environment[k])})
	}
	return &ecs.TaskDefinition{
		Cpu:                     cloudformation.String(cpu),
		Memory:                  cloudformation.String(mem),
		NetworkMode:             cloudformation.String("awsvpc"),
		RequiresCompatibilities: []string{"FARGATE"},
		ExecutionRoleArn:        cloudformation.String(c.ExecutionRoleARN()),
		TaskRoleArn:             cloudformation.String(c.TaskRoleARN()),
		RuntimePlatform:         &ecs.TaskDefinition_RuntimePlatform{CpuArchitecture: cloudformation.String(arch), OperatingSystemFamily: cloudformation.String("LINUX")},
		ContainerDefinitions: []ecs.TaskDefinition_ContainerDefinition{{
			Name:        c.container(),
			Image:       image,
			Essential:   cloudformation.Bool(true),
			Command:     c.Command,
			Environment: env,
			LogConfiguration: &ecs.TaskDefinition_LogConfiguration{LogDriver: "awslogs", Options: map[string]string{
				"awslogs-group":         cfn.Ref(c.LogGroupID()),
				"awslogs-region":        cfn.Ref("AWS::Region"),
				"awslogs-stream-prefix": c.Name,
			}},
		}},
	}
}
