package invoke

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// LambdaAPI is the part of the Lambda client Remote uses.
type LambdaAPI interface {
	Invoke(ctx context.Context, in *lambda.InvokeInput, opts ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

// Remote invokes a deployed function synchronously with LogType Tail, on
// AWS or the local cloud (whichever endpoint api has), and decodes Lambda's
// answer: the payload, X-Amz-Function-Error with its error document, and
// the base64 log tail.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
func Remote(ctx context.Context, api LambdaAPI, function, physicalName, where string, payload []byte) (*Result, error) {
	start := time.Now()
	out, err := api.Invoke(ctx, &lambda.InvokeInput{
		FunctionName:   aws.String(physicalName),
		InvocationType: types.InvocationTypeRequestResponse,
		LogType:        types.LogTypeTail,
		Payload:        payload,
	})
	if err != nil {
		return nil, fmt.Errorf("invoking %s (%s) on %s: %w", function, physicalName, where, err)
	}
	res := &Result{Function: function, Where: where, Payload: out.Payload, Duration: time.Since(start)}
	if out.LogResult != nil {
		tail, err := base64.StdEncoding.DecodeString(*out.LogResult)
		if err == nil {
			res.LogTail = string(tail)
		}
	}
	if out.FunctionError != nil {
		res.ErrorType, res.ErrorMessage = errorDocument(out.Payload)
		if res.ErrorType == "" {
			res.ErrorType = aws.ToString(out.FunctionError)
		}
	}
	return res, nil
}
