package logs

import (
	"net/http"
	"regexp"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// Event is one log event.
type Event struct {
	Timestamp     time.Time
	Message       string
	IngestionTime time.Time
}

// storedEvent is an event as appended to the store (milliseconds, short
// keys: logs are the largest state of a busy cloud).
type storedEvent struct {
	T int64  `json:"t"`
	M string `json:"m"`
	I int64  `json:"i"`
}

type groupMeta struct {
	Name            string
	Created         int64             // epoch milliseconds
	RetentionInDays int               `json:",omitempty"`
	KMSKeyID        string            `json:",omitempty"`
	Class           string            `json:",omitempty"`
	Tags            map[string]string `json:",omitempty"`
}

type streamMeta struct {
	Name          string
	Created       int64
	FirstEvent    int64 `json:",omitempty"`
	LastEvent     int64 `json:",omitempty"`
	LastIngestion int64 `json:",omitempty"`
	StoredBytes   int64 `json:",omitempty"`
}

type group struct {
	meta    groupMeta
	streams map[string]*stream // nil until loaded
}

type stream struct {
	meta   streamMeta
	events []storedEvent // nil until loaded
}

// Wire shapes, with the member names of the CloudWatch Logs API reference:
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/

type wireLogGroup struct {
	LogGroupName      string `json:"logGroupName"`
	CreationTime      int64  `json:"creationTime"`
	RetentionInDays   *int   `json:"retentionInDays,omitempty"`
	MetricFilterCount int    `json:"metricFilterCount"`
	Arn               string `json:"arn"`
	LogGroupArn       string `json:"logGroupArn"`
	StoredBytes       int64  `json:"storedBytes"`
	KmsKeyID          string `json:"kmsKeyId,omitempty"`
	LogGroupClass     string `json:"logGroupClass"`
}

type wireLogStream struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp *int64 `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  *int64 `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   *int64 `json:"lastIngestionTime,omitempty"`
	UploadSequenceToken string `json:"uploadSequenceToken,omitempty"`
	Arn                 string `json:"arn"`
	StoredBytes         int64  `json:"storedBytes"`
}

type wireOutputEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

type wireFilteredEvent struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

var (
	groupNamePattern  = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]{1,512}$`)
	streamNamePattern = regexp.MustCompile(`^[^:*]{1,512}$`)
)

// Errors of the CloudWatch Logs API.

func errNotFound(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "ResourceNotFoundException", format, args...)
}

func errInvalid(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "InvalidParameterException", format, args...)
}

func errExists(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "ResourceAlreadyExistsException", format, args...)
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }
