package sparta

import (
	"os"

	"github.com/sirupsen/logrus"

	"github.com/sparta-go/sparta/cfn"
)

// ProperName is Sparta's name for itself, which Sparta programs use in
// resource names (a log group "/Sparta/<service>", say).
const ProperName = "Sparta"

// HandleAWSLambda is NewAWSLambda for callers that cannot handle an error,
// as in Sparta: it panics with NewAWSLambda's error, which names the
// function and what is wrong with it.
//
// Deprecated: Sparta deprecated it in 1.6 in favor of NewAWSLambda.
func HandleAWSLambda(name string, handler any, roleNameOrIAMRoleDefinition any) *LambdaAWSInfo {
	fn, err := NewAWSLambda(name, handler, roleNameOrIAMRoleDefinition)
	if err != nil {
		panic(err)
	}
	return fn
}

// CloudFormationResourceName returns a logical resource ID made of prefix
// and parts, as Sparta's does. Unlike Sparta's it never depends on anything
// random: the same prefix and parts always give the same ID (cfn.LogicalID),
// so pass parts that tell two resources of one prefix apart.
func CloudFormationResourceName(prefix string, parts ...string) string {
	return cfn.LogicalID(append([]string{prefix}, parts...)...)
}

// OptionsGlobal holds the global command line options, as Sparta exposes
// them. Logger is usable before MainEx runs; MainEx replaces it with the
// logger its --level and --format flags ask for, and sets the rest.
var OptionsGlobal = struct {
	ServiceName        string
	ServiceDescription string
	Noop               bool
	LogLevel           string
	LogFormat          string
	Logger             *logrus.Logger
	Command            string
}{
	LogLevel:  "info",
	LogFormat: "text",
	Logger:    &logrus.Logger{Out: os.Stderr, Formatter: new(logrus.TextFormatter), Hooks: make(logrus.LevelHooks), Level: logrus.InfoLevel},
}
