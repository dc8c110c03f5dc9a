package ssm

import (
	"encoding/json"
	"net/http"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps a Parameter Store request to ssm:<Operation> on each
// parameter it names (Name, or every one of Names), by ARN
// (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME); a NAME:VERSION selector is
// authorized on the parameter.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	action := "ssm:" + core.Operation(r)
	fields := core.JSONFields(r)
	var names []string
	if n := core.JSONString(r, "Name"); n != "" {
		names = append(names, n)
	}
	var many []string
	if json.Unmarshal(fields["Names"], &many) == nil {
		names = append(names, many...)
	}
	if len(names) == 0 {
		return []core.Permission{{Action: action, Resource: "*"}}, nil
	}
	out := make([]core.Permission, 0, len(names))
	for _, n := range names {
		name, _, err := splitSelector(s.nameFromARN(n))
		if err != nil {
			name = n
		}
		out = append(out, core.Permission{Action: action, Resource: s.ARN(name)})
	}
	return out, nil
}
