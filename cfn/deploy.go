//go:build !lambdabinary

package cfn

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// CloudFormationAPI is the part of the CloudFormation client the deployer
// uses; *cloudformation.Client satisfies it.
type CloudFormationAPI interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
	DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error)
	CreateChangeSet(context.Context, *cloudformation.CreateChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error)
	DescribeChangeSet(context.Context, *cloudformation.DescribeChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error)
	ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error)
	DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error)
	DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error)
	CancelUpdateStack(context.Context, *cloudformation.CancelUpdateStackInput, ...func(*cloudformation.Options)) (*cloudformation.CancelUpdateStackOutput, error)
	ContinueUpdateRollback(context.Context, *cloudformation.ContinueUpdateRollbackInput, ...func(*cloudformation.Options)) (*cloudformation.ContinueUpdateRollbackOutput, error)
}

// recreateStatuses are the states a failed or interrupted creation leaves
// a stack in: it holds nothing worth keeping and can only be deleted, so
// provisioning deletes it and creates it again.
var recreateStatuses = []types.StackStatus{
	types.StackStatusRollbackComplete, types.StackStatusRollbackFailed,
	types.StackStatusCreateFailed, types.StackStatusDeleteFailed,
}

// Deployer deploys a template to a stack through change sets and streams
// what CloudFormation does while it waits.
type Deployer struct {
	API CloudFormationAPI
	// Events receives every stack event of the operation as it happens.
	Events func(ResourceChanged)
	// Notice receives one-line messages for the user ("stack X is in
	// ROLLBACK_COMPLETE: deleting it before creating it again").
	Notice func(string)
	// Poll is the interval between status polls (default 2 s; the local
	// cloud's tests use less).
	Poll time.Duration
	// CancelOnInterrupt cancels an update (CancelUpdateStack) when the
	// context ends, instead of only stopping to wait.
	CancelOnInterrupt bool
}

// DeployInput is one deployment.
type DeployInput struct {
	StackName   string
	Description string
	// TemplateBody, or TemplateURL for templates over 51,200 bytes.
	TemplateBody string
	TemplateURL  string
	Parameters   map[string]string
	Tags         map[string]string
	// ChangeSetName names the change set; it must be unique per stack.
	ChangeSetName string
}

// DeployResult says what happened.
type DeployResult struct {
	// UpToDate is set when the template and parameters match the stack:
	// no change set was executed.
	UpToDate bool
	// Operation is CREATE or UPDATE.
	Operation string
	// Changes are the change set's resource changes.
	Changes []types.Change
	// Events are the operation's stack events, oldest first.
	Events  []ResourceChanged
	Outputs map[string]string
	Status  string
	// Recreated is set when a stack in ROLLBACK_COMPLETE was deleted first.
	Recreated bool
}

// noChangesReason is how CloudFormation says a change set changes nothing.
const noChangesReason = "didn't contain changes"

// StackFailedError is a failed stack operation, carrying its root cause.
type StackFailedError struct {
	Stack, Status string
	Cause         FailedEvent
	HasCause      bool
	StatusReason  string
}

func (e *StackFailedError) Error() string {
	if e.HasCause {
		return fmt.Sprintf("stack %s ended in %s: %s (%s) %s: %s", e.Stack, e.Status, e.Cause.LogicalID, e.Cause.Type, e.Cause.Status, e.Cause.Reason)
	}
	if e.StatusReason != "" {
		return fmt.Sprintf("stack %s ended in %s: %s", e.Stack, e.Status, e.StatusReason)
	}
	return fmt.Sprintf("stack %s ended in %s", e.Stack, e.Status)
}

// InterruptedError is returned when the context ended while CloudFormation
// was still working: the operation goes on without us.
type InterruptedError struct {
	Stack     string
	Cancelled bool
}

func (e *InterruptedError) Error() string {
	if e.Cancelled {
		return fmt.Sprintf("interrupted: the update of stack %s was asked to cancel; it rolls back on its own", e.Stack)
	}
	return fmt.Sprintf("interrupted: stopped waiting, but CloudFormation goes on with stack %s", e.Stack)
}

// Deploy creates or updates the stack to the template and waits for the
// outcome.
func (d *Deployer) Deploy(ctx context.Context, in DeployInput) (*DeployResult, error) {
	res := &DeployResult{}
	stack, err := d.stableStack(ctx, in.StackName)
	if err != nil {
		return nil, err
	}
	if stack != nil && slices.Contains(recreateStatuses, stack.StackStatus) {
		d.notice(fmt.Sprintf("stack %s is in %s from a failed creation: deleting it before creating it again", in.StackName, stack.StackStatus))
		if err := d.deleteAndWait(ctx, in.StackName); err != nil {
			return nil, err
		}
		stack, res.Recreated = nil, true
	}
	if stack != nil && stack.StackStatus == types.StackStatusUpdateRollbackFailed {
		d.notice(fmt.Sprintf("stack %s is in UPDATE_ROLLBACK_FAILED: continuing its rollback before updating it", in.StackName))
		if _, err := d.API.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String(in.StackName)}); err != nil {
			return nil, fmt.Errorf("continuing the rollback of stack %s: %w", in.StackName, err)
		}
		if stack, _, err = d.wait(ctx, in.StackName, time.Now().Add(-2*time.Second), 0, false); err != nil {
			return nil, err
		}
		if stack.StackStatus != types.StackStatusUpdateRollbackComplete {
			return nil, failure(in.StackName, stack, nil)
		}
	}
	changeSetType := types.ChangeSetTypeUpdate
	res.Operation = "UPDATE"
	if stack == nil || stack.StackStatus == types.StackStatusReviewInProgress {
		changeSetType, res.Operation = types.ChangeSetTypeCreate, "CREATE"
	}

	csInput := &cloudformation.CreateChangeSetInput{
		StackName:     aws.String(in.StackName),
		ChangeSetName: aws.String(in.ChangeSetName),
		ChangeSetType: changeSetType,
		Capabilities:  []types.Capability{types.CapabilityCapabilityIam, types.CapabilityCapabilityNamedIam},
		Description:   optional(in.Description),
	}
	if in.TemplateURL != "" {
		csInput.TemplateURL = aws.String(in.TemplateURL)
	} else {
		csInput.TemplateBody = aws.String(in.TemplateBody)
	}
	for _, k := range sortedStrings(in.Parameters) {
		csInput.Parameters = append(csInput.Parameters, types.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(in.Parameters[k])})
	}
	for _, k := range sortedStrings(in.Tags) {
		csInput.Tags = append(csInput.Tags, types.Tag{Key: aws.String(k), Value: aws.String(in.Tags[k])})
	}
	cs, err := d.API.CreateChangeSet(ctx, csInput)
	if err != nil {
		return nil, fmt.Errorf("creating change set for stack %s: %w", in.StackName, err)
	}
	changes, upToDate, err := d.waitChangeSet(ctx, in.StackName, aws.ToString(cs.Id))
	if err != nil {
		return nil, err
	}
	if upToDate {
		res.UpToDate = true
		if stack != nil {
			res.Status = string(stack.StackStatus)
			res.Outputs = outputs(stack.Outputs)
		}
		return res, nil
	}
	res.Changes = changes

	since := time.Now().Add(-2 * time.Second)
	if _, err := d.API.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{
		StackName: aws.String(in.StackName), ChangeSetName: cs.Id,
	}); err != nil {
		return nil, fmt.Errorf("executing change set for stack %s: %w", in.StackName, err)
	}
	final, events, err := d.wait(ctx, in.StackName, since, len(changes), changeSetType == types.ChangeSetTypeUpdate)
	res.Events = events
	if err != nil {
		return res, err
	}
	res.Status = string(final.StackStatus)
	res.Outputs = outputs(final.Outputs)
	if !succeeded(final.StackStatus) {
		return res, failure(in.StackName, final, events)
	}
	return res, nil
}

// Delete deletes the stack and waits; a stack that does not exist is not
// an error (existed is false).
func (d *Deployer) Delete(ctx context.Context, stackName string) (existed bool, events []ResourceChanged, err error) {
	stack, err := d.stableStack(ctx, stackName)
	if err != nil || stack == nil {
		return false, nil, err
	}
	since := time.Now().Add(-2 * time.Second)
	if _, err := d.API.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: stack.StackId}); err != nil {
		return true, nil, fmt.Errorf("deleting stack %s: %w", stackName, err)
	}
	final, events, err := d.waitByID(ctx, aws.ToString(stack.StackId), stackName, since, 0, false)
	if err != nil {
		return true, events, err
	}
	if final.StackStatus != types.StackStatusDeleteComplete {
		return true, events, failure(stackName, final, events)
	}
	return true, events, nil
}

// Describe returns the stack, or nil when it does not exist.
func (d *Deployer) Describe(ctx context.Context, stackName string) (*types.Stack, error) {
	out, err := d.API.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackName)})
	if err != nil {
		if isNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("describing stack %s: %w", stackName, err)
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	return &out.Stacks[0], nil
}

// stableStack returns the stack once no operation is in progress on it,
// saying that it waits.
func (d *Deployer) stableStack(ctx context.Context, stackName string) (*types.Stack, error) {
	for said := false; ; {
		stack, err := d.Describe(ctx, stackName)
		if err != nil || stack == nil {
			return stack, err
		}
		status := string(stack.StackStatus)
		if !strings.HasSuffix(status, "_IN_PROGRESS") || stack.StackStatus == types.StackStatusReviewInProgress {
			return stack, nil
		}
		if !said {
			d.notice(fmt.Sprintf("stack %s is in %s: waiting for that operation to finish first", stackName, status))
			said = true
		}
		if err := sleep(ctx, d.poll()); err != nil {
			return nil, fmt.Errorf("waiting for stack %s to leave %s: %w", stackName, status, err)
		}
	}
}

func (d *Deployer) deleteAndWait(ctx context.Context, stackName string) error {
	_, _, err := d.Delete(ctx, stackName)
	return err
}

// waitChangeSet waits for the change set to be ready; a change set with no
// changes is deleted and reported as up to date.
func (d *Deployer) waitChangeSet(ctx context.Context, stackName, id string) ([]types.Change, bool, error) {
	for {
		out, err := d.API.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(id), StackName: aws.String(stackName)})
		if err != nil {
			return nil, false, fmt.Errorf("describing change set of stack %s: %w", stackName, err)
		}
		switch out.Status {
		case types.ChangeSetStatusCreateComplete:
			changes := out.Changes
			for out.NextToken != nil {
				out, err = d.API.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(id), StackName: aws.String(stackName), NextToken: out.NextToken})
				if err != nil {
					return nil, false, fmt.Errorf("describing change set of stack %s: %w", stackName, err)
				}
				changes = append(changes, out.Changes...)
			}
			return changes, false, nil
		case types.ChangeSetStatusFailed:
			reason := aws.ToString(out.StatusReason)
			if strings.Contains(reason, noChangesReason) || strings.Contains(reason, "No updates are to be performed") {
				_, _ = d.API.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: aws.String(id), StackName: aws.String(stackName)})
				return nil, true, nil
			}
			return nil, false, fmt.Errorf("change set for stack %s failed: %s", stackName, reason)
		}
		if err := sleep(ctx, d.poll()); err != nil {
			return nil, false, fmt.Errorf("waiting for the change set of stack %s: %w", stackName, err)
		}
	}
}

func (d *Deployer) wait(ctx context.Context, stackName string, since time.Time, total int, update bool) (*types.Stack, []ResourceChanged, error) {
	return d.waitByID(ctx, stackName, stackName, since, total, update)
}

// waitByID polls the stack until its status leaves *_IN_PROGRESS, emitting
// each new event once, in order.
func (d *Deployer) waitByID(ctx context.Context, stackID, stackName string, since time.Time, total int, update bool) (*types.Stack, []ResourceChanged, error) {
	seen := map[string]bool{}
	var events []ResourceChanged
	done := map[string]bool{}
	start := time.Now()
	for {
		fresh, err := d.newEvents(ctx, stackID, since, seen)
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, events, err
		}
		for _, e := range fresh {
			if e.LogicalID != stackName && terminal(e.Status) {
				done[e.LogicalID] = true
			}
			e.Done, e.Total, e.Elapsed = len(done), total, time.Since(start)
			events = append(events, e)
			if d.Events != nil {
				d.Events(e)
			}
		}
		out, err := d.API.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackID)})
		switch {
		case ctx.Err() != nil:
			return nil, events, d.interrupted(stackName, update)
		case err != nil:
			return nil, events, fmt.Errorf("describing stack %s: %w", stackName, err)
		case len(out.Stacks) == 0:
			return nil, events, fmt.Errorf("stack %s disappeared while waiting", stackName)
		}
		stack := out.Stacks[0]
		if !strings.HasSuffix(string(stack.StackStatus), "_IN_PROGRESS") {
			// One more read: the last events may have landed with the status.
			if fresh, err := d.newEvents(ctx, stackID, since, seen); err == nil {
				for _, e := range fresh {
					e.Done, e.Total, e.Elapsed = len(done), total, time.Since(start)
					events = append(events, e)
					if d.Events != nil {
						d.Events(e)
					}
				}
			}
			return &stack, events, nil
		}
		if err := sleep(ctx, d.poll()); err != nil {
			return nil, events, d.interrupted(stackName, update)
		}
	}
}

func (d *Deployer) interrupted(stackName string, update bool) error {
	if d.CancelOnInterrupt && update {
		// The caller's context is over; cancelling needs one of its own.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := d.API.CancelUpdateStack(ctx, &cloudformation.CancelUpdateStackInput{StackName: aws.String(stackName)}); err == nil {
			return &InterruptedError{Stack: stackName, Cancelled: true}
		}
	}
	return &InterruptedError{Stack: stackName}
}

// newEvents reads the events after since that have not been seen, oldest
// first. DescribeStackEvents pages newest first.
func (d *Deployer) newEvents(ctx context.Context, stackID string, since time.Time, seen map[string]bool) ([]ResourceChanged, error) {
	var fresh []ResourceChanged
	var token *string
	for {
		out, err := d.API.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(stackID), NextToken: token})
		if err != nil {
			return nil, fmt.Errorf("reading events of stack %s: %w", stackID, err)
		}
		older := false
		for _, e := range out.StackEvents {
			ts := aws.ToTime(e.Timestamp)
			if ts.Before(since) {
				older = true
				break
			}
			id := aws.ToString(e.EventId)
			if seen[id] {
				older = true
				break
			}
			seen[id] = true
			fresh = append(fresh, ResourceChanged{
				Time: ts, LogicalID: aws.ToString(e.LogicalResourceId), Type: aws.ToString(e.ResourceType),
				Status: string(e.ResourceStatus), Reason: aws.ToString(e.ResourceStatusReason),
			})
		}
		if older || out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	slices.Reverse(fresh)
	return fresh, nil
}

func (d *Deployer) notice(s string) {
	if d.Notice != nil {
		d.Notice(s)
	}
}

func (d *Deployer) poll() time.Duration {
	if d.Poll > 0 {
		return d.Poll
	}
	return 2 * time.Second
}

func failure(stackName string, stack *types.Stack, events []ResourceChanged) error {
	cause, ok := RootCause(events, stackName)
	return &StackFailedError{Stack: stackName, Status: string(stack.StackStatus), Cause: cause, HasCause: ok, StatusReason: aws.ToString(stack.StackStatusReason)}
}

func succeeded(s types.StackStatus) bool {
	return s == types.StackStatusCreateComplete || s == types.StackStatusUpdateComplete
}

func outputs(os []types.Output) map[string]string {
	m := map[string]string{}
	for _, o := range os {
		m[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return m
}

// isNotExist recognizes DescribeStacks' "Stack with id X does not exist".
func isNotExist(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist")
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func sortedStrings(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
