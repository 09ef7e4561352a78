package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"civicgrid"
)

// actorCtx returns a context acting as the fixture user name.
func (e *env) actorCtx(t *testing.T, name string) context.Context {
	return civicgrid.WithActor(t.Context(), e.users[name])
}

// gridFile returns a GeoJSON FeatureCollection of 100 m square cells with
// codes, laid out in rows of 50 eastwards from the fixture's origin (so
// the fixture's own codes keep their places).
func gridFile(t testing.TB, codes []string) []byte {
	t.Helper()
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   struct {
			Type        string         `json:"type"`
			Coordinates [][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection"}
	for i, code := range codes {
		s, w := originLat+cellDLat*float64(i/50), originLon+cellDLon*float64(i%50)
		n, e := s+cellDLat, w+cellDLon
		f := feature{Type: "Feature", Properties: map[string]string{"code": code, "name": "网格" + code[len(code)-3:]}}
		f.Geometry.Type = "Polygon"
		f.Geometry.Coordinates = [][][2]float64{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}
		fc.Features = append(fc.Features, f)
	}
	data, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// newCellCodes returns n cell codes in a street the fixture does not
// have (330102003), 999 to a community.
func newCellCodes(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("330102003%03d%03d", 1+i/999, 1+i%999))
	}
	return out
}

// postFile posts a multipart form with fields and the file data as the
// file field.
func (b *browserClient) postFile(path string, fields url.Values, name string, data []byte) response {
	b.e.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", b.e.srv.URL+path, &body)
	if err != nil {
		b.e.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req, []string{"Sec-Fetch-Site", "same-origin"})
}

// startGridImport uploads a grid file and returns the import's job id.
func (b *browserClient) startGridImport(t *testing.T, name string, data []byte) string {
	t.Helper()
	r := b.postFile("/admin/grid", nil, name, data)
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/grid/") {
		t.Fatalf("upload: %d %q\n%s", r.status, loc, r.body)
	}
	return strings.TrimPrefix(loc, "/admin/grid/")
}

// gridProgress is the progress endpoint's answer.
type gridProgress struct {
	Version   int    `json:"version"`
	Step      string `json:"step"`
	Percent   int    `json:"percent"`
	BytesRead int64  `json:"bytes_read"`
	Size      int64  `json:"size"`
	Parsed    int    `json:"parsed"`
	Validated int    `json:"validated"`
	Written   int    `json:"written"`
	Total     int    `json:"total"`
	Done      bool   `json:"done"`
	Report    *struct {
		Cells, Communities, Streets, Districts, Redrawn int
	} `json:"report"`
	Error    string   `json:"error"`
	Problems []string `json:"problems"`
}

// waitGridImport follows the job's progress by long-polling until it is
// done and returns every state it saw, the last one done. Each state must
// move on from the one before: a later version, no lower percent.
func (b *browserClient) waitGridImport(t *testing.T, job string) []gridProgress {
	t.Helper()
	var seen []gridProgress
	after := -1
	for range 10_000 {
		r := b.get(fmt.Sprintf("/admin/grid/%s/progress?after=%d", job, after))
		if r.status != http.StatusOK {
			t.Fatalf("progress: %d\n%s", r.status, r.body)
		}
		var p gridProgress
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatalf("progress: %v\n%s", err, r.body)
		}
		if n := len(seen); n > 0 && (p.Version <= seen[n-1].Version || p.Percent < seen[n-1].Percent) {
			t.Fatalf("progress went from %+v to %+v", seen[n-1], p)
		}
		seen = append(seen, p)
		if p.Done {
			return seen
		}
		after = p.Version
	}
	t.Fatalf("the import did not finish; last %+v", seen[len(seen)-1])
	return nil
}
