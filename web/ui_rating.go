package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"civicgrid"
)

// ratingView is the rating section (满意度评价) of a case's page and of the
// follow page: the reporter's form, or their rating; for staff every
// rating of the case.
type ratingView struct {
	CaseID  civicgrid.CaseID
	Back    string // where the form returns: "case" or "follow"
	CanRate bool
	NotYet  bool // the viewer reported the case, which is not closed yet
	Mine    *civicgrid.Rating
	Choices []ratingChoice
	Remark  string // a refused form's remark
	Problem string
	// Staff see every rating: how many, the average and how many were
	// satisfied.
	Staff     bool
	All       []ratingLine
	Average   string
	Satisfied int
}

// ratingChoice is one score of the form.
type ratingChoice struct {
	Value   int
	Label   string
	Stars   string
	Checked bool
}

// ratingLine is one rating shown to staff.
type ratingLine struct {
	Stars  string
	Score  int
	Remark string
	At     string
}

// stars draws score out of five.
func stars(score int) string {
	score = max(0, min(score, 5))
	return strings.Repeat("★", score) + strings.Repeat("☆", 5-score)
}

// ratingView builds the rating section of case c for the viewer of p;
// events are c's events as staff see them (nil for the follow page). It
// returns nil when there is nothing to show.
func (s *Server) ratingView(ctx context.Context, p *page, c *civicgrid.Case, events []*civicgrid.CaseEvent, back string) (*ratingView, error) {
	v := &ratingView{CaseID: c.ID, Back: back}
	if p.Staff() {
		ratings := civicgrid.RatingsOf(events)
		if len(ratings) == 0 {
			return nil, nil
		}
		v.Staff = true
		sum := 0
		for _, r := range ratings {
			sum += r.Score
			if r.Satisfied() {
				v.Satisfied++
			}
			v.All = append(v.All, ratingLine{Stars: stars(r.Score), Score: r.Score, Remark: r.Remark, At: p.Time(r.At)})
		}
		v.Average = strconv.FormatFloat(float64(sum)/float64(len(ratings)), 'f', 1, 64)
		return v, nil
	}
	st, err := s.cases.RatingState(ctx, c.ID)
	if err != nil || !st.Reporter {
		return nil, err
	}
	v.Mine, v.CanRate, v.NotYet = st.Mine, st.CanRate(), !st.Closed
	for score := 5; score >= 1; score-- {
		v.Choices = append(v.Choices, ratingChoice{Value: score, Label: p.T("rating." + strconv.Itoa(score)), Stars: stars(score)})
	}
	return v, nil
}

// Stars draws the viewer's own rating.
func (v *ratingView) Stars() string {
	if v.Mine == nil {
		return ""
	}
	return stars(v.Mine.Score)
}

// handleRateForm records the rating sent from a case's page or the follow
// page and goes back there; a refused rating shows that page again with
// the problem.
func (s *Server) handleRateForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := civicgrid.RatingInput{Remark: r.FormValue("remark")}
	score, perr := strconv.Atoi(r.FormValue("score"))
	if perr == nil {
		in.Score = score
	}
	back := r.FormValue("back")
	if _, err := s.cases.Rate(r.Context(), id, in); err != nil {
		return s.refusedRating(r, id, back, in, err)
	}
	return redirect(w, r, s.ratingBack(r, id, back)+"#rating")
}

// ratingBack is the page the rating form of case id came from.
func (s *Server) ratingBack(r *http.Request, id civicgrid.CaseID, back string) string {
	if back == "follow" {
		if c, _, err := s.cases.PublicFind(r.Context(), id); err == nil {
			return "/follow?number=" + url.QueryEscape(c.Number)
		}
	}
	return "/cases/" + strconv.FormatInt(int64(id), 10)
}

// refusedRating renders the page the rating came from again with err.
func (s *Server) refusedRating(r *http.Request, id civicgrid.CaseID, back string, in civicgrid.RatingInput, err error) error {
	var (
		m    pageModel
		rv   *ratingView
		name = "case"
	)
	if back == "follow" {
		c, events, ferr := s.cases.PublicFind(r.Context(), id)
		if ferr != nil {
			return err
		}
		fm := &followPage{page: s.newPage(r, "follow.title", "follow"), Number: c.Number}
		if ferr := s.fillFollow(r, fm, c, events); ferr != nil {
			return err
		}
		m, rv, name = fm, fm.Rating, "follow"
	} else {
		cm, cerr := s.casePage(r, id, nil)
		if cerr != nil {
			return err
		}
		m, rv = cm, cm.Rating
	}
	if rv != nil {
		tmp := page{Lang: m.base().Lang}
		tmp.setProblem(err)
		rv.Problem, rv.Remark = tmp.Problem+" "+tmp.Detail, in.Remark
		for i := range rv.Choices {
			rv.Choices[i].Checked = rv.Choices[i].Value == in.Score
		}
	}
	return &refusedForm{err: err, name: name, model: m}
}

// fillFollow fills the follow page with case c, found by its number, and
// its public events.
func (s *Server) fillFollow(r *http.Request, m *followPage, c *civicgrid.Case, events []*civicgrid.CaseEvent) error {
	city := s.city.City()
	m.Found, m.Case = true, c
	m.Category, m.Status = categoryName(&m.page, city, c.CategoryCode), m.Text(c.Status.Name())
	for i := len(events) - 1; i >= 0; i-- {
		m.Timeline = append(m.Timeline, s.eventView(&m.page, city, events[i], nil, true))
	}
	var err error
	m.Rating, err = s.ratingView(r.Context(), &m.page, c, nil, "follow")
	return err
}
