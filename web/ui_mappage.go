package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"civicgrid"
)

// The map page (地图): the grid drawn from its own polygons on a canvas,
// shaded by a layer, with the cases as markers over it, and a panel
// listing the cases of the clicked cell. map.js draws it from the map API;
// the page itself carries the filters, the legend's words and where to
// start.

// mapPage is the map page's model.
type mapPage struct {
	page
	Layer      string
	Layers     []option
	Classes    []mapClassOption
	Categories []optgroup
	From, To   string // the cases' period filter (created), as dates
	Cell       string // the cell to open on, or ""
	Data       mapPageData
}

// mapClassOption is a status class the markers can be filtered by.
type mapClassOption struct {
	Value, Label string
	Checked      bool
}

// mapPageData is what map.js starts from, as JSON in the page.
type mapPageData struct {
	Bounds    civicgrid.Bounds  `json:"bounds"` // the city's
	Tiles     string            `json:"tiles,omitempty"`
	Cell      *mapCellInfoJSON  `json:"cell,omitempty"`
	CellZoom  int               `json:"cell_zoom"`
	MaxZoom   int               `json:"max_zoom"`
	Text      map[string]string `json:"text"`
	Lang      string            `json:"lang"`
	Reporting bool              `json:"reporting"` // whether the "reported" layer is the viewer's to see
}

// mapTextKeys are the catalogue entries map.js shows.
var mapTextKeys = []string{
	"map.legend.none", "map.legend.open", "map.legend.reported", "map.legend.hotspot", "map.cases", "map.cluster", "map.panel.title",
	"map.panel.empty", "map.panel.more", "map.panel.list", "map.panel.count", "map.loading", "map.failed",
	"map.truncated", "map.level.cell", "map.level.community", "map.level.street", "map.class.open",
	"map.class.overdue", "map.class.closed", "map.light.green", "map.light.yellow", "map.light.red",
	"map.light.none", "map.zoomin", "map.nocell", "map.attribution",
}

func (s *Server) handleMapPage(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if u.Role == civicgrid.RoleCitizen {
		return civicgrid.Errorf(civicgrid.Forbidden, "the map is for staff")
	}
	city, q := s.city.City(), r.URL.Query()
	m := &mapPage{page: s.newPage(r, "map.title", "map"), Layer: cmp.Or(q.Get("layer"), "open"),
		From: q.Get("from"), To: q.Get("to")}
	reporting := u.Role.Centre() // the statistics by cell are the centre's
	for _, l := range s.mapLayers() {
		if l.name != "open" && !reporting {
			continue
		}
		m.Layers = append(m.Layers, option{Value: l.name, Label: m.T("map.layer." + l.name), Selected: l.name == m.Layer})
	}
	classes := map[string]bool{}
	for _, v := range q["status"] {
		for _, c := range strings.Split(v, ",") {
			classes[c] = true
		}
	}
	if len(classes) == 0 {
		classes = map[string]bool{"open": true, "overdue": true}
	}
	for _, c := range civicgrid.MarkerClasses {
		m.Classes = append(m.Classes, mapClassOption{Value: string(c), Label: m.T("map.class." + string(c)), Checked: classes[string(c)]})
	}
	m.Categories = categoryGroups(&m.page, city, false, q.Get("category"))
	m.Data = mapPageData{Bounds: city.Grid.Bounds(), Tiles: s.tiles, CellZoom: mapCellZoom, MaxZoom: mapMaxZoom,
		Text: map[string]string{}, Lang: m.Lang, Reporting: reporting}
	for _, k := range mapTextKeys {
		m.Data.Text[strings.TrimPrefix(k, "map.")] = m.T(k)
	}
	if code := q.Get("cell"); code != "" {
		c := city.Grid.Cell(code)
		if c == nil {
			m.Notice = m.Tf("map.nocellcode", code)
		} else {
			info := cellInfo(city.Grid, c)
			m.Cell, m.Data.Cell = c.Code, &info
		}
	}
	if s.tiles != "" {
		w = &tileCSPWriter{ResponseWriter: w, origin: tileOrigin(s.tiles)}
	}
	return s.render(w, http.StatusOK, "map", m)
}

// CheckTileURL checks a basemap tile URL template: an http or https URL
// naming a host, with {z}, {x} and {y} each once in its path or query and
// no other placeholder. "" (no basemap) passes.
func CheckTileURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("tile URL %q: %w", s, err)
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("tile URL %q: must start with https:// or http://", s)
	case u.Host == "" || u.User != nil || u.Fragment != "" || strings.ContainsAny(u.Host, "{}"):
		return fmt.Errorf("tile URL %q: must name a host, with no user or fragment", s)
	}
	rest := s
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if strings.Count(s, p) != 1 {
			return fmt.Errorf("tile URL %q: must hold %s once", s, p)
		}
		rest = strings.Replace(rest, p, "", 1)
	}
	if strings.ContainsAny(rest, "{}\"'<> ") {
		return fmt.Errorf("tile URL %q: only {z}, {x} and {y} may be replaced, and no quotes or spaces", s)
	}
	return nil
}

// tileOrigin returns the scheme and host of a checked tile URL, for the
// page's Content-Security-Policy.
func tileOrigin(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// tileCSPWriter lets the map page's images come from the tile server too.
type tileCSPWriter struct {
	http.ResponseWriter
	origin string
}

func (w *tileCSPWriter) WriteHeader(code int) {
	h := w.Header()
	if csp := h.Get("Content-Security-Policy"); csp != "" && w.origin != "" {
		h.Set("Content-Security-Policy", strings.Replace(csp, "img-src 'self'", "img-src 'self' "+w.origin, 1))
	}
	w.ResponseWriter.WriteHeader(code)
}
