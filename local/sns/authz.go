package sns

import (
	"net/http"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps an SNS request to sns:<Action> on the topic it names
// (TopicArn or TargetArn; the topic of SubscriptionArn; CreateTopic's
// Name), "*" otherwise.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	p := core.QueryParams(r)
	resource := "*"
	switch {
	case p.Get("TopicArn") != "":
		resource = p.Get("TopicArn")
	case p.Get("TargetArn") != "":
		resource = p.Get("TargetArn")
	case p.Get("SubscriptionArn") != "":
		// Unsubscribe and the subscription attribute actions are
		// authorized on the subscription's topic, as in IAM's reference.
		arn := p.Get("SubscriptionArn")
		if i := strings.LastIndex(arn, ":"); i > 0 {
			resource = arn[:i]
		}
	case p.Get("Action") == "CreateTopic" && p.Get("Name") != "":
		resource = s.env.ARN("sns", p.Get("Name"))
	}
	return []core.Permission{{Action: "sns:" + p.Get("Action"), Resource: resource}}, nil
}
