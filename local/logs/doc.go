// Package logs is the local cloud's Amazon CloudWatch Logs, on the awsJson
// 1.1 protocol (X-Amz-Target: Logs_20140328.<Operation>), with log events
// kept in the cloud's state directory.
//
// # Supported operations
//
// CreateLogGroup, DeleteLogGroup, DescribeLogGroups (prefix, pattern,
// paging), PutRetentionPolicy, DeleteRetentionPolicy (stored and reported;
// events are not expired), CreateLogStream, DeleteLogStream,
// DescribeLogStreams (prefix, order by name or last event time, paging),
// PutLogEvents (chronological order enforced; events older than 14 days or
// more than 2 hours ahead are rejected and reported as on AWS),
// GetLogEvents (time window, startFromHead, forward and backward tokens that
// repeat at the end as the SDK paginators expect) and FilterLogEvents
// (interleaved across streams, stream names or prefix, time window, paging).
//
// Filter patterns: terms and "quoted phrases" that must all appear
// (case-sensitive), ?term alternatives, and -term exclusions. JSON ({ $.x
// = ... }) and space-delimited ([a, b]) patterns are refused with
// InvalidParameterException. Any other operation is refused with
// UnknownOperationException naming it.
//
// # Go API
//
// Other services write logs with [Service.Append], which creates the group
// and stream on first use (as Lambda does for /aws/lambda/<function>), and
// read them with [Service.Events]. Find the service with env.Lookup("logs").
package logs
