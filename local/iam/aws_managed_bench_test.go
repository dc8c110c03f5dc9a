package iam

import "testing"

// BenchmarkDecodeManagedSnapshot is the one-time cost of the first AWS
// managed policy a cloud resolves: gunzip and decode the snapshot.
func BenchmarkDecodeManagedSnapshot(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeSnapshot(managedSnapshot); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAWSManagedPolicy is resolving an attached AWS managed policy
// once the snapshot is loaded (parsed once, then cached).
func BenchmarkAWSManagedPolicy(b *testing.B) {
	AWSManagedPolicy("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := AWSManagedPolicy("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"); !ok {
			b.Fatal("not found")
		}
	}
}
