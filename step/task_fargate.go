package step

// FargateTaskParameters is the request of a Fargate task state: the
// RunTask fields Step Functions passes to ECS. Each resource may be a
// literal ARN or ID or a reference to a resource of the service's template
// (cfn.Ref, cfn.GetAtt), such as the names a decorators.FargateCluster
// exposes. Zero values are left out, except LaunchType (FARGATE).
//
// See https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html.
type FargateTaskParameters struct {
	// LaunchType defaults to FARGATE.
	LaunchType string
	// Cluster is the cluster's ARN or name (Ref of an AWS::ECS::Cluster).
	Cluster string
	// TaskDefinition is the task definition's ARN (Ref of an
	// AWS::ECS::TaskDefinition). Required.
	TaskDefinition string
	// PlatformVersion is the Fargate platform version; empty is LATEST.
	PlatformVersion string
	// NetworkConfiguration is required by the awsvpc network mode.
	NetworkConfiguration *FargateNetworkConfiguration
	// Overrides change the run: per-container command and environment.
	Overrides *TaskOverrides
	// PassRoles are the ARNs of the task definition's execution role and
	// task role: the machine's role may iam:PassRole exactly these.
	PassRoles []string
}

// FargateNetworkConfiguration is a task's network, Sparta's name and shape.
type FargateNetworkConfiguration struct {
	// AWSVPCConfiguration places the task's network interface: an
	// *AwsvpcConfiguration, or goformation's *ecs.Service_AwsVpcConfiguration
	// as a Sparta program ported from go-cloudformation writes it.
	AWSVPCConfiguration any
}

// NetworkConfiguration is FargateNetworkConfiguration.
type NetworkConfiguration = FargateNetworkConfiguration

// AwsvpcConfiguration places the task's network interface.
type AwsvpcConfiguration struct {
	// Subnets are subnet IDs (Ref of AWS::EC2::Subnet); at least one.
	Subnets []string
	// SecurityGroups are security group IDs.
	SecurityGroups []string
	// AssignPublicIp is ENABLED or DISABLED (the default). A task in a
	// public subnet without a NAT needs ENABLED to pull its image.
	AssignPublicIp string
}

// TaskOverrides change a task run.
type TaskOverrides struct {
	ContainerOverrides []ContainerOverride
}

// ContainerOverride changes one container of the run. Command and
// Environment values may be JSONPath expressions when their key is given
// through Parameters instead; here they are literals.
type ContainerOverride struct {
	Name        string
	Command     []string
	Environment []KeyValue
	// EnvironmentPaths sets variables from the state input: name to
	// JSONPath ("$.orderId"), written as {"Name": n, "Value.$": path}.
	EnvironmentPaths map[string]string
}

// KeyValue is an environment variable.
type KeyValue struct{ Name, Value string }

// NewFargateTaskState declares a Task state that runs a Fargate task and
// waits for it to stop (arn:aws:states:::ecs:runTask.sync): the state
// fails with States.TaskFailed when an essential container exits non-zero.
// Chain WaitForTaskToken to use a callback instead. The machine's role may
// ecs:RunTask on that task definition only, ecs:StopTask and
// ecs:DescribeTasks on tasks, iam:PassRole on exactly p.PassRoles, and
// manage the EventBridge rule StepFunctionsGetEventsForECSTaskRule that
// .sync relies on.
func NewFargateTaskState(name string, p FargateTaskParameters) *TaskState {
	launch := p.LaunchType
	if launch == "" {
		launch = "FARGATE"
	}
	t := NewECSRunTaskState(name, ECSRunTask{Cluster: p.Cluster, TaskDefinition: p.TaskDefinition, LaunchType: launch, PassRoles: p.PassRoles})
	params := t.parameters.(map[string]any)
	if p.PlatformVersion != "" {
		params["PlatformVersion"] = p.PlatformVersion
	}
	var vpc AwsvpcConfiguration
	if p.NetworkConfiguration != nil {
		vpc = awsvpcOf(p.NetworkConfiguration.AWSVPCConfiguration)
	}
	if len(vpc.Subnets) > 0 || len(vpc.SecurityGroups) > 0 || vpc.AssignPublicIp != "" {
		cfg := map[string]any{}
		if len(vpc.Subnets) > 0 {
			cfg["Subnets"] = t.bindAll("Subnet", vpc.Subnets)
		}
		if len(vpc.SecurityGroups) > 0 {
			cfg["SecurityGroups"] = t.bindAll("SecurityGroup", vpc.SecurityGroups)
		}
		if vpc.AssignPublicIp != "" {
			cfg["AssignPublicIp"] = vpc.AssignPublicIp
		}
		params["NetworkConfiguration"] = map[string]any{"AwsvpcConfiguration": cfg}
	}
	if p.Overrides != nil && len(p.Overrides.ContainerOverrides) > 0 {
		var overrides []any
		for _, o := range p.Overrides.ContainerOverrides {
			co := map[string]any{"Name": o.Name}
			if len(o.Command) > 0 {
				co["Command"] = append([]string(nil), o.Command...)
			}
			var env []any
			for _, kv := range o.Environment {
				env = append(env, map[string]any{"Name": kv.Name, "Value": kv.Value})
			}
			for _, k := range sortedKeys(o.EnvironmentPaths) {
				env = append(env, map[string]any{"Name": k, "Value.$": o.EnvironmentPaths[k]})
			}
			if len(env) > 0 {
				co["Environment"] = env
			}
			overrides = append(overrides, co)
		}
		params["Overrides"] = map[string]any{"ContainerOverrides": overrides}
	}
	return t.Sync()
}

// bindAll binds each value (see bind).
func (t *TaskState) bindAll(kind string, values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = t.bind(kind, v)
	}
	return out
}
