package web

import (
	"cmp"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"civicgrid"
)

// maxCategoryFileBytes is the largest category file the page takes; the
// shipped directories are about a tenth of it.
const maxCategoryFileBytes = 4 << 20

// categoryRow is one category in the tree.
type categoryRow struct {
	Code, Name             string
	Limits                 []string // its own stage limits, "处置 4 工作小时"
	Urgent, Public, Active bool
	DuplicateRadius        string
}

// categoryClass is one class of the tree with its categories.
type categoryClass struct {
	Code, Name, Kind string
	Rows             []categoryRow
}

// fileProblem is one problem of an imported file, by line or row.
type fileProblem struct{ Where, Problem string }

// adminTaxonomyPage shows the categories in use, switches to a shipped
// directory and imports a city's own file.
type adminTaxonomyPage struct {
	page
	Current    string
	Count      int
	Defaults   []string // the city-wide stage limits
	Classes    []categoryClass
	Taxonomies []option
	Problems   []fileProblem
}

func (s *Server) handleAdminTaxonomyPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	m, err := s.adminTaxonomyPage(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_taxonomy", m)
}

func (s *Server) adminTaxonomyPage(r *http.Request) (*adminTaxonomyPage, error) {
	ctx := r.Context()
	city := s.city.City()
	m := &adminTaxonomyPage{page: s.adminPage(r, "admin.taxonomy.title"), Count: len(city.Categories)}
	err := s.store.View(ctx, func(tx civicgrid.Tx) error {
		v, err := tx.Setting(ctx, civicgrid.SettingTaxonomy)
		if civicgrid.ErrorCodeOf(err) == civicgrid.NotFound {
			return nil
		}
		m.Current = v
		return err
	})
	if err != nil {
		return nil, err
	}
	if m.Current == "" {
		m.Taxonomies = append(m.Taxonomies, option{Value: "", Label: m.T("report.category.pick")})
	}
	for _, t := range []civicgrid.Taxonomy{civicgrid.TaxonomyGBT47678, civicgrid.TaxonomyLegacy} {
		m.Taxonomies = append(m.Taxonomies, option{Value: string(t), Label: m.T("admin.taxonomy." + string(t)), Selected: string(t) == m.Current})
	}
	if m.Current != "" {
		m.Current = m.T("admin.taxonomy." + m.Current)
	}
	m.Defaults = limitTexts(&m.page, city.StageLimits)
	cats := slices.Collect(func(yield func(*civicgrid.Category) bool) {
		for _, c := range city.Categories {
			if !yield(c) {
				return
			}
		}
	})
	slices.SortFunc(cats, func(a, b *civicgrid.Category) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ClassCode, b.ClassCode), cmp.Compare(a.Code, b.Code))
	})
	for _, c := range cats {
		if len(m.Classes) == 0 || m.Classes[len(m.Classes)-1].Code != c.ClassCode || m.Classes[len(m.Classes)-1].Kind != string(c.Kind) {
			m.Classes = append(m.Classes, categoryClass{Code: c.ClassCode, Name: m.Text(c.ClassName), Kind: string(c.Kind)})
		}
		cl := &m.Classes[len(m.Classes)-1]
		row := categoryRow{Code: c.Code, Name: m.Text(c.Name), Limits: limitTexts(&m.page, c.Limits), Urgent: c.Urgent,
			Public: c.Public, Active: c.Active}
		if c.DuplicateRadiusM > 0 {
			row.DuplicateRadius = strconv.FormatFloat(c.DuplicateRadiusM, 'f', -1, 64) + " m"
		}
		cl.Rows = append(cl.Rows, row)
	}
	return m, nil
}

// limitTexts renders stage limits in stage order, "处置 4 工作小时".
func limitTexts(p *page, l civicgrid.StageLimits) []string {
	var out []string
	for _, st := range civicgrid.Stages {
		if v, ok := l[st]; ok && !v.IsZero() {
			out = append(out, p.T("stage."+string(st))+" "+strconv.FormatFloat(v.Amount, 'f', -1, 64)+" "+p.T("unit."+string(v.Unit)))
		}
	}
	return out
}

func (s *Server) handleAdminTaxonomyBuiltin(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	t := civicgrid.Taxonomy(r.PostFormValue("taxonomy"))
	if _, err := s.ref.UseTaxonomy(r.Context(), t); err != nil {
		m, perr := s.adminTaxonomyPage(r)
		if perr != nil {
			return perr
		}
		return &refusedForm{err: err, name: "admin_taxonomy", model: m}
	}
	return redirect(w, r, "/admin/taxonomy?done=taxonomy_switched")
}

// handleAdminTaxonomyImport loads a city's own category file, all or
// nothing; a refused file is listed problem by problem.
func (s *Server) handleAdminTaxonomyImport(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	cats, err := readCategoryUpload(w, r)
	if err == nil {
		err = s.ref.ImportCategories(r.Context(), cats)
	}
	if err != nil {
		m, perr := s.adminTaxonomyPage(r)
		if perr != nil {
			return perr
		}
		m.Problems = fileProblems(err)
		return &refusedForm{err: fileError(err), name: "admin_taxonomy", model: m}
	}
	return redirect(w, r, "/admin/taxonomy?done=categories_imported")
}

// readCategoryUpload parses the uploaded file field of a category import.
func readCategoryUpload(w http.ResponseWriter, r *http.Request) ([]*civicgrid.Category, error) {
	data, err := readUpload(w, r, "file", maxCategoryFileBytes)
	if err != nil {
		return nil, err
	}
	return civicgrid.ParseCategories(strings.NewReader(string(data)))
}

// readUpload reads the file field of a multipart form of at most limit
// bytes, or returns a field error naming the file.
func readUpload(w http.ResponseWriter, r *http.Request, field string, limit int64) ([]byte, error) {
	tooLarge := &civicgrid.Error{Code: civicgrid.TooLarge, Message: "the file is larger than " + byteSize(limit),
		Fields: map[string]string{field: "the file is too large"}}
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return nil, tooLarge
		}
		return nil, civicgrid.FieldError(field, "choose a file")
	}
	f, hdr, err := r.FormFile(field)
	if err != nil || hdr.Size == 0 {
		return nil, civicgrid.FieldError(field, "choose a file")
	}
	defer f.Close()
	if hdr.Size > limit {
		return nil, tooLarge
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

// byteSize renders n bytes as MiB.
func byteSize(n int64) string { return strconv.FormatInt(n>>20, 10) + " MiB" }

// fileProblems lists the per-line problems of a refused file, in line
// order.
func fileProblems(err error) []fileProblem {
	e := civicgrid.AsError(err)
	if e == nil || len(e.Fields) < 1 {
		return nil
	}
	var out []fileProblem
	for where, p := range e.Fields {
		if where == "file" {
			continue
		}
		out = append(out, fileProblem{Where: where, Problem: p})
	}
	slices.SortFunc(out, func(a, b fileProblem) int {
		wa, na := splitNumber(a.Where)
		wb, nb := splitNumber(b.Where)
		return cmp.Or(cmp.Compare(wa, wb), cmp.Compare(na, nb))
	})
	return out
}

// splitNumber splits "line 12" into "line" and 12.
func splitNumber(s string) (string, int) {
	word, num, _ := strings.Cut(s, " ")
	n, _ := strconv.Atoi(num)
	return word, n
}

// fileError keeps a refused file's message but puts its problems in the
// list rather than beside fields, except the file field's own.
func fileError(err error) error {
	e := civicgrid.AsError(err)
	if e == nil {
		return err
	}
	out := &civicgrid.Error{Code: e.Code, Message: e.Message, Err: err}
	if p, ok := e.Fields["file"]; ok {
		out.Fields = map[string]string{"file": p}
	}
	return out
}
