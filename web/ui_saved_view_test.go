package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestUISavedViews saves the list's filters under a name, shows the views
// above the list, refuses a name in use with the form shown again, and
// deletes a view.
func TestUISavedViews(t *testing.T) {
	e := newEnv(t)
	filed := e.report("inspector", catGarbage, 0)
	if r := e.act("operator", filed.ID, filed.Version, "file", nil); r.status != http.StatusOK {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	e.report("inspector", catManhole, 3)
	b := e.signedInAs("dispatcher")

	r := b.post("/cases/views", url.Values{"name": {"待派遣"}, "query": {"status=filed&page=3&bogus=1"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/cases?status=filed" {
		t.Fatalf("save: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	if r := b.post("/cases/views", url.Values{"name": {"全部超时"}, "query": {"overdue=true"}}); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.status)
	}
	r = b.get("/cases?status=filed")
	checkPageGolden(t, "cases_views_dispatcher", r.body)
	body := string(r.body)
	for _, want := range []string{`<a href="/cases?status=filed" aria-current="true">待派遣</a>`, `<a href="/cases?overdue=true">全部超时</a>`, filed.Number} {
		if !strings.Contains(body, want) {
			t.Errorf("the list lacks %s", want)
		}
	}

	// A name in use shows the list again, the name kept and the problem
	// beside it.
	r = b.post("/cases/views", url.Values{"name": {"待派遣"}, "query": {"status=filed&district=330102"}})
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "已有同名的常用筛选。") ||
		!strings.Contains(string(r.body), `value="待派遣" placeholder`) || !strings.Contains(string(r.body), `aria-invalid="true"`) {
		t.Errorf("name in use: %d\n%s", r.status, r.body)
	}
	if r := b.post("/cases/views", url.Values{"name": {"  "}, "query": {"status=filed"}}); r.status != http.StatusBadRequest {
		t.Errorf("empty name: %d, want 400", r.status)
	}

	// Another user sees none of them and cannot delete them.
	id := regexp.MustCompile(`待派遣</a><form method="post" action="/cases/views/(\d+)/delete"`).FindStringSubmatch(body)[1]
	other := e.signedInAs("operator")
	if strings.Contains(string(other.get("/cases").body), "待派遣") {
		t.Error("the operator sees the dispatcher's view")
	}
	if r := other.post("/cases/views/"+id+"/delete", url.Values{}); r.status != http.StatusNotFound {
		t.Errorf("another's delete: %d, want 404", r.status)
	}
	r = b.post("/cases/views/"+id+"/delete", url.Values{"query": {"status=filed"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/cases?status=filed" {
		t.Errorf("delete: %d to %q", r.status, r.header.Get("Location"))
	}
	if r := b.get("/cases"); strings.Contains(string(r.body), "待派遣</a>") {
		t.Error("the deleted view is still listed")
	}
	// A form from another site is refused (CSRF).
	if r := b.post("/cases/views", url.Values{"name": {"x"}}, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"); r.status != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", r.status)
	}
}

// TestAPISavedViews lists, creates and deletes views through the API.
func TestAPISavedViews(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/views", "leader", map[string]any{"name": "超时", "query": "overdue=true&limit=5"})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	v := decodeBody[struct {
		ID    int64  `json:"id"`
		Query string `json:"query"`
	}](t, r)
	if v.Query != "overdue=true" {
		t.Errorf("query kept = %q, want only the filters", v.Query)
	}
	if r := e.do("POST", "/api/v1/views", "leader", map[string]any{"name": "超时"}); r.status != http.StatusConflict {
		t.Errorf("same name: %d, want 409", r.status)
	}
	if r := e.do("POST", "/api/v1/views", "citizen", map[string]any{"name": "mine"}); r.status != http.StatusForbidden {
		t.Errorf("citizen: %d, want 403", r.status)
	}
	list := decodeBody[struct {
		Items []struct{ Name string } `json:"items"`
	}](t, e.do("GET", "/api/v1/views", "leader", nil))
	if len(list.Items) != 1 || list.Items[0].Name != "超时" {
		t.Errorf("list = %+v", list)
	}
	if r := e.do("GET", "/api/v1/views", "operator", nil); !strings.Contains(string(r.body), `"items":[]`) {
		t.Errorf("another user's list: %s", r.body)
	}
	if r := e.do("DELETE", "/api/v1/views/"+itoa(v.ID), "operator", nil); r.status != http.StatusNotFound {
		t.Errorf("another's delete: %d, want 404", r.status)
	}
	if r := e.do("DELETE", "/api/v1/views/"+itoa(v.ID), "leader", nil); r.status != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
}
