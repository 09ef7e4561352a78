package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"civicgrid"
)

// templateFS holds the page templates: layout.html, partials/*.html and one
// pages/NAME.html per page, each defining "content".
//
//go:embed templates
var templateFS embed.FS

// pageNames are the pages the UI renders, one per templates/pages/NAME.html;
// startup fails when one does not parse.
var pageNames = func() []string {
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		panic(err)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(path.Base(f), ".html")
	}
	return names
}()

// parsePages parses the layout and partials once and each page on a clone
// of them, so that every page defines its own "content" (and may define
// "head", for its own scripts and styles).
func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	out := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		file := "templates/pages/" + name + ".html"
		t, err := template.Must(base.Clone()).ParseFS(templateFS, file)
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("web: templates: %s defines no \"content\"", file)
		}
		out[name] = t
	}
	return out, nil
}

// page is what every page model embeds: who is looking, in which language,
// and the problem or notice to show above the content.
type page struct {
	Lang    string // "zh" or "en"
	User    *civicgrid.User
	City    string
	Title   string
	Path    string // the request URI, for the language switch and sign-in
	Nav     string // the active navigation entry
	Notice  string
	Problem string            // what went wrong with the form as a whole
	Detail  string            // the server's own words about it
	Fields  map[string]string // field name → problem, already translated
	loc     *time.Location
}

// pageModel is a page's view model: a struct embedding page.
type pageModel interface{ base() *page }

func (p *page) base() *page { return p }

// T returns the catalogue message key in the page's language.
func (p *page) T(key string) string { return message(p.Lang, key) }

// Tf formats the catalogue message key with args.
func (p *page) Tf(key string, args ...any) string { return fmt.Sprintf(message(p.Lang, key), args...) }

// Text returns a domain text in the page's language.
func (p *page) Text(t civicgrid.Text) string { return t.In(p.Lang) }

// HTMLLang is the page's lang attribute.
func (p *page) HTMLLang() string {
	if p.Lang == "en" {
		return "en"
	}
	return "zh-CN"
}

// Field returns the problem with the form field name, or "".
func (p *page) Field(name string) string { return p.Fields[name] }

// Time formats t in the city's zone, to the minute.
func (p *page) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.loc).Format("2006-01-02 15:04")
}

// Role is the signed-in user's role name.
func (p *page) Role() string {
	if p.User == nil {
		return ""
	}
	return p.User.Role.Name().In(p.Lang)
}

// Staff reports whether the user works in the centre or a unit (anyone
// signed in but a citizen).
func (p *page) Staff() bool { return p.User != nil && p.User.Role != civicgrid.RoleCitizen }

// Centre reports whether the user works in the command centre or leads
// it (the dashboard, rankings, hotspots and reports are theirs).
func (p *page) Centre() bool { return p.User != nil && p.User.Role.Centre() }

// Inspector reports whether the user is an inspector (监督员), whose home
// is the phone page.
func (p *page) Inspector() bool { return p.User != nil && p.User.Role == civicgrid.RoleInspector }

// Admin reports whether the user configures the city.
func (p *page) Admin() bool { return p.User != nil && p.User.Role == civicgrid.RoleAdmin }

// setProblem shows err above the form and its field problems beside the
// fields.
func (p *page) setProblem(err error) {
	code := civicgrid.ErrorCodeOf(err)
	p.Problem = message(p.Lang, "error."+string(code))
	p.Detail = civicgrid.ErrorMessage(err)
	p.Fields = map[string]string{}
	if e := civicgrid.AsError(err); e != nil {
		for f, problem := range e.Fields {
			p.Fields[f] = fieldProblem(p.Lang, problem)
		}
	}
}

// newPage starts the page model of request r, titled with the catalogue
// message title.
func (s *Server) newPage(r *http.Request, title, nav string) page {
	city := s.city.City()
	lang := langOf(r)
	return page{Lang: lang, User: civicgrid.ActorFrom(r.Context()), City: city.Name, Title: message(lang, title),
		Path: pagePath(r), Nav: nav, loc: city.Location()}
}

// pagePath is the page a request shows, for the language switch to come
// back to: the request itself for a GET, else the page the form was on.
func pagePath(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	if u, err := url.Parse(r.Referer()); err == nil && u.Host == r.Host && u.Path != "" {
		return u.RequestURI()
	}
	return "/"
}

// render writes the page name with model m and status. The page is
// rendered into a buffer first, so a template failure is still an error
// the caller can report.
func (s *Server) render(w http.ResponseWriter, status int, name string, m pageModel) error {
	t := s.pages[name]
	if t == nil {
		return fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", m); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a failed write is a client that went away
	return nil
}

// templateFuncs are the helpers templates may call besides the page
// methods.
func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset": s.assets.url,
		"join":  strings.Join,
	}
}
