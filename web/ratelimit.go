package web

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"civicgrid"
)

// Limit is a token bucket: Rate requests a second on average, in bursts of
// up to Burst (at least 1). A zero Rate turns the limit off.
type Limit struct {
	Rate  float64
	Burst int
}

// RateLimit configures the server's rate limits. They are kept in memory,
// per process: behind a load balancer each process limits on its own.
type RateLimit struct {
	// PerKey limits each API token (on every authenticated route) and each
	// Open311 api_key.
	PerKey Limit
	// PerAddress limits each client address on the public endpoints: POST
	// /api/v1/tokens and everything under /open311/v2/. IPv6 clients are
	// counted by their /64.
	PerAddress Limit
	// FailedLogins limits the failed POST /api/v1/tokens of each client
	// address; once it is spent, even a right password is refused until
	// the bucket refills.
	FailedLogins Limit
}

// DefaultRateLimit is a sensible configuration for one city's server: an
// application may send 20 requests a second (bursts of 100), an address on
// the public endpoints 10 (bursts of 100), and an address may fail to log
// in 10 times in a row and then once a minute.
var DefaultRateLimit = RateLimit{
	PerKey:       Limit{Rate: 20, Burst: 100},
	PerAddress:   Limit{Rate: 10, Burst: 100},
	FailedLogins: Limit{Rate: 1.0 / 60, Burst: 10},
}

// limiter is a set of token buckets, one per key, in memory. A bucket that
// has been idle long enough to be full again is the same as no bucket, so
// such buckets are swept away and memory stays bounded by the keys active
// within one refill time. A nil *limiter allows everything.
type limiter struct {
	rate, burst float64
	full        time.Duration // how long an empty bucket takes to refill
	now         func() time.Time

	mu      sync.Mutex
	buckets map[string]bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

const (
	// sweepEvery is how often full buckets are swept away.
	sweepEvery = time.Minute
	// maxBuckets bounds a limiter's memory; when a sweep leaves more than
	// that (a flood of distinct keys) the limiter starts afresh.
	maxBuckets = 100_000
)

// newLimiter returns a limiter for l, or nil when l is off.
func newLimiter(l Limit, now func() time.Time) *limiter {
	if l.Rate <= 0 || math.IsNaN(l.Rate) || math.IsInf(l.Rate, 0) {
		return nil
	}
	burst := float64(max(l.Burst, 1))
	return &limiter{rate: l.Rate, burst: burst, full: time.Duration(burst / l.Rate * float64(time.Second)),
		now: now, buckets: map[string]bucket{}}
}

// allow takes a token from key's bucket. When the bucket is empty it
// returns false and how long until a token is there.
func (l *limiter) allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = bucket{tokens: l.burst, at: now}
	} else if d := now.Sub(b.at); d > 0 {
		b.tokens, b.at = min(l.burst, b.tokens+d.Seconds()*l.rate), now
	}
	if b.tokens < 1 {
		l.buckets[key] = b
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	l.buckets[key] = b
	return true, 0
}

// refund gives back a token that allow took.
func (l *limiter) refund(key string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = min(l.burst, b.tokens+1)
		l.buckets[key] = b
	}
}

// sweep drops the buckets that are full again, once a minute or when there
// are too many; l.mu is held.
func (l *limiter) sweep(now time.Time) {
	if len(l.buckets) < maxBuckets && now.Sub(l.swept) < sweepEvery {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if now.Sub(b.at) >= l.full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// size returns the number of buckets held, for tests.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// rateLimited returns the error of a refused request and sets Retry-After
// to the whole seconds until it may be retried.
func rateLimited(w http.ResponseWriter, wait time.Duration, format string) error {
	secs := max(1, int64(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	return civicgrid.Errorf(civicgrid.RateLimited, format, secs)
}

// limitAddress applies the per-address limit to next.
func (s *Server) limitAddress(next http.Handler) http.Handler {
	if s.perAddress == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.perAddress.allow(clientAddress(r)); !ok {
			s.writeError(w, r, rateLimited(w, wait, "too many requests from your address; retry in %d s"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clientAddress names the client for rate limits and idempotency scopes:
// its IP address, or the /64 network of an IPv6 address (one subscriber
// usually holds a whole /64). It is the peer's address; a reverse proxy in
// front must be trusted to limit on its own.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}
