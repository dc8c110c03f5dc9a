package build

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"time"
)

// zipEpoch is the fixed modification time of every zip entry: the same binary
// must give the same zip bytes on every machine and every run.
var zipEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Package is a code zip ready to upload.
type Package struct {
	Path   string // the zip on disk
	SHA256 string // hex digest of the zip bytes
	Size   int64
}

// Zip packages the binary at binaryPath as a zip holding one entry,
// "bootstrap" with mode 0755 (what the provided.al2023 runtime executes),
// written atomically to zipPath.
//
// Best compression takes seconds, so the zip of an unchanged binary is
// reused: a file beside the zip records the binary's digest it was made of.
func Zip(binaryPath, zipPath string) (Package, error) {
	return ZipWith(binaryPath, zipPath, nil)
}

// ZipWith is Zip with extra called after the binary is added and before
// the zip is closed, to add more files (a workflow's Archive hooks). A zip
// with extra files is always rebuilt: what the hook adds is not recorded.
func ZipWith(binaryPath, zipPath string, extra func(*zip.Writer) error) (Package, error) {
	binSum, err := fileSHA256(binaryPath)
	if err != nil {
		return Package{}, fmt.Errorf("packaging: %w", err)
	}
	if extra == nil {
		if p, ok := reuseZip(zipPath, binSum); ok {
			return p, nil
		}
	}
	bin, err := os.Open(binaryPath)
	if err != nil {
		return Package{}, fmt.Errorf("packaging: %w", err)
	}
	defer bin.Close()

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// Best compression: the zip is built once and uploaded and unpacked
	// many times, and flate's output is fixed for a given level.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: zipEpoch}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return Package{}, fmt.Errorf("packaging: %w", err)
	}
	if _, err := io.Copy(w, bin); err != nil {
		return Package{}, fmt.Errorf("packaging %s: %w", binaryPath, err)
	}
	if extra != nil {
		if err := extra(zw); err != nil {
			return Package{}, fmt.Errorf("packaging: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return Package{}, fmt.Errorf("packaging: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	_ = os.Remove(zipPath + zipSourceSuffix)
	if err := WriteFileAtomic(zipPath, buf.Bytes(), 0o644); err != nil {
		return Package{}, err
	}
	if extra == nil {
		_ = WriteFileAtomic(zipPath+zipSourceSuffix, []byte(binSum), 0o644)
	}
	return Package{Path: zipPath, SHA256: hex.EncodeToString(sum[:]), Size: int64(buf.Len())}, nil
}

// ArtifactKey is the S3 key of a code zip: it carries the digest, so a key
// that already exists in the bucket holds exactly these bytes.
func ArtifactKey(service, arch, digest string) string {
	return fmt.Sprintf("sparta/%s/%s-%s.zip", service, arch, digest)
}

// WriteFileAtomic writes through a temporary file and a rename, so readers
// never see half a file and a failure leaves the old file in place.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(dirOf(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i+1]
		}
	}
	return "."
}

// zipSourceSuffix names the file beside a zip that holds the SHA-256 of the
// binary it packages.
const zipSourceSuffix = ".source-sha256"

// reuseZip returns the zip at zipPath when it packages the binary whose
// digest is binSum.
func reuseZip(zipPath, binSum string) (Package, bool) {
	recorded, err := os.ReadFile(zipPath + zipSourceSuffix)
	if err != nil || string(recorded) != binSum {
		return Package{}, false
	}
	sum, err := fileSHA256(zipPath)
	if err != nil {
		return Package{}, false
	}
	st, err := os.Stat(zipPath)
	if err != nil {
		return Package{}, false
	}
	return Package{Path: zipPath, SHA256: sum, Size: st.Size()}, true
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
