package stepfunctions

import (
	"encoding/json"
	"errors"

	"github.com/sparta-go/sparta/step/engine"
)

// tokenEntry routes a task token to the execution that issued it. The
// entry outlives its execution (run is then nil) so that a late callback
// gets TaskDoesNotExist rather than InvalidToken; tokens are kept in
// memory only, so after a restart every old token is InvalidToken.
type tokenEntry struct {
	run *run
	// execution is the ARN of the execution whose task holds the token:
	// the run's, or a child execution of one of its Distributed Maps.
	execution string
	// machine is the ARN of the run's state machine, the resource IAM
	// checks SendTask* against.
	machine string
}

// SendTaskSuccess completes the ".waitForTaskToken" task waiting on token
// with output.
// See https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
func (s *Service) SendTaskSuccess(token, output string) error {
	if len(output) > maxPayload {
		return apiError("InvalidOutput", "Invalid Output: 'the output is larger than %d bytes'", maxPayload)
	}
	if !json.Valid([]byte(output)) {
		return apiError("InvalidOutput", "Invalid Output: 'the output is not valid JSON'")
	}
	return s.withToken(token, func(e *engine.Execution) error {
		return e.SendTaskSuccess(token, json.RawMessage(output))
	})
}

// SendTaskFailure fails the task waiting on token with errName and cause,
// which the state's Retry and Catch match.
func (s *Service) SendTaskFailure(token, errName, cause string) error {
	return s.withToken(token, func(e *engine.Execution) error {
		return e.SendTaskFailure(token, errName, cause)
	})
}

// SendTaskHeartbeat resets the HeartbeatSeconds clock of the task waiting
// on token.
func (s *Service) SendTaskHeartbeat(token string) error {
	err := s.withToken(token, func(e *engine.Execution) error {
		return e.SendTaskHeartbeat(token)
	})
	if err == nil {
		s.noteHeartbeat(token)
	}
	return err
}

func (s *Service) withToken(token string, fn func(*engine.Execution) error) error {
	if token == "" || len(token) > 2048 {
		return apiError("InvalidToken", "Invalid Token: 'the token must be 1 to 2048 characters'")
	}
	s.mu.Lock()
	t, ok := s.tokens[token]
	var r *run
	var execARN string
	if ok {
		r, execARN = t.run, t.execution
	}
	s.mu.Unlock()
	if !ok {
		return apiError("InvalidToken", "Invalid Token: 'the token was not issued by this local cloud, or the local cloud restarted since'")
	}
	if r == nil {
		return taskDoesNotExist()
	}
	e := r.engine()
	if e == nil {
		return taskDoesNotExist()
	}
	if execARN != "" && execARN != r.rec.ARN {
		if child := s.mapRunChild(execARN); child != nil {
			e = child.exec
		}
	}
	err := fn(e)
	if errors.Is(err, engine.ErrTaskDoesNotExist) {
		return taskDoesNotExist()
	}
	if err != nil {
		return apiError("InvalidOutput", "Invalid Output: '%v'", err)
	}
	return nil
}

func taskDoesNotExist() error {
	return apiError("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist anymore'")
}
