package core

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// MaxQueryBody bounds awsQuery request bodies. The largest legitimate ones
// are CloudFormation template bodies (51,200 bytes) and SNS messages (256 KiB).
const MaxQueryBody = 8 << 20

// ParseQuery returns the parameters of an awsQuery request: those of the URL
// merged with those of an application/x-www-form-urlencoded body (the AWS
// SDKs and CLI POST a form; GET with a query string is also accepted).
// See https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
func ParseQuery(r *http.Request) (url.Values, error) {
	v := url.Values{}
	if q, err := url.ParseQuery(r.URL.RawQuery); err == nil {
		for k, vs := range q {
			v[k] = vs
		}
	} else {
		return nil, Errorf(http.StatusBadRequest, "MalformedQueryString", "the query string is malformed: %v", err)
	}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return v, nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "application/x-www-form-urlencoded" {
			return nil, Errorf(http.StatusBadRequest, "InvalidParameterValue",
				"awsQuery requests carry an application/x-www-form-urlencoded body, not %q", ct)
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxQueryBody+1))
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, "IncompleteBody", "reading the request body: %v", err)
	}
	if len(body) > MaxQueryBody {
		return nil, Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "the request body is larger than %d bytes", MaxQueryBody)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, "MalformedQueryString", "the form body is malformed: %v", err)
	}
	for k, vs := range form {
		v[k] = append(v[k], vs...)
	}
	return v, nil
}

// QueryStructs returns the members of an awsQuery list of structures, in
// index order: for prefix "Tags.member" and the parameters
// Tags.member.1.Key=a&Tags.member.1.Value=b it returns [{Key:[a] Value:[b]}].
// The same works for maps serialized as entries ("Attributes.entry" with
// key and value fields) and for nested members ("Value.DataType").
func QueryStructs(v url.Values, prefix string) []url.Values {
	byIndex := map[int]url.Values{}
	p := prefix + "."
	for k, vs := range v {
		rest, ok := strings.CutPrefix(k, p)
		if !ok {
			continue
		}
		idx, field, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(idx)
		if err != nil || n < 1 {
			continue
		}
		m := byIndex[n]
		if m == nil {
			m = url.Values{}
			byIndex[n] = m
		}
		m[field] = vs
	}
	idx := make([]int, 0, len(byIndex))
	for n := range byIndex {
		idx = append(idx, n)
	}
	sort.Ints(idx)
	out := make([]url.Values, 0, len(idx))
	for _, n := range idx {
		out = append(out, byIndex[n])
	}
	return out
}

// QueryList returns an awsQuery list of strings ("Names.member.1=a&
// Names.member.2=b" for prefix "Names.member"), in index order.
func QueryList(v url.Values, prefix string) []string {
	var out []string
	for _, m := range QueryStructs(v, prefix) {
		out = append(out, m.Get(""))
	}
	return out
}

// QueryMap returns an awsQuery map serialized as entries: for prefix
// "Attributes.entry", key field "key" and value field "value" it reads
// Attributes.entry.N.key / Attributes.entry.N.value.
func QueryMap(v url.Values, prefix, keyField, valueField string) map[string]string {
	out := map[string]string{}
	for _, m := range QueryStructs(v, prefix) {
		if k := m.Get(keyField); k != "" {
			out[k] = m.Get(valueField)
		}
	}
	return out
}

// QueryAction implements one awsQuery action. It returns the content of the
// <ActionResult> element (a struct marshalled with encoding/xml, whose own
// XMLName is ignored) or nil for actions whose response has no result.
type QueryAction func(ctx context.Context, params url.Values) (any, error)

// QueryService serves an awsQuery protocol service (STS, SNS,
// CloudFormation, IAM): it parses the form, dispatches on Action and writes
// <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>
// or an <ErrorResponse>.
type QueryService struct {
	// Service names the service in messages ("SNS").
	Service string
	// Namespace is the XML namespace of responses, e.g.
	// "http://sns.amazonaws.com/doc/2010-03-31/".
	Namespace string
	// Actions maps action names to implementations.
	Actions map[string]QueryAction
}

// ServeHTTP dispatches one awsQuery request.
func (q *QueryService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := CallFrom(r.Context())
	params, err := ParseQuery(r)
	if err != nil {
		WriteQueryError(w, r, q.Namespace, err)
		return
	}
	action := params.Get("Action")
	call.SetOperation(action)
	if action == "" {
		WriteQueryError(w, r, q.Namespace, Errorf(http.StatusBadRequest, "MissingAction", "the request has no Action parameter"))
		return
	}
	fn, ok := q.Actions[action]
	if !ok {
		WriteQueryError(w, r, q.Namespace, Errorf(http.StatusBadRequest, "InvalidAction",
			"%s action %s is not supported by the local cloud", q.Service, action))
		return
	}
	result, err := fn(r.Context(), params)
	if err != nil {
		WriteQueryError(w, r, q.Namespace, err)
		return
	}
	WriteQueryResult(w, r, q.Namespace, action, result)
}

// WriteQueryResult writes a successful awsQuery response for action.
func WriteQueryResult(w http.ResponseWriter, r *http.Request, namespace, action string, result any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	fmt.Fprintf(&buf, `<%sResponse xmlns="%s">`, action, namespace)
	if result != nil {
		enc := xml.NewEncoder(&buf)
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			WriteQueryError(w, r, namespace, fmt.Errorf("encoding %s result: %w", action, err))
			return
		}
		_ = enc.Flush()
	}
	fmt.Fprintf(&buf, `<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`,
		CallFrom(r.Context()).RequestID, action)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// WriteQueryError writes err as an awsQuery <ErrorResponse>.
func WriteQueryError(w http.ResponseWriter, r *http.Request, namespace string, err error) {
	e := rendered(r, AsError(err))
	typ := "Sender"
	if e.Receiver {
		typ = "Receiver"
	}
	body := struct {
		XMLName xml.Name `xml:"ErrorResponse"`
		NS      string   `xml:"xmlns,attr,omitempty"`
		Error   struct {
			Type    string
			Code    string
			Message string
		}
		RequestID string `xml:"RequestId"`
	}{NS: namespace, RequestID: CallFrom(r.Context()).RequestID}
	body.Error.Type, body.Error.Code, body.Error.Message = typ, e.Code, e.Message
	writeXML(w, r, e.Status, body)
}

func writeXML(w http.ResponseWriter, r *http.Request, status int, v any) {
	out, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(xml.Header)+len(out)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(out)
}
