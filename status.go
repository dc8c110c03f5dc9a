//go:build !lambdabinary

package sparta

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
)

// stackStatus is what `status` reports; with --json it is printed as is.
type stackStatus struct {
	Stack     string            `json:"stack"`
	Exists    bool              `json:"exists"`
	Status    string            `json:"status,omitempty"`
	Reason    string            `json:"reason,omitempty"`
	Updated   *time.Time        `json:"updated,omitempty"`
	Outputs   map[string]string `json:"outputs,omitempty"`
	Resources []statusResource  `json:"resources,omitempty"`
	Events    []statusEvent     `json:"events,omitempty"`
}

type statusResource struct {
	LogicalID  string `json:"logicalId"`
	Type       string `json:"type"`
	PhysicalID string `json:"physicalId"`
	Status     string `json:"status"`
}

type statusEvent struct {
	Time      time.Time `json:"time"`
	LogicalID string    `json:"logicalId"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
}

func newStatusCommand(svc *serviceDefinition, cl *CommandLine) *cobra.Command {
	var asJSON bool
	var events int
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the stack's status, outputs, resources and latest events",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, log, err := cl.target(cmd.Context())
			if err != nil {
				return err
			}
			defer t.Close()
			st, err := readStatus(cmd, t, svc.name, events, log)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			printStatus(cmd.OutOrStdout(), st, t)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	cmd.Flags().IntVar(&events, "events", 10, "how many of the latest events to show")
	return cmd
}

func readStatus(cmd *cobra.Command, t *target, stack string, nEvents int, log logrus.FieldLogger) (*stackStatus, error) {
	ctx := cmd.Context()
	api := cloudformation.NewFromConfig(t.cfg)
	st := &stackStatus{Stack: stack}
	s, err := newDeployer(t, log, false).Describe(ctx, stack)
	if err != nil || s == nil {
		return st, err
	}
	st.Exists, st.Status, st.Reason = true, string(s.StackStatus), aws.ToString(s.StackStatusReason)
	st.Updated = s.LastUpdatedTime
	if st.Updated == nil {
		st.Updated = s.CreationTime
	}
	st.Outputs = map[string]string{}
	for _, o := range s.Outputs {
		st.Outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	p := cloudformation.NewListStackResourcesPaginator(api, &cloudformation.ListStackResourcesInput{StackName: aws.String(stack)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing resources of stack %s: %w", stack, err)
		}
		for _, r := range page.StackResourceSummaries {
			st.Resources = append(st.Resources, statusResource{
				LogicalID: aws.ToString(r.LogicalResourceId), Type: aws.ToString(r.ResourceType),
				PhysicalID: aws.ToString(r.PhysicalResourceId), Status: string(r.ResourceStatus),
			})
		}
	}
	ev, err := api.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(stack)})
	if err != nil {
		return nil, fmt.Errorf("reading events of stack %s: %w", stack, err)
	}
	for i, e := range ev.StackEvents {
		if i == nEvents {
			break
		}
		st.Events = append(st.Events, statusEvent{Time: aws.ToTime(e.Timestamp), LogicalID: aws.ToString(e.LogicalResourceId), Status: string(e.ResourceStatus), Reason: aws.ToString(e.ResourceStatusReason)})
	}
	return st, nil
}

func printStatus(w io.Writer, st *stackStatus, t *target) {
	if !st.Exists {
		fmt.Fprintf(w, "Stack %s does not exist in %s.\n", st.Stack, t.where())
		return
	}
	fmt.Fprintf(w, "Stack:   %s (%s)\n", st.Stack, t.where())
	fmt.Fprintf(w, "Status:  %s\n", st.Status)
	if st.Reason != "" {
		fmt.Fprintf(w, "Reason:  %s\n", st.Reason)
	}
	if st.Updated != nil {
		fmt.Fprintf(w, "Updated: %s\n", st.Updated.Format(time.RFC3339))
	}
	if len(st.Outputs) > 0 {
		fmt.Fprintln(w, "Outputs:")
		for _, k := range sortedOutputKeys(st.Outputs) {
			fmt.Fprintf(w, "  %-40s %s\n", k, st.Outputs[k])
		}
	}
	fmt.Fprintln(w, "Resources:")
	for _, r := range st.Resources {
		fmt.Fprintf(w, "  %-40s %-36s %-18s %s\n", r.LogicalID, r.Type, r.Status, r.PhysicalID)
	}
	fmt.Fprintln(w, "Latest events:")
	for _, e := range st.Events {
		line := fmt.Sprintf("  %s %-40s %s", e.Time.Format(time.TimeOnly), e.LogicalID, e.Status)
		if e.Reason != "" {
			line += ": " + e.Reason
		}
		fmt.Fprintln(w, line)
	}
}
