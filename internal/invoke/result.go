package invoke

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Result is one invocation's outcome.
type Result struct {
	// Function is the function's name as the user wrote it.
	Function string `json:"function"`
	// Where names the target: "offline", the local cloud or the AWS account.
	Where string `json:"where"`
	// Payload is the function's response, or Lambda's error document
	// ({"errorMessage","errorType"}) when it failed.
	Payload json.RawMessage `json:"payload"`
	// ErrorType is empty on success, else the errorType Lambda reports
	// (the handler error's Go type name, Sandbox.Timedout, Runtime.ExitError...).
	ErrorType string `json:"errorType,omitempty"`
	// ErrorMessage is the errorMessage Lambda reports.
	ErrorMessage string `json:"errorMessage,omitempty"`
	// Duration is the invocation's wall time as this process measured it.
	Duration time.Duration `json:"duration"`
	// LogTail is the end of the invocation's log: Lambda's LogResult (its
	// last 4 KB) on AWS and the local cloud, the captured standard output
	// and error offline.
	LogTail string `json:"logTail,omitempty"`
}

// Failed reports whether the function returned an error.
func (r *Result) Failed() bool { return r.ErrorType != "" }

// Err is the invocation's failure as an error, so that the command exits
// non-zero; nil when the function succeeded.
func (r *Result) Err() error {
	if !r.Failed() {
		return nil
	}
	return fmt.Errorf("function %q failed: %s: %s", r.Function, r.ErrorType, r.ErrorMessage)
}

// Print writes the result for people: status, duration, the response or
// error, then the log tail.
func (r *Result) Print(w io.Writer) {
	status := "succeeded"
	if r.Failed() {
		status = "failed"
	}
	fmt.Fprintf(w, "Function:  %s (%s)\n", r.Function, r.Where)
	fmt.Fprintf(w, "Status:    %s\n", status)
	fmt.Fprintf(w, "Duration:  %s\n", r.Duration.Round(time.Microsecond*100))
	if r.Failed() {
		fmt.Fprintf(w, "Error:     %s\n", r.ErrorType)
		fmt.Fprintf(w, "Message:   %s\n", r.ErrorMessage)
	} else {
		fmt.Fprintf(w, "Result:\n%s\n", indent(r.Payload))
	}
	if tail := strings.TrimRight(r.LogTail, "\n"); tail != "" {
		fmt.Fprintln(w, "Log tail:")
		for _, line := range strings.Split(tail, "\n") {
			fmt.Fprintln(w, "  "+line)
		}
	}
}

func indent(b []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		return string(b)
	}
	return out.String()
}

// errorDocument reads Lambda's {"errorMessage","errorType"} payload.
func errorDocument(payload []byte) (typ, msg string) {
	var doc struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}
	if json.Unmarshal(payload, &doc) != nil {
		return "", string(payload)
	}
	return doc.ErrorType, doc.ErrorMessage
}

// errorPayload is Lambda's error payload for a function error.
func errorPayload(typ, msg string) json.RawMessage {
	b, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{msg, typ})
	return b
}

func checkJSON(b []byte) error {
	var v any
	return json.Unmarshal(b, &v)
}
