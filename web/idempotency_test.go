package web_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/web"
)

// findIdempotency returns the record of actor's key, or the error.
func (e *env) findIdempotency(scope, key string) (*civicgrid.IdempotencyRecord, error) {
	ctx := context.Background()
	var rec *civicgrid.IdempotencyRecord
	err := e.db.View(ctx, func(tx civicgrid.Tx) error {
		var err error
		rec, err = tx.FindIdempotency(ctx, scope, key)
		return err
	})
	return rec, err
}

func (e *env) userScope(actor string) string { return "user:" + itoa(int64(e.users[actor].ID)) }

func TestIdempotentRetry(t *testing.T) {
	e := newEnv(t)
	body := garbageAt(0, 0, "hotline", "reporter", map[string]any{"phone": "13800000000"})
	first := e.do("POST", "/api/v1/cases", "operator", body, "Idempotency-Key", "retry-1")
	if first.status != http.StatusCreated || first.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %v %s", first.status, first.header, first.body)
	}
	e.clock.Advance(time.Minute)
	second := e.do("POST", "/api/v1/cases", "operator", body, "Idempotency-Key", "retry-1")
	if second.status != http.StatusCreated || second.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d, Idempotent-Replayed %q", second.status, second.header.Get("Idempotent-Replayed"))
	}
	if !bytes.Equal(first.body, second.body) || first.header.Get("Content-Type") != second.header.Get("Content-Type") {
		t.Errorf("retry answered\n%s (%s)\nnot\n%s (%s)", second.body, second.header.Get("Content-Type"), first.body, first.header.Get("Content-Type"))
	}
	if n := e.caseCount(); n != 1 {
		t.Errorf("%d cases after a retry, want 1", n)
	}
	rec, err := e.findIdempotency(e.userScope("operator"), "retry-1")
	if err != nil || rec.Status != http.StatusCreated || !bytes.Equal(rec.Body, first.body) {
		t.Errorf("record %+v, %v", rec, err)
	}

	c := decodeBody[caseOut](t, first)
	act := map[string]any{"action": "file", "version": 2} // the fold below makes version 2
	actions := "/api/v1/cases/" + itoa(c.ID) + "/actions"
	outside := garbageAt(0, 0, "hotline", "lat", 31.0)
	e.run(t, []scenario{
		{name: "the same key with another body", method: "POST", path: "/api/v1/cases", actor: "operator",
			body: garbageAt(1, 0, "hotline"), header: []string{"Idempotency-Key", "retry-1"}, wantStatus: http.StatusUnprocessableEntity,
			wantBody: `{"error":{"code":"unprocessable","message":"Idempotency-Key reused for a different request"}}`},
		{name: "the same key on another path", method: "POST", path: actions, actor: "operator",
			body: body, header: []string{"Idempotency-Key", "retry-1"}, wantStatus: http.StatusUnprocessableEntity},
		{name: "another user's keys are their own", method: "POST", path: "/api/v1/cases", actor: "shift_leader",
			body: body, header: []string{"Idempotency-Key", "retry-1"}, wantStatus: http.StatusOK,
			wantContains: []string{`"folded":true`}, wantHeader: map[string]string{"Idempotent-Replayed": ""}},
		{name: "an action", method: "POST", path: actions, actor: "operator", body: act, header: []string{"Idempotency-Key", "file-1"},
			wantStatus: http.StatusOK, wantContains: []string{`"status":"filed"`, `"version":3`}},
		{name: "the action retried is not stale", method: "POST", path: actions, actor: "operator", body: act, header: []string{"Idempotency-Key", "file-1"},
			wantStatus: http.StatusOK, wantContains: []string{`"version":3`}, wantHeader: map[string]string{"Idempotent-Replayed": "true"}},
		{name: "the action without a key is stale", method: "POST", path: actions, actor: "operator", body: act,
			wantStatus: http.StatusConflict},
		{name: "a 4xx answer is kept", method: "POST", path: "/api/v1/cases", actor: "operator", body: outside,
			header: []string{"Idempotency-Key", "outside-1"}, wantStatus: http.StatusUnprocessableEntity,
			wantHeader: map[string]string{"Idempotent-Replayed": ""}},
		{name: "and given again", method: "POST", path: "/api/v1/cases", actor: "operator", body: outside,
			header: []string{"Idempotency-Key", "outside-1"}, wantStatus: http.StatusUnprocessableEntity,
			wantContains: []string{`"location":"outside the managed area"`}, wantHeader: map[string]string{"Idempotent-Replayed": "true"}},
		{name: "GET ignores the key", method: "GET", path: "/api/v1/cases/" + itoa(c.ID), actor: "operator",
			header: []string{"Idempotency-Key", "retry-1"}, wantStatus: http.StatusOK, wantHeader: map[string]string{"Idempotent-Replayed": ""}},
		{name: "an empty key", method: "POST", path: "/api/v1/cases", actor: "operator", body: body,
			header: []string{"Idempotency-Key", ""}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`"fields":{"Idempotency-Key":"send one key of 1–255 printable ASCII characters"}`}},
		{name: "a key too long", method: "POST", path: "/api/v1/cases", actor: "operator", body: body,
			header: []string{"Idempotency-Key", strings.Repeat("k", 256)}, wantStatus: http.StatusBadRequest},
		{name: "a key not ASCII", method: "POST", path: "/api/v1/cases", actor: "operator", body: body,
			header: []string{"Idempotency-Key", "键-1"}, wantStatus: http.StatusBadRequest},
		{name: "the longest key", method: "POST", path: "/api/v1/cases", actor: "operator", body: garbageAt(2, 0, "hotline"),
			header: []string{"Idempotency-Key", strings.Repeat("k", 255)}, wantStatus: http.StatusCreated},
		{name: "a key with spaces and punctuation", method: "POST", path: "/api/v1/cases", actor: "operator", body: garbageAt(3, 0, "hotline"),
			header: []string{"Idempotency-Key", `order 7/"a"; {b}`}, wantStatus: http.StatusCreated},
		{name: "no token comes before the key", method: "POST", path: "/api/v1/cases", body: body,
			header: []string{"Idempotency-Key", "retry-1"}, wantStatus: http.StatusUnauthorized},
	})

	// Two keys in one request are refused.
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/cases", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.tokens["operator"])
	req.Header.Add("Idempotency-Key", "a")
	req.Header.Add("Idempotency-Key", "b")
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("two keys: %d", resp.StatusCode)
	}
	if n := e.caseCount(); n != 3 {
		t.Errorf("%d cases, want 3", n)
	}
}

// flakyStore fails the next CreateCase when failNext is set, as a full
// disk would.
type flakyStore struct {
	civicgrid.Store
	failNext atomic.Bool
}

func (s *flakyStore) Update(ctx context.Context, fn func(civicgrid.Tx) error) error {
	return s.Store.Update(ctx, func(tx civicgrid.Tx) error { return fn(flakyTx{tx, s}) })
}

type flakyTx struct {
	civicgrid.Tx
	s *flakyStore
}

func (tx flakyTx) CreateCase(ctx context.Context, c *civicgrid.Case) error {
	if tx.s.failNext.CompareAndSwap(true, false) {
		return errors.New("disk I/O error")
	}
	return tx.Tx.CreateCase(ctx, c)
}

// TestIdempotency5xxIsNotKept: a failure of the server is not an answer;
// the retry runs again and succeeds.
func TestIdempotency5xxIsNotKept(t *testing.T) {
	flaky := &flakyStore{}
	e := newEnv(t, func(c *web.Config) {
		flaky.Store = c.Store
		c.Cases = civicgrid.NewCaseService(flaky, c.City.City, c.Now)
	})
	flaky.failNext.Store(true)
	body := garbageAt(1, 0, "hotline")
	r := e.do("POST", "/api/v1/cases", "operator", body, "Idempotency-Key", "flaky-1")
	if r.status != http.StatusInternalServerError {
		t.Fatalf("first: %d %s", r.status, r.body)
	}
	if _, err := e.findIdempotency(e.userScope("operator"), "flaky-1"); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("the key is still held after a 500: %v", err)
	}
	r = e.do("POST", "/api/v1/cases", "operator", body, "Idempotency-Key", "flaky-1")
	if r.status != http.StatusCreated || r.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("retry: %d %q %s", r.status, r.header.Get("Idempotent-Replayed"), r.body)
	}
	if n := e.caseCount(); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
}

// TestIdempotencyPanicReleasesTheKey: a panic in the handler releases the
// key as a 500 does.
func TestIdempotencyPanicReleasesTheKey(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.Photos = nil }) // an upload panics
	for range 2 {
		r := e.do("POST", "/api/v1/photos", "operator", pngBytes(t, 4, 3), "Content-Type", "image/png", "Idempotency-Key", "p-1")
		if r.status != http.StatusInternalServerError || r.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("upload: %d %q", r.status, r.header.Get("Idempotent-Replayed"))
		}
	}
	if _, err := e.findIdempotency(e.userScope("operator"), "p-1"); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("the key is still held after a panic: %v", err)
	}
}

// TestIdempotencyConcurrent: of simultaneous requests with one key, one is
// served and the others get 409 or its answer; one case is made.
func TestIdempotencyConcurrent(t *testing.T) {
	e := newEnv(t)
	body := garbageAt(2, 0, "hotline")
	const n = 8
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		served    int
		replayed  int
		conflicts int
	)
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			r := e.do("POST", "/api/v1/cases", "operator", body, "Idempotency-Key", "same-time")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r.status == http.StatusCreated && r.header.Get("Idempotent-Replayed") == "":
				served++
			case r.status == http.StatusCreated:
				replayed++
			case r.status == http.StatusConflict && strings.Contains(string(r.body), "still being processed") && r.header.Get("Retry-After") == "1":
				conflicts++
			default:
				t.Errorf("unexpected answer %d %s", r.status, r.body)
			}
		})
	}
	close(start)
	wg.Wait()
	if served != 1 || replayed+conflicts != n-1 {
		t.Errorf("served %d, replayed %d, 409 %d; want 1 served and %d others", served, replayed, conflicts, n-1)
	}
	if c := e.caseCount(); c != 1 {
		t.Errorf("%d cases, want 1", c)
	}
}

func TestIdempotencyExpiryAndPurge(t *testing.T) {
	e := newEnv(t)
	body := garbageAt(0, 0, "hotline", "distinct", true)
	if r := e.do("POST", "/api/v1/cases", "operator", body, "Idempotency-Key", "day-1"); r.status != http.StatusCreated {
		t.Fatalf("first: %d %s", r.status, r.body)
	}
	e.clock.Advance(23 * time.Hour)
	if r := e.do("POST", "/api/v1/cases", "operator", body, "Idempotency-Key", "day-1"); r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a retry within a day was not replayed: %d", r.status)
	}
	e.clock.Advance(2 * time.Hour)
	if r := e.do("POST", "/api/v1/cases", "operator", body, "Idempotency-Key", "day-1"); r.status != http.StatusCreated || r.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("a retry after a day: %d %q", r.status, r.header.Get("Idempotent-Replayed"))
	}
	if n := e.caseCount(); n != 2 {
		t.Errorf("%d cases, want 2", n)
	}
	if r := e.do("POST", "/api/v1/cases", "operator", garbageAt(1, 0, "hotline"), "Idempotency-Key", "day-2"); r.status != http.StatusCreated {
		t.Fatalf("day-2: %d %s", r.status, r.body)
	}
	e.clock.Advance(24*time.Hour + time.Second)
	ctx := context.Background()
	n, err := web.PurgeIdempotency(ctx, e.db, e.clock.Now())
	if err != nil || n != 2 {
		t.Errorf("purge: %d, %v; want 2", n, err)
	}
	for _, k := range []string{"day-1", "day-2"} {
		if _, err := e.findIdempotency(e.userScope("operator"), k); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
			t.Errorf("%s after the purge: %v", k, err)
		}
	}
}

// TestIdempotencyStaleReservation: a key reserved long ago by a process
// that died is taken over; one reserved just now is another request's.
func TestIdempotencyStaleReservation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	scope := e.userScope("operator")
	for _, rec := range []*civicgrid.IdempotencyRecord{
		{Scope: scope, Key: "old", RequestHash: "whatever", CreatedAt: e.clock.Now().Add(-10 * time.Minute)},
		{Scope: scope, Key: "new", RequestHash: "whatever", CreatedAt: e.clock.Now().Add(-time.Minute)},
	} {
		if err := e.db.Update(ctx, func(tx civicgrid.Tx) error { return tx.ReserveIdempotency(ctx, rec) }); err != nil {
			t.Fatal(err)
		}
	}
	if r := e.do("POST", "/api/v1/cases", "operator", garbageAt(0, 0, "hotline"), "Idempotency-Key", "old"); r.status != http.StatusCreated {
		t.Errorf("a stale reservation: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/cases", "operator", garbageAt(1, 0, "hotline"), "Idempotency-Key", "new"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("another request's reservation: %d %s", r.status, r.body)
	}
}

// TestIdempotencyMultipart: a retried multipart report is the same request
// even with a new boundary.
func TestIdempotencyMultipart(t *testing.T) {
	e := newEnv(t)
	report := garbageAt(0, 0, "inspector")
	png := pngBytes(t, 6, 4)
	form1, ct1 := reportForm(t, report, [][]byte{png})
	form2, ct2 := reportForm(t, report, [][]byte{png})
	if ct1 == ct2 {
		t.Fatal("the two forms have the same boundary")
	}
	first := e.do("POST", "/api/v1/cases", "inspector", form1, "Content-Type", ct1, "Idempotency-Key", "form-1")
	second := e.do("POST", "/api/v1/cases", "inspector", form2, "Content-Type", ct2, "Idempotency-Key", "form-1")
	if first.status != http.StatusCreated || second.status != http.StatusCreated || second.header.Get("Idempotent-Replayed") != "true" ||
		!bytes.Equal(first.body, second.body) {
		t.Errorf("first %d, retry %d %q", first.status, second.status, second.header.Get("Idempotent-Replayed"))
	}
	form3, ct3 := reportForm(t, report, [][]byte{pngBytes(t, 6, 5)})
	if r := e.do("POST", "/api/v1/cases", "inspector", form3, "Content-Type", ct3, "Idempotency-Key", "form-1"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("another photo with the key: %d %s", r.status, r.body)
	}
	// A body over the route's limit is refused before anything is kept.
	big := bytes.Repeat([]byte("x"), 33<<20)
	if r := e.do("POST", "/api/v1/cases", "inspector", big, "Idempotency-Key", "big-1"); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body too large: %d %s", r.status, r.body)
	}
	if _, err := e.findIdempotency(e.userScope("inspector"), "big-1"); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("a record was kept for a body too large: %v", err)
	}
	if n := e.caseCount(); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
}

// fakeOpen311 stands in for the Open311 handler: it answers a POST with a
// new request id and the description it read, and can be held.
type fakeOpen311 struct {
	calls   atomic.Int32
	hold    chan struct{} // when set, a POST waits for it
	entered chan struct{}
}

func (f *fakeOpen311) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, `{"path":"`+r.URL.Path+`"}`)
		return
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n := f.calls.Add(1)
	if f.hold != nil {
		f.entered <- struct{}{}
		<-f.hold
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = io.WriteString(w, `[{"service_request_id":"`+itoa(int64(n))+`","description":"`+r.PostFormValue("description")+`"}]`)
}

func formBody(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[i] + "=" + kv[i+1])
	}
	return b.String()
}

const formType = "application/x-www-form-urlencoded"

func TestOpen311MountIdempotency(t *testing.T) {
	fake := &fakeOpen311{}
	e := newEnv(t, func(c *web.Config) { c.Open311 = fake })
	post := "/open311/v2/requests.json"
	body := formBody("api_key", "ak_one", "service_code", "SJ0102", "description", "garbage")
	e.run(t, []scenario{
		{name: "the mount sees the whole path", method: "GET", path: "/open311/v2/services.json", wantStatus: http.StatusOK,
			wantBody: `{"path":"/open311/v2/services.json"}`},
		{name: "post", method: "POST", path: post, body: body, header: []string{"Content-Type", formType, "Idempotency-Key", "o-1"},
			wantStatus: http.StatusOK, wantBody: `[{"service_request_id":"1","description":"garbage"}]`},
		{name: "retry", method: "POST", path: post, body: body, header: []string{"Content-Type", formType, "Idempotency-Key", "o-1"},
			wantStatus: http.StatusOK, wantBody: `[{"service_request_id":"1","description":"garbage"}]`,
			wantHeader: map[string]string{"Idempotent-Replayed": "true", "Content-Type": "application/json; charset=utf-8"}},
		{name: "another api_key has its own keys", method: "POST", path: post,
			body:   formBody("api_key", "ak_two", "service_code", "SJ0102", "description", "garbage"),
			header: []string{"Content-Type", formType, "Idempotency-Key", "o-1"}, wantStatus: http.StatusOK,
			wantBody: `[{"service_request_id":"2","description":"garbage"}]`},
		{name: "the same key with another request, in JSON", method: "POST", path: post,
			body:   formBody("api_key", "ak_one", "service_code", "SJ0102", "description", "other"),
			header: []string{"Content-Type", formType, "Idempotency-Key", "o-1"}, wantStatus: http.StatusUnprocessableEntity,
			wantBody: `[{"code":422,"description":"Idempotency-Key reused for a different request"}]`},
		{name: "and in XML", method: "POST", path: "/open311/v2/requests.xml", body: body,
			header: []string{"Content-Type", formType, "Idempotency-Key", "o-1"}, wantStatus: http.StatusUnprocessableEntity,
			wantContains: []string{`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
				`<errors><error><code>422</code><description>Idempotency-Key reused for a different request</description></error></errors>`},
			wantHeader: map[string]string{"Content-Type": "text/xml; charset=utf-8"}},
		{name: "a bad key", method: "POST", path: post, body: body, header: []string{"Content-Type", formType, "Idempotency-Key", "é"},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"code":400`}},
	})
	if got := fake.calls.Load(); got != 2 {
		t.Errorf("the handler ran %d times, want 2", got)
	}

	// A retry while the first request is served is 409; after it, the
	// answer.
	fake.hold, fake.entered = make(chan struct{}), make(chan struct{})
	body = formBody("api_key", "ak_one", "description", "held")
	done := make(chan response)
	go func() {
		done <- e.do("POST", post, "", body, "Content-Type", formType, "Idempotency-Key", "o-2")
	}()
	<-fake.entered
	r := e.do("POST", post, "", body, "Content-Type", formType, "Idempotency-Key", "o-2")
	if r.status != http.StatusConflict || r.header.Get("Retry-After") != "1" ||
		string(r.body) != `[{"code":409,"description":"a request with this Idempotency-Key is still being processed"}]`+"\n" {
		t.Errorf("retry while held: %d %q %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	close(fake.hold)
	first := <-done
	fake.hold = nil
	r = e.do("POST", post, "", body, "Content-Type", formType, "Idempotency-Key", "o-2")
	if first.status != http.StatusOK || r.header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(r.body, first.body) {
		t.Errorf("first %d %s; retry after %d %s", first.status, first.body, r.status, r.body)
	}
	// Without an api_key the client address is the scope.
	anon := formBody("description", "anon")
	for range 2 {
		e.do("POST", post, "", anon, "Content-Type", formType, "Idempotency-Key", "o-3")
	}
	if _, err := e.findIdempotency("ip:127.0.0.1", "o-3"); err != nil {
		t.Errorf("the anonymous request's record: %v", err)
	}
	if got := fake.calls.Load(); got != 4 {
		t.Errorf("the handler ran %d times, want 4", got)
	}
}

func TestOpen311NotMounted(t *testing.T) {
	e := newEnv(t)
	if r := e.do("GET", "/open311/v2/services.json", "", nil); r.status != http.StatusNotFound {
		t.Errorf("GET without an Open311 handler: %d", r.status)
	}
}
