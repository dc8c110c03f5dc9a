package cloudformation_test

import (
	"testing"

	"github.com/sparta-go/sparta/local/cloudformation"
)

func TestSplitTemplateURL(t *testing.T) {
	tests := []struct {
		name, url, bucket, key string
		wantErr                bool
	}{
		{name: "path style", url: "https://s3.amazonaws.com/artifacts/app/t.json", bucket: "artifacts", key: "app/t.json"},
		{name: "regional path style", url: "https://s3.us-west-2.amazonaws.com/b/k", bucket: "b", key: "k"},
		{name: "virtual hosted", url: "https://artifacts.s3.amazonaws.com/app/t.json", bucket: "artifacts", key: "app/t.json"},
		{name: "virtual hosted regional", url: "https://my.bucket.s3.eu-west-1.amazonaws.com/t.yaml", bucket: "my.bucket", key: "t.yaml"},
		{name: "local endpoint", url: "http://127.0.0.1:4566/artifacts/t.json", bucket: "artifacts", key: "t.json"},
		{name: "s3 scheme refused", url: "s3://artifacts/t.json", wantErr: true},
		{name: "no key", url: "https://s3.amazonaws.com/artifacts", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, k, err := cloudformation.SplitTemplateURL(tc.url)
			if tc.wantErr != (err != nil) || b != tc.bucket || k != tc.key {
				t.Errorf("SplitTemplateURL(%q) = %q, %q, %v, want %q, %q (error %v)", tc.url, b, k, err, tc.bucket, tc.key, tc.wantErr)
			}
		})
	}
}
