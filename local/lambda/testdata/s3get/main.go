// Command s3get is a test function that reads one S3 object with the AWS
// SDK and the credentials Lambda gives it (its execution role's session),
// so that tests can show the role's policies decide what it may read.
// Event: {"bucket": "...", "key": "..."}; result: {"body": "...",
// "caller": "<GetCallerIdentity ARN>"}; an SDK error is the handler's error.
package main

import (
	"context"
	"io"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

type event struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
}

func handle(ctx context.Context, e event) (map[string]string, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, err
	}
	out, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).
		GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(e.Bucket), Key: aws.String(e.Key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, err
	}
	return map[string]string{"body": string(body), "caller": aws.ToString(id.Arn)}, nil
}

func main() {
	lambda.Start(handle)
}
