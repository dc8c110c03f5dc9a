package local_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/sparta-go/sparta/local"
	"github.com/sparta-go/sparta/local/localtest"
)

// BenchmarkStart measures Start and Close on a state directory that already
// holds state (goal: Start under 100 ms).
func BenchmarkStart(b *testing.B) {
	dir := b.TempDir()
	c, err := local.Start(context.Background(), local.Options{StateDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	cl := s3.NewFromConfig(localtest.Config(c), func(o *s3.Options) { o.UsePathStyle = true })
	for _, name := range []string{"bench-a", "bench-b"} {
		if _, err := cl.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
			b.Fatal(err)
		}
	}
	_ = c.Close()
	b.ResetTimer()
	for b.Loop() {
		c, err := local.Start(context.Background(), local.Options{StateDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutGetObject is a 64 KiB PutObject then GetObject through
// aws-sdk-go-v2 over loopback.
func BenchmarkPutGetObject(b *testing.B) {
	c := localtest.Start(b)
	ctx := context.Background()
	cl := s3.NewFromConfig(localtest.Config(c), func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String("k"), Body: bytes.NewReader(data)}); err != nil {
			b.Fatal(err)
		}
		out, err := cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String("k")})
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, out.Body)
		out.Body.Close()
		if n != int64(len(data)) {
			b.Fatalf("GetObject returned %d bytes", n)
		}
	}
}
