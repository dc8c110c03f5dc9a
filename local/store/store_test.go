package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/sparta-go/sparta/local/store"
)

func open(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatalf("Open(%s) = %v", dir, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

type doc struct {
	Name string
	N    int
}

func TestDocumentsSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	keys := []string{
		"plain", "Upper", "upper", "with/slash", "dots.in.name", ".hidden", "..",
		"spaces and %percent^caret", "unicodé ✓", "", strings.Repeat("long/", 300),
	}
	c := s.Collection("s3", "objects", "My.Bucket/x")
	for i, k := range keys {
		if err := c.Put(k, doc{Name: k, N: i}); err != nil {
			t.Fatalf("Put(%q) = %v", k, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}

	s2 := open(t, dir)
	c2 := s2.Collection("s3", "objects", "My.Bucket/x")
	for i, k := range keys {
		var got doc
		if err := c2.Get(k, &got); err != nil {
			t.Fatalf("Get(%q) after reopen = %v", k, err)
		}
		if want := (doc{Name: k, N: i}); got != want {
			t.Errorf("Get(%q) = %+v, want %+v", k, got, want)
		}
	}
	got, err := c2.Keys()
	if err != nil {
		t.Fatalf("Keys() = %v", err)
	}
	want := append([]string(nil), keys...)
	sortStrings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Keys() mismatch (-want +got):\n%s", diff)
	}
	children, err := s2.Collection("s3", "objects").Children()
	if err != nil || len(children) != 1 || children[0] != "My.Bucket/x" {
		t.Errorf("Children() = %q, %v; want [My.Bucket/x]", children, err)
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestGetMissingIsNotFound(t *testing.T) {
	c := open(t, t.TempDir()).Collection("x")
	var d doc
	if err := c.Get("nope", &d); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
	if _, err := c.OpenBlob("nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OpenBlob(missing) = %v, want ErrNotFound", err)
	}
	if err := c.Delete("nope"); err != nil {
		t.Errorf("Delete(missing) = %v, want nil", err)
	}
	if keys, err := c.Keys(); err != nil || len(keys) != 0 {
		t.Errorf("Keys() of a missing collection = %q, %v", keys, err)
	}
}

func TestBlobFailedWriteKeepsPrevious(t *testing.T) {
	c := open(t, t.TempDir()).Collection("blobs")
	if n, err := c.WriteBlob("k", func(w io.Writer) error {
		_, err := io.WriteString(w, "first")
		return err
	}); err != nil || n != 5 {
		t.Fatalf("WriteBlob = %d, %v", n, err)
	}
	boom := errors.New("checksum mismatch")
	if _, err := c.WriteBlob("k", func(w io.Writer) error {
		_, _ = io.WriteString(w, "second, never committed")
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("WriteBlob(failing) = %v, want %v", err, boom)
	}
	if got := readBlob(t, c, "k"); got != "first" {
		t.Errorf("blob after failed write = %q, want %q", got, "first")
	}
	// An open blob keeps its bytes when the key is replaced.
	f, err := c.OpenBlob("k")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := c.WriteBlob("k", func(w io.Writer) error { _, err := io.WriteString(w, "third"); return err }); err != nil {
		t.Fatal(err)
	}
	old, _ := io.ReadAll(f)
	if string(old) != "first" {
		t.Errorf("open reader after overwrite read %q, want %q", old, "first")
	}
	// A link is an independent copy.
	d := c.Sub("copies")
	if _, err := d.LinkBlob("copy", c, "k"); err != nil {
		t.Fatalf("LinkBlob = %v", err)
	}
	if err := c.Delete("k"); err != nil {
		t.Fatal(err)
	}
	if got := readBlob(t, d, "copy"); got != "third" {
		t.Errorf("linked blob = %q, want %q", got, "third")
	}
}

func readBlob(t *testing.T, c *store.Collection, key string) string {
	t.Helper()
	f, err := c.OpenBlob(key)
	if err != nil {
		t.Fatalf("OpenBlob(%q) = %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAppendConcurrentAndTornLine(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	c := s.Collection("logs", "/aws/lambda/fn")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if err := c.Append("stream", doc{Name: fmt.Sprint(g), N: i}); err != nil {
					t.Errorf("Append = %v", err)
				}
			}
		}()
	}
	wg.Wait()
	// Simulate a kill in the middle of an append: a line without newline.
	var path string
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if strings.HasSuffix(p, ".log") {
			path = p
		}
		return nil
	})
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"Name":"torn","N`)
	_ = f.Close()

	seen := map[string]int{}
	err = c.ReadLog("stream", func(raw json.RawMessage) error {
		var d doc
		if err := json.Unmarshal(raw, &d); err != nil {
			return err
		}
		if d.N != seen[d.Name] {
			t.Errorf("writer %s: entry %d out of order (want %d)", d.Name, d.N, seen[d.Name])
		}
		seen[d.Name]++
		return nil
	})
	if err != nil {
		t.Fatalf("ReadLog = %v", err)
	}
	if len(seen) != 8 {
		t.Errorf("ReadLog saw %d writers, want 8", len(seen))
	}
	for w, n := range seen {
		if n != 50 {
			t.Errorf("writer %s: %d entries, want 50", w, n)
		}
	}
}

func TestOpenCleansTempAndLocks(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	debris := filepath.Join(dir, ".tmp", "w-123")
	if err := os.WriteFile(debris, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(dir, store.Options{}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second Open of a locked dir = %v, want an 'in use' error", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	open(t, dir)
	if _, err := os.Stat(debris); !os.IsNotExist(err) {
		t.Errorf("temporary file survived Open: %v", err)
	}
}

func TestConcurrentPutsAndDrop(t *testing.T) {
	s := open(t, t.TempDir())
	c := s.Collection("many")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				k := fmt.Sprintf("k%02d", i)
				if err := c.Put(k, doc{Name: k, N: g}); err != nil {
					t.Errorf("Put = %v", err)
				}
				var d doc
				if err := c.Get(k, &d); err != nil || d.Name != k {
					t.Errorf("Get(%q) = %+v, %v", k, d, err)
				}
			}
		}()
	}
	wg.Wait()
	if keys, _ := c.Keys(); len(keys) != 25 {
		t.Errorf("Keys() has %d keys, want 25", len(keys))
	}
	if err := c.Drop(); err != nil {
		t.Fatal(err)
	}
	if keys, _ := c.Keys(); len(keys) != 0 {
		t.Errorf("Keys() after Drop = %q", keys)
	}
}

func FuzzEscapeRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", "A/b", "..", "%41", "^a", "~x"} {
		f.Add(s)
	}
	dir := f.TempDir()
	s, err := store.Open(dir, store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	c := s.Collection("fuzz")
	f.Fuzz(func(t *testing.T, key string) {
		if !utf8.ValidString(key) {
			t.Skip("keys are UTF-8 (S3, log and stack names all are)")
		}
		if err := c.Put(key, key); err != nil {
			t.Fatalf("Put(%q) = %v", key, err)
		}
		var got string
		if err := c.Get(key, &got); err != nil || got != key {
			t.Fatalf("Get(%q) = %q, %v", key, got, err)
		}
		if err := c.Delete(key); err != nil {
			t.Fatal(err)
		}
	})
}

func TestScanAs(t *testing.T) {
	c := open(t, t.TempDir()).Collection("svc", "things")
	for _, k := range []string{"b", "a"} {
		if err := c.Put(k, doc{Name: k}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err := store.ScanAs(c, "thing", func(key string, d doc) error {
		got = append(got, key+"="+d.Name)
		return nil
	})
	if err != nil {
		t.Fatalf("ScanAs = %v", err)
	}
	if diff := cmp.Diff([]string{"a=a", "b=b"}, got); diff != "" {
		t.Errorf("ScanAs visited (-want +got):\n%s", diff)
	}
	if err := c.Put("c", "not a doc"); err != nil {
		t.Fatal(err)
	}
	err = store.ScanAs(c, "thing", func(string, doc) error { return nil })
	if err == nil || !strings.HasPrefix(err.Error(), "thing c: ") {
		t.Errorf("ScanAs over an undecodable document = %v, want an error starting with %q", err, "thing c: ")
	}
}
