//go:build !lambdabinary

package sparta

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/internal/cli"
)

func newVersionCommand(cl *CommandLine) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the framework version, the Go version and the program's build information",
		Example: `  go run . version
  go run . version --verbose          # every module linked in
  go run . version --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := cli.ReadVersion(Version)
			if cl.format == cli.FormatJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(v)
			}
			v.Print(cmd.OutOrStdout(), verbose)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every module linked into the program")
	return cmd
}
