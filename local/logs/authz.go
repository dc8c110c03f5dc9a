package logs

import (
	"net/http"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps a CloudWatch Logs request to logs:<Operation> on its log
// group (arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*) or log stream
// (...:log-group:NAME:log-stream:STREAM), or "*" for operations without
// one (DescribeLogGroups).
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	resource := "*"
	if group := core.JSONString(r, "logGroupName"); group != "" {
		resource = s.groupARN(group) + ":*"
		if stream := core.JSONString(r, "logStreamName"); stream != "" {
			resource = s.groupARN(group) + ":log-stream:" + stream
		}
	}
	return []core.Permission{{Action: "logs:" + core.Operation(r), Resource: resource}}, nil
}
