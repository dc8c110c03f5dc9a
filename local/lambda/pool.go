package lambda

import "time"

// poolKey names the sandboxes of one function version: sandboxes of
// different versions run different code or configuration.
type poolKey struct {
	name, version string
}

// pool is the sandboxes of one function version. Its fields are guarded by
// Service.poolMu.
type pool struct {
	// idle are warm sandboxes, the most recently used last.
	idle []*sandbox
	// live are all the pool's sandboxes, idle or busy.
	live map[*sandbox]struct{}
	// gen is bumped when the version's code or configuration changes;
	// sandboxes of an older generation are stopped rather than reused.
	gen int
}

// drain removes every sandbox from the pool and returns them to be
// stopped. The caller holds poolMu.
func (p *pool) drain() []*sandbox {
	var out []*sandbox
	for sb := range p.live {
		out = append(out, sb)
	}
	p.idle, p.live = nil, map[*sandbox]struct{}{}
	return out
}

// acquire admits one invocation of t and returns a sandbox for it: the
// warmest idle one, or a new one. It returns TooManyRequestsException when
// the function's reserved concurrency or the service's limit is reached.
// release must follow.
func (s *Service) acquire(t target, requestID string) (*sandbox, error) {
	s.poolMu.Lock()
	if s.closed {
		s.poolMu.Unlock()
		return nil, errClosed
	}
	if t.reserved != nil && s.inflight[t.name] >= *t.reserved {
		s.poolMu.Unlock()
		return nil, errThrottled(reasonReserved, t.name, *t.reserved)
	}
	if s.total >= s.cfg.MaxConcurrency {
		s.poolMu.Unlock()
		return nil, errThrottled(reasonAccount, t.name, s.cfg.MaxConcurrency)
	}
	s.inflight[t.name]++
	s.total++
	p := s.pools[t.key()]
	if p == nil {
		p = &pool{live: map[*sandbox]struct{}{}}
		s.pools[t.key()] = p
	}
	var dead []*sandbox
	for n := len(p.idle); n > 0; n = len(p.idle) {
		sb := p.idle[n-1]
		p.idle = p.idle[:n-1]
		if sb.idleTimer != nil {
			sb.idleTimer.Stop()
		}
		if sb.alive() {
			s.poolMu.Unlock()
			stopAll(dead)
			return sb, nil
		}
		// Its process exited after its last invocation (a runtime exits
		// after reporting a panic or an oversized response): never reuse
		// it; the invocation cold-starts a fresh one.
		delete(p.live, sb)
		dead = append(dead, sb)
	}
	gen := p.gen
	s.poolMu.Unlock()
	stopAll(dead)

	sb, err := s.spawn(t, gen, requestID)
	s.poolMu.Lock()
	if err == nil && !s.closed {
		s.pools[t.key()].live[sb] = struct{}{}
		s.poolMu.Unlock()
		return sb, nil
	}
	s.inflight[t.name]--
	s.total--
	closed := s.closed
	s.poolMu.Unlock()
	if err == nil && closed {
		sb.stop()
		err = errClosed
	}
	return nil, err
}

// release ends an invocation's hold on sb: a healthy sandbox of the
// current generation goes back to the idle list, any other is stopped.
func (s *Service) release(sb *sandbox, healthy bool) {
	s.poolMu.Lock()
	s.inflight[sb.key.name]--
	s.total--
	p := s.pools[sb.key]
	_, live := p.live[sb]
	if !live {
		// Drained by Close or retire: whoever drained it stops it.
		s.poolMu.Unlock()
		return
	}
	if !healthy || !sb.alive() || s.closed || sb.gen != p.gen {
		delete(p.live, sb)
		s.poolMu.Unlock()
		sb.stop()
		return
	}
	p.idle = append(p.idle, sb)
	sb.idleTimer = time.AfterFunc(s.cfg.IdleTimeout, func() { s.evict(sb) })
	s.poolMu.Unlock()
}

// evict stops sb if it is still idle.
func (s *Service) evict(sb *sandbox) {
	s.poolMu.Lock()
	p := s.pools[sb.key]
	found := false
	for i, x := range p.idle {
		if x == sb {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			delete(p.live, sb)
			found = true
			break
		}
	}
	s.poolMu.Unlock()
	if found {
		sb.stop()
	}
}

// retire makes the warm sandboxes of a function version (every version
// when version is "") unusable: idle ones stop now, busy ones when their
// invocation ends.
func (s *Service) retire(name, version string) {
	var stop []*sandbox
	s.poolMu.Lock()
	for k, p := range s.pools {
		if k.name != name || (version != "" && k.version != version) {
			continue
		}
		p.gen++
		for _, sb := range p.idle {
			delete(p.live, sb)
			stop = append(stop, sb)
		}
		p.idle = nil
	}
	s.poolMu.Unlock()
	for _, sb := range stop {
		sb.stop()
	}
}

// Sandboxes returns how many processes run for a function (all versions),
// idle or busy: what tests and the local cloud's status report read.
func (s *Service) Sandboxes(name string) int {
	s.poolMu.Lock()
	defer s.poolMu.Unlock()
	n := 0
	for k, p := range s.pools {
		if k.name == name {
			n += len(p.live)
		}
	}
	return n
}

// stopAll stops sandboxes taken out of their pool.
func stopAll(sbs []*sandbox) {
	for _, sb := range sbs {
		sb.stop()
	}
}
