package web

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	if l := newLimiter(Limit{}, clock); l != nil {
		t.Fatal("a zero limit is not off")
	}
	var off *limiter
	if ok, _ := off.allow("x"); !ok {
		t.Fatal("a nil limiter refused")
	}
	l := newLimiter(Limit{Rate: 2, Burst: 3}, clock)
	for i := range 3 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d within the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("over the burst: %v, wait %v; want refused, 500ms", ok, wait)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Fatal("another key refused")
	}
	now = now.Add(250 * time.Millisecond)
	if ok, wait := l.allow("a"); ok || wait != 250*time.Millisecond {
		t.Fatalf("half refilled: %v, wait %v", ok, wait)
	}
	now = now.Add(250 * time.Millisecond)
	if ok, _ := l.allow("a"); !ok {
		t.Fatal("refilled token refused")
	}
	l.refund("a")
	if ok, _ := l.allow("a"); !ok {
		t.Fatal("refunded token refused")
	}
	// A clock that goes back refills nothing and breaks nothing.
	now = now.Add(-time.Hour)
	if ok, _ := l.allow("a"); ok {
		t.Fatal("a clock going back refilled the bucket")
	}
	now = now.Add(time.Hour)

	// Buckets full again are swept away.
	for i := range 1000 {
		l.allow("k" + strconv.Itoa(i))
	}
	if n := l.size(); n < 1000 {
		t.Fatalf("%d buckets, want at least 1000", n)
	}
	now = now.Add(sweepEvery + 2*time.Second)
	l.allow("fresh")
	if n := l.size(); n != 1 {
		t.Errorf("%d buckets after the sweep, want 1", n)
	}
}

func TestLimiterBounded(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	l := newLimiter(Limit{Rate: 1.0 / 3600, Burst: 1}, func() time.Time { return now })
	for i := range maxBuckets + 10 {
		l.allow(strconv.Itoa(i))
	}
	if n := l.size(); n > maxBuckets {
		t.Errorf("%d buckets, more than %d", n, maxBuckets)
	}
}

func TestClientAddress(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.7:5123":          "192.0.2.7",
		"[2001:db8:1:2:3::9]:443": "2001:db8:1:2::/64",
		"[::ffff:192.0.2.7]:80":   "192.0.2.7",
		"[fe80::1%eth0]:80":       "fe80::/64",
		"not an address":          "not an address",
		"192.0.2.7":               "192.0.2.7",
	} {
		if got := clientAddress(&http.Request{RemoteAddr: remote}); got != want {
			t.Errorf("clientAddress(%q) = %q, want %q", remote, got, want)
		}
	}
}

func TestValidIdempotencyKey(t *testing.T) {
	for k, want := range map[string]bool{
		"": false, "a": true, " spaced ": true, "tab\tkey": false, "ключ": false, "\x7f": false,
		string(make([]byte, 255)): false, // NULs
	} {
		if got := validIdempotencyKey(k); got != want {
			t.Errorf("validIdempotencyKey(%q) = %v, want %v", k, got, want)
		}
	}
}

// BenchmarkLimiterAllow measures the per-request cost of a rate limit.
func BenchmarkLimiterAllow(b *testing.B) {
	l := newLimiter(Limit{Rate: 1e9, Burst: 1 << 30}, time.Now)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "token:" + strconv.Itoa(i)
	}
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.allow(keys[i%len(keys)])
			i++
		}
	})
}
