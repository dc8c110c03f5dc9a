package lambda

import "testing"

// FuzzBatchResponse feeds hostile function responses to the
// ReportBatchItemFailures readers of SQS and stream mappings: a function's
// output is untrusted, so each must answer, never panic, and report only
// identifiers that are in the batch.
func FuzzBatchResponse(f *testing.F) {
	for _, seed := range []string{
		`{"batchItemFailures":[{"itemIdentifier":"a"}]}`, `{"batchItemFailures":[]}`, `{"batchItemFailures":null}`,
		`{"batchItemFailures":[{"itemIdentifier":""}]}`, `{"batchItemFailures":[{}]}`, `"ok"`, `null`, ``, `{`, `[1,2]`,
		`{"batchItemFailures":[{"itemIdentifier":"zz"}]}`, `{"batchItemFailures":[{"itemIdentifier":7}]}`,
	} {
		f.Add([]byte(seed))
	}
	ids := map[string]bool{"a": true, "b": true}
	seqs := map[string]int{"a": 0, "b": 1}
	f.Fuzz(func(t *testing.T, payload []byte) {
		failed, ok := failedItems(payload, ids)
		for id := range failed {
			if ok && !ids[id] {
				t.Fatalf("failedItems(%q) reported %q, which is not in the batch", payload, id)
			}
		}
		if first, ok := firstFailure(payload, seqs); ok && first >= len(seqs) {
			t.Fatalf("firstFailure(%q) = %d, beyond the batch", payload, first)
		}
	})
}
