package core

import "net/http"

// Protocol is a service's wire protocol; it decides how an authentication
// failure is worded, since AWS's services word the same failure
// differently.
type Protocol int

// The protocols of the local cloud's services.
const (
	// ProtocolQuery is awsQuery: STS, IAM, SNS, CloudFormation.
	ProtocolQuery Protocol = iota
	// ProtocolJSON is awsJson: Logs, Step Functions, ECR, ECS.
	ProtocolJSON
	// ProtocolRESTJSON is restJson1: Lambda.
	ProtocolRESTJSON
	// ProtocolRESTXML is S3's REST-XML.
	ProtocolRESTXML
)

// AuthFailure is why a request was not authenticated.
type AuthFailure int

// The failures [VerifyRequest] and the router report.
const (
	// AuthMissing: no signature, and no service serves the request
	// anonymously.
	AuthMissing AuthFailure = iota
	// AuthIncomplete: a signature missing a part, or malformed.
	AuthIncomplete
	// AuthUnknownKey: an access key the cloud does not know.
	AuthUnknownKey
	// AuthBadToken: a session token that is not the key's.
	AuthBadToken
	// AuthExpiredToken: a temporary key past its expiry.
	AuthExpiredToken
	// AuthSignature: the signature is not the one the secret gives.
	AuthSignature
	// AuthSkewed: signed more than 15 minutes from the server's clock.
	AuthSkewed
	// AuthExpired: a presigned URL past X-Amz-Expires.
	AuthExpired
	// AuthPayload: S3's x-amz-content-sha256 missing or malformed.
	AuthPayload
	// AuthBody: the body could not be read to hash it.
	AuthBody
	// AuthUnsupported: an authorization scheme other than SigV4 (SigV2,
	// SigV4a).
	AuthUnsupported
)

// AuthError is a refused authentication; [AuthError.For] words it as the
// request's service would.
type AuthError struct {
	Kind AuthFailure
	// Detail is the message where AWS's depends on the request (skew,
	// a missing part).
	Detail string
}

func authErr(kind AuthFailure, detail string) *AuthError {
	return &AuthError{Kind: kind, Detail: detail}
}

func (e *AuthError) Error() string { return e.For(ProtocolQuery).Error() }

// AWS's messages, shared by the protocols that use them.
const (
	msgSignature = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgInvalidToken = "The security token included in the request is invalid."
	msgExpiredToken = "The security token included in the request is expired"
)

// For returns the error AWS gives for this failure in protocol p: status
// 403 (S3's malformed requests: 400), with the code and message of that
// protocol's services. See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html and
// https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
func (e *AuthError) For(p Protocol) *Error {
	forbidden := func(code, msg string) *Error { return &Error{Code: code, Message: msg, Status: http.StatusForbidden} }
	detail := func(def string) string {
		if e.Detail != "" {
			return e.Detail
		}
		return def
	}
	json := p == ProtocolJSON || p == ProtocolRESTJSON
	if p == ProtocolRESTXML {
		switch e.Kind {
		case AuthMissing:
			return forbidden("AccessDenied", "Access Denied")
		case AuthIncomplete:
			return &Error{Code: "AuthorizationHeaderMalformed", Message: detail("The authorization header is malformed."), Status: http.StatusBadRequest}
		case AuthUnknownKey:
			return forbidden("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
		case AuthBadToken:
			return forbidden("InvalidToken", "The provided token is malformed or otherwise invalid.")
		case AuthExpiredToken:
			return forbidden("ExpiredToken", "The provided token has expired.")
		case AuthSignature:
			return forbidden("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
		case AuthSkewed:
			return forbidden("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
		case AuthExpired:
			return forbidden("AccessDenied", "Request has expired")
		case AuthPayload:
			return &Error{Code: "InvalidRequest", Message: detail("x-amz-content-sha256 is not valid"), Status: http.StatusBadRequest}
		case AuthUnsupported:
			return &Error{Code: "InvalidRequest", Message: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.", Status: http.StatusBadRequest}
		}
		return &Error{Code: "IncompleteBody", Message: detail("The request body could not be read."), Status: http.StatusBadRequest}
	}
	pick := func(query, jsonCode string) string {
		if json {
			return jsonCode
		}
		return query
	}
	switch e.Kind {
	case AuthMissing:
		if json {
			return forbidden("MissingAuthenticationTokenException", "Missing Authentication Token")
		}
		return forbidden("MissingAuthenticationToken", "Request is missing Authentication Token")
	case AuthIncomplete, AuthUnsupported:
		return forbidden(pick("IncompleteSignature", "IncompleteSignatureException"), detail("The request signature does not conform to AWS standards."))
	case AuthUnknownKey, AuthBadToken:
		return forbidden(pick("InvalidClientTokenId", "UnrecognizedClientException"), msgInvalidToken)
	case AuthExpiredToken:
		return forbidden(pick("ExpiredToken", "ExpiredTokenException"), msgExpiredToken)
	case AuthSignature:
		return forbidden(pick("SignatureDoesNotMatch", "InvalidSignatureException"), msgSignature)
	case AuthSkewed:
		return forbidden(pick("SignatureDoesNotMatch", "InvalidSignatureException"), detail("Signature expired"))
	case AuthExpired:
		return forbidden(pick("RequestExpired", "InvalidSignatureException"), detail("Request has expired."))
	case AuthPayload:
		return forbidden(pick("IncompleteSignature", "IncompleteSignatureException"), detail("The payload hash is not valid."))
	}
	return &Error{Code: pick("MalformedInput", "SerializationException"), Message: detail("The request body could not be read."), Status: http.StatusBadRequest}
}
