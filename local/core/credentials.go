package core

import "net/http"

// The documented default credentials of the local cloud: the pair LocalStack
// users already type. Every client of the local cloud (the CLI's --local
// commands, localtest, the docs' AWS CLI examples) signs with them.
const (
	DefaultAccessKeyID     = "test"
	DefaultSecretAccessKey = "test"
)

// Public is implemented by services that serve some requests without AWS
// credentials, as AWS does: API Gateway's execute-api data plane, S3 objects
// a bucket policy opens to everyone, a custom resource's presigned response
// URL. The router asks Public only after its origin and Host checks have
// passed; a request that Public declines must carry a valid SigV4 signature.
type Public interface {
	Public(r *http.Request) bool
}
