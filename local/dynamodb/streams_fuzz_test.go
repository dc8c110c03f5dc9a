package dynamodb

import "testing"

// FuzzShardIterator feeds hostile shard iterators (GetRecords takes them
// from the wire) to the decoder: it must answer, never panic.
func FuzzShardIterator(f *testing.F) {
	f.Add(iterator{ARN: "arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/L", After: "000000000000000000001"}.encode())
	for _, seed := range []string{"", "x", "eyJ9", "e30", "bnVsbA", "eyJhIjpbXX0"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		it, err := decodeIterator(s)
		if err == nil && it.ARN == "" {
			t.Fatalf("decodeIterator(%q) accepted an iterator without a stream", s)
		}
	})
}
