package invoke

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Remote invokes a deployed function synchronously with LogType Tail, on
// AWS or the local cloud (whichever endpoint cfg names), and decodes
// Lambda's answer: the payload, X-Amz-Function-Error with its error
// document, and the base64 log tail.
//
// It makes the one REST call itself, signed with the SDK's SigV4 signer,
// rather than through the SDK's Lambda client: that client's ~200 generated
// operations would add several seconds to the first compile of every
// service's CLI for this one call.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
func Remote(ctx context.Context, cfg aws.Config, function, physicalName, where string, payload []byte) (*Result, error) {
	fail := func(err error) (*Result, error) {
		return nil, fmt.Errorf("invoking %s (%s) on %s: %w", function, physicalName, where, err)
	}
	endpoint := aws.ToString(cfg.BaseEndpoint)
	if endpoint == "" {
		endpoint = "https://lambda." + cfg.Region + ".amazonaws.com"
		if strings.HasPrefix(cfg.Region, "cn-") {
			endpoint += ".cn"
		}
	}
	u := strings.TrimSuffix(endpoint, "/") + "/2015-03-31/functions/" + url.PathEscape(physicalName) + "/invocations"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(payload))
	if err != nil {
		return fail(err)
	}
	req.Header.Set("X-Amz-Invocation-Type", "RequestResponse")
	req.Header.Set("X-Amz-Log-Type", "Tail")
	req.Header.Set("Content-Type", "application/json")
	if cfg.Credentials == nil {
		return fail(errors.New("no AWS credentials"))
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fail(err)
	}
	sum := sha256.Sum256(payload)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "lambda", cfg.Region, time.Now()); err != nil {
		return fail(err)
	}
	var client aws.HTTPClient = http.DefaultClient
	if cfg.HTTPClient != nil {
		client = cfg.HTTPClient
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return fail(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fail(err)
	}
	if resp.StatusCode/100 != 2 {
		return fail(apiError(resp, body))
	}
	res := &Result{Function: function, Where: where, Payload: body, Duration: time.Since(start)}
	if tail := resp.Header.Get("X-Amz-Log-Result"); tail != "" {
		if b, err := base64.StdEncoding.DecodeString(tail); err == nil {
			res.LogTail = string(b)
		}
	}
	if fe := resp.Header.Get("X-Amz-Function-Error"); fe != "" {
		res.ErrorType, res.ErrorMessage = errorDocument(body)
		if res.ErrorType == "" {
			res.ErrorType = fe
		}
	}
	return res, nil
}

// apiError is Lambda's error response: its type from X-Amzn-ErrorType (or
// the body's Type) and its message, as AWS writes them.
func apiError(resp *http.Response, body []byte) error {
	var doc struct {
		Type, Message string
		Lower         string `json:"message"`
	}
	_ = json.Unmarshal(body, &doc)
	typ := resp.Header.Get("X-Amzn-ErrorType")
	typ, _, _ = strings.Cut(typ, ":")
	if typ == "" {
		typ = doc.Type
	}
	if typ == "" {
		typ = resp.Status
	}
	msg := doc.Message
	if msg == "" {
		msg = doc.Lower
	}
	if msg == "" {
		msg = strings.TrimSpace(string(body))
	}
	return fmt.Errorf("StatusCode: %d, %s: %s", resp.StatusCode, typ, msg)
}
