//go:build !lambdabinary

package sparta

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/describe"
	"github.com/sparta-go/sparta/internal/build"
	"github.com/sparta-go/sparta/internal/cli"
	"github.com/sparta-go/sparta/service"
)

type describeFlags struct {
	out          string
	format       string
	stateMachine string
	deployed     bool
}

// describePlaceholderDigest stands in for the code's SHA-256 in artifact
// keys: describe draws the template without building the code.
const describePlaceholderDigest = "not-built-by-describe"

func newDescribeCommand(svc *serviceDefinition, cl *CommandLine) *cobra.Command {
	var f describeFlags
	cmd := &cobra.Command{
		Use:   "describe",
		Short: "Draw the service: state machine and stack diagrams in one self-contained HTML report",
		Long: "Write one HTML file that needs no network: a diagram of each state machine, a diagram of the " +
			"stack's resources and their references, tables of the Lambda functions and the IAM policies of each " +
			"role, and the CloudFormation template, folding and searchable. It works from the code alone: nothing " +
			"is built, uploaded or called. With --format mermaid, dot or asl it prints a state machine instead, " +
			"for documentation and pull requests (this --format replaces the log format flag for describe).",
		Example: "  go run . describe\n  go run . describe --format mermaid > docs/machine.mmd",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validateService(svc); err != nil {
				return fmt.Errorf("invalid service %q:\n%w", svc.name, err)
			}
			switch f.format {
			case "", "html":
				return describeHTML(cmd, svc, cl, f)
			case "mermaid", "dot", "asl":
				return describeText(cmd, svc, f)
			}
			return fmt.Errorf("--format %q: describe writes html (the default), mermaid, dot or asl", f.format)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.out, "out", "", "the HTML file to write (default "+DefaultWorkDir+"/<service>-describe.html)")
	fl.StringVar(&f.format, "format", "html", "html, or print a state machine as mermaid, dot or asl")
	fl.BoolVar(&f.deployed, "deployed", false, "also show the deployed stack's status and highlight each machine's last execution (on AWS; --local does it on the local cloud)")
	fl.StringVar(&f.stateMachine, "state-machine", "", "with --format mermaid, dot or asl: which machine, when the service has several")
	return cmd
}

// describeText prints one state machine as Mermaid, DOT or ASL JSON.
func describeText(cmd *cobra.Command, svc *serviceDefinition, f describeFlags) error {
	if f.out != "" {
		return errors.New("--out writes the HTML report; --format " + f.format + " prints to standard output, redirect it instead")
	}
	sm, err := pickStateMachine(svc, f.stateMachine)
	if err != nil {
		return err
	}
	var text string
	switch f.format {
	case "mermaid":
		text = describe.Mermaid(sm)
	case "dot":
		text = describe.DOT(sm)
	case "asl":
		b, err := sm.MarshalIndent()
		if err != nil {
			return fmt.Errorf("state machine %q: %w", sm.Name(), err)
		}
		text = string(b) + "\n"
	}
	_, err = fmt.Fprint(cmd.OutOrStdout(), text)
	return err
}

// describeHTML assembles the template provision would deploy, with
// placeholder code artifacts, and writes the report.
func describeHTML(cmd *cobra.Command, svc *serviceDefinition, cl *CommandLine, f describeFlags) error {
	log, err := cl.logger()
	if err != nil {
		return err
	}
	entry := log.WithField(cli.FieldService, svc.name)
	archs := architectures(svc.lambdas, "")
	artifacts := map[service.Architecture]service.Artifact{}
	for _, a := range archs {
		artifacts[a] = service.Artifact{
			Bucket: cloudformation.Sub(defaultArtifactBucket),
			Key:    build.ArtifactKey(svc.name, string(a), describePlaceholderDigest),
		}
	}
	ctx := cmd.Context()
	template, err := assembleTemplate(ctx, svc, templateInputs{
		artifacts: artifacts, defaultArch: defaultArch(archs), buildID: "describe",
		noop: true, describe: true, aws: awsConfig(ctx, entry), log: entry,
		hooks: newHookRun(svc, "", true, log),
	})
	if err != nil {
		return err
	}
	tb, err := cfn.Marshal(template)
	if err != nil {
		return err
	}
	var opts describe.Options
	if cl.local || f.deployed {
		if opts, err = deployedOptions(ctx, svc, cl, entry); err != nil {
			return err
		}
	}
	var report bytes.Buffer
	err = describe.WriteHTML(&report, describe.Service{
		Name: svc.name, Description: svc.description, Template: tb,
		StateMachines: stateMachines(svc), Version: Version,
		TemplateNote: "as provision would deploy it, with placeholder code artifacts: describe builds nothing",
	}, opts)
	if err != nil {
		return err
	}
	out := f.out
	if out == "" {
		out = filepath.Join(cl.workDir, svc.name+"-describe.html")
	}
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("--out %s: %w", out, err)
		}
	}
	if err := build.WriteFileAtomic(out, report.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	abs, _ := filepath.Abs(out)
	if svc.site != nil {
		entry.WithFields(logrus.Fields{"folder": svc.site.Resources(), "index": svc.site.IndexDocument(), "error": svc.site.ErrorDocument()}).
			Info("S3 site: bucket " + svc.site.CloudFormationS3ResourceName() + ", uploaded by provision, URL in the stack output " + cfn.OutputS3SiteURL)
	}
	entry.WithField(cli.FieldPath, relPath(abs)).WithField(cli.FieldBytes, report.Len()).Info("Wrote describe report")
	fmt.Fprintf(cmd.OutOrStdout(), "Open file://%s in a browser\n", filepath.ToSlash(abs))
	return nil
}
