package service

import "context"

// WorkflowHooks are the user's extension points into provisioning, with
// every field Sparta 1.15 has. Each singular hook runs before the hooks of
// its plural list. Context seeds the map that every hook receives (and that
// decorators see as ServiceContext.Values).
//
// The order is Sparta's: PreBuild(s), compile, PostBuild(s), Archive(s)
// into each code zip, PreMarshall(s), ServiceDecorator then
// ServiceDecorators, Validators over the finished template, PostMarshall(s);
// Rollback(s) run when provisioning fails after validation.
type WorkflowHooks struct {
	// Context is the initial hook context; may be nil.
	Context map[string]interface{}
	// PreBuild is called before the service's binary is compiled.
	PreBuild WorkflowHook
	// PreBuilds are called before the service's binary is compiled.
	PreBuilds []WorkflowHookHandler
	// PostBuild is called after the service's binary is compiled.
	PostBuild WorkflowHook
	// PostBuilds are called after the service's binary is compiled.
	PostBuilds []WorkflowHookHandler
	// Archive is called after the binary is added to a code zip and before
	// the zip is closed, to add resource files to the Lambda package.
	Archive ArchiveHook
	// Archives are called like Archive.
	Archives []ArchiveHookHandler
	// PreMarshall is called before the template is assembled.
	PreMarshall WorkflowHook
	// PreMarshalls are called before the template is assembled.
	PreMarshalls []WorkflowHookHandler
	// ServiceDecorator runs before ServiceDecorators: a state machine's
	// StateMachineDecorator(), or a positional Sparta decorator wrapped in
	// ServiceDecoratorHookFunc.
	ServiceDecorator ServiceDecoratorHookHandler
	// ServiceDecorators run in order over the template after the functions
	// are added: a state machine, an image builder, a Fargate cluster...
	ServiceDecorators []ServiceDecoratorHookHandler
	// PostMarshall is called after the template is written.
	PostMarshall WorkflowHook
	// PostMarshalls are called after the template is written.
	PostMarshalls []WorkflowHookHandler
	// Validators are called when all decorators have run, with the finished
	// template; an error stops provisioning before anything is deployed.
	Validators []ServiceValidationHookHandler
	// Rollback is called when provisioning fails after validation.
	Rollback RollbackHook
	// Rollbacks are called when provisioning fails after validation.
	Rollbacks []RollbackHookHandler
}

// Decorators lists ServiceDecorator (when set) then ServiceDecorators, the
// order provisioning runs them in.
func (h *WorkflowHooks) Decorators() []ServiceDecoratorHookHandler {
	if h == nil {
		return nil
	}
	if h.ServiceDecorator == nil {
		return h.ServiceDecorators
	}
	return append([]ServiceDecoratorHookHandler{h.ServiceDecorator}, h.ServiceDecorators...)
}

// ServiceValidationHookHandler checks the finished template. Sparta's
// positional shape is ServiceValidationHookFunc.
type ServiceValidationHookHandler interface {
	ValidateService(ctx context.Context, sc *ServiceContext) error
}
