package dynamodb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/sirupsen/logrus"
	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/store"
	"github.com/truora/minidyn/server"
)

// TargetPrefix is the X-Amz-Target prefix of DynamoDB's operations.
const TargetPrefix = "DynamoDB_20120810"

const contentType = "application/x-amz-json-1.0"

// Service implements DynamoDB. Build it with [New].
type Service struct {
	env *core.Env
	log logrus.FieldLogger
	db  *server.Client
	ops map[string]core.JSONOperation

	// tablesMu guards the set of tables: table operations hold it
	// exclusively (the engine's table map is not synchronised), item
	// operations share it.
	tablesMu sync.RWMutex
	tables   map[string]*table
	// writeMu orders item writes with their log appends, so that the log
	// replays to the state clients saw.
	writeMu sync.Mutex

	// streams are the tables' DynamoDB streams; streamOps serve their API.
	streams   streams
	streamOps map[string]core.JSONOperation

	// done stops the TTL sweeper; sweeping is its goroutine.
	done      chan struct{}
	closeOnce sync.Once
	sweeping  sync.WaitGroup
}

var _ core.Service = (*Service)(nil)

// New builds the DynamoDB service, reloading its tables and items.
func New(env *core.Env) (core.Service, error) {
	s := &Service{env: env, log: env.Log.WithField(core.FieldService, "dynamodb"), db: server.NewClient(), tables: map[string]*table{},
		streams: streams{byName: map[string]*stream{}}, done: make(chan struct{})}
	s.ops = map[string]core.JSONOperation{
		"CreateTable":        core.Op(s.createTable),
		"DescribeTable":      core.Op(s.describeTable),
		"UpdateTable":        core.Op(s.updateTable),
		"DeleteTable":        core.Op(s.deleteTable),
		"ListTables":         core.Op(s.listTables),
		"PutItem":            core.Op(s.putItem),
		"GetItem":            core.Op(s.getItem),
		"UpdateItem":         core.Op(s.updateItem),
		"DeleteItem":         core.Op(s.deleteItem),
		"Query":              core.Op(s.query),
		"Scan":               core.Op(s.scan),
		"BatchGetItem":       core.Op(s.batchGetItem),
		"BatchWriteItem":     core.Op(s.batchWriteItem),
		"TransactWriteItems": core.Op(s.transactWriteItems),
		"TransactGetItems":   core.Op(s.transactGetItems),
		"UpdateTimeToLive":   core.Op(s.updateTimeToLive),
		"DescribeTimeToLive": core.Op(s.describeTimeToLive),
	}
	s.streamOps = map[string]core.JSONOperation{
		"ListStreams":      core.Op(s.listStreams),
		"DescribeStream":   core.Op(s.describeStream),
		"GetShardIterator": core.Op(s.getShardIterator),
		"GetRecords":       core.Op(s.getRecords),
	}
	if err := s.reload(); err != nil {
		return nil, fmt.Errorf("dynamodb: reloading state: %w", err)
	}
	s.startSweeper()
	return s, nil
}

// Name returns "dynamodb", DynamoDB's signing name.
func (s *Service) Name() string { return "dynamodb" }

func (s *Service) tablesColl() *store.Collection { return s.env.Store.Collection("dynamodb", "tables") }
func (s *Service) itemsColl() *store.Collection  { return s.env.Store.Collection("dynamodb", "items") }

// ServeHTTP dispatches one DynamoDB request. It is core.JSONService's
// dispatch, except that errors may carry more than a message
// (TransactionCanceledException's CancellationReasons), and that a panic of
// the expression engine on hostile input is the caller's 500, not the
// cloud's crash.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := core.CallFrom(r.Context())
	target := r.Header.Get("X-Amz-Target")
	prefix, op, ok := strings.Cut(target, ".")
	call.SetOperation(op)
	ops := s.ops
	if prefix == StreamsTargetPrefix {
		ops = s.streamOps
	}
	if !ok || (prefix != TargetPrefix && prefix != StreamsTargetPrefix) || r.Method != http.MethodPost {
		core.WriteJSONError(w, r, contentType, core.Errorf(http.StatusBadRequest, "UnknownOperationException",
			"DynamoDB expects a POST with X-Amz-Target %s.<Operation> (or %s.<Operation>), got %s %q", TargetPrefix, StreamsTargetPrefix, r.Method, target))
		return
	}
	fn, ok := ops[op]
	if !ok {
		core.WriteJSONError(w, r, contentType, core.Errorf(http.StatusBadRequest, "UnknownOperationException",
			"DynamoDB operation %s is not supported by the local cloud", op))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, core.MaxJSONBody+1))
	if err != nil || len(body) > core.MaxJSONBody {
		core.WriteJSONError(w, r, contentType, core.Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException", "the request body is unreadable or larger than %d bytes", core.MaxJSONBody))
		return
	}
	out, err := s.call(r.Context(), fn, body)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Service) call(ctx context.Context, fn core.JSONOperation, body []byte) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.WithField("panic", p).Error("dynamodb: the expression engine panicked")
			err = core.Errorf(http.StatusInternalServerError, "InternalServerError", "the local DynamoDB failed on this request: %v", p)
		}
	}()
	return fn(ctx, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body := []byte("{}")
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			status = http.StatusInternalServerError
			body, _ = json.Marshal(map[string]string{"__type": "InternalFailure", "message": "encoding the response: " + err.Error()})
		}
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// cancellationReason is one entry of TransactionCanceledException's
// CancellationReasons on the wire.
type cancellationReason struct {
	Code    string                            `json:"Code"`
	Message string                            `json:"Message,omitempty"`
	Item    map[string]*server.AttributeValue `json:"Item,omitempty"`
}

// writeError renders err as DynamoDB does: __type and message, plus
// CancellationReasons for a cancelled transaction.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var tce *ddbtypes.TransactionCanceledException
	if errors.As(err, &tce) {
		reasons := make([]cancellationReason, len(tce.CancellationReasons))
		for i, c := range tce.CancellationReasons {
			reasons[i] = cancellationReason{Code: aws.ToString(c.Code), Message: aws.ToString(c.Message)}
		}
		w.Header().Set("X-Amzn-ErrorType", "TransactionCanceledException")
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", "message": aws.ToString(tce.Message), "CancellationReasons": reasons,
		})
		return
	}
	core.WriteJSONError(w, r, contentType, awsError(err))
}

// awsError turns the engine's errors into AWS's: the SDK's typed errors
// keep their code, with the texts DynamoDB writes where DynamoDB Local's
// differ.
func awsError(err error) error {
	var ce *core.Error
	if errors.As(err, &ce) {
		return ce
	}
	var tce *ddbtypes.TransactionCanceledException
	if errors.As(err, &tce) {
		// AWS lists every item's reason in the message.
		// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#API_TransactWriteItems_Errors
		codes := make([]string, len(tce.CancellationReasons))
		for i, r := range tce.CancellationReasons {
			codes[i] = aws.ToString(r.Code)
		}
		tce.Message = aws.String("Transaction cancelled, please refer cancellation reasons for specific reasons [" + strings.Join(codes, ", ") + "]")
		return tce
	}
	var api interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if !errors.As(err, &api) {
		return core.Errorf(http.StatusBadRequest, "ValidationException", "%s", err.Error())
	}
	code, msg := api.ErrorCode(), api.ErrorMessage()
	switch code {
	case "ResourceNotFoundException":
		// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_Errors
		msg = "Requested resource not found"
	case "ConditionalCheckFailedException":
		msg = "The conditional request failed"
	case "InternalServerError":
		return &core.Error{Code: code, Message: msg, Status: http.StatusInternalServerError, Receiver: true}
	}
	return core.Errorf(http.StatusBadRequest, code, "%s", msg)
}

func errValidation(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "ValidationException", format, args...)
}

func errNotFound() error {
	return core.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "Requested resource not found")
}
