//go:build lambdabinary

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	sparta "github.com/sparta-go/sparta"
)

// fargateTask exists in the Lambda build only, as in SpartaStepServicefull
// (its bootstrap/servicefull_task.go): the image carries that build, and
// Dockerfile's CMD runs it. execute --offline must run the same build.
func init() {
	sparta.CommandLineOptions.Root.AddCommand(&cobra.Command{
		Use:   "fargateTask",
		Short: "The Fargate task (Lambda build only)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "fargate task of", sparta.OptionsGlobal.ServiceName)
			return nil
		},
	})
}
