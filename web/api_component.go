package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"civicgrid"
)

// maxComponentCSVBytes is the largest component file the import takes.
const maxComponentCSVBytes = 32 << 20

// handleComponentList answers GET /api/v1/components?area=&category=
// &code_prefix=&limit=&offset=: the component register (部件台账), ordered
// by code, with the number matching in all. Any signed-in staff member.
func (s *Server) handleComponentList(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := civicgrid.ComponentQuery{CellPrefix: v.Get("area"), CategoryCode: v.Get("category"), CodePrefix: v.Get("code_prefix")}
	fe := civicgrid.FieldErrors{}
	if q.CellPrefix != "" && (len(q.CellPrefix) > 15 || strings.Trim(q.CellPrefix, "0123456789") != "") {
		fe.Add("area", "a district, street, community or cell code (digits)")
	}
	if strings.Trim(q.CodePrefix, "0123456789") != "" || len(q.CodePrefix) > 17 {
		fe.Add("code_prefix", "the first digits of component codes")
	}
	q.Limit = parseLimit(v, 50, 1000, fe)
	if o := v.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 {
			fe.Add("offset", "a whole number, 0 or more")
		}
		q.Offset = n
	}
	if err := fe.Err(); err != nil {
		return err
	}
	rows, total, err := s.components.List(r.Context(), q)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, struct {
		Rows  []*civicgrid.RegisteredComponent `json:"rows"`
		Total int                              `json:"total"`
	}{rows, total})
}

// handleComponentShow answers GET /api/v1/components/{code}.
func (s *Server) handleComponentShow(w http.ResponseWriter, r *http.Request) error {
	c, err := s.components.Find(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, c)
}

// componentBody is a component as a request body: its fields without the
// domain's Validate, which ComponentService runs after its role check, so
// that a non-admin learns nothing from a body's validation.
type componentBody civicgrid.RegisteredComponent

// handleComponentPut answers PUT /api/v1/components/{code}: it registers
// the component or replaces it, and answers it as stored (its cell found
// from its point when the body gives none). Admins only.
func (s *Server) handleComponentPut(w http.ResponseWriter, r *http.Request) error {
	b, err := decode[componentBody](w, r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	if b.Code != "" && b.Code != code {
		return civicgrid.FieldError("code", "must be the code in the path, or left out")
	}
	c := civicgrid.RegisteredComponent(b)
	c.Code = code
	if err := s.components.Upsert(r.Context(), &c); err != nil {
		return err
	}
	return encode(w, http.StatusOK, &c)
}

// handleComponentImport answers POST /api/v1/components/import: a CSV
// file (text/csv) of components, registered all or nothing; a bad file
// is Invalid with each bad row's problems under "line N: column".
// Admins only.
func (s *Server) handleComponentImport(w http.ResponseWriter, r *http.Request) error {
	if err := requireContentType(r, "text/csv"); err != nil {
		return err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxComponentCSVBytes))
	if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
		return civicgrid.Errorf(civicgrid.TooLarge, "the component file is larger than %d bytes", tooLarge.Limit)
	} else if err != nil {
		return err
	}
	n, err := s.components.Import(r.Context(), bytes.NewReader(data))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, struct {
		Imported int `json:"imported"`
	}{n})
}

// handleHotspotComponents answers GET /api/v1/hotspots/components?from=
// &to=&category=&limit=: the registered components with repeated cases
// in the period (HotspotService.Components), with the same defaults as
// GET /api/v1/hotspots.
func (s *Server) handleHotspotComponents(w http.ResponseWriter, r *http.Request) error {
	q, err := parseHotspotQuery(r.URL.Query(), s.hotspotToday())
	if err != nil {
		return err
	}
	res, err := s.hotspots.Components(r.Context(), q)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, res)
}
