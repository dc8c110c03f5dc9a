package local_test

import (
	"testing"

	"github.com/sparta-go/sparta/local"
)

func TestParseS3URL(t *testing.T) {
	tests := []struct{ url, bucket, key string }{
		{"https://b.s3.us-east-1.amazonaws.com/sparta/svc/templates/x.json", "b", "sparta/svc/templates/x.json"},
		{"https://b.s3.amazonaws.com/k", "b", "k"},
		{"https://s3.eu-west-1.amazonaws.com/b/dir/k", "b", "dir/k"},
		{"http://127.0.0.1:4566/b/k", "b", "k"},
	}
	for _, tt := range tests {
		b, k, err := local.ParseS3URL(tt.url)
		if err != nil || b != tt.bucket || k != tt.key {
			t.Errorf("ParseS3URL(%q) = %q, %q, %v; want %q, %q", tt.url, b, k, err, tt.bucket, tt.key)
		}
	}
	if _, _, err := local.ParseS3URL("https://example.com/"); err == nil {
		t.Error("ParseS3URL accepted a URL with no key")
	}
}
