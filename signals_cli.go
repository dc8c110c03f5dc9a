//go:build !lambdabinary

package sparta

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// shutdownContext is the CLI's context: it ends at the first SIGINT or
// SIGTERM (Ctrl-C, docker stop, systemd, CI) so that commands such as
// `local serve` close cleanly (stop accepting, fail running executions,
// kill function processes, remove temporary folders); a second signal
// exits at once, for a close that hangs.
func shutdownContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		fmt.Fprintf(os.Stderr, "Received %v: stopping (send it again to exit at once)\n", s)
		cancel()
		s = <-sigs
		fmt.Fprintf(os.Stderr, "Received %v again: exiting now\n", s)
		os.Exit(130)
	}()
	return ctx, func() {
		signal.Stop(sigs)
		cancel()
	}
}
