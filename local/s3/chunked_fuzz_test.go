package s3

import (
	"io"
	"strings"
	"testing"
)

func FuzzChunkedReader(f *testing.F) {
	f.Add("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n")
	f.Add("5;chunk-signature=ab\r\nhello\r\n0;chunk-signature=cd\r\n\r\n")
	f.Add("ffffffffffffffff\r\nx")
	f.Add("3\r\nabcXX0\r\n")
	f.Fuzz(func(t *testing.T, body string) {
		r := newChunkedReader(strings.NewReader(body), nil)
		n, _ := io.Copy(io.Discard, io.LimitReader(r, 1<<20))
		if n > int64(len(body)) {
			t.Fatalf("decoded %d bytes out of a %d-byte body", n, len(body))
		}
	})
}

func TestChunkedReader(t *testing.T) {
	tests := []struct {
		name, body, want, trailer string
		wantErr                   bool
	}{
		{name: "unsigned with trailer", body: "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:abc=\r\n\r\n", want: "hello world", trailer: "abc="},
		{name: "signed", body: "5;chunk-signature=aa\r\nhello\r\n0;chunk-signature=bb\r\n\r\n", want: "hello"},
		{name: "no final CRLF", body: "5\r\nhello\r\n0\r\n", want: "hello"},
		{name: "bad size", body: "zz\r\nhello\r\n", wantErr: true},
		{name: "missing CRLF after data", body: "5\r\nhelloXX0\r\n\r\n", wantErr: true},
		{name: "short chunk", body: "10\r\nhello", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newChunkedReader(strings.NewReader(tt.body), nil)
			got, err := io.ReadAll(r)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ReadAll = %q, %v; want error %v", got, err, tt.wantErr)
			}
			if !tt.wantErr && (string(got) != tt.want || r.trailers.Get("X-Amz-Checksum-Crc32") != tt.trailer) {
				t.Errorf("decoded %q with trailer %q, want %q and %q", got, r.trailers.Get("X-Amz-Checksum-Crc32"), tt.want, tt.trailer)
			}
		})
	}
}

func TestCRC64NVME(t *testing.T) {
	// The check value of CRC-64/NVME ("123456789").
	h := checksumAlgorithms[2].new()
	h.Write([]byte("123456789"))
	sum := h.Sum(nil)
	var v uint64
	for _, b := range sum {
		v = v<<8 | uint64(b)
	}
	if v != 0xAE8B14860A799888 {
		t.Errorf("CRC64NVME(123456789) = %x, want ae8b14860a799888", v)
	}
}
