package cloudformation

import (
	"time"
)

// Response shapes of the CloudFormation API (awsQuery). Element names are
// those aws-sdk-go-v2's service/cloudformation deserializers read.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Operations.html

// isoTime is the timestamp format of awsQuery responses.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

type xmlParameter struct {
	ParameterKey   string
	ParameterValue string
}

type xmlOutput struct {
	OutputKey   string
	OutputValue string
	Description string `xml:",omitempty"`
	ExportName  string `xml:",omitempty"`
}

type xmlTag struct{ Key, Value string }

type xmlDrift struct {
	StackDriftStatus string `xml:",omitempty"`
}

type xmlResourceDrift struct {
	StackResourceDriftStatus string
}

type xmlStack struct {
	StackID                     string `xml:"StackId"`
	StackName                   string
	ChangeSetID                 string         `xml:"ChangeSetId,omitempty"`
	Description                 string         `xml:",omitempty"`
	Parameters                  []xmlParameter `xml:"Parameters>member,omitempty"`
	CreationTime                string
	DeletionTime                string `xml:",omitempty"`
	LastUpdatedTime             string `xml:",omitempty"`
	StackStatus                 string
	StackStatusReason           string      `xml:",omitempty"`
	DisableRollback             bool        `xml:"DisableRollback"`
	NotificationARNs            []string    `xml:"NotificationARNs>member,omitempty"`
	TimeoutInMinutes            int         `xml:",omitempty"`
	Capabilities                []string    `xml:"Capabilities>member,omitempty"`
	Outputs                     []xmlOutput `xml:"Outputs>member,omitempty"`
	Tags                        []xmlTag    `xml:"Tags>member,omitempty"`
	EnableTerminationProtection bool
	DriftInformation            xmlDrift
}

type describeStacksResult struct {
	Stacks []xmlStack `xml:"Stacks>member"`
}

type stackIDResult struct {
	StackID string `xml:"StackId"`
}

type xmlEvent struct {
	StackID              string `xml:"StackId"`
	EventID              string `xml:"EventId"`
	StackName            string
	LogicalResourceID    string `xml:"LogicalResourceId"`
	PhysicalResourceID   string `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string
	Timestamp            string
	ResourceStatus       string
	ResourceStatusReason string `xml:",omitempty"`
	ResourceProperties   string `xml:",omitempty"`
	ClientRequestToken   string `xml:",omitempty"`
}

type describeStackEventsResult struct {
	StackEvents []xmlEvent `xml:"StackEvents>member"`
}

type xmlStackResource struct {
	StackName            string
	StackID              string `xml:"StackId"`
	LogicalResourceID    string `xml:"LogicalResourceId"`
	PhysicalResourceID   string `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string
	Timestamp            string
	ResourceStatus       string
	ResourceStatusReason string `xml:",omitempty"`
	DriftInformation     xmlResourceDrift
}

type describeStackResourcesResult struct {
	StackResources []xmlStackResource `xml:"StackResources>member"`
}

type xmlStackResourceDetail struct {
	StackName            string
	StackID              string `xml:"StackId"`
	LogicalResourceID    string `xml:"LogicalResourceId"`
	PhysicalResourceID   string `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string
	LastUpdatedTimestamp string
	ResourceStatus       string
	ResourceStatusReason string `xml:",omitempty"`
	Metadata             string `xml:",omitempty"`
	DriftInformation     xmlResourceDrift
}

type describeStackResourceResult struct {
	StackResourceDetail xmlStackResourceDetail
}

type xmlResourceSummary struct {
	LogicalResourceID    string `xml:"LogicalResourceId"`
	PhysicalResourceID   string `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string
	LastUpdatedTimestamp string
	ResourceStatus       string
	ResourceStatusReason string `xml:",omitempty"`
	DriftInformation     xmlResourceDrift
}

type listStackResourcesResult struct {
	StackResourceSummaries []xmlResourceSummary `xml:"StackResourceSummaries>member"`
}

type xmlStackSummary struct {
	StackID             string `xml:"StackId"`
	StackName           string
	TemplateDescription string `xml:",omitempty"`
	CreationTime        string
	LastUpdatedTime     string `xml:",omitempty"`
	DeletionTime        string `xml:",omitempty"`
	StackStatus         string
	StackStatusReason   string `xml:",omitempty"`
	DriftInformation    xmlDrift
}

type listStacksResult struct {
	StackSummaries []xmlStackSummary `xml:"StackSummaries>member"`
}

type getTemplateResult struct {
	TemplateBody    string
	StagesAvailable []string `xml:"StagesAvailable>member"`
}

type xmlTemplateParameter struct {
	ParameterKey string
	DefaultValue string `xml:",omitempty"`
	NoEcho       bool
	Description  string `xml:",omitempty"`
}

type validateTemplateResult struct {
	Parameters         []xmlTemplateParameter `xml:"Parameters>member,omitempty"`
	Description        string                 `xml:",omitempty"`
	Capabilities       []string               `xml:"Capabilities>member,omitempty"`
	CapabilitiesReason string                 `xml:",omitempty"`
}

type xmlExport struct {
	ExportingStackID string `xml:"ExportingStackId"`
	Name             string
	Value            string
}

type listExportsResult struct {
	Exports []xmlExport `xml:"Exports>member"`
}

type createChangeSetResult struct {
	ID      string `xml:"Id"`
	StackID string `xml:"StackId"`
}

type xmlTarget struct {
	Attribute          string
	Name               string `xml:",omitempty"`
	RequiresRecreation string
}

type xmlDetail struct {
	Target        xmlTarget
	Evaluation    string
	ChangeSource  string
	CausingEntity string `xml:",omitempty"`
}

type xmlResourceChange struct {
	Action             string
	LogicalResourceID  string `xml:"LogicalResourceId"`
	PhysicalResourceID string `xml:"PhysicalResourceId,omitempty"`
	ResourceType       string
	Replacement        string      `xml:",omitempty"`
	Scope              []string    `xml:"Scope>member,omitempty"`
	Details            []xmlDetail `xml:"Details>member,omitempty"`
}

type xmlChange struct {
	Type           string
	ResourceChange xmlResourceChange
}

type describeChangeSetResult struct {
	ChangeSetName    string
	ChangeSetID      string `xml:"ChangeSetId"`
	StackID          string `xml:"StackId"`
	StackName        string
	Description      string         `xml:",omitempty"`
	Parameters       []xmlParameter `xml:"Parameters>member,omitempty"`
	CreationTime     string
	ExecutionStatus  string
	Status           string
	StatusReason     string      `xml:",omitempty"`
	NotificationARNs []string    `xml:"NotificationARNs>member,omitempty"`
	Capabilities     []string    `xml:"Capabilities>member,omitempty"`
	Tags             []xmlTag    `xml:"Tags>member,omitempty"`
	Changes          []xmlChange `xml:"Changes>member"`
	IncludeNested    bool        `xml:"IncludeNestedStacks"`
}

type xmlChangeSetSummary struct {
	StackID         string `xml:"StackId"`
	StackName       string
	ChangeSetID     string `xml:"ChangeSetId"`
	ChangeSetName   string
	ExecutionStatus string
	Status          string
	StatusReason    string `xml:",omitempty"`
	CreationTime    string
	Description     string `xml:",omitempty"`
}

type listChangeSetsResult struct {
	Summaries []xmlChangeSetSummary `xml:"Summaries>member"`
}

// empty is the result of actions whose response has an empty result
// element (ExecuteChangeSet, DeleteChangeSet, ContinueUpdateRollback).
type empty struct{}
