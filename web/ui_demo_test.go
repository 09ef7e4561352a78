package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/demo"
	"civicgrid/filestore"
	"civicgrid/password"
	"civicgrid/sqlite"
	"civicgrid/web"
)

// pageBudget is the slowest a page may answer with the demo city.
const pageBudget = 200 * time.Millisecond

// TestUIDemoPages signs in as every demo role on the full demo city
// (50,000 cases) and times the main pages: the median of five requests
// of each must be under 200 ms. With Chromium installed it also saves a
// screenshot of each page. The demo takes about ten seconds to build, so
// -short and the race detector skip it (make test runs it without).
func TestUIDemoPages(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("the full demo takes ten seconds to build (minutes under -race); run without -short and -race")
	}
	srv := newDemoServer(t)
	type timing struct {
		user, page string
		median     time.Duration
	}
	var timings []timing
	screens := map[string][]string{} // user → pages, for the screenshots
	for _, user := range []string{"operator1", "shiftleader1", "dispatcher1", "unit-sanitation", "inspector01", "leader", "citizen1", "admin"} {
		c := signIn(t, srv.URL, user, demo.Password)
		home := get(t, c, srv.URL+"/")
		pages := []string{"/", "/cases", "/cases?status=handling&overdue=true&page=2", "/report"}
		if user != "citizen1" {
			pages = append(pages, "/map") // before the case: the inspector's last page is its case
		}
		if m := regexp.MustCompile(`href="(/cases/\d+)"`).FindStringSubmatch(home); m != nil {
			pages = append(pages, m[1])
		}
		if user == "operator1" {
			pages = append(pages, "/cases?district=330106&page=40")
		}
		if user == "admin" {
			pages = append(pages, "/admin", "/admin/users", "/admin/users?role=inspector&q=1", "/admin/users/2", "/admin/units", "/admin/units/1",
				"/admin/routing", "/admin/routing?test_category=06010&test_lat=30.27&test_lon=120.16", "/admin/taxonomy", "/admin/calendar",
				"/admin/apikeys", "/admin/grid")
		}
		if user == "operator1" || user == "dispatcher1" || user == "leader" {
			pages = append(pages, "/dashboard", "/api/v1/dashboard")
		}
		if user == "dispatcher1" {
			pages = append(pages, "/cases?status=filed")
		}
		if user == "operator1" || user == "leader" {
			pages = append(pages, "/hotspots", "/hotspots?level=community&category=06010&from=2026-01-01&until=2026-05-20")
		}
		if user == "operator1" || user == "leader" {
			pages = append(pages, "/rankings", "/rankings?kind=community&month=2026-03", "/rankings?kind=dispatcher", "/metrics")
		}
		if user == "operator1" || user == "leader" {
			pages = append(pages, "/reports", "/reports?kind=daily&date=2026-05-19", "/reports?kind=weekly&date=2026-05-13")
		}
		if user == "inspector01" {
			pages = append(pages, "/inspector")
		}
		for _, p := range pages {
			var ds []time.Duration
			for range 5 {
				start := time.Now()
				get(t, c, srv.URL+p)
				ds = append(ds, time.Since(start))
			}
			slices.Sort(ds)
			timings = append(timings, timing{user, p, ds[len(ds)/2]})
		}
		screens[user] = pages
	}
	var sb strings.Builder
	for _, tm := range timings {
		fmt.Fprintf(&sb, "  %-16s %-45s %6.1f ms\n", tm.user, tm.page, float64(tm.median.Microseconds())/1000)
		if tm.median > pageBudget {
			t.Errorf("%s %s: median %v, over the %v budget", tm.user, tm.page, tm.median, pageBudget)
		}
	}
	t.Logf("median page times with the demo city:\n%s", sb.String())

	t.Run("screenshots", func(t *testing.T) {
		b := startBrowser(t)
		for _, user := range []string{"operator1", "dispatcher1", "unit-sanitation", "inspector01", "leader", "citizen1"} {
			b.open(srv.URL + "/login")
			b.fill("#name", user)
			b.fill("#password", demo.Password)
			b.submit("form.stack button.primary")
			for i, p := range screens[user] {
				if user != "operator1" && i > 0 && i < 3 {
					continue // one list of cases is enough
				}
				b.open(srv.URL + p)
				b.screenshot(user + strings.NewReplacer("/", "-", "?", "_", "&", "_", "=", "-").Replace(p))
			}
			b.submit(".who form button")
		}
		b.viewport(390, 844, true)
		b.open(srv.URL + "/login")
		b.fill("#name", "inspector01")
		b.fill("#password", demo.Password)
		b.submit("form.stack button.primary")
		b.screenshot("inspector01-phone-home")
		b.open(srv.URL + screens["inspector01"][len(screens["inspector01"])-1])
		b.screenshot("inspector01-phone-case")
	})
}

// newDemoServer serves the full demo city from a fresh SQLite file.
func newDemoServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	loc := civicgrid.DefaultCalendar().Location()
	now := demoNow
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.db")
	if err := copyDemo(path); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, path, sqlite.Options{Location: loc, Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hasher := demoHasher
	city, err := civicgrid.NewCityHolder(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := filestore.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	users := civicgrid.NewUserService(db, hasher, clock)
	srv := httptest.NewServer(web.NewServer(web.Config{
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Store:  db, City: city, Cases: civicgrid.NewCaseService(db, city.City, clock), Users: users,
		Photos: civicgrid.NewPhotoService(db, blobs, clock), Blobs: blobs, Now: clock,
	}))
	t.Cleanup(srv.Close)
	return srv
}

// demoNow is the demo city's present; demoHasher hashes its passwords
// cheaply.
var (
	demoNow    = time.Date(2026, 5, 20, 10, 30, 0, 0, civicgrid.DefaultCalendar().Location())
	demoHasher = password.New(password.Params{Memory: 64, Time: 1, Threads: 1})
)

// The full demo database is built once per test process (it takes tens
// of seconds) and copied for each test that serves it, so that tests do
// not see each other's writes.
var (
	demoOnce     sync.Once
	demoTemplate string // the built database file, closed
	demoErr      error
)

// copyDemo copies the built demo database to path, building it first if
// no test has yet.
func copyDemo(path string) error {
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "civicgrid-webdemo-")
		if err != nil {
			demoErr = err
			return
		}
		demoTemplate = filepath.Join(dir, "demo.db")
		demoErr = buildDemo(demoTemplate)
	})
	if demoErr != nil {
		return demoErr
	}
	src, err := os.Open(demoTemplate)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// buildDemo builds the full demo city into a new database at path and
// closes it (which checkpoints its WAL into the file).
func buildDemo(path string) error {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{Location: civicgrid.DefaultCalendar().Location(), Synchronous: "normal"})
	if err != nil {
		return err
	}
	start := time.Now()
	if _, err := demo.Build(ctx, db, db.BulkLoad, demo.Options{Seed: 1, Now: demoNow, Hash: demoHasher.Hash}); err != nil {
		db.Close()
		return err
	}
	fmt.Fprintf(os.Stderr, "demo city built in %v\n", time.Since(start).Round(time.Millisecond))
	return db.Close()
}

// removeDemo removes the built demo database, if a test built it.
func removeDemo() {
	if demoTemplate != "" {
		os.RemoveAll(filepath.Dir(demoTemplate))
	}
}

// signIn returns a client with a cookie jar signed in as user.
func signIn(t *testing.T, base, user, pw string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.PostForm(base+"/login", url.Values{"name": {user}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("sign in as %s: %d at %s\n%s", user, resp.StatusCode, resp.Request.URL, body)
	}
	return c
}

// get fetches a page and returns its body; anything but 200 fails.
func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, body)
	}
	return string(body)
}
