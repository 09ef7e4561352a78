package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

// TestCaseMapPlans checks that the map's reads search an index, never
// scan the cases, and that the closed cases of a period (the most cases
// the map reads) come from cases_map alone.
func TestCaseMapPlans(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	open := []civicgrid.Status{civicgrid.StatusReported, civicgrid.StatusFiled, civicgrid.StatusHandling}
	since := time.Now()
	box := civicgrid.Bounds{MinLon: 120.1, MinLat: 30.2, MaxLon: 120.2, MaxLat: 30.3}
	step := civicgrid.BucketStep{Lon: 0.01, Lat: 0.01}
	closed := civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusClosed}, CreatedFrom: &since, ScopeArea: "330102"}
	overdue := civicgrid.CaseFilter{Statuses: open, Overdue: new(true), ScopeArea: "330102"}
	for _, tc := range []struct {
		name string
		pq   planQuery
	}{
		{"ClosedBuckets", q(caseBucketsQuery(closed, box, step))},
		{"OverdueBuckets", q(caseBucketsQuery(overdue, box, step))},
		{"OpenCounts", q(cellCountsQuery(civicgrid.CaseFilter{Statuses: open, ScopeArea: "330102"}))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(t, db, tc.pq.query, tc.pq.args...)
			if strings.Contains(p, "SCAN cases") || tc.name == "ClosedBuckets" && !strings.Contains(p, "USING COVERING INDEX cases_map") {
				t.Errorf("plan:\n%s", p)
			}
		})
	}
	points := q(casePointsQuery(closed, box, 100))
	p := plan(t, db, points.query, points.args...)
	if strings.Contains(p, "SCAN cases") || !strings.Contains(p, "TEMP B-TREE FOR ORDER BY") {
		t.Errorf("the points of a class in a box scan the cases:\n%s", p)
	}
}

type planQuery struct {
	query string
	args  []any
}

func q(query string, args []any) planQuery { return planQuery{query, args} }
