package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

func TestUISignInAndOut(t *testing.T) {
	e := newEnv(t)
	e.setPassword("operator", uiPassword)
	b := e.newBrowserClient()

	r := b.get("/cases?status=filed")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fcases%3Fstatus%3Dfiled" {
		t.Fatalf("a page without a session: %d to %q", r.status, r.header.Get("Location"))
	}
	r = b.post("/login", url.Values{"name": {"operator"}, "password": {"wrong"}, "next": {"/cases?status=filed"}})
	if r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), `value="operator"`) ||
		!strings.Contains(string(r.body), "用户名或密码不正确") {
		t.Fatalf("wrong password: %d\n%s", r.status, r.body)
	}
	if b.cookie("cg_session") != "" {
		t.Fatal("a failed sign-in set a session cookie")
	}

	r = b.post("/login", url.Values{"name": {"operator"}, "password": {uiPassword}, "next": {"/cases?status=filed"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/cases?status=filed" {
		t.Fatalf("sign in: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	set := r.header.Get("Set-Cookie")
	for _, want := range []string{"cg_session=", "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=604800"} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("Set-Cookie %q is Secure over plain HTTP", set)
	}
	id := b.cookie("cg_session")
	if len(id) != 43 { // 32 random bytes, base64url
		t.Fatalf("session id %q is not 32 random bytes", id)
	}
	// Only the hash of the id is stored.
	err := e.db.View(context.Background(), func(tx civicgrid.Tx) error {
		if _, err := tx.FindSession(context.Background(), id); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
			t.Errorf("the session id itself is stored: %v", err)
		}
		s, err := tx.FindSession(context.Background(), civicgrid.HashToken(id))
		if err != nil || s.UserID != e.users["operator"].ID || !s.ExpiresAt.Equal(e.clock.Now().Add(civicgrid.DefaultSessionTTL)) {
			t.Errorf("stored session %+v, %v", s, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := b.get("/"); r.status != http.StatusOK || !strings.Contains(string(r.body), "等我处理") {
		t.Fatalf("home with a session: %d\n%s", r.status, r.body)
	}
	if r := b.get("/login"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Errorf("the sign-in page when signed in: %d to %q", r.status, r.header.Get("Location"))
	}

	// The pages' scripts call the API with the session (TestAPIWithSession
	// covers the cross-origin check).
	if r := b.get("/api/v1/me"); r.status != http.StatusOK {
		t.Errorf("the API with the session cookie: %d", r.status)
	}

	r = b.post("/logout", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" || b.cookie("cg_session") != "" {
		t.Fatalf("sign out: %d to %q, cookie %q", r.status, r.header.Get("Location"), b.cookie("cg_session"))
	}
	// The session is gone from the store, not only from the browser.
	old := e.newBrowserClient()
	u, _ := url.Parse(e.srv.URL)
	old.c.Jar.SetCookies(u, []*http.Cookie{{Name: "cg_session", Value: id}})
	if r := old.get("/"); r.status != http.StatusOK || !strings.Contains(string(r.body), "/api/v1/tokens") {
		t.Errorf("home with the signed-out session: %d\n%s", r.status, r.body)
	}
	if r := old.get("/cases"); r.status != http.StatusSeeOther {
		t.Errorf("a page with the signed-out session: %d", r.status)
	}
}

func TestUISessionExpires(t *testing.T) {
	e := newEnv(t)
	b := e.signedInAs("dispatcher")
	e.clock.Advance(civicgrid.DefaultSessionTTL - time.Minute)
	if r := b.get("/cases"); r.status != http.StatusOK {
		t.Fatalf("a session a minute before it expires: %d", r.status)
	}
	e.clock.Advance(time.Minute)
	if r := b.get("/cases"); r.status != http.StatusSeeOther {
		t.Fatalf("an expired session: %d", r.status)
	}
}

func TestUICrossOriginFormsRefused(t *testing.T) {
	e := newEnv(t)
	c := e.report("inspector", catGarbage, 0)
	e.runPages(t, []pageScenario{
		{name: "sign-in from another site", method: "POST", path: "/login", form: url.Values{"name": {"operator"}, "password": {"x"}},
			header: []string{"Sec-Fetch-Site", "cross-site"}, wantStatus: http.StatusForbidden, wantContains: []string{"您无权执行此操作"}},
		{name: "action from another site", as: "operator", method: "POST", path: "/cases/" + itoa(c.ID) + "/act",
			form:   url.Values{"action": {"file"}, "version": {"1"}},
			header: []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, wantStatus: http.StatusForbidden},
		{name: "action with a foreign Origin and no fetch metadata", as: "operator", method: "POST", path: "/cases/" + itoa(c.ID) + "/act",
			form:   url.Values{"action": {"file"}, "version": {"1"}},
			header: []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, wantStatus: http.StatusForbidden},
		{name: "sign-out from another site", as: "operator", method: "POST", path: "/logout",
			header: []string{"Sec-Fetch-Site", "cross-site"}, wantStatus: http.StatusForbidden},
	})
	if got := e.caseStatus(c.ID); got != "reported" {
		t.Errorf("a refused cross-site form changed the case to %s", got)
	}
}

// caseStatus returns the status of case id, as the admin sees it.
func (e *env) caseStatus(id int64) string {
	e.tb.Helper()
	r := e.do("GET", "/api/v1/cases/"+itoa(id), "admin", nil)
	return decodeBody[caseOut](e.tb, r).Status
}

func TestUIChangePassword(t *testing.T) {
	e := newEnv(t)
	b := e.signedInAs("leader")
	other := e.signedInAs("leader") // the same user on another device
	e.runPages(t, []pageScenario{
		{name: "form", as: "leader", path: "/password", wantStatus: http.StatusOK,
			wantContains: []string{`autocomplete="current-password"`, `autocomplete="new-password"`}},
	})
	for _, tc := range []struct {
		name       string
		form       url.Values
		wantStatus int
		want       string
	}{
		{"wrong current", url.Values{"current": {"nope"}, "new": {"new-password-1"}, "again": {"new-password-1"}}, http.StatusBadRequest, "密码不正确"},
		{"mismatch", url.Values{"current": {uiPassword}, "new": {"new-password-1"}, "again": {"new-password-2"}}, http.StatusBadRequest, "两次输入不一致"},
		{"too short", url.Values{"current": {uiPassword}, "new": {"short"}, "again": {"short"}}, http.StatusBadRequest, "至少 8 个字符"},
		{"missing", url.Values{}, http.StatusBadRequest, "必填"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.post("/password", tc.form)
			if r.status != tc.wantStatus || !strings.Contains(string(r.body), tc.want) || !strings.Contains(string(r.body), `aria-invalid="true"`) {
				t.Errorf("%d, want %d with %q\n%s", r.status, tc.wantStatus, tc.want, r.body)
			}
		})
	}
	r := b.post("/password", url.Values{"current": {uiPassword}, "new": {"new-password-1"}, "again": {"new-password-1"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/password?done=1" {
		t.Fatalf("change: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	if r := b.get("/password?done=1"); !strings.Contains(string(r.body), "密码已修改") {
		t.Errorf("this device was signed out, or no notice:\n%s", r.body)
	}
	if r := other.get("/cases"); r.status != http.StatusSeeOther {
		t.Errorf("the other device is still signed in: %d", r.status)
	}
	fresh := e.newBrowserClient()
	if r := fresh.post("/login", url.Values{"name": {"leader"}, "password": {uiPassword}}); r.status != http.StatusUnauthorized {
		t.Errorf("the old password still works: %d", r.status)
	}
	if r := fresh.post("/login", url.Values{"name": {"leader"}, "password": {"new-password-1"}}); r.status != http.StatusSeeOther {
		t.Errorf("the new password does not work: %d", r.status)
	}
}

func TestUILanguage(t *testing.T) {
	e := newEnv(t)
	b := e.newBrowserClient()
	r := b.get("/login")
	if !strings.Contains(string(r.body), `<html lang="zh-CN">`) || !strings.Contains(string(r.body), "用户名") {
		t.Fatalf("the default language is not Chinese:\n%s", r.body)
	}
	r = b.get("/lang?to=en&back=/login%3Fnext%3D%252Fcases")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fcases" || b.cookie("lang") != "en" {
		t.Fatalf("switch: %d to %q, cookie %q", r.status, r.header.Get("Location"), b.cookie("lang"))
	}
	r = b.get("/login")
	if !strings.Contains(string(r.body), `<html lang="en">`) || !strings.Contains(string(r.body), "User name") || strings.Contains(string(r.body), "用户名") {
		t.Fatalf("the switch was not remembered:\n%s", r.body)
	}
	for _, back := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		if r := b.get("/lang?to=zh&back=" + url.QueryEscape(back)); r.header.Get("Location") != "/" {
			t.Errorf("back=%s goes to %q", back, r.header.Get("Location"))
		}
	}
}
