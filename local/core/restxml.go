package core

import (
	"encoding/xml"
	"net/http"
	"sort"
)

// WriteRESTXMLError writes err in the REST-XML error shape used by S3:
// <Error><Code/><Message/>...fields...<RequestId/><HostId/></Error>.
// Responses to HEAD carry the status and headers only, as on AWS.
// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
func WriteRESTXMLError(w http.ResponseWriter, r *http.Request, err error) {
	e := rendered(r, AsError(err))
	type field struct {
		XMLName xml.Name
		Value   string `xml:",chardata"`
	}
	body := struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		Fields    []field
		RequestID string `xml:"RequestId"`
		HostID    string `xml:"HostId"`
	}{Code: e.Code, Message: e.Message, RequestID: CallFrom(r.Context()).RequestID, HostID: "local"}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		body.Fields = append(body.Fields, field{XMLName: xml.Name{Local: k}, Value: e.Fields[k]})
	}
	writeXML(w, r, e.Status, body)
}
