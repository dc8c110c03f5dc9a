package apigateway

import (
	"net/http"

	"github.com/sparta-go/sparta/local/core"
)

var _ core.Authorizable = (*Service)(nil)

// Permissions maps a control plane call to API Gateway's IAM model: the
// HTTP verb as the action (apigateway:GET, apigateway:DELETE) on the
// resource path as an ARN (arn:aws:apigateway:REGION::/restapis/ID/...,
// /apikeys/ID, /usageplans/ID). The data plane never gets here: it is
// public (AWS_IAM methods check execute-api:Invoke themselves).
// See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-to-api.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	return []core.Permission{{
		Action:   "apigateway:" + r.Method,
		Resource: "arn:aws:apigateway:" + s.env.Region + "::" + r.URL.Path,
	}}, nil
}
