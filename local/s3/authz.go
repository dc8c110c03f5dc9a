package s3

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/sparta-go/sparta/local/core"
)

// Permissions maps an S3 request to the IAM action and resource AWS
// authorizes it as: arn:aws:s3:::bucket for bucket operations,
// arn:aws:s3:::bucket/key for object operations, "*" for ListBuckets.
// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
func (s *Service) Permissions(r *http.Request) ([]core.Permission, error) {
	bucket, key := address(r)
	sub := subresource(r)
	q := r.URL.Query()
	if bucket == "" {
		return []core.Permission{{Action: "s3:ListAllMyBuckets", Resource: "*"}}, nil
	}
	bucketARN := "arn:aws:s3:::" + bucket
	if key == "" {
		action := ""
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			switch sub {
			case "":
				action = "s3:ListBucket"
			case "uploads":
				action = "s3:ListBucketMultipartUploads"
			case "versions":
				action = "s3:ListBucketVersions"
			case "location":
				action = "s3:GetBucketLocation"
			case "acl":
				action = "s3:GetBucketAcl"
			case "policyStatus":
				action = "s3:GetBucketPolicyStatus"
			default:
				action = "s3:GetBucket" + upperFirst(sub)
			}
		case http.MethodPut:
			if sub == "" {
				action = "s3:CreateBucket"
			} else {
				action = "s3:PutBucket" + upperFirst(sub)
			}
		case http.MethodDelete:
			if sub == "" {
				action = "s3:DeleteBucket"
			} else {
				action = "s3:PutBucket" + upperFirst(sub)
			}
		case http.MethodPost:
			if sub == "delete" {
				// DeleteObjects needs s3:DeleteObject on each key.
				return []core.Permission{{Action: "s3:DeleteObject", Resource: bucketARN + "/*"}}, nil
			}
			action = "s3:PutObject"
		default:
			action = "s3:ListBucket"
		}
		return []core.Permission{{Action: action, Resource: bucketARN}}, nil
	}
	objectARN := bucketARN + "/" + key
	var perms []core.Permission
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		switch {
		case q.Has("uploadId"):
			perms = append(perms, core.Permission{Action: "s3:ListMultipartUploadParts", Resource: objectARN})
		case sub == "tagging":
			perms = append(perms, core.Permission{Action: "s3:GetObjectTagging", Resource: objectARN})
		case sub == "acl":
			perms = append(perms, core.Permission{Action: "s3:GetObjectAcl", Resource: objectARN})
		case q.Has("versionId"):
			perms = append(perms, core.Permission{Action: "s3:GetObjectVersion", Resource: objectARN})
		default:
			perms = append(perms, core.Permission{Action: "s3:GetObject", Resource: objectARN})
		}
	case http.MethodPut:
		switch sub {
		case "tagging":
			perms = append(perms, core.Permission{Action: "s3:PutObjectTagging", Resource: objectARN})
		case "acl":
			perms = append(perms, core.Permission{Action: "s3:PutObjectAcl", Resource: objectARN})
		default:
			perms = append(perms, core.Permission{Action: "s3:PutObject", Resource: objectARN})
		}
		if src := r.Header.Get("X-Amz-Copy-Source"); src != "" {
			if u, err := url.PathUnescape(src); err == nil {
				src = u
			}
			src, _, _ = strings.Cut(strings.TrimPrefix(src, "/"), "?")
			perms = append(perms, core.Permission{Action: "s3:GetObject", Resource: "arn:aws:s3:::" + src})
		}
	case http.MethodDelete:
		switch {
		case q.Has("uploadId"):
			perms = append(perms, core.Permission{Action: "s3:AbortMultipartUpload", Resource: objectARN})
		case sub == "tagging":
			perms = append(perms, core.Permission{Action: "s3:DeleteObjectTagging", Resource: objectARN})
		default:
			perms = append(perms, core.Permission{Action: "s3:DeleteObject", Resource: objectARN})
		}
	default: // POST: multipart create and complete
		perms = append(perms, core.Permission{Action: "s3:PutObject", Resource: objectARN})
	}
	return perms, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
