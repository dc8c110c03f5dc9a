package ecs

import (
	"encoding/json"
	"strconv"
	"strings"
)

// KeyValuePair is an environment variable.
type KeyValuePair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// LogConfiguration is a container's log driver and its options.
type LogConfiguration struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options,omitempty"`
}

// ContainerDefinition is one container of a task definition.
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html.
type ContainerDefinition struct {
	Name             string            `json:"name"`
	Image            string            `json:"image"`
	EntryPoint       []string          `json:"entryPoint,omitempty"`
	Command          []string          `json:"command,omitempty"`
	Environment      []KeyValuePair    `json:"environment,omitempty"`
	Essential        *flexBool         `json:"essential,omitempty"`
	Cpu              flexInt           `json:"cpu,omitempty"`
	Memory           flexInt           `json:"memory,omitempty"`
	WorkingDirectory string            `json:"workingDirectory,omitempty"`
	User             string            `json:"user,omitempty"`
	LogConfiguration *LogConfiguration `json:"logConfiguration,omitempty"`
}

// essential reports whether the container is essential (the default).
func (c ContainerDefinition) essential() bool { return c.Essential == nil || bool(*c.Essential) }

// RuntimePlatform is the task's OS and CPU architecture.
type RuntimePlatform struct {
	CpuArchitecture       string `json:"cpuArchitecture,omitempty"`
	OperatingSystemFamily string `json:"operatingSystemFamily,omitempty"`
}

// TaskDefinition is one revision of a task definition family.
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html.
type TaskDefinition struct {
	TaskDefinitionArn       string                `json:"taskDefinitionArn"`
	Family                  string                `json:"family"`
	Revision                int                   `json:"revision"`
	Status                  string                `json:"status"`
	ContainerDefinitions    []ContainerDefinition `json:"containerDefinitions"`
	Cpu                     flexString            `json:"cpu,omitempty"`
	Memory                  flexString            `json:"memory,omitempty"`
	NetworkMode             string                `json:"networkMode,omitempty"`
	RequiresCompatibilities []string              `json:"requiresCompatibilities,omitempty"`
	ExecutionRoleArn        string                `json:"executionRoleArn,omitempty"`
	TaskRoleArn             string                `json:"taskRoleArn,omitempty"`
	RuntimePlatform         *RuntimePlatform      `json:"runtimePlatform,omitempty"`
	RegisteredAt            float64               `json:"registeredAt,omitempty"`
}

// Cluster is an ECS cluster.
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Cluster.html.
type Cluster struct {
	ClusterArn                        string `json:"clusterArn"`
	ClusterName                       string `json:"clusterName"`
	Status                            string `json:"status"`
	RunningTasksCount                 int    `json:"runningTasksCount"`
	PendingTasksCount                 int    `json:"pendingTasksCount"`
	ActiveServicesCount               int    `json:"activeServicesCount"`
	RegisteredContainerInstancesCount int    `json:"registeredContainerInstancesCount"`
}

// ContainerOverride changes one container of a task run.
type ContainerOverride struct {
	Name        string         `json:"name"`
	Command     []string       `json:"command,omitempty"`
	Environment []KeyValuePair `json:"environment,omitempty"`
}

// TaskOverride are the overrides of a task run.
type TaskOverride struct {
	ContainerOverrides []ContainerOverride `json:"containerOverrides,omitempty"`
	TaskRoleArn        string              `json:"taskRoleArn,omitempty"`
	ExecutionRoleArn   string              `json:"executionRoleArn,omitempty"`
}

// Container is a running or stopped container of a task.
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Container.html.
type Container struct {
	ContainerArn string `json:"containerArn"`
	TaskArn      string `json:"taskArn"`
	Name         string `json:"name"`
	Image        string `json:"image"`
	LastStatus   string `json:"lastStatus"`
	ExitCode     *int   `json:"exitCode,omitempty"`
	Reason       string `json:"reason,omitempty"`
	RuntimeID    string `json:"runtimeId,omitempty"`
}

// Task is a task run.
// See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html.
type Task struct {
	TaskArn           string       `json:"taskArn"`
	ClusterArn        string       `json:"clusterArn"`
	TaskDefinitionArn string       `json:"taskDefinitionArn"`
	LastStatus        string       `json:"lastStatus"`
	DesiredStatus     string       `json:"desiredStatus"`
	LaunchType        string       `json:"launchType,omitempty"`
	StartedBy         string       `json:"startedBy,omitempty"`
	Group             string       `json:"group,omitempty"`
	Cpu               string       `json:"cpu,omitempty"`
	Memory            string       `json:"memory,omitempty"`
	Containers        []Container  `json:"containers"`
	Overrides         TaskOverride `json:"overrides"`
	StopCode          string       `json:"stopCode,omitempty"`
	StoppedReason     string       `json:"stoppedReason,omitempty"`
	CreatedAt         float64      `json:"createdAt,omitempty"`
	StartedAt         float64      `json:"startedAt,omitempty"`
	StoppingAt        float64      `json:"stoppingAt,omitempty"`
	StoppedAt         float64      `json:"stoppedAt,omitempty"`
	Version           int          `json:"version"`
}

// Task and container statuses.
const (
	StatusProvisioning = "PROVISIONING"
	StatusRunning      = "RUNNING"
	StatusStopped      = "STOPPED"
)

// Stop codes.
// See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html.
const (
	StopEssentialContainerExited = "EssentialContainerExited"
	StopUserInitiated            = "UserInitiated"
	StopTaskFailedToStart        = "TaskFailedToStart"
)

// flexString reads a JSON string or number (CloudFormation templates write
// Cpu: 256 or "256") and writes a string.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// flexInt reads a JSON number or numeric string.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return err
	}
	*f = flexInt(n)
	return nil
}

// flexBool reads a JSON boolean or "true"/"false".
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	*f = flexBool(v)
	return nil
}
