package web

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"civicgrid"
)

// authenticate lets a request through only with a valid bearer token
// within the token's rate limit, and puts the token's user into the context
// as the actor.
//
// The pages' own scripts call the API with the page's session instead: a
// request without an Authorization header but with a session cookie acts
// as the session's user, and a state-changing one must pass the same
// cross-origin check (CSRF) as the pages' forms.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *civicgrid.User
		var hash string
		var err error
		if c, cerr := r.Cookie(sessionCookie); cerr == nil && c.Value != "" && r.Header.Get("Authorization") == "" {
			u, err = s.sessionUser(r, c.Value)
			hash = "session:" + civicgrid.HashToken(c.Value)
		} else {
			u, hash, err = s.tokenUser(r)
		}
		if err != nil {
			if civicgrid.ErrorCodeOf(err) == civicgrid.Unauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="civicgrid"`)
			}
			s.writeError(w, r, err)
			return
		}
		requestInfoFrom(r.Context()).userID = u.ID
		if ok, wait := s.perKey.allow("token:" + hash); !ok {
			s.writeError(w, r, rateLimited(w, wait, "too many requests with this token; retry in %d s"))
			return
		}
		next.ServeHTTP(w, r.WithContext(civicgrid.WithActor(r.Context(), u)))
	})
}

// sessionUser returns the active user of session id, refusing a
// state-changing request from another origin.
func (s *Server) sessionUser(r *http.Request, id string) (*civicgrid.User, error) {
	if err := s.sameOrigin.Check(r); err != nil {
		return nil, civicgrid.Errorf(civicgrid.Forbidden, "a request from another site may not use this browser's session")
	}
	u, err := s.sessions.User(r.Context(), id)
	if civicgrid.ErrorCodeOf(err) == civicgrid.Unauthorized {
		return nil, civicgrid.Errorf(civicgrid.Unauthorized, "the session has ended; sign in again")
	}
	return u, err
}

// tokenUser returns the active user owning the request's bearer token and
// the token's hash, or Unauthorized.
func (s *Server) tokenUser(r *http.Request) (*civicgrid.User, string, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > 512 {
		return nil, "", civicgrid.Errorf(civicgrid.Unauthorized, "send an API token as Authorization: Bearer <token>")
	}
	hash := civicgrid.HashToken(token)
	if u := s.tokens.get(hash); u != nil {
		return u, hash, nil
	}
	var u *civicgrid.User
	var err error
	if strings.HasPrefix(token, "ak_") && s.apiKeys != nil {
		// An application's API key (a camera system, say) acts as its
		// app user; a bad key is the same 401 as a bad token here.
		if _, u, err = s.apiKeys.Authenticate(r.Context(), token); civicgrid.ErrorCodeOf(err) == civicgrid.Forbidden {
			err = civicgrid.Errorf(civicgrid.Unauthorized, "the API key is unknown or revoked")
		}
	} else {
		u, err = s.users.AuthenticateToken(r.Context(), token)
	}
	if err != nil {
		return nil, "", err
	}
	s.tokens.put(hash, u)
	return u, hash, nil
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
