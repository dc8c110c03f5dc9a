package stepfunctions

import (
	"encoding/json"
	"time"

	"github.com/sparta-go/sparta/local/iam"
	"github.com/sparta-go/sparta/step/engine"
)

// Executions waiting for a task token survive a restart of the local
// cloud. While a top-level ".waitForTaskToken" task waits, the engine's
// checkpoint (the state, its input, the token, the history's length) is
// kept in the execution's running marker, after the history up to the
// task's TaskSubmitted event is stored. When the cloud stops (Close, or a
// kill), such an execution is neither failed nor ended: on restart it
// resumes from its checkpoint, its token is valid again, and
// SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat complete the task
// as if nothing had happened. Each SendTaskHeartbeat moves the stored
// checkpoint's LastHeartbeat, so HeartbeatSeconds (like TimeoutSeconds)
// keep counting across the restart. Executions stopped anywhere else (a Wait, a
// Lambda call, a callback inside a Parallel or Map) still end FAILED on
// restart, as before.

// checkpoint is the engine's Options.Checkpoint: it stores the execution's
// history so far, then its checkpoint in the running marker (or clears
// it when the task stops waiting).
func (r *run) checkpoint(cp *engine.Checkpoint) {
	if cp == nil && r.cloudStopped.Load() {
		return // the cloud is stopping: keep the checkpoint for the restart
	}
	s := r.s
	if cp != nil {
		r.flush(s.historiesOf(r.ref.machine))
	}
	r.markerMu.Lock()
	defer r.markerMu.Unlock()
	r.mu.Lock()
	r.waiting = cp
	r.mu.Unlock()
	if err := s.runningC.Put(r.rec.ARN, runningMarker{Machine: r.ref.machine, Key: r.ref.key, Execution: r.snapshot(), Waiting: cp}); err != nil {
		s.log.WithField("execution", r.rec.ARN).Errorf("storing the task's checkpoint: %v", err)
	}
}

// keepWaiting ends a run the cloud stopped while it waited for a token
// without recording an end: its marker keeps the checkpoint, and the
// events the stop produced are dropped, so that the restart resumes it.
func (r *run) keepWaiting() bool {
	r.mu.Lock()
	keep := r.waiting != nil && r.cloudStopped.Load()
	if keep {
		r.pending = nil
	}
	r.mu.Unlock()
	if !keep {
		return false
	}
	s := r.s
	s.mu.Lock()
	delete(s.running, r.rec.ARN)
	for _, t := range s.tokens {
		if t.run == r {
			t.run = nil
		}
	}
	s.mu.Unlock()
	close(r.finished)
	s.log.WithField("execution", r.rec.ARN).Debug("execution kept waiting for its task token across the stop")
	return true
}

// resume restarts an execution from the checkpoint of its marker, and
// reports whether it could: the machine must still exist and the stored
// history must end at the checkpoint.
func (s *Service) resume(m runningMarker) bool {
	cp := m.Waiting
	log := s.log.WithField("execution", m.Execution.ARN)
	mach := s.machines[m.Machine]
	if mach == nil || mach.prog == nil {
		log.Info("cannot resume: its state machine is gone or does not compile")
		return false
	}
	var before []HistoryEvent
	err := s.historiesOf(m.Machine).ReadLog(m.Key, func(raw json.RawMessage) error {
		var ev HistoryEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return err
		}
		before = append(before, ev)
		return nil
	})
	if err != nil || int64(len(before)) != cp.Events {
		log.Infof("cannot resume: the stored history has %d events (%v), the checkpoint %d", len(before), err, cp.Events)
		return false
	}
	r := &run{
		s: s, ref: executionRef{machine: m.Machine, key: m.Key, name: m.Execution.Name}, session: iam.SessionName(),
		role: m.Execution.RoleARN, input: m.Execution.Input, rec: m.Execution, waiting: cp, before: before,
		kick: make(chan struct{}, 1), ready: make(chan struct{}), finished: make(chan struct{}),
	}
	opts := s.engineOptions(r, mach)
	opts.Resume = cp
	s.mu.Lock()
	s.running[r.rec.ARN] = r
	s.tokens[cp.Token] = &tokenEntry{run: r, execution: r.rec.ARN, machine: r.rec.StateMachineARN}
	s.wg.Add(1)
	s.mu.Unlock()
	exec, err := mach.prog.Start(s.ctx, json.RawMessage(r.input), opts)
	if err != nil {
		log.Infof("cannot resume: %v", err)
		s.mu.Lock()
		delete(s.running, r.rec.ARN)
		delete(s.tokens, cp.Token)
		s.mu.Unlock()
		s.wg.Done()
		return false
	}
	r.mu.Lock()
	r.exec = exec
	r.mu.Unlock()
	close(r.ready)
	go r.wait()
	log.Info("resumed: it waits for its task token in state " + cp.State)
	return true
}

// noteHeartbeat moves the stored checkpoint's LastHeartbeat when token is
// the one its execution waits on, so that HeartbeatSeconds after a restart
// count from the last heartbeat, as on AWS.
func (s *Service) noteHeartbeat(token string) {
	s.mu.Lock()
	t := s.tokens[token]
	s.mu.Unlock()
	if t == nil || t.run == nil {
		return
	}
	r := t.run
	r.markerMu.Lock()
	defer r.markerMu.Unlock()
	r.mu.Lock()
	cp := r.waiting
	if cp == nil || cp.Token != token || r.cloudStopped.Load() {
		r.mu.Unlock()
		return
	}
	beat := *cp
	beat.LastHeartbeat = time.Now()
	r.waiting = &beat
	r.mu.Unlock()
	if err := s.runningC.Put(r.rec.ARN, runningMarker{Machine: r.ref.machine, Key: r.ref.key, Execution: r.snapshot(), Waiting: &beat}); err != nil {
		s.log.WithField("execution", r.rec.ARN).Errorf("storing the task's heartbeat: %v", err)
	}
}
