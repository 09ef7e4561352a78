package web

import (
	"net/http"
	"strconv"
	"time"

	"civicgrid"
)

// apiKeyListJSON is every API key.
type apiKeyListJSON struct {
	Items []*civicgrid.APIKey `json:"items"`
}

// apiKeyService returns the API key service, or Unavailable when the server has
// none.
func (s *Server) apiKeyService() (*civicgrid.APIKeyService, error) {
	if s.apiKeys == nil {
		return nil, civicgrid.Errorf(civicgrid.Unavailable, "API keys are not configured on this server")
	}
	return s.apiKeys, nil
}

func (s *Server) handleAPIKeyList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.apiKeyService()
	if err != nil {
		return err
	}
	keys, err := svc.List(r.Context())
	if err != nil {
		return err
	}
	loc := s.city.City().Location()
	out := apiKeyListJSON{Items: make([]*civicgrid.APIKey, len(keys))}
	for i, k := range keys {
		out.Items[i] = localAPIKey(k, loc)
	}
	return encode(w, http.StatusOK, out)
}

// apiKeyInput names a new API key's application.
type apiKeyInput struct {
	Name string `json:"name"`
}

// handleAPIKeyCreate issues a key. The key is in this answer only, so the
// route does not keep answers for Idempotency-Key.
func (s *Server) handleAPIKeyCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.apiKeyService()
	if err != nil {
		return err
	}
	in, err := decode[apiKeyInput](w, r)
	if err != nil {
		return err
	}
	key, k, err := svc.Create(r.Context(), in.Name)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return encode(w, http.StatusCreated, struct {
		Key    string            `json:"key"`
		APIKey *civicgrid.APIKey `json:"api_key"`
	}{key, localAPIKey(k, s.city.City().Location())})
}

func (s *Server) handleAPIKeyRevoke(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.apiKeyService()
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return civicgrid.FieldError("id", "must be an API key id, a positive integer")
	}
	if err := svc.Revoke(r.Context(), id); err != nil {
		return err
	}
	s.tokens.clear() // a cached lookup of the key stops working at once
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// localAPIKey returns a copy of k with its times in loc.
func localAPIKey(k *civicgrid.APIKey, loc *time.Location) *civicgrid.APIKey {
	kk := *k
	kk.CreatedAt, kk.RevokedAt = k.CreatedAt.In(loc), timeIn(k.RevokedAt, loc)
	return &kk
}
