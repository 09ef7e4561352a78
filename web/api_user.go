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

// handleTokenCreate exchanges a name and password for an API token.
func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[loginInput](w, r)
	if err != nil {
		return err
	}
	token, u, err := s.users.Login(r.Context(), strings.TrimSpace(in.Name), in.Password, in.Label)
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, struct {
		Token string          `json:"token"`
		User  *civicgrid.User `json:"user"`
	}{token, u})
}

// handleMe returns the signed-in user.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, civicgrid.ActorFrom(r.Context()))
}
