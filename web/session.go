package web

import (
	"net/http"
	"net/url"
	"strings"

	"civicgrid"
)

// Cookie names. The session cookie holds the session id (its hash is
// stored); the language cookie only a preference.
const (
	sessionCookie = "cg_session"
	langCookie    = "lang"
)

// withSession puts the user of the request's session cookie, if any, into
// the context as the actor. A stale cookie is cleared; pages that need a
// user ask for one with signedIn.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.sessions.User(r.Context(), c.Value)
		switch civicgrid.ErrorCodeOf(err) {
		case "":
			requestInfoFrom(r.Context()).userID = u.ID
			r = r.WithContext(civicgrid.WithActor(r.Context(), u))
		case civicgrid.Unauthorized:
			clearCookie(w, r, sessionCookie)
		default:
			s.writeError(w, r, err)
			return
		}
		w.Header().Add("Vary", "Cookie")
		next.ServeHTTP(w, r)
	})
}

// signedIn returns the signed-in user, or Unauthorized, which the error
// writer turns into a redirect to the sign-in page.
func signedIn(r *http.Request) (*civicgrid.User, error) {
	if u := civicgrid.ActorFrom(r.Context()); u != nil {
		return u, nil
	}
	return nil, civicgrid.Errorf(civicgrid.Unauthorized, "sign in first")
}

// sessionID returns the id in the request's session cookie, or "".
func sessionID(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// setCookie sets a cookie scripts cannot read, sent with top-level
// navigations from other sites but not with their form posts
// (SameSite=Lax), and only over TLS when the request came over TLS.
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) { setCookie(w, r, name, "", -1) }

// langOf returns the request's language: English when the lang cookie
// says so, Chinese otherwise.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "zh"
}

// localPath returns p when it is a path on this site, else "/": redirects
// after sign-in and language switches never leave the site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return p
}

// redirect answers a form post or a page with 303 See Other to target.
func redirect(w http.ResponseWriter, r *http.Request, target string) error {
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// loginPage is the sign-in form.
type loginPage struct {
	page
	Name string
	Next string
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if civicgrid.ActorFrom(r.Context()) != nil {
		return redirect(w, r, next)
	}
	m := &loginPage{page: s.newPage(r, "login.title", "login"), Next: next}
	return s.render(w, http.StatusOK, "login", m)
}

// handleLogin checks the name and password and starts a session. Failed
// attempts count against the address as token logins do.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	name, pw := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password")
	m := &loginPage{page: s.newPage(r, "login.title", "login"), Name: name, Next: localPath(r.PostFormValue("next"))}
	fe := civicgrid.FieldErrors{}
	if name == "" {
		fe.Add("name", "required")
	}
	if pw == "" {
		fe.Add("password", "required")
	}
	if err := fe.Err(); err != nil {
		return &refusedForm{err: err, name: "login", model: m}
	}
	addr := clientAddress(r)
	if ok, wait := s.failedLogins.allow(addr); !ok {
		return &refusedForm{err: rateLimited(w, wait, "too many failed sign-ins from your address; retry in %d s"), name: "login", model: m}
	}
	id, u, err := s.sessions.Login(r.Context(), name, pw)
	if civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		s.failedLogins.refund(addr)
	}
	if err != nil {
		return &refusedForm{err: err, name: "login", model: m}
	}
	requestInfoFrom(r.Context()).userID = u.ID
	setCookie(w, r, sessionCookie, id, int(s.sessions.TTL().Seconds()))
	return redirect(w, r, m.Next)
}

// handleLogout ends the session and forgets the cookie.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Logout(r.Context(), sessionID(r)); err != nil {
		return err
	}
	clearCookie(w, r, sessionCookie)
	return redirect(w, r, "/login")
}

// handleLang switches the language and goes back to the page the switch
// was on. The choice is kept in a cookie for a year.
func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) error {
	lang := "zh"
	if r.URL.Query().Get("to") == "en" {
		lang = "en"
	}
	setCookie(w, r, langCookie, lang, 365*24*3600)
	return redirect(w, r, localPath(r.URL.Query().Get("back")))
}

// passwordPage is the change-password form.
type passwordPage struct{ page }

func (s *Server) handlePasswordPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	m := &passwordPage{s.newPage(r, "password.title", "password")}
	if r.URL.Query().Get("done") == "1" {
		m.Notice = m.T("password.changed")
	}
	return s.render(w, http.StatusOK, "password", m)
}

// handlePassword changes the password and signs out every other browser.
func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	cur, next, again := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("again")
	m := &passwordPage{s.newPage(r, "password.title", "password")}
	fe := civicgrid.FieldErrors{}
	if cur == "" {
		fe.Add("current", "required")
	}
	if next == "" {
		fe.Add("new", "required")
	} else if next != again {
		fe.Add("again", "does not match")
	}
	err := fe.Err()
	if err == nil {
		err = s.sessions.ChangePassword(r.Context(), sessionID(r), cur, next)
	}
	if err != nil {
		return &refusedForm{err: err, name: "password", model: m}
	}
	return redirect(w, r, "/password?done=1")
}
