// Package filestore keeps attachment bytes in a directory, addressed by the
// hex SHA-256 of their content, and implements civicgrid.BlobStore.
package filestore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"civicgrid"
)

// Store is a directory of blobs: ab/cdef… for id abcdef….
type Store struct{ dir string }

var _ civicgrid.BlobStore = (*Store)(nil)

// Open returns a Store rooted at dir, creating it when missing.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	return &Store{dir: dir}, nil
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *Store) path(id string) string { return filepath.Join(s.dir, id[:2], id[2:]) }

// Put writes data under id durably: to a temporary file that is synced and
// renamed into place, so a crash leaves either the whole blob or none.
func (s *Store) Put(ctx context.Context, id string, data []byte) (err error) {
	defer civicgrid.Wrap(&err, "filestore: put %s", id)
	if !idPattern.MatchString(id) {
		return civicgrid.Errorf(civicgrid.Invalid, "blob id %q is not a hex SHA-256", id)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != id {
		return civicgrid.Errorf(civicgrid.Invalid, "blob id does not match its content")
	}
	dst := s.path(id)
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".put-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Open returns the bytes of id, or NotFound.
func (s *Store) Open(ctx context.Context, id string) (io.ReadCloser, error) {
	if !idPattern.MatchString(id) {
		return nil, civicgrid.Errorf(civicgrid.NotFound, "photo %q not found", id)
	}
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, civicgrid.Errorf(civicgrid.NotFound, "photo %s not found", id)
	}
	return f, err
}
