//go:build !lambdabinary

package sparta

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/local"
)

func newLocalCommand(cl *CommandLine) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "local",
		Short: "The embedded local cloud: an AWS-compatible endpoint on 127.0.0.1",
	}
	var port int
	var stateDir, addr string
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Run the local cloud in the foreground for any AWS client (aws --endpoint-url, SDKs)",
		Long: "Run the local cloud in the foreground. It accepts any credentials, listens on 127.0.0.1, " +
			"and keeps its state in --state-dir, so a restart keeps stacks, functions, machines and objects. " +
			"Point clients at it with AWS_ENDPOINT_URL or --endpoint-url.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := cl.logger()
			if err != nil {
				return err
			}
			if stateDir == "" {
				stateDir = filepath.Join(cl.workDir, "local")
			}
			if addr == "" {
				addr = fmt.Sprintf("127.0.0.1:%d", port)
			}
			return local.Serve(cmd.Context(), local.Options{Addr: addr, StateDir: stateDir, Log: log})
		},
	}
	serve.Flags().IntVar(&port, "port", local.DefaultPort, "port to listen on, on 127.0.0.1")
	serve.Flags().StringVar(&addr, "addr", "", "full listen address, to bind beyond loopback on purpose (overrides --port)")
	serve.Flags().StringVar(&stateDir, "state-dir", "", "directory of the durable state (default <work-dir>/local)")
	cmd.AddCommand(serve)
	return cmd
}
