package s3

import (
	"errors"
	"fmt"
	"net/http"
	"syscall"

	"github.com/sparta-go/sparta/local/core"
)

// S3 error codes and statuses, from
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList

func errNoSuchBucket(bucket string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist").With("BucketName", bucket)
}

func errNoSuchKey(key string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.").With("Key", key)
}

func errNoSuchVersion(key, version string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchVersion", "The specified version does not exist.").With("Key", key).With("VersionId", version)
}

func errNoSuchUpload(id string) error {
	return core.Errorf(http.StatusNotFound, "NoSuchUpload",
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").With("UploadId", id)
}

func errInvalidArgument(name, value, format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "InvalidArgument", format, args...).With("ArgumentName", name).With("ArgumentValue", value)
}

func errInvalidRequest(format string, args ...any) error {
	return core.Errorf(http.StatusBadRequest, "InvalidRequest", format, args...)
}

func errMalformedXML(what string, err error) error {
	return core.Errorf(http.StatusBadRequest, "MalformedXML",
		"The XML you provided was not well-formed or did not validate against our published schema (%s: %v)", what, err)
}

func errBadDigest(what string) error {
	return core.Errorf(http.StatusBadRequest, "BadDigest", "The %s you specified did not match the calculated checksum.", what)
}

func errNotSupported(feature string) error {
	return core.Errorf(http.StatusNotImplemented, "NotImplemented",
		"%s is not supported by the local cloud's S3", feature)
}

func errMethodNotAllowed(method, resource string) error {
	return core.Errorf(http.StatusMethodNotAllowed, "MethodNotAllowed",
		"The specified method is not allowed against this resource.").With("Method", method).With("ResourceType", resource)
}

// errInternal is a failure of the cloud's own storage, worded as S3's
// InternalError: the message names the step, never the server's paths
// (the cause goes to the server's log through core.LogInternal).
func errInternal(op string, err error) error {
	if e := errStorage(err); e.Code == "ServiceUnavailable" {
		return e
	}
	return &core.Error{Code: "InternalError", Status: http.StatusInternalServerError, Receiver: true,
		Message: fmt.Sprintf("We encountered an internal error (%s). Please try again.", op), Cause: err}
}

// errStorage is a failed write to the store: 503 ServiceUnavailable when
// the disk is full (a condition the user can clear), 500 InternalError
// otherwise.
func errStorage(err error) *core.Error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return &core.Error{Code: "ServiceUnavailable", Status: http.StatusServiceUnavailable, Receiver: true,
			Message: "Service is unable to handle request: the local cloud's disk is full.", Cause: err}
	}
	return &core.Error{Code: "InternalError", Status: http.StatusInternalServerError, Receiver: true,
		Message: "We encountered an internal error. Please try again.", Cause: err}
}
