package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"civicgrid"
	"civicgrid/web"
)

func TestHealth(t *testing.T) {
	var ready atomic.Bool
	e := newEnv(t, func(c *web.Config) { c.Ready = ready.Load })
	e.run(t, []scenario{
		{name: "starting", method: "GET", path: "/healthz", wantStatus: http.StatusServiceUnavailable,
			wantContains: []string{`"code":"unavailable"`}},
	})
	ready.Store(true)
	e.run(t, []scenario{
		{name: "ready", method: "GET", path: "/healthz", wantStatus: http.StatusOK, wantBody: `{"status":"ok"}`},
	})
}

func TestRouting(t *testing.T) {
	e := newEnv(t)
	e.run(t, []scenario{
		{name: "unknown API route", method: "GET", path: "/api/v1/nothing", actor: "admin", wantStatus: http.StatusNotFound,
			wantBody: `{"error":{"code":"not_found","message":"no API route /api/v1/nothing"}}`},
		{name: "unknown API version", method: "GET", path: "/api/v2/cases", wantStatus: http.StatusNotFound,
			wantContains: []string{`"code":"not_found"`}},
		{name: "wrong method", method: "DELETE", path: "/api/v1/cases", actor: "admin", wantStatus: http.StatusMethodNotAllowed,
			wantHeader:   map[string]string{"Allow": "GET, HEAD, POST"},
			wantContains: []string{`"code":"invalid"`, `DELETE is not allowed on /api/v1/cases`}},
		{name: "wrong method with a path value", method: "PUT", path: "/api/v1/cases/12/actions", wantStatus: http.StatusMethodNotAllowed,
			wantHeader: map[string]string{"Allow": "POST"}},
		{name: "request id is echoed", method: "GET", path: "/healthz", header: []string{"X-Request-Id", "abc-123"},
			wantStatus: http.StatusOK, wantHeader: map[string]string{"X-Request-Id": "abc-123"}},
		{name: "a bad request id is replaced", method: "GET", path: "/healthz", header: []string{"X-Request-Id", "a b"},
			wantStatus: http.StatusOK},
	})
	if r := e.do("GET", "/healthz", "", nil); len(r.header.Get("X-Request-Id")) != 16 {
		t.Errorf("generated request id %q", r.header.Get("X-Request-Id"))
	}
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	token := e.tokens["operator"]
	e.run(t, []scenario{
		{name: "scheme is case-insensitive", method: "GET", path: "/api/v1/units", header: []string{"Authorization", "bearer " + token},
			wantStatus: http.StatusOK},
		{name: "basic auth is not accepted", method: "GET", path: "/api/v1/units", header: []string{"Authorization", "Basic b3A6cHc="},
			wantStatus: http.StatusUnauthorized, wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="civicgrid"`}},
		{name: "empty token", method: "GET", path: "/api/v1/units", header: []string{"Authorization", "Bearer "},
			wantStatus: http.StatusUnauthorized},
		{name: "openapi needs no token", method: "GET", path: "/api/v1/openapi.json", wantStatus: http.StatusOK},
	})
	// A deactivated user's token stops working at once.
	ctx := context.Background()
	err := e.db.Update(ctx, func(tx civicgrid.Tx) error {
		u := *e.users["operator"]
		u.Active = false
		return tx.UpdateUser(ctx, &u)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.run(t, []scenario{
		{name: "deactivated", method: "GET", path: "/api/v1/units", actor: "operator", wantStatus: http.StatusUnauthorized},
	})
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestPanicAndInternalErrors(t *testing.T) {
	var logs syncBuffer
	// Without a photo service, an upload panics on the nil pointer.
	e := newEnv(t, func(c *web.Config) {
		c.Photos = nil
		c.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	r := e.do("POST", "/api/v1/photos", "operator", pngBytes(t, 4, 3), "Content-Type", "image/png", "X-Request-Id", "panic-1")
	if r.status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500: %s", r.status, r.body)
	}
	if want := `{"error":{"code":"internal","message":"Internal error."}}` + "\n"; string(r.body) != want {
		t.Errorf("body %s, want %s", r.body, want)
	}
	var internal, access int
	for line := range strings.Lines(logs.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["request_id"] != "panic-1" {
			continue
		}
		switch rec["msg"] {
		case "internal error":
			internal++
			if !strings.Contains(rec["error"].(string), "panic:") {
				t.Errorf("internal error log without the panic: %v", rec)
			}
		case "http request":
			access++
			if rec["status"] != float64(500) || rec["error_code"] != "internal" || rec["user_id"] == nil {
				t.Errorf("access log %v", rec)
			}
		}
	}
	if internal != 1 || access != 1 {
		t.Errorf("logged the internal error %d times and the request %d times, want once each:\n%s", internal, access, logs.String())
	}
	// The server is still serving.
	if r := e.do("GET", "/healthz", "", nil); r.status != http.StatusOK {
		t.Errorf("after the panic: %d", r.status)
	}
}

// TestOpenAPICoversRoutes checks that openapi.json describes exactly the
// /api/v1 routes registered in routes.go, and that its references resolve.
func TestOpenAPICoversRoutes(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/api/v1/openapi.json", "", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET openapi.json: %d %s", r.status, r.header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" && strings.HasPrefix(path, "/api/v1/") {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	registered := registeredRoutes(t)
	slices.Sort(documented)
	for _, route := range registered {
		if !slices.Contains(documented, route) {
			t.Errorf("route %s is not in openapi.json", route)
		}
	}
	for _, route := range documented {
		if !slices.Contains(registered, route) {
			t.Errorf("openapi.json documents %s, which routes.go does not register", route)
		}
	}
	checkRefs(t, jsonValue(t, r.body), jsonValue(t, r.body))
}

// registeredRoutes returns the "METHOD /api/v1/..." patterns in routes.go.
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	pattern := regexp.MustCompile(`^[A-Z]+ /api/v1/`)
	var routes []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && pattern.MatchString(s) {
				routes = append(routes, s)
			}
		}
		return true
	})
	if len(routes) < 10 {
		t.Fatalf("found only %d routes in routes.go: %v", len(routes), routes)
	}
	slices.Sort(routes)
	return routes
}

// checkRefs fails for every "$ref" in v that does not point into doc.
func checkRefs(t *testing.T, doc, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			var cur any = doc
			for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
				m, _ := cur.(map[string]any)
				cur = m[part]
			}
			if cur == nil {
				t.Errorf("$ref %s does not resolve", ref)
			}
		}
		for _, vv := range v {
			checkRefs(t, doc, vv)
		}
	case []any:
		for _, vv := range v {
			checkRefs(t, doc, vv)
		}
	}
}
