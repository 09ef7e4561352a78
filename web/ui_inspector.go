package web

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"civicgrid"
)

// The inspector's phone page (监督员巡查页): report a problem with the
// camera and GPS, see the cells assigned to them and do their verify (核实)
// and check (核查) tasks. Reports wait in the browser while there is no
// network (inspector.js keeps them in IndexedDB and sends each with its own
// Idempotency-Key and external id), and a service worker (/sw.js) keeps the
// page and its assets so that it opens offline.

// inspectorPage is the model of /inspector.
type inspectorPage struct {
	page
	Frequent   []inspCategory // the categories most reported in the inspector's cells
	Classes    []inspClass    // every other category, by class
	Cells      []inspCell
	Tasks      []*inspTask
	Map        mapView // the inspector's cells, for placing the report by a tap
	CLat, CLon string
	// Scope keeps one user's waiting reports from being sent as another's
	// after a change of user on a shared phone.
	Scope string
}

// inspCategory is a category of the picker.
type inspCategory struct {
	Code, Name, Class string
	Search            string // what the search box matches: names and code, lower case
}

// inspClass is a class of categories in the picker.
type inspClass struct {
	Name       string
	Categories []inspCategory
}

// inspCell is a cell assigned to the inspector.
type inspCell struct {
	Code, Name, Place string
	District, Street  string
	Community         string
	Lat, Lon          string // its centroid, to report from when GPS fails
}

// inspTask is a verify or check task with the form to do it.
type inspTask struct {
	ID          civicgrid.CaseID
	Number      string
	Kind        string // "verify" or "check"
	Category    string
	Place       string
	Address     string
	Description string
	Deadline    string
	Light       string
	LightText   string
	Version     int
	Photos      []photoView
	Actions     []inspAction
	Note        string
	Problem     string
}

// inspAction is one button of a task: pass or fail.
type inspAction struct {
	Action       civicgrid.Action
	Name         string
	Pass         bool
	NoteRequired bool
}

// taskActions are the inspector's task actions, pass first.
var taskActions = []civicgrid.Action{civicgrid.ActionVerifyPass, civicgrid.ActionVerifyFail,
	civicgrid.ActionCheckPass, civicgrid.ActionCheckFail}

// frequentCategories is how many categories the picker puts first.
const frequentCategories = 8

func (s *Server) handleInspectorPage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.inspectorPage(r, nil)
	if err != nil {
		return err
	}
	m.Notice = doneNotice(&m.page, s.city.City(), r)
	return s.render(w, http.StatusOK, "inspector", m)
}

// inspectorPage builds the page for the signed-in inspector; refused, when
// set, is a task form that was refused, with its values.
func (s *Server) inspectorPage(r *http.Request, refused *inspTask) (*inspectorPage, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	if u.Role != civicgrid.RoleInspector && u.Role != civicgrid.RoleAdmin {
		return nil, civicgrid.Errorf(civicgrid.Forbidden, "the patrol page is for inspectors (监督员)")
	}
	ctx, city := r.Context(), s.city.City()
	m := &inspectorPage{page: s.newPage(r, "insp.title", "inspector")}
	sum := sha256.Sum256([]byte("civicgrid-inspector:" + strconv.FormatInt(int64(u.ID), 10)))
	m.Scope = hex.EncodeToString(sum[:8])
	m.Cells = inspectorCells(city, u)
	center := city.Grid.Bounds().Center()
	if len(m.Cells) > 0 {
		if c := city.Grid.Cell(m.Cells[0].Code); c != nil {
			center = c.Centroid
		}
	}
	m.Map = cellMap(city.Grid, center, "", 300, nil)
	m.CLat, m.CLon = num(center.Lat, 6), num(center.Lon, 6)
	tasks, recent, err := s.inspectorTasks(ctx, &m.page, city)
	if err != nil {
		return nil, err
	}
	m.Tasks = tasks
	for _, t := range m.Tasks {
		if refused != nil && t.ID == refused.ID {
			t.Note, t.Problem = refused.Note, refused.Problem
		}
	}
	m.Frequent, m.Classes = inspectorCategories(&m.page, city, recent)
	return m, nil
}

// inspectorCells returns the cells assigned to u, by code.
func inspectorCells(city *civicgrid.City, u *civicgrid.User) []inspCell {
	var out []inspCell
	for _, c := range city.Grid.CellsWithin(city.Grid.Bounds(), 0) {
		if !slices.Contains(c.Inspectors, u.ID) {
			continue
		}
		name := c.Name
		if name == "" {
			name = c.Code
		}
		place := ""
		if a := city.Grid.Area(c.CommunityCode()); a != nil {
			place = a.Name
		}
		if a := city.Grid.Area(c.StreetCode()); a != nil {
			place = strings.TrimSpace(a.Name + " · " + place)
		}
		out = append(out, inspCell{Code: c.Code, Name: name, Place: place, District: c.DistrictCode(), Street: c.StreetCode(),
			Community: c.CommunityCode(), Lat: num(c.Centroid.Lat, 6), Lon: num(c.Centroid.Lon, 6)})
	}
	return out
}

// inspectorTasks returns the verify and check tasks the inspector may do
// now, oldest deadline first, and the categories of the recent cases they
// see (for the picker's frequent ones).
func (s *Server) inspectorTasks(ctx context.Context, p *page, city *civicgrid.City) ([]*inspTask, map[string]int, error) {
	recent := map[string]int{}
	page, err := s.cases.List(ctx, civicgrid.CaseFilter{Limit: 100})
	if err != nil {
		return nil, nil, err
	}
	for _, c := range page.Items {
		recent[c.CategoryCode]++
	}
	page, err = s.cases.List(ctx, civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusVerifying, civicgrid.StatusChecking}, Limit: 100})
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	var out []*inspTask
	for _, c := range page.Items {
		var actions []inspAction
		for _, a := range s.cases.Allowed(ctx, c) {
			if !slices.Contains(taskActions, a) {
				continue
			}
			rule := city.Workflow.Rule(a)
			actions = append(actions, inspAction{Action: a, Name: actionName(p, city, a),
				Pass:         a == civicgrid.ActionVerifyPass || a == civicgrid.ActionCheckPass,
				NoteRequired: rule != nil && slices.Contains(rule.Needs, civicgrid.InputNote)})
		}
		if len(actions) == 0 {
			continue
		}
		t := &inspTask{ID: c.ID, Number: c.Number, Kind: "check", Category: categoryName(p, city, c.CategoryCode),
			Place: placeName(city, c), Address: c.Address, Description: c.Description, Version: c.Version,
			Photos: photoViews(c.Photos), Actions: actions}
		if c.Status == civicgrid.StatusVerifying {
			t.Kind = "verify"
		}
		if c.Deadline != nil {
			t.Deadline = p.Time(*c.Deadline)
		}
		t.Light, _ = stageLight(city, c, now)
		if t.Light != "" {
			t.LightText = p.T("light." + t.Light)
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(a, b *inspTask) int { return cmp.Compare(a.Deadline, b.Deadline) })
	return out, recent, nil
}

// inspectorCategories returns the picker's categories: the most frequent
// among recent first, then the rest by class.
func inspectorCategories(p *page, city *civicgrid.City, recent map[string]int) ([]inspCategory, []inspClass) {
	var frequent []inspCategory
	codes := make([]string, 0, len(recent))
	for code := range recent {
		if c := city.Categories[code]; c != nil && c.Active {
			codes = append(codes, code)
		}
	}
	slices.SortFunc(codes, func(a, b string) int { return cmp.Or(cmp.Compare(recent[b], recent[a]), cmp.Compare(a, b)) })
	if len(codes) > frequentCategories {
		codes = codes[:frequentCategories]
	}
	view := func(c *civicgrid.Category) inspCategory {
		name, class := p.Text(c.Name), p.Text(c.ClassName)
		return inspCategory{Code: c.Code, Name: name, Class: class,
			Search: strings.ToLower(strings.Join([]string{name, c.Name.Zh, c.Name.En, class, c.Code}, " "))}
	}
	for _, code := range codes {
		frequent = append(frequent, view(city.Categories[code]))
	}
	var classes []inspClass
	for _, g := range categoryGroups(p, city, false, "") {
		cl := inspClass{Name: g.Label}
		for _, o := range g.Options {
			if !slices.Contains(codes, o.Value) {
				cl.Categories = append(cl.Categories, view(city.Categories[o.Value]))
			}
		}
		if len(cl.Categories) > 0 {
			classes = append(classes, cl)
		}
	}
	return frequent, classes
}

// handleInspectorTask takes a verify or check action from the patrol page
// and comes back to it; a refusal shows the page again with the problem
// on the task.
func (s *Server) handleInspectorTask(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxReportBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return uploadError(err)
	}
	form := &sent{action: civicgrid.Action(r.FormValue("action")), note: r.FormValue("note")}
	if !slices.Contains(taskActions, form.action) {
		return civicgrid.FieldError("action", "must be one of verify_pass, verify_fail, check_pass, check_fail")
	}
	c, err := s.act(r, id, form)
	if err != nil {
		tmp := page{Lang: langOf(r)}
		tmp.setProblem(err)
		problem := tmp.Problem + " " + tmp.Detail
		if f := tmp.Fields["note"]; f != "" {
			problem = tmp.Problem + " " + message(tmp.Lang, "insp.task.note") + ": " + f
		}
		m, perr := s.inspectorPage(r, &inspTask{ID: id, Note: form.note, Problem: problem})
		if perr != nil {
			return err
		}
		return &refusedForm{err: err, name: "inspector", model: m}
	}
	return redirect(w, r, "/inspector?done="+string(form.action)+"&n="+c.Number+"#tasks")
}

// serviceWorker is the script of /sw.js; it names the hashed assets the
// page needs, so that a new build installs a new worker.
const serviceWorker = `// civicgrid inspector service worker: keeps the patrol page and its assets
// so that the page opens without network. Generated by the server.
"use strict";
var CACHE = "civicgrid-inspector-%s";
var SHELL = %s;
var SAVED = "/inspector?saved-at"; // when the kept page was fetched
var served = {}; // client id → when the kept page it was given was fetched
// A page asks whether it was given the kept copy, to say so.
self.addEventListener("message", function (ev) {
  if (ev.data === "served?" && ev.source) ev.source.postMessage({ kept: served[ev.source.id] || "" });
});
self.addEventListener("install", function (ev) {
  ev.waitUntil(caches.open(CACHE).then(function (c) {
    return c.addAll(SHELL.concat(["/inspector"])).then(function () {
      return c.put(SAVED, new Response(new Date().toISOString()));
    }, function () { return c.addAll(SHELL); });
  }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (ev) {
  ev.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("civicgrid-inspector-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  if (req.method !== "GET") return; // reports and actions go to the network, always
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (url.pathname.indexOf("/static/") === 0) {
    // Hashed names never change: the cache first.
    ev.respondWith(caches.open(CACHE).then(function (c) {
      return c.match(req).then(function (hit) {
        return hit || fetch(req).then(function (res) { if (res.ok) c.put(req, res.clone()); return res; });
      });
    }));
    return;
  }
  if (url.pathname === "/inspector") {
    // The page shell: the network when it answers (tasks change), kept
    // for the next time; the kept copy when there is no network.
    // A network that does not answer in 4 s counts as none.
    ev.respondWith(caches.open(CACHE).then(function (c) {
      var kept = function () {
        return c.match("/inspector").then(function (hit) {
          if (!hit) return fetched;
          return c.match(SAVED).then(function (at) { return at ? at.text() : ""; }).then(function (at) {
            if (ev.resultingClientId) served[ev.resultingClientId] = at || "?";
            return hit;
          });
        });
      };
      var fetched = fetch(req).then(function (res) {
        if (res.ok && !res.redirected && url.search === "") {
          c.put("/inspector", res.clone());
          c.put(SAVED, new Response(new Date().toISOString()));
        } else if (res.redirected) {
          c.delete("/inspector"); // signed out: keep no one's page
        }
        return res;
      });
      var answered = false;
      var network = fetched.then(function (res) { answered = true; return res; }, kept);
      var slow = new Promise(function (resolve) { setTimeout(resolve, 4000); }).then(function () {
        return answered ? fetched : kept();
      });
      return Promise.race([network, slow]);
    }));
  }
});
`

// handleServiceWorker serves /sw.js, scoped to /inspector.
func (s *Server) handleServiceWorker(w http.ResponseWriter, r *http.Request) error {
	shell := []string{s.assets.url("app.css"), s.assets.url("app.js"), s.assets.url("icon.svg"),
		s.assets.url("inspector.css"), s.assets.url("inspector.js")}
	list, err := json.Marshal(shell)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(list)
	body := strings.Replace(strings.Replace(serviceWorker, "%s", hex.EncodeToString(sum[:6]), 1), "%s", string(list), 1)
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Service-Worker-Allowed", "/inspector")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte(body))
	return nil
}
