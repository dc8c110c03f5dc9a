//go:build !lambdabinary

package sparta

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/internal/cli"
	"github.com/sparta-go/sparta/local/core"

	"github.com/sparta-go/sparta/local"
)

// target is where a command works: AWS through the standard configuration,
// or the embedded local cloud started in-process. Only the endpoint
// differs; every call goes through the same SDK clients.
type target struct {
	requestLog *os.File
	cfg        aws.Config
	cloud      *local.Cloud // nil on AWS, and when another process's cloud is used
	endpoint   string       // the local cloud's endpoint
	closeLog   func()       // closes the in-process cloud's log file
	account    string
	local      bool
}

// openTarget resolves the AWS configuration, or starts the local cloud when
// useLocal is set (its state lives in <work-dir>/local), and checks the
// credentials with STS before anything else is done.
// target opens the command line's target (the local cloud with --local,
// AWS otherwise) with its own logger, for the commands that need nothing
// else first; the caller closes it.
func (c *CommandLine) target(ctx context.Context) (*target, *logrus.Logger, error) {
	log, err := c.logger()
	if err != nil {
		return nil, nil, err
	}
	workDir, err := filepath.Abs(c.workDir)
	if err != nil {
		return nil, nil, err
	}
	t, err := openTarget(ctx, c.local, workDir, log)
	if err != nil {
		return nil, nil, err
	}
	return t, log, nil
}

func openTarget(ctx context.Context, useLocal bool, workDir string, log logrus.FieldLogger) (*target, error) {
	t := &target{local: useLocal}
	stateDir := filepath.Join(workDir, "local")
	if running, ok := local.Running(stateDir); useLocal && ok {
		// Another process (local serve, or a logs -f) holds the state: use
		// its cloud, whose functions are warm, instead of failing on the lock.
		t.endpoint = running.Endpoint
		t.cfg = aws.Config{
			Region:       running.Region,
			Credentials:  credentials.NewStaticCredentialsProvider(core.DefaultAccessKeyID, core.DefaultSecretAccessKey, ""),
			BaseEndpoint: aws.String(running.Endpoint),
		}
		log.WithFields(logrus.Fields{"endpoint": running.Endpoint, "pid": running.PID}).Debug("using the local cloud another process runs on " + stateDir)
	} else if useLocal {
		cloudLog, closeLog, err := cli.LocalCloudLog(log, stateDir)
		if err != nil {
			return nil, fmt.Errorf("--local: the local cloud's log: %w", err)
		}
		t.closeLog = closeLog
		opts := local.Options{StateDir: stateDir, Log: cloudLog}
		if path := os.Getenv(RequestLogEnv); path != "" {
			f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
			if err != nil {
				t.Close()
				return nil, fmt.Errorf("%s: %w", RequestLogEnv, err)
			}
			t.requestLog = f
			opts.RequestLog = f
		}
		cloud, err := local.Start(ctx, opts)
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("--local: starting the local cloud: %w", err)
		}
		t.cloud = cloud
		t.endpoint = cloud.Endpoint()
		t.cfg = aws.Config{
			Region:       cloud.Region(),
			Credentials:  credentials.NewStaticCredentialsProvider(core.DefaultAccessKeyID, core.DefaultSecretAccessKey, ""),
			BaseEndpoint: aws.String(cloud.Endpoint()),
		}
	} else {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading the AWS configuration: %w", err)
		}
		if cfg.Region == "" {
			return nil, errors.New("no AWS region: set AWS_REGION (or a profile with a region), or run against the local cloud with --local")
		}
		t.cfg = cfg
	}
	id, err := sts.NewFromConfig(t.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("checking AWS credentials with STS in %s: %w (configure credentials, or use --local)", t.cfg.Region, err)
	}
	t.account = aws.ToString(id.Account)
	return t, nil
}

// RequestLogEnv names a file to which a --local command, or `local serve`
// without --request-log, appends the local cloud's request log (one JSON
// line per request).
const RequestLogEnv = "SPARTA_LOCAL_REQUEST_LOG"

// Close stops the local cloud, if one was started.
func (t *target) Close() {
	if t != nil && t.cloud != nil {
		_ = t.cloud.Close()
	}
	if t != nil && t.closeLog != nil {
		t.closeLog()
	}
	if t != nil && t.requestLog != nil {
		_ = t.requestLog.Close()
	}
}

// s3Client addresses buckets by path when the endpoint is a local one,
// whose host names do not resolve per bucket.
func (t *target) s3Client() *s3.Client {
	return s3.NewFromConfig(t.cfg, func(o *s3.Options) {
		o.UsePathStyle = t.local || isLoopbackEndpoint(aws.ToString(t.cfg.BaseEndpoint))
	})
}

func isLoopbackEndpoint(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return false
	}
	h := u.Hostname()
	return h == "localhost" || strings.HasPrefix(h, "127.") || h == "::1"
}

// where names the target for messages.
func (t *target) where() string {
	if t.local {
		return "the local cloud (" + t.endpoint + ")"
	}
	return "AWS account " + t.account + " in " + t.cfg.Region
}
