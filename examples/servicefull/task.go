package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	sparta "github.com/sparta-go/sparta"
)

// The report subcommand is what the container image runs (its CMD): the
// task awareness of the program. The image carries the Lambda build, whose
// MainEx runs the program's own commands when Lambda did not start it.
func init() {
	sparta.CommandLineOptions.Root.AddCommand(&cobra.Command{
		Use:   "report",
		Short: "Produce the report of ORDER_ID (run by the Fargate task)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			order := os.Getenv("ORDER_ID")
			if order == "" {
				return fmt.Errorf("report: ORDER_ID is not set")
			}
			fmt.Fprintf(cmd.OutOrStdout(), "report for %s (format %s): done\n", order, os.Getenv("REPORT_FORMAT"))
			return nil
		},
	})
}
