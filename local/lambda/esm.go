package lambda

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sparta-go/sparta/local/core"
	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/local/store"
)

// EventSourceMappingConfiguration is an event source mapping in the JSON
// shape of Lambda's EventSourceMappingConfiguration (the response of
// Create/Get/Update/DeleteEventSourceMapping and the members of
// ListEventSourceMappings).
// See https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html
type EventSourceMappingConfiguration struct {
	UUID                           string
	EventSourceMappingArn          string
	EventSourceArn                 string
	FunctionArn                    string
	BatchSize                      int
	MaximumBatchingWindowInSeconds int
	// StartingPosition and the stream settings below are set for stream
	// sources (DynamoDB Streams) only, as Lambda returns them.
	StartingPosition           string             `json:",omitempty"`
	StartingPositionTimestamp  *float64           `json:",omitempty"`
	ParallelizationFactor      *int               `json:",omitempty"`
	BisectBatchOnFunctionError *bool              `json:",omitempty"`
	MaximumRecordAgeInSeconds  *int               `json:",omitempty"`
	MaximumRetryAttempts       *int               `json:",omitempty"`
	TumblingWindowInSeconds    *int               `json:",omitempty"`
	DestinationConfig          *DestinationConfig `json:",omitempty"`
	FunctionResponseTypes      []string
	ScalingConfig              *ScalingConfig `json:",omitempty"`
	// LastModified is in epoch seconds, as Lambda's REST-JSON writes this
	// timestamp (unlike a function's LastModified string).
	LastModified          float64
	LastProcessingResult  string `json:",omitempty"`
	State                 string
	StateTransitionReason string
}

// ScalingConfig bounds the concurrent invocations of an SQS mapping.
type ScalingConfig struct {
	MaximumConcurrency *int `json:",omitempty"`
}

// DestinationConfig is where a stream mapping sends records it gives up
// on. The local cloud keeps it empty: on-failure destinations are refused.
type DestinationConfig struct {
	OnFailure *OnFailure `json:",omitempty"`
}

// OnFailure is the destination of discarded stream batches.
type OnFailure struct {
	Destination string `json:",omitempty"`
}

// CreateEventSourceMappingInput is CreateEventSourceMapping's request body.
// Fields of sources the local cloud does not run (Kafka, MQ, DocumentDB,
// self-managed) are refused by name when set.
// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
type CreateEventSourceMappingInput struct {
	FunctionName                   string
	EventSourceArn                 string
	Enabled                        *bool
	BatchSize                      *int
	MaximumBatchingWindowInSeconds *int
	StartingPosition               string
	StartingPositionTimestamp      *float64
	ParallelizationFactor          *int
	BisectBatchOnFunctionError     *bool
	MaximumRecordAgeInSeconds      *int
	MaximumRetryAttempts           *int
	TumblingWindowInSeconds        *int
	DestinationConfig              *DestinationConfig
	FunctionResponseTypes          []string
	ScalingConfig                  *ScalingConfig
	Tags                           map[string]string

	// Unsupported carries the names of fields set that the local cloud
	// does not implement (filled by the HTTP decoder and the provider).
	Unsupported []string `json:"-"`
}

// UpdateEventSourceMappingInput is UpdateEventSourceMapping's request body;
// nil fields are left as they are.
// See https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html
type UpdateEventSourceMappingInput struct {
	UUID                           string `json:"-"`
	FunctionName                   string
	Enabled                        *bool
	BatchSize                      *int
	MaximumBatchingWindowInSeconds *int
	ParallelizationFactor          *int
	BisectBatchOnFunctionError     *bool
	MaximumRecordAgeInSeconds      *int
	MaximumRetryAttempts           *int
	TumblingWindowInSeconds        *int
	DestinationConfig              *DestinationConfig
	FunctionResponseTypes          []string
	ScalingConfig                  *ScalingConfig
	Unsupported                    []string `json:"-"`
}

// Mapping states as Lambda names them.
const (
	esmCreating = "Creating"
	esmEnabled  = "Enabled"
	esmDisabled = "Disabled"
	esmEnabling = "Enabling"
	esmDisable  = "Disabling"
	esmUpdating = "Updating"
	esmDeleting = "Deleting"
)

// reportBatchItemFailures is the only FunctionResponseTypes value.
const reportBatchItemFailures = "ReportBatchItemFailures"

// sourceKind is what a mapping polls, from its EventSourceArn.
type sourceKind int

const (
	sourceSQS sourceKind = iota + 1
	sourceDynamoDBStream
)

func kindOf(arn string) (sourceKind, bool) {
	switch {
	case strings.HasPrefix(arn, "arn:aws:sqs:"):
		return sourceSQS, true
	case strings.HasPrefix(arn, "arn:aws:dynamodb:") && strings.Contains(arn, "/stream/"):
		return sourceDynamoDBStream, true
	}
	return 0, false
}

// esmStored is a mapping as kept in the store: its configuration with the
// state it rests in (Enabled or Disabled), and the function's name.
type esmStored struct {
	Config   EventSourceMappingConfiguration
	Function string
	Tags     map[string]string `json:",omitempty"`
	// Position is a stream mapping's checkpoint: the sequence number of
	// the last record handed to the function successfully (or given up).
	Position string `json:",omitempty"`
}

// mapping is a mapping in memory: what is stored and its running poller.
type mapping struct {
	esmStored
	// stop ends the poller; nil when none runs.
	stop context.CancelFunc
	done chan struct{}
	// polled is the configuration the running poller was started with.
	polled EventSourceMappingConfiguration
	// progress guards Position and result, which the poller writes while
	// the API reads the rest of the mapping under esmState.mu.
	progress sync.Mutex
	result   string
}

// esmState holds the mappings. Its lock is separate from the functions'.
type esmState struct {
	mu   sync.Mutex
	byID map[string]*mapping
	coll *store.Collection
}

func (s *Service) esmARN(id string) string {
	return "arn:aws:lambda:" + s.cfg.Region + ":" + s.cfg.AccountID + ":event-source-mapping:" + id
}

func errMappingNotFound() *core.Error {
	return core.Errorf(http.StatusNotFound, CodeResourceNotFound, "The resource you requested does not exist.")
}

// loadMappings reads the stored mappings and starts the pollers of the
// enabled ones.
func (s *Service) loadMappings() error {
	s.esm.byID = map[string]*mapping{}
	s.esm.coll = s.cfg.Store.Sub("event-source-mappings")
	err := store.ScanAs(s.esm.coll, "lambda: reloading event source mapping", func(id string, st esmStored) error {
		m := &mapping{esmStored: st, result: st.Config.LastProcessingResult}
		s.esm.byID[id] = m
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range s.esm.byID {
		if m.Config.State == esmEnabled {
			s.startPoller(m)
		}
	}
	return nil
}

// CreateEventSourceMapping creates a mapping and, when enabled, starts
// polling its source. Lambda checks that the function exists, that the
// source exists and that the function's execution role may read it, and
// refuses a second mapping of the same source and function.
func (s *Service) CreateEventSourceMapping(ctx context.Context, in CreateEventSourceMappingInput) (EventSourceMappingConfiguration, error) {
	if len(in.Unsupported) > 0 {
		return EventSourceMappingConfiguration{}, errInvalid("%s: the local cloud runs event source mappings of SQS queues and DynamoDB streams only; remove %s",
			strings.Join(in.Unsupported, ", "), strings.Join(in.Unsupported, ", "))
	}
	if in.FunctionName == "" {
		return EventSourceMappingConfiguration{}, errValidation("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null")
	}
	if in.EventSourceArn == "" {
		return EventSourceMappingConfiguration{}, errInvalid("Unrecognized event source, must be kinesis, dynamodb stream or sqs: EventSourceArn is empty")
	}
	kind, ok := kindOf(in.EventSourceArn)
	if !ok {
		return EventSourceMappingConfiguration{}, errInvalid("Unrecognized event source, must be kinesis, dynamodb stream or sqs. Unsupported source arn : %s", in.EventSourceArn)
	}
	name, fnARN, fc, err := s.mappingFunction(in.FunctionName)
	if err != nil {
		return EventSourceMappingConfiguration{}, err
	}
	c := EventSourceMappingConfiguration{
		EventSourceArn:        in.EventSourceArn,
		FunctionArn:           fnARN,
		FunctionResponseTypes: []string{},
		StateTransitionReason: "USER_INITIATED",
	}
	if err := applySettings(&c, kind, settings{
		BatchSize: in.BatchSize, Window: in.MaximumBatchingWindowInSeconds, Parallelization: in.ParallelizationFactor,
		Bisect: in.BisectBatchOnFunctionError, MaxAge: in.MaximumRecordAgeInSeconds, MaxRetries: in.MaximumRetryAttempts,
		Tumbling: in.TumblingWindowInSeconds, Destination: in.DestinationConfig, ResponseTypes: in.FunctionResponseTypes,
		Scaling: in.ScalingConfig, create: true,
	}); err != nil {
		return EventSourceMappingConfiguration{}, err
	}
	switch kind {
	case sourceSQS:
		if in.StartingPosition != "" || in.StartingPositionTimestamp != nil {
			return EventSourceMappingConfiguration{}, errInvalid("StartingPosition is not valid for SQS event sources.")
		}
	case sourceDynamoDBStream:
		switch in.StartingPosition {
		case "TRIM_HORIZON", "LATEST":
		case "":
			return EventSourceMappingConfiguration{}, errInvalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null (DynamoDB stream event sources need TRIM_HORIZON or LATEST)")
		default:
			return EventSourceMappingConfiguration{}, errInvalid("Unsupported starting position %s for DynamoDB streams: use TRIM_HORIZON or LATEST", in.StartingPosition)
		}
		c.StartingPosition = in.StartingPosition
	}
	if err := s.checkSource(ctx, kind, in.EventSourceArn, fc); err != nil {
		return EventSourceMappingConfiguration{}, err
	}
	enabled := in.Enabled == nil || *in.Enabled

	s.esm.mu.Lock()
	defer s.esm.mu.Unlock()
	for _, m := range s.esm.byID {
		if m.Config.EventSourceArn == in.EventSourceArn && m.Function == name {
			return EventSourceMappingConfiguration{}, errConflict(`The event source arn (" %s ") and function (" %s ") provided mapping already exists. Please update or delete the existing mapping with UUID %s`,
				in.EventSourceArn, name, m.Config.UUID)
		}
	}
	c.UUID = core.NewRequestID()
	c.EventSourceMappingArn = s.esmARN(c.UUID)
	c.LastModified = epochSeconds(time.Now())
	c.State = esmDisabled
	if enabled {
		c.State = esmEnabled
	}
	m := &mapping{esmStored: esmStored{Config: c, Function: name, Tags: in.Tags}}
	if kind == sourceDynamoDBStream {
		pos, err := s.streamStart(in.EventSourceArn, in.StartingPosition)
		if err != nil {
			return EventSourceMappingConfiguration{}, err
		}
		m.Position = pos
	}
	if err := s.esm.coll.Put(c.UUID, m.esmStored); err != nil {
		return EventSourceMappingConfiguration{}, core.AsError(err)
	}
	s.esm.byID[c.UUID] = m
	if enabled {
		s.startPoller(m)
	}
	out := c
	out.State = esmCreating
	return out, nil
}

// settings are the tunable fields shared by Create and Update.
type settings struct {
	BatchSize, Window, Parallelization, MaxAge, MaxRetries, Tumbling *int
	Bisect                                                           *bool
	Destination                                                      *DestinationConfig
	ResponseTypes                                                    []string
	Scaling                                                          *ScalingConfig
	create                                                           bool
}

// applySettings checks and applies st to c with Lambda's defaults and
// bounds for the source kind.
// See https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
// and https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html
func applySettings(c *EventSourceMappingConfiguration, kind sourceKind, st settings) error {
	if st.create {
		switch kind {
		case sourceSQS:
			c.BatchSize = 10
		case sourceDynamoDBStream:
			c.BatchSize = 100
			one, minus, f := 1, -1, false
			zero := 0
			c.ParallelizationFactor, c.MaximumRecordAgeInSeconds, c.MaximumRetryAttempts = &one, &minus, &minus
			c.BisectBatchOnFunctionError, c.TumblingWindowInSeconds = &f, &zero
			c.DestinationConfig = &DestinationConfig{OnFailure: &OnFailure{}}
			c.LastProcessingResult = "No records processed"
		}
	}
	if st.BatchSize != nil {
		c.BatchSize = *st.BatchSize
	}
	if st.Window != nil {
		c.MaximumBatchingWindowInSeconds = *st.Window
	}
	if c.BatchSize < 1 || c.BatchSize > 10000 {
		return errValidation("1 validation error detected: Value %d at 'batchSize' failed to satisfy constraint: Member must have value between 1 and 10000", c.BatchSize)
	}
	if c.MaximumBatchingWindowInSeconds < 0 || c.MaximumBatchingWindowInSeconds > 300 {
		return errValidation("1 validation error detected: Value %d at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value between 0 and 300", c.MaximumBatchingWindowInSeconds)
	}
	if st.ResponseTypes != nil {
		for _, t := range st.ResponseTypes {
			if t != reportBatchItemFailures {
				return errValidation("1 validation error detected: Value '[%s]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]", t)
			}
		}
		c.FunctionResponseTypes = slices.Clone(st.ResponseTypes)
	}
	if st.Destination != nil && st.Destination.OnFailure != nil && st.Destination.OnFailure.Destination != "" {
		return errInvalid("DestinationConfig.OnFailure.Destination %s: the local cloud does not send discarded batches to a destination; remove it", st.Destination.OnFailure.Destination)
	}
	switch kind {
	case sourceSQS:
		if c.BatchSize > 10 && c.MaximumBatchingWindowInSeconds < 1 {
			return errInvalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
		}
		for _, f := range []struct {
			name string
			set  bool
		}{
			{"ParallelizationFactor", st.Parallelization != nil}, {"BisectBatchOnFunctionError", st.Bisect != nil},
			{"MaximumRecordAgeInSeconds", st.MaxAge != nil}, {"MaximumRetryAttempts", st.MaxRetries != nil},
			{"TumblingWindowInSeconds", st.Tumbling != nil}, {"DestinationConfig", st.Destination != nil},
		} {
			if f.set {
				return errInvalid("Unsupported %s parameter for given event source mapping type.", f.name)
			}
		}
		if st.Scaling != nil {
			if n := st.Scaling.MaximumConcurrency; n != nil && (*n < 2 || *n > 1000) {
				return errValidation("1 validation error detected: Value %d at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value between 2 and 1000", *n)
			}
			c.ScalingConfig = st.Scaling
		}
	case sourceDynamoDBStream:
		if st.Scaling != nil {
			return errInvalid("Unsupported ScalingConfig parameter for given event source mapping type.")
		}
		if st.Parallelization != nil {
			if *st.Parallelization < 1 || *st.Parallelization > 10 {
				return errValidation("1 validation error detected: Value %d at 'parallelizationFactor' failed to satisfy constraint: Member must have value between 1 and 10", *st.Parallelization)
			}
			c.ParallelizationFactor = st.Parallelization
		}
		if st.Bisect != nil {
			c.BisectBatchOnFunctionError = st.Bisect
		}
		if st.MaxAge != nil {
			if n := *st.MaxAge; n != -1 && (n < 60 || n > 604800) {
				return errValidation("1 validation error detected: Value %d at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value between -1 and 604800 (60 at least unless -1)", n)
			}
			c.MaximumRecordAgeInSeconds = st.MaxAge
		}
		if st.MaxRetries != nil {
			if n := *st.MaxRetries; n < -1 || n > 10000 {
				return errValidation("1 validation error detected: Value %d at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value between -1 and 10000", n)
			}
			c.MaximumRetryAttempts = st.MaxRetries
		}
		if st.Tumbling != nil && *st.Tumbling != 0 {
			return errInvalid("TumblingWindowInSeconds %d: the local cloud does not run tumbling windows; remove it", *st.Tumbling)
		}
	}
	return nil
}

// mappingFunction resolves the function a mapping invokes: its name, the
// ARN Lambda reports (qualified when a version or alias is named) and its
// execution role.
func (s *Service) mappingFunction(ref string) (name, arn string, cfg FunctionConfiguration, err error) {
	name, q, err := s.parseRef(ref)
	if err != nil {
		return "", "", cfg, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, err := s.get(name)
	if err != nil {
		return "", "", cfg, err
	}
	v := q
	if a, ok := f.Aliases[q]; ok {
		v = a.FunctionVersion
	}
	ver, ok := f.version(v)
	if !ok {
		return "", "", cfg, errNotFound(s.qualifiedARN(name, q))
	}
	return name, s.qualifiedARN(name, q), ver.Config, nil
}

// sourceActions are the actions Lambda checks on the source with the
// function's execution role when a mapping is created, in the order it
// reports the first one missing.
// See https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions
// and https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-eventsourcemapping.html
var sourceActions = map[sourceKind][]string{
	sourceSQS:            {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"},
	sourceDynamoDBStream: {"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"},
}

// checkSource checks that the source exists and that role may read it.
func (s *Service) checkSource(_ context.Context, kind sourceKind, arn string, fc FunctionConfiguration) error {
	role := fc.Role
	switch kind {
	case sourceSQS:
		if s.cfg.Queues == nil {
			return errInvalid("Error occurred while ReceiveMessage. %s: the local cloud runs no SQS service", arn)
		}
		url, err := s.cfg.Queues.QueueURLByARN(arn)
		if err != nil {
			return errInvalid("Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist for this wsdl version.")
		}
		if err := s.checkVisibility(url, fc.Timeout); err != nil {
			return err
		}
	case sourceDynamoDBStream:
		if s.cfg.Streams == nil {
			return errInvalid("Stream not found: %s (the local cloud runs no DynamoDB service)", arn)
		}
		if err := s.cfg.Streams.CheckStream(arn); err != nil {
			return errInvalid("Stream not found: %s", arn)
		}
	}
	if s.cfg.IAM == nil {
		return nil
	}
	for _, action := range sourceActions[kind] {
		err := s.cfg.IAM.Authorize(role, "", iam.Request{Action: action, Resource: arn})
		var denied *iam.AccessDeniedError
		switch {
		case err == nil:
			continue
		case !errors.As(err, &denied):
			return core.AsError(err)
		case kind == sourceSQS:
			// AWS's text, as Lambda returns it.
			return errInvalid("The provided execution role does not have permissions to call %s on SQS", strings.TrimPrefix(action, "sqs:"))
		default:
			return errInvalid("Cannot access stream %s. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM. (%s is not allowed)", arn, action)
		}
	}
	return nil
}

// GetEventSourceMapping returns a mapping by UUID.
func (s *Service) GetEventSourceMapping(_ context.Context, id string) (EventSourceMappingConfiguration, error) {
	s.esm.mu.Lock()
	defer s.esm.mu.Unlock()
	m, ok := s.esm.byID[id]
	if !ok {
		return EventSourceMappingConfiguration{}, errMappingNotFound()
	}
	return m.view(), nil
}

// ListEventSourceMappings returns the mappings of a source and/or a
// function (either may be empty), ordered by UUID.
func (s *Service) ListEventSourceMappings(_ context.Context, sourceARN, functionRef string) ([]EventSourceMappingConfiguration, error) {
	fn := ""
	if functionRef != "" {
		name, _, err := s.parseRef(functionRef)
		if err != nil {
			return nil, err
		}
		fn = name
	}
	s.esm.mu.Lock()
	defer s.esm.mu.Unlock()
	out := []EventSourceMappingConfiguration{}
	for _, m := range s.esm.byID {
		if (sourceARN == "" || m.Config.EventSourceArn == sourceARN) && (fn == "" || m.Function == fn) {
			out = append(out, m.view())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UUID < out[j].UUID })
	return out, nil
}

// UpdateEventSourceMapping changes a mapping's function, batching, enabled
// state or retry settings; the poller restarts with them.
func (s *Service) UpdateEventSourceMapping(ctx context.Context, in UpdateEventSourceMappingInput) (EventSourceMappingConfiguration, error) {
	if len(in.Unsupported) > 0 {
		return EventSourceMappingConfiguration{}, errInvalid("%s: the local cloud runs event source mappings of SQS queues and DynamoDB streams only; remove %s",
			strings.Join(in.Unsupported, ", "), strings.Join(in.Unsupported, ", "))
	}
	s.esm.mu.Lock()
	m, ok := s.esm.byID[in.UUID]
	var c EventSourceMappingConfiguration
	var fn string
	if ok {
		c, fn = m.Config, m.Function
		c.FunctionResponseTypes = slices.Clone(c.FunctionResponseTypes)
	}
	s.esm.mu.Unlock()
	if !ok {
		return EventSourceMappingConfiguration{}, errMappingNotFound()
	}
	kind, _ := kindOf(c.EventSourceArn)
	if in.FunctionName != "" {
		name, arn, fc, err := s.mappingFunction(in.FunctionName)
		if err != nil {
			return EventSourceMappingConfiguration{}, err
		}
		if name != fn {
			if err := s.checkSource(ctx, kind, c.EventSourceArn, fc); err != nil {
				return EventSourceMappingConfiguration{}, err
			}
		}
		fn, c.FunctionArn = name, arn
	}
	if err := applySettings(&c, kind, settings{
		BatchSize: in.BatchSize, Window: in.MaximumBatchingWindowInSeconds, Parallelization: in.ParallelizationFactor,
		Bisect: in.BisectBatchOnFunctionError, MaxAge: in.MaximumRecordAgeInSeconds, MaxRetries: in.MaximumRetryAttempts,
		Tumbling: in.TumblingWindowInSeconds, Destination: in.DestinationConfig, ResponseTypes: in.FunctionResponseTypes,
		Scaling: in.ScalingConfig,
	}); err != nil {
		return EventSourceMappingConfiguration{}, err
	}
	shown := esmUpdating
	if in.Enabled != nil {
		switch {
		case *in.Enabled && c.State == esmDisabled:
			c.State, shown = esmEnabled, esmEnabling
		case !*in.Enabled && c.State == esmEnabled:
			c.State, shown = esmDisabled, esmDisable
		}
	}
	c.LastModified = epochSeconds(time.Now())

	s.esm.mu.Lock()
	defer s.esm.mu.Unlock()
	m, ok = s.esm.byID[in.UUID]
	if !ok {
		return EventSourceMappingConfiguration{}, errMappingNotFound()
	}
	s.stopPoller(m)
	next := m.esmStored
	next.Config, next.Function = c, fn
	next.Config.LastProcessingResult = m.result
	if err := s.esm.coll.Put(c.UUID, next); err != nil {
		return EventSourceMappingConfiguration{}, core.AsError(err)
	}
	m.esmStored = next
	if c.State == esmEnabled {
		s.startPoller(m)
	}
	out := c
	out.State = shown
	return out, nil
}

// DeleteEventSourceMapping stops a mapping's poller (waiting for the batch
// in flight) and deletes it.
func (s *Service) DeleteEventSourceMapping(_ context.Context, id string) (EventSourceMappingConfiguration, error) {
	s.esm.mu.Lock()
	defer s.esm.mu.Unlock()
	m, ok := s.esm.byID[id]
	if !ok {
		return EventSourceMappingConfiguration{}, errMappingNotFound()
	}
	s.stopPoller(m)
	if err := s.esm.coll.Delete(id); err != nil {
		return EventSourceMappingConfiguration{}, core.AsError(err)
	}
	delete(s.esm.byID, id)
	out := m.view()
	out.State = esmDeleting
	return out, nil
}

// startPoller starts m's poller. The caller holds s.esm.mu.
func (s *Service) startPoller(m *mapping) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	m.polled = m.Config
	snapshot := m.esmStored
	kind, _ := kindOf(snapshot.Config.EventSourceArn)
	if !s.goTracked(func() {
		defer close(done)
		defer cancel()
		// Close ends the poller too: a long poll must not hold it open.
		go func() {
			select {
			case <-s.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		switch kind {
		case sourceSQS:
			s.pollQueue(ctx, m, snapshot.Config)
		case sourceDynamoDBStream:
			s.pollStream(ctx, m, snapshot)
		}
	}) {
		cancel()
		return
	}
	m.stop, m.done = cancel, done
}

// stopPoller stops m's poller and waits for it to end. The caller holds
// s.esm.mu; pollers never take it.
func (s *Service) stopPoller(m *mapping) {
	if m.stop == nil {
		return
	}
	m.stop()
	<-m.done
	m.stop, m.done = nil, nil
}

// setPosition records a stream mapping's checkpoint and last processing
// result. It is called by m's poller only, which Update and Delete stop
// before they write m, so the store never sees an older write land last.
// Errors are logged: the stream keeps its records for 24 hours, so a lost
// checkpoint means records handed to the function again, not lost.
func (s *Service) setPosition(m *mapping, position, result string) {
	m.progress.Lock()
	m.Position = position
	if result != "" {
		m.result = result
	}
	st := esmStored{Config: m.polled, Function: m.Function, Tags: m.Tags, Position: position}
	st.Config.LastProcessingResult = m.result
	m.progress.Unlock()
	if err := s.esm.coll.Put(st.Config.UUID, st); err != nil {
		s.log.WithField("mapping", st.Config.UUID).Warnf("saving the stream position: %v", err)
	}
}

// view is m's configuration as the API returns it. The caller holds
// s.esm.mu.
func (m *mapping) view() EventSourceMappingConfiguration {
	c := m.Config
	m.progress.Lock()
	if m.result != "" {
		c.LastProcessingResult = m.result
	}
	m.progress.Unlock()
	return c
}

// sleepCtx waits d or until ctx ends or the service closes; false if it
// ended early.
func (s *Service) sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	case <-t.C:
		return true
	}
}

func epochSeconds(t time.Time) float64 {
	return float64(t.UnixMilli()) / 1000
}
