//go:build !lambdabinary

package sparta

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/sparta-go/sparta/local"
)

func newLocalCommand(cl *CommandLine) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "local",
		Short: "The embedded local cloud: an AWS-compatible endpoint on 127.0.0.1",
	}
	var port int
	var stateDir, addr, credFile, requestLog string
	var creds, origins, hosts []string
	var expose bool
	var concurrency int
	var customResourceTimeout time.Duration
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Run the local cloud in the foreground for any AWS client (aws --endpoint-url, SDKs)",
		Long: "Run the local cloud in the foreground. It listens on 127.0.0.1 and keeps its state in --state-dir, " +
			"so a restart keeps stacks, functions, machines and objects. Point clients at it with AWS_ENDPOINT_URL " +
			"or --endpoint-url and sign with the default credentials test/test (the account root) or a pair given " +
			"with --credentials. Web pages may not call it unless their origin is allowed with --allow-origin. " +
			"SIGINT or SIGTERM stops it cleanly; a second signal forces the exit.",
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
			opts := local.Options{Addr: addr, StateDir: stateDir, Log: log, ExposeToNetwork: expose,
				AllowOrigins: origins, AllowHosts: hosts, LambdaConcurrency: concurrency}
			opts.CustomResourceTimeout = customResourceTimeout
			for _, c := range creds {
				cred, err := local.ParseCredential(c)
				if err != nil {
					return fmt.Errorf("--credentials: %w", err)
				}
				opts.Credentials = append(opts.Credentials, cred)
			}
			if credFile != "" {
				fromFile, err := local.ReadCredentialsFile(credFile)
				if err != nil {
					return fmt.Errorf("--credentials-file: %w", err)
				}
				opts.Credentials = append(opts.Credentials, fromFile...)
			}
			if requestLog == "" {
				requestLog = os.Getenv(RequestLogEnv)
			}
			if requestLog != "" {
				f, err := os.OpenFile(requestLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
				if err != nil {
					return fmt.Errorf("--request-log: %w", err)
				}
				defer f.Close()
				opts.RequestLog = f
			}
			return local.Serve(cmd.Context(), opts)
		},
	}
	serve.Flags().IntVar(&port, "port", local.DefaultPort, "port to listen on, on 127.0.0.1")
	serve.Flags().StringVar(&addr, "addr", "", "full listen address (overrides --port); beyond loopback it needs --expose-to-network")
	serve.Flags().BoolVar(&expose, "expose-to-network", false, "allow an --addr beyond loopback: every machine that reaches it can call the cloud and, with credentials, run code here")
	serve.Flags().StringArrayVar(&creds, "credentials", nil, "an extra access key, ACCESS_KEY_ID:SECRET[:PRINCIPAL] (PRINCIPAL: root, or an IAM user or role ARN); repeatable")
	serve.Flags().StringVar(&credFile, "credentials-file", "", "a file of extra access keys, one ACCESS_KEY_ID:SECRET[:PRINCIPAL] a line")
	serve.Flags().StringArrayVar(&origins, "allow-origin", nil, "a web origin (http://host:port) whose pages may call the cloud from a browser; repeatable (default none)")
	serve.Flags().StringArrayVar(&hosts, "allow-host", nil, "a Host name the cloud answers to besides loopback, localhost and *.localhost (.domain for a whole domain); repeatable")
	serve.Flags().IntVar(&concurrency, "lambda-concurrency", 0, "the account's Lambda concurrency limit (default 1000, AWS's); lower it on a machine short of memory")
	serve.Flags().DurationVar(&customResourceTimeout, "custom-resource-timeout", 0, "how long a custom resource waits for its function's response when it sets no ServiceTimeout (default 1h, AWS's)")
	serve.Flags().StringVar(&stateDir, "state-dir", "", "directory of the durable state (default <work-dir>/local)")
	serve.Flags().StringVar(&requestLog, "request-log", "", "append one JSON line per request served (service, operation, status) to this file (default $"+RequestLogEnv+")")
	cmd.AddCommand(serve)
	return cmd
}
