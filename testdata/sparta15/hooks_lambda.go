//go:build lambdabinary

package main

import sparta "github.com/sparta-go/sparta"

// Hooks and decorators never run inside Lambda: in this build they are
// placeholders with the names main.go uses.
var (
	logHook               = func(string) any { return nil }
	archiveHook           any
	topicDecorator        = func() sparta.ServiceDecoratorHookHandler { return nil }
	dockerDecorator       = topicDecorator
	contextKeyDisplayName = "displayName"
	fargateRoleID         = "fargateRole"
)
