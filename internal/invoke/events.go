package invoke

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Sample events are fixed (times, IDs) so that a run can be repeated and
// compared. Their shapes are aws-lambda-go's events types, with the values
// of the samples in the Lambda developer guide.
var sampleTime = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

const (
	sampleRegion  = "us-east-1"
	sampleAccount = "123456789012"
)

// templates build the sample event of each source.
var templates = map[string]func() any{
	// https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html
	"apigateway": func() any {
		return events.APIGatewayProxyRequest{
			Resource: "/{proxy+}", Path: "/hello", HTTPMethod: "POST",
			Headers:               map[string]string{"Content-Type": "application/json", "Host": "abc123.execute-api.us-east-1.amazonaws.com"},
			QueryStringParameters: map[string]string{"name": "world"},
			PathParameters:        map[string]string{"proxy": "hello"},
			RequestContext: events.APIGatewayProxyRequestContext{
				AccountID: sampleAccount, ResourceID: "abc123", Stage: "prod", RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
				Identity:     events.APIGatewayRequestIdentity{SourceIP: "127.0.0.1", UserAgent: "curl/8.5.0"},
				ResourcePath: "/{proxy+}", HTTPMethod: "POST", APIID: "abc123",
				RequestTimeEpoch: sampleTime.UnixMilli(),
			},
			Body: `{"message":"hello"}`,
		}
	},
	// https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
	"sqs": func() any {
		return events.SQSEvent{Records: []events.SQSMessage{{
			MessageId: "059f36b4-87a3-44ab-83d2-661975830a7d", ReceiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
			Body: "Hello from SQS!",
			Attributes: map[string]string{
				"ApproximateReceiveCount": "1", "SentTimestamp": fmt.Sprint(sampleTime.UnixMilli()),
				"SenderId": "AIDAIENQZJOLO23YVJ4VO", "ApproximateFirstReceiveTimestamp": fmt.Sprint(sampleTime.UnixMilli()),
			},
			MessageAttributes: map[string]events.SQSMessageAttribute{},
			Md5OfBody:         "e4e68fb7bd0e697a0ae8f1bb342846b3",
			EventSource:       "aws:sqs", EventSourceARN: "arn:aws:sqs:" + sampleRegion + ":" + sampleAccount + ":my-queue",
			AWSRegion: sampleRegion,
		}}}
	},
	// https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
	"sns": func() any {
		topic := "arn:aws:sns:" + sampleRegion + ":" + sampleAccount + ":sns-lambda"
		return events.SNSEvent{Records: []events.SNSEventRecord{{
			EventVersion: "1.0", EventSource: "aws:sns",
			EventSubscriptionArn: topic + ":21be56ed-a058-49f5-8c98-aedd2564c486",
			SNS: events.SNSEntity{
				Type: "Notification", MessageID: "95df01b4-ee98-5cb9-9903-4c221d41eb5e", TopicArn: topic,
				Subject: "example subject", Message: "example message", Timestamp: sampleTime,
				SignatureVersion:  "1",
				MessageAttributes: map[string]any{},
			},
		}}}
	},
	// https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
	"s3": func() any {
		return events.S3Event{Records: []events.S3EventRecord{{
			EventVersion: "2.1", EventSource: "aws:s3", AWSRegion: sampleRegion, EventTime: sampleTime,
			EventName:         "ObjectCreated:Put",
			PrincipalID:       events.S3UserIdentity{PrincipalID: "EXAMPLE"},
			RequestParameters: events.S3RequestParameters{SourceIPAddress: "127.0.0.1"},
			S3: events.S3Entity{
				SchemaVersion: "1.0", ConfigurationID: "testConfigRule",
				Bucket: events.S3Bucket{Name: "example-bucket", OwnerIdentity: events.S3UserIdentity{PrincipalID: "EXAMPLE"}, Arn: "arn:aws:s3:::example-bucket"},
				Object: events.S3Object{Key: "test/key", Size: 1024, ETag: "0123456789abcdef0123456789abcdef", Sequencer: "0A1B2C3D4E5F678901"},
			},
		}}}
	},
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
	"schedule": func() any {
		return events.EventBridgeEvent{
			Version: "0", ID: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", DetailType: "Scheduled Event",
			Source: "aws.events", AccountID: sampleAccount, Time: sampleTime, Region: sampleRegion,
			Resources: []string{"arn:aws:events:" + sampleRegion + ":" + sampleAccount + ":rule/my-schedule"},
			Detail:    json.RawMessage(`{}`),
		}
	},
	// https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
	"dynamodb": func() any {
		return events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{{
			EventID: "1", EventName: "INSERT", EventVersion: "1.0", EventSource: "aws:dynamodb", AWSRegion: sampleRegion,
			EventSourceArn: "arn:aws:dynamodb:" + sampleRegion + ":" + sampleAccount + ":table/ExampleTable/stream/2026-01-01T12:00:00.000",
			Change: events.DynamoDBStreamRecord{
				ApproximateCreationDateTime: events.SecondsEpochTime{Time: sampleTime},
				Keys:                        map[string]events.DynamoDBAttributeValue{"Id": events.NewNumberAttribute("101")},
				NewImage: map[string]events.DynamoDBAttributeValue{
					"Id": events.NewNumberAttribute("101"), "Message": events.NewStringAttribute("New item!"),
				},
				SequenceNumber: "111", SizeBytes: 26, StreamViewType: "NEW_AND_OLD_IMAGES",
			},
		}}}
	},
}

// TemplateNames lists the sources EventTemplate knows, sorted.
func TemplateNames() []string {
	names := make([]string, 0, len(templates))
	for n := range templates {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// EventTemplate is the sample event of a source (apigateway, sqs, sns, s3,
// schedule or dynamodb) as JSON.
func EventTemplate(name string) ([]byte, error) {
	build, ok := templates[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("--event-template %q: use one of %s", name, strings.Join(TemplateNames(), ", "))
	}
	return json.MarshalIndent(build(), "", "  ")
}
