//go:build !lambdabinary

package step

import "github.com/sparta-go/sparta/service"

// Validate lets provisioning check the machine before anything is built.
func (d *stateMachineDecorator) Validate() error { return d.sm.Validate() }

// StateMachine is the machine the decorator adds.
func (d *stateMachineDecorator) StateMachine() *StateMachine { return d.sm }

// MachineOf returns the machine behind a decorator made by
// StateMachineDecorator (through any NamedDecorator wrapper), so that the
// CLI can find a service's machines among its workflow hooks.
func MachineOf(d service.ServiceDecoratorHookHandler) (*StateMachine, bool) {
	md, ok := service.Unwrap(d).(*stateMachineDecorator)
	if !ok {
		return nil, false
	}
	return md.sm, true
}
