package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// uiPassword is the password the page tests give the fixture's users.
const uiPassword = "page-tests-pw"

// browserClient is an HTTP client that keeps cookies, as a browser does,
// but does not follow redirects, so the tests see them.
type browserClient struct {
	e *env
	c *http.Client
}

// newBrowserClient returns a client with no cookies.
func (e *env) newBrowserClient() *browserClient {
	jar, _ := cookiejar.New(nil)
	return &browserClient{e: e, c: &http.Client{Jar: jar, Transport: e.client.Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signedInAs returns a client signed in as the fixture user name.
func (e *env) signedInAs(name string) *browserClient {
	e.tb.Helper()
	e.setPassword(name, uiPassword)
	b := e.newBrowserClient()
	r := b.post("/login", url.Values{"name": {name}, "password": {uiPassword}})
	if r.status != http.StatusSeeOther {
		e.tb.Fatalf("sign in as %s: %d\n%s", name, r.status, r.body)
	}
	return b
}

// get fetches path.
func (b *browserClient) get(path string, header ...string) response {
	b.e.tb.Helper()
	req, err := http.NewRequest("GET", b.e.srv.URL+path, nil)
	if err != nil {
		b.e.tb.Fatal(err)
	}
	return b.do(req, header)
}

// post sends form as a browser's same-origin form post.
func (b *browserClient) post(path string, form url.Values, header ...string) response {
	b.e.tb.Helper()
	req, err := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req, append([]string{"Sec-Fetch-Site", "same-origin"}, header...))
}

// postMultipart sends form and the file at photo (when not "") as a
// multipart form post.
func (b *browserClient) postMultipart(path string, form url.Values, photo string) response {
	b.e.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if photo != "" {
		data, err := os.ReadFile(photo)
		if err != nil {
			b.e.tb.Fatal(err)
		}
		fw, _ := mw.CreateFormFile("photo", filepath.Base(photo))
		_, _ = fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", b.e.srv.URL+path, &body)
	if err != nil {
		b.e.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req, []string{"Sec-Fetch-Site", "same-origin"})
}

func (b *browserClient) do(req *http.Request, header []string) response {
	b.e.tb.Helper()
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.e.tb.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// cookie returns the value of the client's cookie name, or "".
func (b *browserClient) cookie(name string) string {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// pageScenario is one page request and what must come back.
type pageScenario struct {
	name         string
	as           string // the signed-in user, "" for none
	method, path string
	form         url.Values
	header       []string
	wantStatus   int
	wantLocation string
	wantContains []string
	wantMissing  []string
}

// runPages runs each scenario as a subtest, each user signed in once.
func (e *env) runPages(t *testing.T, scenarios []pageScenario) {
	t.Helper()
	clients := map[string]*browserClient{"": e.newBrowserClient()}
	for _, sc := range scenarios {
		if clients[sc.as] == nil {
			clients[sc.as] = e.signedInAs(sc.as)
		}
		c := clients[sc.as]
		t.Run(sc.name, func(t *testing.T) {
			var r response
			if sc.method == "POST" {
				r = c.post(sc.path, sc.form, sc.header...)
			} else {
				r = c.get(sc.path, sc.header...)
			}
			if r.status != sc.wantStatus {
				t.Errorf("status = %d, want %d\n%s", r.status, sc.wantStatus, r.body)
			}
			if got := r.header.Get("Location"); got != sc.wantLocation {
				t.Errorf("Location = %q, want %q", got, sc.wantLocation)
			}
			for _, s := range sc.wantContains {
				if !bytes.Contains(r.body, []byte(s)) {
					t.Errorf("the page does not contain %q:\n%s", s, r.body)
				}
			}
			for _, s := range sc.wantMissing {
				if bytes.Contains(r.body, []byte(s)) {
					t.Errorf("the page contains %q", s)
				}
			}
		})
	}
}

// pageNormalizers make rendered pages comparable across runs and edits:
// the content hashes of static files and of photos, and the test
// server's port.
var pageNormalizers = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`/static/([a-z]+)\.[0-9a-f]{8}\.([a-z]+)`), "/static/$1.HASH.$2"},
	{regexp.MustCompile(`/photos/[0-9a-f]{64}`), "/photos/PHOTO"},
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "HOST"},
}

// checkPageGolden compares a rendered page, normalised, with
// testdata/ui_name.golden; -update rewrites the file.
func checkPageGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	got := string(body)
	for _, n := range pageNormalizers {
		got = n.re.ReplaceAllString(got, n.repl)
	}
	path := filepath.Join("testdata", "ui_"+name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}
