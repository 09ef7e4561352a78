package web

import (
	"context"
	"net/http"
	"regexp"
	"slices"

	"civicgrid"
)

// sideActions may be taken on almost every open case (a leader urges, a
// dispatcher suspends, a shift leader cancels), so they alone do not put a
// case in anyone's queue: the queue would be every open case.
var sideActions = []civicgrid.Action{civicgrid.ActionUrge, civicgrid.ActionSuspend, civicgrid.ActionCancel}

// Queue limits: the queue shows at most queueSize cases, found among at
// most queueScan candidates.
const (
	queueSize = 50
	queueScan = 400
)

// homePage is the signed-in home: the work queue, "waiting for me".
type homePage struct {
	page
	Rows []caseRow
	More bool
	// Kind is what the list holds: "queue" (cases waiting for the user),
	// "overdue" (a leader's: overdue cases to urge) or "mine" (a
	// citizen's own reports).
	Kind string
}

// landingPage is the home of a visitor who has not signed in.
type landingPage struct {
	page
	Host string
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	u := civicgrid.ActorFrom(r.Context())
	if u == nil {
		host := r.Host
		if host == "" {
			host = "127.0.0.1:8080"
		}
		return s.render(w, http.StatusOK, "landing", &landingPage{page: s.newPage(r, "landing.title", "home"), Host: host})
	}
	m := &homePage{page: s.newPage(r, "home.title", "home")}
	if err := s.fillQueue(r.Context(), m, u); err != nil {
		return err
	}
	m.Notice = doneNotice(&m.page, s.city.City(), r)
	return s.render(w, http.StatusOK, "home", m)
}

// fillQueue finds the cases waiting for u, newest first: those of the
// statuses u's role acts on where u may take a forward action now.
func (s *Server) fillQueue(ctx context.Context, m *homePage, u *civicgrid.User) error {
	city, now := s.city.City(), s.now()
	f := civicgrid.CaseFilter{Limit: 100}
	m.Kind = "queue"
	switch u.Role {
	case civicgrid.RoleCitizen:
		m.Kind = "mine"
	case civicgrid.RoleLeader:
		m.Kind, f.Overdue = "overdue", new(true)
		f.Statuses = openStatuses()
	default:
		f.Statuses = queueStatuses(city.Workflow, u.Role)
		if len(f.Statuses) == 0 {
			return nil
		}
	}
	for scanned := 0; scanned < queueScan; {
		page, err := s.cases.List(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			allowed := s.cases.Allowed(ctx, c)
			if m.Kind == "queue" && !slices.ContainsFunc(allowed, func(a civicgrid.Action) bool { return !slices.Contains(sideActions, a) }) {
				continue
			}
			if len(m.Rows) == queueSize {
				m.More = true
				return nil
			}
			m.Rows = append(m.Rows, s.caseRow(&m.page, city, c, allowed, now))
		}
		scanned += len(page.Items)
		if !page.More {
			return nil
		}
		f.After = page.Items[len(page.Items)-1].ID
	}
	m.More = true
	return nil
}

// queueStatuses returns the statuses from which role may take a forward
// action under wf, in workflow order.
func queueStatuses(wf *civicgrid.Workflow, role civicgrid.Role) []civicgrid.Status {
	var out []civicgrid.Status
	for _, st := range civicgrid.Statuses {
		for _, rule := range wf.Rules {
			if slices.Contains(sideActions, rule.Action) || !slices.Contains(rule.From, st) {
				continue
			}
			if role == civicgrid.RoleAdmin || slices.Contains(rule.Roles, role) {
				out = append(out, st)
				break
			}
		}
	}
	return out
}

// openStatuses returns the statuses of cases still being worked on.
func openStatuses() []civicgrid.Status {
	var out []civicgrid.Status
	for _, st := range civicgrid.Statuses {
		if st.Open() {
			out = append(out, st)
		}
	}
	return out
}

// doneNotice describes the action named by the done query parameter that
// the redirect after a form post carries, or "".
func doneNotice(p *page, city *civicgrid.City, r *http.Request) string {
	q := r.URL.Query()
	done := q.Get("done")
	a := civicgrid.Action(done)
	if city.Workflow.Rule(a) == nil && a != civicgrid.ActionReport && a != civicgrid.ActionFold {
		return ""
	}
	number := q.Get("n")
	if !caseNumberPattern.MatchString(number) {
		return "" // only what a redirect of ours wrote, never text of a stranger's link
	}
	return p.Tf("notice.done", actionName(p, city, a), number)
}

// caseNumberPattern matches a public case number, 2026-000123.
var caseNumberPattern = regexp.MustCompile(`^\d{4}-\d{6,}$`)
