package lambda

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzRuntimeAPI sends arbitrary requests to the Runtime API of a sandbox
// with an invocation queued or in flight: no panic, a known status, JSON
// error documents, and an error reply that is always valid JSON.
func FuzzRuntimeAPI(f *testing.F) {
	f.Add("GET", "/2018-06-01/runtime/invocation/next", "", "", true)
	f.Add("POST", "/2018-06-01/runtime/invocation/abc/response", "", `{"x":1}`, false)
	f.Add("POST", "/2018-06-01/runtime/invocation/abc/error", "Runtime.X", `{"errorMessage":"m","errorType":"T"}`, false)
	f.Add("POST", "/2018-06-01/runtime/invocation/abc/error", "", `not json`, false)
	f.Add("POST", "/2018-06-01/runtime/init/error", "", `{"errorMessage":1}`, true)
	f.Add("PUT", "/2018-06-01/runtime/invocation/abc/", "", "", false)
	f.Fuzz(func(t *testing.T, method, path, errType, body string, queued bool) {
		a := newRuntimeAPI()
		inv := newInvocation("abc", []byte(`{}`), time.Second)
		if queued {
			a.queue <- inv
		} else {
			a.current = inv
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		req := (&http.Request{Method: method, URL: &url.URL{Path: path}, Header: http.Header{},
			Body: io.NopCloser(strings.NewReader(body))}).WithContext(ctx)
		if errType != "" {
			req.Header[hdrErrorType] = []string{errType}
		}
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusAccepted:
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusMethodNotAllowed,
			http.StatusRequestEntityTooLarge, http.StatusInternalServerError:
			var doc struct{ ErrorMessage, ErrorType string }
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.ErrorType == "" {
				t.Errorf("%s %s: error body %q is not a Runtime API error document", method, path, rec.Body)
			}
		default:
			t.Errorf("%s %s: status %d", method, path, rec.Code)
		}
		select {
		case rep := <-inv.done:
			if rep.isError && !json.Valid(rep.payload) {
				t.Errorf("%s %s: error payload %q is not JSON", method, path, rep.payload)
			}
		case rep := <-a.initErr:
			if !json.Valid(rep.payload) {
				t.Errorf("init error payload %q is not JSON", rep.payload)
			}
		default:
		}
	})
}

func TestReadErrorReport(t *testing.T) {
	tests := []struct {
		name, header, body, wantType, wantPayload string
	}{
		{"document", "", `{"errorMessage":"m","errorType":"T"}`, "T", `{"errorMessage":"m","errorType":"T"}`},
		{"header wins", "H", `{"errorMessage":"m","errorType":"T"}`, "H", `{"errorMessage":"m","errorType":"T"}`},
		{"text", "H", `boom`, "H", `{"errorMessage":"boom","errorType":"H"}`},
		{"empty", "", ``, "Runtime.Unknown", `{"errorMessage":"Runtime.Unknown","errorType":"Runtime.Unknown"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			if tt.header != "" {
				r.Header.Set(hdrErrorType, tt.header)
			}
			rep, err := readErrorReport(r)
			if err != nil || rep.errorType != tt.wantType || string(rep.payload) != tt.wantPayload {
				t.Errorf("readErrorReport(%q, %q) = %q %s, %v; want %q %s", tt.header, tt.body, rep.errorType, rep.payload, err, tt.wantType, tt.wantPayload)
			}
		})
	}
}
