package lambda

import (
	"context"
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/local/resource"
)

// mappingProvider implements AWS::Lambda::EventSourceMapping. Ref is the
// mapping's UUID; Fn::GetAtt Id is the UUID and EventSourceMappingArn its
// ARN.
// See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html
type mappingProvider struct{ s *Service }

var _ resource.Provider = mappingProvider{}

// mappingSettings reads the properties Create and Update share.
func mappingSettings(props map[string]any) (st settings, enabled *bool, err error) {
	ints := map[string]**int{
		"BatchSize": &st.BatchSize, "MaximumBatchingWindowInSeconds": &st.Window, "ParallelizationFactor": &st.Parallelization,
		"MaximumRecordAgeInSeconds": &st.MaxAge, "MaximumRetryAttempts": &st.MaxRetries, "TumblingWindowInSeconds": &st.Tumbling,
	}
	for k, dst := range ints {
		if *dst, err = propInt(props, k); err != nil {
			return st, nil, err
		}
	}
	boolOf := func(k string) *bool {
		if _, ok := props[k]; !ok {
			return nil
		}
		b := strings.EqualFold(propString(props, k), "true")
		return &b
	}
	st.Bisect, enabled = boolOf("BisectBatchOnFunctionError"), boolOf("Enabled")
	if _, ok := props["FunctionResponseTypes"]; ok {
		st.ResponseTypes = append([]string{}, propStrings(props, "FunctionResponseTypes")...)
	}
	if sc := propMap(props, "ScalingConfig"); sc != nil {
		n, err := propInt(sc, "MaximumConcurrency")
		if err != nil {
			return st, nil, fmt.Errorf("ScalingConfig.%w", err)
		}
		st.Scaling = &ScalingConfig{MaximumConcurrency: n}
	}
	if dc := propMap(props, "DestinationConfig"); dc != nil {
		st.Destination = &DestinationConfig{OnFailure: &OnFailure{Destination: propString(propMap(dc, "OnFailure"), "Destination")}}
	}
	return st, enabled, nil
}

// unsupportedProps names the properties set that the local cloud does not
// implement.
func unsupportedProps(props map[string]any) []string {
	return unsupportedFields(props)
}

func (p mappingProvider) Create(ctx context.Context, req resource.Request) (resource.Result, error) {
	props := req.Properties
	st, enabled, err := mappingSettings(props)
	if err != nil {
		return resource.Result{}, err
	}
	c, err := p.s.CreateEventSourceMapping(ctx, CreateEventSourceMappingInput{
		FunctionName: propString(props, "FunctionName"), EventSourceArn: propString(props, "EventSourceArn"),
		Enabled: enabled, BatchSize: st.BatchSize, MaximumBatchingWindowInSeconds: st.Window,
		StartingPosition: propString(props, "StartingPosition"), ParallelizationFactor: st.Parallelization,
		BisectBatchOnFunctionError: st.Bisect, MaximumRecordAgeInSeconds: st.MaxAge, MaximumRetryAttempts: st.MaxRetries,
		TumblingWindowInSeconds: st.Tumbling, DestinationConfig: st.Destination, FunctionResponseTypes: st.ResponseTypes,
		ScalingConfig: st.Scaling, Tags: propTags(props), Unsupported: unsupportedProps(props),
	})
	if err != nil {
		return resource.Result{}, err
	}
	return mappingResult(c), nil
}

func mappingResult(c EventSourceMappingConfiguration) resource.Result {
	return resource.Result{PhysicalID: c.UUID, Attributes: map[string]any{"Id": c.UUID, "EventSourceMappingArn": c.EventSourceMappingArn}}
}

// Update changes the mapping in place; the properties that cannot change
// replace it (RequiresReplacement).
func (p mappingProvider) Update(ctx context.Context, req resource.Request) (resource.Result, error) {
	props := req.Properties
	st, enabled, err := mappingSettings(props)
	if err != nil {
		return resource.Result{}, err
	}
	// A property removed from the template returns to its default.
	if enabled == nil {
		t := true
		enabled = &t
	}
	if st.ResponseTypes == nil {
		st.ResponseTypes = []string{}
	}
	var un []string
	for _, f := range unsupportedProps(props) {
		if f != "EventSourceArn" && f != "StartingPosition" {
			un = append(un, f)
		}
	}
	c, err := p.s.UpdateEventSourceMapping(ctx, UpdateEventSourceMappingInput{
		UUID: req.PhysicalID, FunctionName: propString(props, "FunctionName"), Enabled: enabled,
		BatchSize: st.BatchSize, MaximumBatchingWindowInSeconds: st.Window, ParallelizationFactor: st.Parallelization,
		BisectBatchOnFunctionError: st.Bisect, MaximumRecordAgeInSeconds: st.MaxAge, MaximumRetryAttempts: st.MaxRetries,
		TumblingWindowInSeconds: st.Tumbling, DestinationConfig: st.Destination, FunctionResponseTypes: st.ResponseTypes,
		ScalingConfig: st.Scaling, Unsupported: un,
	})
	if err != nil {
		return resource.Result{}, err
	}
	return mappingResult(c), nil
}

func (p mappingProvider) Delete(ctx context.Context, req resource.Request) error {
	if _, err := p.s.DeleteEventSourceMapping(ctx, req.PhysicalID); err != nil && !notFound(err) {
		return err
	}
	return nil
}

// RequiresReplacement: the source and where a stream is read from are
// fixed at creation ("Update requires: Replacement" in the reference).
func (mappingProvider) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, "EventSourceArn", "StartingPosition", "StartingPositionTimestamp",
		"SelfManagedEventSource", "AmazonManagedKafkaEventSourceConfig", "SelfManagedKafkaEventSourceConfig", "KmsKeyArn", "Topics", "Queues")
}
