package web

import (
	_ "embed"
	"net/http"
	"strings"
)

//go:embed static/index.html
var indexHTML string

// handleIndex serves the landing page, with the example URLs pointing at
// the host the browser used.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	host := r.Host
	if host == "" {
		host = "127.0.0.1:8080"
	}
	_, err := w.Write([]byte(strings.ReplaceAll(indexHTML, "HOST", htmlEscaper.Replace(host))))
	return err
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
