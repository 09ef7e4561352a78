package web

import (
	"net/http"
	"strings"

	"civicgrid"
)

// loginInput signs a user in for an API token.
type loginInput struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	Label    string `json:"label,omitempty"` // names the token, e.g. the device
}

// Validate checks the input's own fields.
func (in *loginInput) Validate() error {
	fe := civicgrid.FieldErrors{}
	if strings.TrimSpace(in.Name) == "" {
		fe.Add("name", "required")
	}
	if in.Password == "" {
		fe.Add("password", "required")
	}
	if len(in.Label) > 100 {
		fe.Add("label", "at most 100 characters")
	}
	return fe.Err()
}

// handleTokenCreate exchanges a name and password for an API token. Each
// attempt takes a token from the address's failed-login bucket and a
// successful one gives it back, so an address that keeps failing is
// refused for a while, right password or not. The token is in this answer
// only, so the route does not keep answers for Idempotency-Key.
func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[loginInput](w, r)
	if err != nil {
		return err
	}
	addr := clientAddress(r)
	if ok, wait := s.failedLogins.allow(addr); !ok {
		return rateLimited(w, wait, "too many failed logins from your address; retry in %d s")
	}
	token, u, err := s.users.Login(r.Context(), strings.TrimSpace(in.Name), in.Password, in.Label)
	if civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		s.failedLogins.refund(addr)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return encode(w, http.StatusCreated, struct {
		Token string          `json:"token"`
		User  *civicgrid.User `json:"user"`
	}{token, u})
}

// handleMe returns the signed-in user.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, civicgrid.ActorFrom(r.Context()))
}
