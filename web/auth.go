package web

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"civicgrid"
)

// authenticate lets a request through only with a valid bearer token, and
// puts the token's user into the context as the actor.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.tokenUser(r)
		if err != nil {
			if civicgrid.ErrorCodeOf(err) == civicgrid.Unauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="civicgrid"`)
			}
			s.writeError(w, r, err)
			return
		}
		requestInfoFrom(r.Context()).userID = u.ID
		next.ServeHTTP(w, r.WithContext(civicgrid.WithActor(r.Context(), u)))
	})
}

// tokenUser returns the active user owning the request's bearer token, or
// Unauthorized.
func (s *Server) tokenUser(r *http.Request) (*civicgrid.User, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 512 {
		return nil, civicgrid.Errorf(civicgrid.Unauthorized, "send an API token as Authorization: Bearer <token>")
	}
	hash := civicgrid.HashToken(token)
	if u := s.tokens.get(hash); u != nil {
		return u, nil
	}
	u, err := s.users.AuthenticateToken(r.Context(), token)
	if err != nil {
		return nil, err
	}
	s.tokens.put(hash, u)
	return u, nil
}

// tokenCache remembers token lookups for a short time, so that a busy
// client does not cost a read transaction per request. A zero ttl disables
// it. Entries are shared between requests and must not be modified.
type tokenCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]tokenEntry
}

type tokenEntry struct {
	user    *civicgrid.User
	expires time.Time
}

// maxCachedTokens bounds the cache; when full it starts afresh.
const maxCachedTokens = 10_000

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, entries: map[string]tokenEntry{}}
}

func (c *tokenCache) get(hash string) *civicgrid.User {
	if c.ttl <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || time.Now().After(e.expires) {
		return nil
	}
	return e.user
}

func (c *tokenCache) put(hash string, u *civicgrid.User) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCachedTokens {
		clear(c.entries)
	}
	c.entries[hash] = tokenEntry{user: u, expires: time.Now().Add(c.ttl)}
}
