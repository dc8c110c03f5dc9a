package lambda

import "context"

// streamStart returns the position a new stream mapping starts after.
func (s *Service) streamStart(arn, startingPosition string) (string, error) {
	return s.cfg.Streams.Start(arn, startingPosition)
}

// pollStream runs a DynamoDB stream mapping until ctx ends.
func (s *Service) pollStream(ctx context.Context, m *mapping, st esmStored) {}
