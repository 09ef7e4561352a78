package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"civicgrid"
)

// staticFS holds the UI's stylesheet, script and images.
//
//go:embed static
var staticFS embed.FS

// assets serves the embedded static files under names carrying a hash of
// their content (app.3f2a9c1b.css), so that a browser may keep them for a
// year and still sees a new version at once: a changed file is a new URL.
type assets struct {
	urls  map[string]string // app.css → /static/app.3f2a9c1b.css
	files map[string]asset  // app.3f2a9c1b.css → the file
}

type asset struct {
	data  []byte
	ctype string
	etag  string
}

// loadAssets reads and hashes every embedded static file.
func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:4])
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hash + ext
		a.urls[name] = "/static/" + hashed
		a.files[hashed] = asset{data: data, ctype: mime.TypeByExtension(ext), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return a, nil
}

// url returns the hashed URL of the static file name; templates call it as
// {{asset "app.css"}}. An unknown name is a programming error the page
// tests catch: it yields a URL that answers 404.
func (a *assets) url(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	return "/static/missing/" + name
}

// handleStatic serves a static file by its hashed name, cacheable for a
// year.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	f, ok := s.assets.files[r.PathValue("name")]
	if !ok {
		return civicgrid.Errorf(civicgrid.NotFound, "no static file %s", r.PathValue("name"))
	}
	h := w.Header()
	if f.ctype != "" {
		h.Set("Content-Type", f.ctype)
	}
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
	return nil
}
