package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"civicgrid"
)

// Grid imports run in the background: the upload is read into memory, a
// goroutine owned by the server parses, validates and writes it (all or
// nothing, as ReferenceService.ImportGrid does), and the job page follows
// its progress by long-polling a JSON endpoint. Server.Close cancels the
// imports still running and waits for them.

// defaultMaxGridUpload is the largest GeoJSON file the grid page takes
// unless Config.MaxGridUpload says otherwise.
const defaultMaxGridUpload = 64 << 20

// keptGridJobs is how many finished imports the page remembers.
const keptGridJobs = 20

// progressWait is the longest a progress request waits for news.
const progressWait = 20 * time.Second

// The share of the progress bar each step takes: parsing up to 40 %,
// validating up to 90 %, writing the rest.
const (
	parseShare    = 40
	validateShare = 90
)

// gridProgress is where an import stands, as the progress endpoint
// answers it.
type gridProgress struct {
	ID        string                      `json:"id"`
	Version   int                         `json:"version"` // grows with every change
	Step      string                      `json:"step"`    // parse, validate, write, done, failed
	Percent   int                         `json:"percent"`
	BytesRead int64                       `json:"bytes_read"`
	Size      int64                       `json:"size"`
	Parsed    int                         `json:"parsed"` // features read
	Validated int                         `json:"validated"`
	Written   int                         `json:"written"` // cells written
	Total     int                         `json:"total"`   // features in the file
	Done      bool                        `json:"done"`
	Report    *civicgrid.GridImportReport `json:"report,omitempty"`
	Error     string                      `json:"error,omitempty"`
	Problems  []string                    `json:"problems,omitempty"`
}

// gridJob is one import.
type gridJob struct {
	id, file string
	started  time.Time

	mu      sync.Mutex
	p       gridProgress
	changed chan struct{} // closed and replaced on every change
}

// progress returns a copy of where the job stands and a channel closed at
// its next change.
func (j *gridJob) progress() (gridProgress, <-chan struct{}) {
	j.mu.Lock()
	defer j.mu.Unlock()
	p := j.p
	p.Problems = slices.Clone(j.p.Problems)
	return p, j.changed
}

// update changes the job's progress with fn and wakes its watchers.
func (j *gridJob) update(fn func(p *gridProgress)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	fn(&j.p)
	j.p.Version++
	close(j.changed)
	j.changed = make(chan struct{})
}

// gridImports are the server's grid imports, running and recent.
type gridImports struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	jobs   []*gridJob // oldest first
}

func newGridImports() *gridImports {
	ctx, cancel := context.WithCancel(context.Background())
	return &gridImports{ctx: ctx, cancel: cancel}
}

// add registers a new job, forgetting the oldest finished ones beyond
// keptGridJobs.
func (g *gridImports) add(j *gridJob) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.jobs = append(g.jobs, j)
	for i := 0; len(g.jobs) > keptGridJobs && i < len(g.jobs); {
		if p, _ := g.jobs[i].progress(); p.Done {
			g.jobs = slices.Delete(g.jobs, i, i+1)
			continue
		}
		i++
	}
}

// find returns the job id, or nil.
func (g *gridImports) find(id string) *gridJob {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, j := range g.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}

// list returns the jobs, newest first.
func (g *gridImports) list() []*gridJob {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := slices.Clone(g.jobs)
	slices.Reverse(out)
	return out
}

// Close cancels the server's background work (grid imports still running)
// and waits for it to end. Call it after http.Server.Shutdown.
func (s *Server) Close() {
	s.gridImports.cancel()
	s.gridImports.wg.Wait()
}

// gridJobView is a job as the pages show it.
type gridJobView struct {
	ID, File, Started string
	gridProgress
}

func (s *Server) jobView(p *page, j *gridJob) gridJobView {
	prog, _ := j.progress()
	return gridJobView{ID: j.id, File: j.file, Started: p.Time(j.started), gridProgress: prog}
}

// adminGridPage uploads a grid file and lists the recent imports.
type adminGridPage struct {
	page
	Cells, Areas int
	MaxSize      string
	CodeProperty string
	NameProperty string
	Jobs         []gridJobView
}

func (s *Server) handleAdminGridPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_grid", s.adminGridPage(r, "code", "name"))
}

func (s *Server) adminGridPage(r *http.Request, codeProp, nameProp string) *adminGridPage {
	grid := s.city.City().Grid
	m := &adminGridPage{page: s.adminPage(r, "admin.grid.title"), Cells: grid.Len(), Areas: len(grid.Areas()),
		MaxSize: byteSize(s.maxGridUpload), CodeProperty: codeProp, NameProperty: nameProp}
	for _, j := range s.gridImports.list() {
		m.Jobs = append(m.Jobs, s.jobView(&m.page, j))
	}
	return m
}

// propertyName reads a feature property name field, or the default.
func propertyName(r *http.Request, field, def string) (string, bool) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return def, true
	}
	return v, len(v) <= 64
}

// handleAdminGridUpload takes a GeoJSON file and starts its import in the
// background, then shows the job's page.
func (s *Server) handleAdminGridUpload(w http.ResponseWriter, r *http.Request) error {
	admin, err := requireAdminPage(r)
	if err != nil {
		return err
	}
	if s.gridImports.ctx.Err() != nil {
		return civicgrid.Errorf(civicgrid.Unavailable, "the server is shutting down; upload the grid again once it is back")
	}
	data, err := readUpload(w, r, "file", s.maxGridUpload)
	codeProp, ok1 := propertyName(r, "code_property", "code")
	nameProp, ok2 := propertyName(r, "name_property", "name")
	if err == nil && (!ok1 || !ok2) {
		err = civicgrid.FieldError("code_property", "at most 64 characters")
	}
	if err != nil {
		return &refusedForm{err: err, name: "admin_grid", model: s.adminGridPage(r, codeProp, nameProp)}
	}
	var raw [8]byte
	_, _ = rand.Read(raw[:])
	job := &gridJob{id: hex.EncodeToString(raw[:]), file: "upload.geojson", started: s.now(), changed: make(chan struct{})}
	if _, hdr, ferr := r.FormFile("file"); ferr == nil && hdr.Filename != "" {
		job.file = truncateRunes(path.Base(hdr.Filename), 100)
	}
	job.p = gridProgress{ID: job.id, Step: "parse", Size: int64(len(data))}
	s.gridImports.add(job)
	s.gridImports.wg.Add(1)
	go func() {
		defer s.gridImports.wg.Done()
		s.runGridImport(civicgrid.WithActor(s.gridImports.ctx, admin), job, data,
			civicgrid.GridImportOptions{CodeProperty: codeProp, NameProperty: nameProp})
	}()
	return redirect(w, r, "/admin/grid/"+job.id)
}

// truncateRunes returns s cut to at most n runes.
func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// runGridImport parses, validates and writes the file data, reporting
// its progress on job.
func (s *Server) runGridImport(ctx context.Context, job *gridJob, data []byte, opts civicgrid.GridImportOptions) {
	fail := func(err error) {
		job.update(func(p *gridProgress) {
			p.Step, p.Done = "failed", true
			if ctx.Err() != nil {
				p.Error = "the import was cancelled: the server is shutting down; nothing was written"
				return
			}
			p.Error = civicgrid.ErrorMessage(err)
			if e := civicgrid.AsError(err); e != nil {
				for _, k := range slices.Sorted(func(yield func(string) bool) {
					for k := range e.Fields {
						if !yield(k) {
							return
						}
					}
				}) {
					p.Problems = append(p.Problems, e.Fields[k])
				}
			}
			if civicgrid.ErrorCodeOf(err) == civicgrid.Internal {
				s.logger.Error("grid import failed", "job", job.id, "err", err)
			}
		})
	}
	size := max(int64(len(data)), 1)
	pr := &progressReader{ctx: ctx, r: bytes.NewReader(data), report: func(n int64) {
		job.update(func(p *gridProgress) { p.BytesRead, p.Percent = n, int(parseShare*n/size) })
	}}
	features, err := civicgrid.ParseFeatureCollection(pr)
	if err != nil {
		fail(err)
		return
	}
	total := len(features)
	job.update(func(p *gridProgress) {
		p.Step, p.BytesRead, p.Parsed, p.Total, p.Percent = "validate", int64(len(data)), total, total, parseShare
	})
	opts.Progress = func(step string, done, n int) {
		job.update(func(p *gridProgress) {
			p.Step = step
			switch step {
			case "validate":
				p.Validated = done
				p.Percent = parseShare + (validateShare-parseShare)*done/max(n, 1)
			case "write":
				p.Validated, p.Written = total, done
				p.Percent = validateShare + (99-validateShare)*done/max(n, 1)
			}
		})
	}
	rep, err := s.ref.ImportGrid(ctx, features, opts)
	if err != nil {
		fail(err)
		return
	}
	job.update(func(p *gridProgress) {
		p.Step, p.Done, p.Percent, p.Report, p.Validated, p.Written = "done", true, 100, rep, total, rep.Cells
	})
}

// progressReader reports how many bytes have been read, at most once per
// percent, and stops when ctx ends.
type progressReader struct {
	ctx    context.Context
	r      io.Reader
	n      int64
	last   int64
	report func(n int64)
}

func (pr *progressReader) Read(b []byte) (int, error) {
	if err := pr.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := pr.r.Read(b)
	pr.n += int64(n)
	if pr.n-pr.last >= 64<<10 || err == io.EOF {
		pr.last = pr.n
		pr.report(pr.n)
	}
	return n, err
}

// adminGridJobPage follows one import.
type adminGridJobPage struct {
	page
	Job gridJobView
}

func (s *Server) handleAdminGridJobPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	job := s.gridImports.find(r.PathValue("job"))
	if job == nil {
		return civicgrid.Errorf(civicgrid.NotFound, "no grid import %q (the server keeps the last %d)", r.PathValue("job"), keptGridJobs)
	}
	m := &adminGridJobPage{page: s.adminPage(r, "admin.grid.job.title")}
	m.Job = s.jobView(&m.page, job)
	m.Title = m.Tf("admin.grid.job.title", job.file)
	return s.render(w, http.StatusOK, "admin_grid_job", m)
}

// handleAdminGridProgress answers where an import stands, as JSON. With
// ?after=VERSION it waits (up to progressWait) until the job has moved
// past that version, so that a page follows it without polling fast.
func (s *Server) handleAdminGridProgress(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	job := s.gridImports.find(r.PathValue("job"))
	if job == nil {
		return civicgrid.Errorf(civicgrid.NotFound, "no grid import %q", r.PathValue("job"))
	}
	p, changed := job.progress()
	if after, err := strconv.Atoi(r.URL.Query().Get("after")); err == nil && p.Version <= after && !p.Done {
		t := time.NewTimer(progressWait)
		defer t.Stop()
		select {
		case <-changed:
		case <-t.C:
		case <-r.Context().Done():
		case <-s.gridImports.ctx.Done():
		}
		p, _ = job.progress()
	}
	w.Header().Set("Cache-Control", "no-store")
	return encode(w, http.StatusOK, p)
}
