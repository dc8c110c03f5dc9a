package main

import (
	"fmt"

	"github.com/spf13/cobra"

	sparta "github.com/sparta-go/sparta"
)

// The hello command exists in both builds: the CLI lists it beside
// provision, and the Lambda build, started outside Lambda (as a container
// task is), runs it.
func init() {
	sparta.CommandLineOptions.Root.AddCommand(&cobra.Command{
		Use:   "hello",
		Short: "Say hello (a task command, as a Fargate container runs one)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), "hello from", sparta.OptionsGlobal.ServiceName)
			return nil
		},
	})
}
