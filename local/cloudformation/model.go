package cloudformation

import (
	"strings"
	"time"

	"github.com/sparta-go/sparta/local/cloudformation/template"
)

// Stack and resource statuses, as CloudFormation names them.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-describing-stacks.html
const (
	StatusCreateInProgress                        = "CREATE_IN_PROGRESS"
	StatusCreateComplete                          = "CREATE_COMPLETE"
	StatusCreateFailed                            = "CREATE_FAILED"
	StatusRollbackInProgress                      = "ROLLBACK_IN_PROGRESS"
	StatusRollbackComplete                        = "ROLLBACK_COMPLETE"
	StatusRollbackFailed                          = "ROLLBACK_FAILED"
	StatusDeleteInProgress                        = "DELETE_IN_PROGRESS"
	StatusDeleteComplete                          = "DELETE_COMPLETE"
	StatusDeleteFailed                            = "DELETE_FAILED"
	StatusDeleteSkipped                           = "DELETE_SKIPPED"
	StatusUpdateInProgress                        = "UPDATE_IN_PROGRESS"
	StatusUpdateComplete                          = "UPDATE_COMPLETE"
	StatusUpdateFailed                            = "UPDATE_FAILED"
	StatusUpdateCleanupInProgress                 = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
	StatusUpdateRollbackInProgress                = "UPDATE_ROLLBACK_IN_PROGRESS"
	StatusUpdateRollbackComplete                  = "UPDATE_ROLLBACK_COMPLETE"
	StatusUpdateRollbackFailed                    = "UPDATE_ROLLBACK_FAILED"
	StatusUpdateRollbackCleanupInProgress         = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"
	StatusReviewInProgress                        = "REVIEW_IN_PROGRESS"
	stackResourceType                             = "AWS::CloudFormation::Stack"
	reasonCancelledCreate                         = "Resource creation cancelled"
	reasonCancelledUpdate                         = "Resource update cancelled"
	reasonStopped                                 = "the local cloud stopped during the operation"
	reasonReplacing                               = "Requested update requires the creation of a new physical resource; hence creating one."
	reasonInitiated                               = "Resource creation Initiated"
	reasonUserInitiated                           = "User Initiated"
	reasonNoChanges                               = "No updates are to be performed."
	reasonChangeSetEmpty                          = "The submitted information didn't contain changes. Submit different information to create a change set."
	changeSetStatusCreateComplete                 = "CREATE_COMPLETE"
	changeSetStatusFailed                         = "FAILED"
	execAvailable, execUnavailable, execObsolete  = "AVAILABLE", "UNAVAILABLE", "OBSOLETE"
	execInProgress, execComplete, execFailedState = "EXECUTE_IN_PROGRESS", "EXECUTE_COMPLETE", "EXECUTE_FAILED"
)

// inProgress reports whether a stack status is an operation under way.
// REVIEW_IN_PROGRESS is not: it is a stack waiting for its first change
// set, which is stable.
func inProgress(status string) bool {
	return strings.HasSuffix(status, "_IN_PROGRESS") && status != StatusReviewInProgress
}

// stackDoc is one stack as persisted: everything DescribeStacks,
// ListStackResources and an update or rollback need.
type stackDoc struct {
	// cancelRequested is set by CancelUpdateStack: the update under way
	// starts no more resources and rolls back. Not persisted: a restart
	// ends the update anyway.
	cancelRequested bool

	ID, Name         string
	Status           string
	StatusReason     string `json:",omitempty"`
	Description      string `json:",omitempty"`
	TemplateBody     string
	Parameters       map[string]string
	Capabilities     []string          `json:",omitempty"`
	NotificationARNs []string          `json:",omitempty"`
	Tags             []tag             `json:",omitempty"`
	DisableRollback  bool              `json:",omitempty"`
	OnFailure        string            `json:",omitempty"`
	TimeoutInMinutes int               `json:",omitempty"`
	Created          time.Time         `json:",omitzero"`
	Updated          time.Time         `json:",omitzero"`
	Deleted          time.Time         `json:",omitzero"`
	Resources        map[string]*state `json:",omitempty"`
	Outputs          []template.ResolvedOutput
	// Imports are the exports of other stacks this stack's template reads;
	// they cannot be deleted or changed while it does.
	Imports []string `json:",omitempty"`
	// ChangeSetID is the change set being or last executed.
	ChangeSetID string `json:",omitempty"`
	// Previous is the stack as it was before the update under way: what an
	// update rollback restores (and ContinueUpdateRollback, after a
	// restart).
	Previous *snapshot `json:",omitempty"`
	// Cleanup are physical resources to delete once the operation under
	// way ends: the old ones an update replaced, or, while rolling back,
	// the new ones it had made.
	Cleanup []*state `json:",omitempty"`

	// Not persisted.
	tpl    *template.Template
	events []Event
	loaded bool // events read from the store
}

// snapshot is what an update rollback restores.
type snapshot struct {
	TemplateBody string
	Parameters   map[string]string
	Description  string `json:",omitempty"`
	Capabilities []string
	Tags         []tag
	Resources    map[string]*state
	Outputs      []template.ResolvedOutput
	Imports      []string
}

type tag struct{ Key, Value string }

// state is one resource of a stack.
type state struct {
	LogicalID    string
	Type         string
	PhysicalID   string `json:",omitempty"`
	Status       string
	StatusReason string         `json:",omitempty"`
	Properties   map[string]any `json:",omitempty"`
	Ref          string         `json:",omitempty"`
	Attributes   map[string]any `json:",omitempty"`
	// Deps are the resources this one depended on when it was made: it is
	// deleted before them.
	Deps                []string  `json:",omitempty"`
	DeletionPolicy      string    `json:",omitempty"`
	UpdateReplacePolicy string    `json:",omitempty"`
	Metadata            any       `json:",omitempty"`
	Updated             time.Time `json:",omitzero"`
}

func (r *state) clone() *state {
	c := *r
	return &c
}

func cloneStates(m map[string]*state) map[string]*state {
	out := make(map[string]*state, len(m))
	for k, v := range m {
		out[k] = v.clone()
	}
	return out
}

// Event is one stack event, as DescribeStackEvents returns it.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackEvent.html
type Event struct {
	EventID            string
	StackID, StackName string
	LogicalID          string
	PhysicalID         string `json:",omitempty"`
	ResourceType       string
	Timestamp          time.Time
	Status             string
	Reason             string `json:",omitempty"`
	Properties         string `json:",omitempty"`
	ClientRequestToken string `json:",omitempty"`
}

// changeSetDoc is one change set as persisted.
type changeSetDoc struct {
	ID, Name           string
	StackID, StackName string
	Description        string `json:",omitempty"`
	Type               string
	Status             string
	StatusReason       string `json:",omitempty"`
	ExecutionStatus    string
	TemplateBody       string
	Parameters         map[string]string
	Capabilities       []string `json:",omitempty"`
	NotificationARNs   []string `json:",omitempty"`
	Tags               []tag    `json:",omitempty"`
	Changes            []change `json:",omitempty"`
	Created            time.Time
}

// change is one resource change of a change set.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html
type change struct {
	Action       string // Add, Modify, Remove
	LogicalID    string
	PhysicalID   string `json:",omitempty"`
	ResourceType string
	// Replacement is True, False or Conditional for Modify.
	Replacement string   `json:",omitempty"`
	Scope       []string `json:",omitempty"`
	Details     []detail `json:",omitempty"`
}

// detail is one changed property of a Modify.
type detail struct {
	Name               string
	RequiresRecreation string // Never, Conditionally, Always
	Evaluation         string // Static, Dynamic
	ChangeSource       string // DirectModification, ResourceReference, ...
	CausingEntity      string `json:",omitempty"`
}
