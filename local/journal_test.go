package local_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

func TestRequestLogRecordsOperations(t *testing.T) {
	var buf bytes.Buffer
	cloud, err := local.Start(context.Background(), local.Options{StateDir: t.TempDir(), RequestLog: &buf})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sts.NewFromConfig(localtest.Config(cloud)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	cloud.Close()
	var e local.JournalEntry
	if err := json.Unmarshal(buf.Bytes(), &e); err != nil {
		t.Fatalf("request log %q: %v", buf.String(), err)
	}
	if e.Service != "sts" || e.Operation != "GetCallerIdentity" || e.Status != 200 {
		t.Errorf("request log entry = %+v, want sts GetCallerIdentity 200", e)
	}
}
