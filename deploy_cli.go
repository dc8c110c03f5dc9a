//go:build !lambdabinary

package sparta

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/internal/artifacts"
	"github.com/sparta-go/sparta/internal/cli"
)

type artifactStore = artifacts.Store

// openArtifacts checks the bucket the user named, or creates (or reuses)
// the default one for the account and region.
func openArtifacts(ctx context.Context, t *target, named string, log logrus.FieldLogger) (*artifactStore, error) {
	s := &artifacts.Store{Client: t.s3Client(), Bucket: named, Region: t.cfg.Region, Warn: func(m string) { log.Warn(m) }}
	if named != "" {
		return s, s.UseExisting(ctx)
	}
	s.Bucket = artifacts.DefaultBucket(t.account, t.cfg.Region)
	created, err := s.EnsureDefault(ctx)
	if err != nil {
		return nil, err
	}
	if created {
		log.WithField("bucket", s.Bucket).Info("Created the artifacts bucket (public access blocked, encrypted)")
	}
	return s, nil
}

// pollInterval is how often the deployer polls: the local cloud answers at
// once, AWS needs no more than every two seconds.
func pollInterval(t *target) time.Duration {
	if t.local {
		return 100 * time.Millisecond
	}
	return 2 * time.Second
}

func newDeployer(t *target, log logrus.FieldLogger, cancelOnInterrupt bool) *cfn.Deployer {
	return &cfn.Deployer{
		API:               cloudformation.NewFromConfig(t.cfg),
		Poll:              pollInterval(t),
		CancelOnInterrupt: cancelOnInterrupt,
		Notice:            func(s string) { log.Warn(s) },
		Events: func(e cfn.ResourceChanged) {
			fields := logrus.Fields{cli.FieldResource: e.LogicalID, "type": e.Type, "status": e.Status}
			if e.Total > 0 {
				fields["progress"] = fmt.Sprintf("%d/%d", e.Done, e.Total)
			}
			fields["elapsed"] = e.Elapsed.Round(time.Second)
			entry := log.WithFields(fields)
			if e.Reason != "" {
				entry = entry.WithField("reason", e.Reason)
			}
			if strings.HasSuffix(e.Status, "_FAILED") {
				entry.Warn("Stack event")
				return
			}
			entry.Info("Stack event")
		},
	}
}

// explainDeployError adds what to do next to a deployment failure.
func explainDeployError(stack string, local bool, err error) error {
	flag := ""
	if local {
		flag = " --local"
	}
	var interrupted *cfn.InterruptedError
	if errors.As(err, &interrupted) {
		return fmt.Errorf("%w; check on it with: %s status%s", err, commandName(), flag)
	}
	var failed *cfn.StackFailedError
	if errors.As(err, &failed) {
		return fmt.Errorf("%w\nfix the cause and run provision%s again; `%s status%s` shows the stack's events", err, flag, commandName(), flag)
	}
	return err
}

// summarizeDeploy prints what changed, how long each resource took and the
// stack's outputs, then the next useful command.
func summarizeDeploy(log logrus.FieldLogger, stack string, local bool, r *cfn.DeployResult) {
	flag := ""
	if local {
		flag = " --local"
	}
	if r.UpToDate {
		log.WithField(cli.FieldStack, stack).Info("Stack is up to date: no changes to deploy")
	} else {
		if r.Recreated {
			log.WithField(cli.FieldStack, stack).Info("Stack was recreated after a failed creation")
		}
		for _, t := range cfn.Timings(r.Events, stack) {
			log.WithFields(logrus.Fields{cli.FieldResource: t.LogicalID, "type": t.Type, "status": t.Status, cli.FieldDuration: t.Duration.Round(time.Millisecond)}).Info("  resource")
		}
		log.WithFields(logrus.Fields{cli.FieldStack: stack, "status": r.Status, "operation": r.Operation}).Info("Stack deployed")
	}
	for _, k := range sortedOutputKeys(r.Outputs) {
		log.WithFields(logrus.Fields{"output": k, "value": r.Outputs[k]}).Info("  output")
	}
	log.Infof("Next: %s execute%s --input '{}'", commandName(), flag)
}

func sortedOutputKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// commandName is how the user ran this program, for hints.
func commandName() string {
	if len(os.Args) > 0 && strings.Contains(os.Args[0], "go-build") {
		return "go run ."
	}
	if len(os.Args) > 0 {
		return os.Args[0]
	}
	return "go run ."
}
