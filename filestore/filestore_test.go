package filestore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"

	"civicgrid"
	"civicgrid/filestore"
)

func TestPutOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := filestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("a photo's bytes")
	sum := sha256.Sum256(data)
	id := hex.EncodeToString(sum[:])
	for range 2 { // the second Put of the same content is a no-op
		if err := s.Put(t.Context(), id, data); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, id[:2], id[2:])); err != nil {
		t.Fatalf("blob not at its content address: %v", err)
	}
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if string(got) != string(data) {
		t.Errorf("read %q, want %q", got, data)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, id[:2], ".put-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestErrors(t *testing.T) {
	s, err := filestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	wrong := hex.EncodeToString(make([]byte, 32))
	if err := s.Put(t.Context(), wrong, []byte("x")); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("Put with a mismatched id = %v, want invalid", err)
	}
	if err := s.Put(t.Context(), "../../etc/passwd", []byte("x")); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("Put with a path id = %v, want invalid", err)
	}
	for _, id := range []string{wrong, "../x", ""} {
		if _, err := s.Open(t.Context(), id); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
			t.Errorf("Open(%q) = %v, want not found", id, err)
		}
	}
}
