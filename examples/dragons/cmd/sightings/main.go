//go:build !lambdabinary

// Command sightings is the dragons demo's client: after
// `go run ./examples/dragons provision --local`, it opens the same local
// cloud (its state in .sparta/local), finds the API of the Dragons stack
// and, with a plain net/http client, POSTs a valid sighting (stored in the
// Sightings table), one that needs confirmation (it waits on the
// Confirmations queue until confirmSighting, invoked by the queue's event
// source mapping, answers its task token; then it is stored) and an
// invalid one (refused by the model), prints each execution and the stored
// items, shows the report machine's nightly schedule and runs it, and
// lists the dragons with GET /dragons. `make demo-dragons` runs both.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cfnsdk "github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/sparta-go/sparta/cfn"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/core"
)

const valid = `{"dragonName": "Frank", "description": "New dragon", "family": "purple", "city": "Dallas", "country": "USA",
  "state": "TX", "neighborhood": "Downtown", "reportingPhoneNumber": "15555555555", "confirmationRequired": false,
  "sizeFeet": 40, "latitude": 32.78, "longitude": -96.8}`

// needsWitness asks for confirmation before it is stored.
const needsWitness = `{"dragonName": "Smok", "description": "Breathes fire", "family": "red", "city": "Krakow", "country": "Poland",
  "state": "Lesser Poland", "neighborhood": "Wawel", "reportingPhoneNumber": "15555550100", "confirmationRequired": true,
  "sizeFeet": 60, "latitude": 50.05, "longitude": 19.93}`

// invalid lacks most of the model's required fields.
const invalid = `{"dragonName": "Nameless", "family": 7}`

func main() {
	stateDir := flag.String("state-dir", ".sparta/local", "the local cloud's state directory, as provision --local used it")
	flag.Parse()
	if err := run(*stateDir); err != nil {
		fmt.Fprintln(os.Stderr, "sightings:", err)
		os.Exit(1)
	}
}

func run(stateDir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := local.Start(ctx, local.Options{StateDir: stateDir})
	if err != nil {
		return fmt.Errorf("opening the local cloud in %s (run provision --local first): %w", stateDir, err)
	}
	defer c.Close()
	cfg := aws.Config{Region: c.Region(), BaseEndpoint: aws.String(c.Endpoint()),
		Credentials: credentials.NewStaticCredentialsProvider(core.DefaultAccessKeyID, core.DefaultSecretAccessKey, "")}
	stack := cfn.UserScopedStackName("Dragons")
	out, err := cfnsdk.NewFromConfig(cfg).DescribeStacks(ctx, &cfnsdk.DescribeStacksInput{StackName: aws.String(stack)})
	if err != nil {
		return fmt.Errorf("stack %s: %w (run `go run ./examples/dragons provision --local` first)", stack, err)
	}
	apiID := ""
	for _, o := range out.Stacks[0].Outputs {
		if aws.ToString(o.OutputKey) == "APIGatewayRestApiId" {
			apiID = aws.ToString(o.OutputValue)
		}
	}
	if apiID == "" {
		return fmt.Errorf("stack %s has no API: provision it again with this version", stack)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(c.Endpoint(), "http://"))
	base := fmt.Sprintf("http://%s.execute-api.localhost:%s/v1", apiID, port)
	fmt.Printf("API %s at %s\n(path form: %s/restapis/%s/v1/_user_request_/dragons)\n\n", apiID, base, c.Endpoint(), apiID)

	// *.localhost is loopback (RFC 6761); dial it so without a resolver.
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if host, p, err := net.SplitHostPort(addr); err == nil && strings.HasSuffix(host, ".localhost") {
				addr = net.JoinHostPort("127.0.0.1", p)
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	send := func(method, path, body string) (int, string, error) {
		req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewBufferString(body))
		if err != nil {
			return 0, "", err
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		fmt.Printf("%s %s -> %d %s\n", method, path, resp.StatusCode, b)
		return resp.StatusCode, string(b), err
	}

	d := &demo{ctx: ctx, cfg: cfg, stack: stack, outputs: map[string]string{}}
	for _, o := range out.Stacks[0].Outputs {
		d.outputs[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	post := func(title, body string) (string, error) {
		fmt.Println(title)
		status, resp, err := send(http.MethodPost, "/dragons", body)
		if err != nil {
			return "", err
		}
		if status != http.StatusOK {
			return "", fmt.Errorf("the sighting was refused")
		}
		var started struct {
			ExecutionArn string `json:"executionArn"`
		}
		if err := json.Unmarshal([]byte(resp), &started); err != nil || started.ExecutionArn == "" {
			return "", fmt.Errorf("no execution ARN in %s", resp)
		}
		return started.ExecutionArn, nil
	}

	arn, err := post("A valid sighting, with its reporter as witness:", valid)
	if err != nil {
		return err
	}
	if err := d.finish(arn, "DragonAdded"); err != nil {
		return err
	}

	arn, err = post("A sighting that needs confirmation:", needsWitness)
	if err != nil {
		return err
	}
	if err := d.confirm(arn); err != nil {
		return err
	}
	if err := d.finish(arn, "DragonAdded"); err != nil {
		return err
	}
	if err := d.items(); err != nil {
		return err
	}
	if err := d.report(); err != nil {
		return err
	}

	fmt.Println("An invalid sighting (refused by the model before any execution starts):")
	status, _, err := send(http.MethodPost, "/dragons", invalid)
	if err != nil {
		return err
	}
	if status != http.StatusBadRequest {
		return fmt.Errorf("the invalid sighting was not refused")
	}
	fmt.Println()
	fmt.Println("The purple dragons:")
	_, _, err = send(http.MethodGet, "/dragons?family=purple", "")
	return err
}
