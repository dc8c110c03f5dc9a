// Package invoke runs one Lambda function once and reports what happened:
// its result or error type, how long it took and the tail of its log. It
// backs the CLI's invoke command for its three targets: offline (the Go
// handler called in-process, as `sam local invoke` does but without
// Docker), the local cloud and AWS (both through the Lambda Invoke API with
// LogType Tail). It also builds sample events for the common event sources
// from aws-lambda-go's events types.
package invoke
