package s3_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sparta-go/sparta/local/localtest"
)

// TestAWSCLI drives the cloud with Debian's AWS CLI, an outside client
// with its own S3 code (path-style for IP endpoints, encoding-type=url
// listings, multipart above 8 MiB).
func TestAWSCLI(t *testing.T) {
	c := localtest.Start(t)
	dir := t.TempDir()
	small := filepath.Join(dir, "small.txt")
	big := filepath.Join(dir, "big.bin")
	if err := os.WriteFile(small, []byte("hello from the cli\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bigData := randomBytes(9 << 20)
	if err := os.WriteFile(big, bigData, 0o644); err != nil {
		t.Fatal(err)
	}

	localtest.CLI(t, c, "s3", "mb", "s3://cli-bucket")
	localtest.CLI(t, c, "s3", "cp", small, "s3://cli-bucket/docs/hello world.txt")
	localtest.CLI(t, c, "s3", "cp", big, "s3://cli-bucket/artifacts/big.bin") // multipart

	ls := localtest.CLI(t, c, "s3", "ls", "s3://cli-bucket/", "--recursive")
	for _, want := range []string{"docs/hello world.txt", "artifacts/big.bin", "9437184"} {
		if !strings.Contains(ls, want) {
			t.Errorf("aws s3 ls --recursive = %q, want it to mention %q", ls, want)
		}
	}
	if top := localtest.CLI(t, c, "s3", "ls", "s3://cli-bucket/"); !strings.Contains(top, "PRE docs/") || !strings.Contains(top, "PRE artifacts/") {
		t.Errorf("aws s3 ls (delimited) = %q, want the two prefixes", top)
	}

	var head struct {
		ContentLength int64
		ETag          string
	}
	out := localtest.CLI(t, c, "s3api", "head-object", "--bucket", "cli-bucket", "--key", "artifacts/big.bin")
	if err := json.Unmarshal([]byte(out), &head); err != nil {
		t.Fatalf("head-object printed %q: %v", out, err)
	}
	if head.ContentLength != int64(len(bigData)) || !strings.HasSuffix(head.ETag, `-2"`) {
		t.Errorf("head-object = %+v, want %d bytes and a 2-part ETag", head, len(bigData))
	}

	down := filepath.Join(dir, "down.bin")
	localtest.CLI(t, c, "s3", "cp", "s3://cli-bucket/artifacts/big.bin", down)
	if got, _ := os.ReadFile(down); !bytes.Equal(got, bigData) {
		t.Errorf("downloaded %d bytes, not the uploaded %d", len(got), len(bigData))
	}

	if _, err := localtest.RunCLI(t, c, "s3", "rb", "s3://cli-bucket"); err == nil {
		t.Error("aws s3 rb of a non-empty bucket succeeded")
	}
	localtest.CLI(t, c, "s3", "rm", "s3://cli-bucket/", "--recursive")
	localtest.CLI(t, c, "s3", "rb", "s3://cli-bucket")
	if ls := localtest.CLI(t, c, "s3", "ls"); strings.Contains(ls, "cli-bucket") {
		t.Errorf("aws s3 ls after rb = %q", ls)
	}
	if out, err := localtest.RunCLI(t, c, "s3api", "get-object", "--bucket", "cli-bucket", "--key", "x", filepath.Join(dir, "x")); err == nil || !strings.Contains(out, "NoSuchBucket") {
		t.Errorf("get-object from a deleted bucket = %v %q, want NoSuchBucket", err, out)
	}
}
