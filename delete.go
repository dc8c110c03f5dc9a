//go:build !lambdabinary

package sparta

import (
	"path/filepath"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/internal/cli"
)

func newDeleteCommand(svc *serviceDefinition, cl *CommandLine) *cobra.Command {
	var purge bool
	var bucket string
	cmd := &cobra.Command{
		Use:   "delete",
		Short: "Delete the service's stack, streaming its events until it is gone",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := cl.logger()
			if err != nil {
				return err
			}
			entry := log.WithField(cli.FieldService, svc.name)
			workDir, err := filepath.Abs(cl.workDir)
			if err != nil {
				return err
			}
			t, err := openTarget(cmd.Context(), cl.local, workDir, entry)
			if err != nil {
				return err
			}
			defer t.Close()
			phases := cli.NewPhases(entry)
			// A site's bucket must be empty for the stack to delete it.
			if err := phases.Run("empty site", func() error { return emptySite(cmd.Context(), t, svc.name, entry) }); err != nil {
				return err
			}
			var existed bool
			err = phases.Run("delete", func() error {
				var err error
				existed, _, err = newDeployer(t, entry, false).Delete(cmd.Context(), svc.name)
				return err
			})
			if err != nil {
				return explainDeployError(svc.name, cl.local, err)
			}
			if !existed {
				entry.WithField(cli.FieldStack, svc.name).Info("Stack does not exist in " + t.where() + ": nothing to delete")
			} else {
				entry.WithField(cli.FieldStack, svc.name).Info("Stack deleted")
			}
			if purge {
				err = phases.Run("purge", func() error {
					store, err := openArtifacts(cmd.Context(), t, bucket, entry)
					if err != nil {
						return err
					}
					n, err := store.Purge(cmd.Context(), svc.name)
					entry.WithFields(logrus.Fields{"bucket": store.Bucket, "objects": n}).Info("Purged the service's artifacts")
					return err
				})
				if err != nil {
					return err
				}
			}
			phases.Summary("Delete complete")
			return nil
		},
	}
	cmd.Flags().BoolVar(&purge, "purge-artifacts", false, "also delete this service's code zips and templates from the artifacts bucket")
	cmd.Flags().StringVar(&bucket, "s3Bucket", "", "artifacts bucket to purge (default sparta-artifacts-<account>-<region>)")
	return cmd
}
