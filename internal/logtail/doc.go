// Package logtail follows what a deployed service does: the CloudWatch Logs
// events of its functions' log groups and the executions of its state
// machines as they start and finish, merged in time order. It backs the
// CLI's logs command on AWS and on the local cloud alike, polling through
// the SDK clients it is given.
package logtail
