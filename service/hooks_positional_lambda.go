//go:build lambdabinary

package service

// In the Lambda build, workflow hooks never run: these names accept any
// value, so that a program's untagged code that fills WorkflowHooks
// compiles on both sides without linking the AWS SDK or logrus into the
// function's code. The CLI build (hooks_positional_cli.go) has the real
// types.
type (
	WorkflowHook        = any
	WorkflowHookFunc    = any
	WorkflowHookHandler = any
	ArchiveHook         = any
	ArchiveHookFunc     = any
	ArchiveHookHandler  = any
	RollbackHook        = any
	RollbackHookFunc    = any
	RollbackHookHandler = any
)
