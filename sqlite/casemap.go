package sqlite

import (
	"context"

	"civicgrid"
)

// The map's reads are served by the cases_map index (migration 0013):
// one query per marker class, each a status set (and the overdue flag),
// in a box, often a period.

// FindCasePoints returns the cases matching f whose location lies within
// b, newest first, at most limit (all when limit <= 0): only the columns
// a map marker needs.
func (tx *Tx) FindCasePoints(ctx context.Context, f civicgrid.CaseFilter, b civicgrid.Bounds, limit int) ([]*civicgrid.CasePoint, error) {
	query, args := casePointsQuery(f, b, limit)
	var out []*civicgrid.CasePoint
	err := tx.queryAll(ctx, func(s scanner) error {
		p := &civicgrid.CasePoint{}
		var status string
		if err := s.Scan(&p.ID, &p.Number, &p.CategoryCode, &status, &p.Overdue, &p.Lat, &p.Lon, &p.CellCode); err != nil {
			return err
		}
		p.Status = civicgrid.Status(status)
		out = append(out, p)
		return nil
	}, query, args...)
	return out, err
}

func casePointsQuery(f civicgrid.CaseFilter, b civicgrid.Bounds, limit int) (string, []any) {
	w := caseFilter(f)
	inBox(w, b)
	if limit <= 0 {
		limit = -1
	}
	// +id: a walk down the rowids, to skip the sort, would read every
	// case to find the few in a box; the index finds them and a sort of
	// those is cheap.
	return "SELECT id, number, category_code, status, overdue, lat, lon, cell_code FROM cases" + w.String() +
		" ORDER BY +id DESC LIMIT ?", append(w.args, limit)
}

// inBox adds the condition that a case lies within b, edges included.
func inBox(w *where, b civicgrid.Bounds) {
	w.add("lat >= ? AND lat <= ? AND lon >= ? AND lon <= ?", b.MinLat, b.MaxLat, b.MinLon, b.MaxLon)
}

// CountCasesByCell returns how many cases match f in each cell.
func (tx *Tx) CountCasesByCell(ctx context.Context, f civicgrid.CaseFilter) (map[string]int, error) {
	query, args := cellCountsQuery(f)
	out := map[string]int{}
	err := tx.queryAll(ctx, func(s scanner) error {
		var code string
		var n int
		if err := s.Scan(&code, &n); err != nil {
			return err
		}
		out[code] = n
		return nil
	}, query, args...)
	return out, err
}

func cellCountsQuery(f civicgrid.CaseFilter) (string, []any) {
	w := caseFilter(f)
	return "SELECT cell_code, COUNT(*) FROM cases" + w.String() + " GROUP BY cell_code", w.args
}

// FindCaseBuckets groups the cases matching f within b by the squares of
// step, in plain SQL arithmetic (no extension).
func (tx *Tx) FindCaseBuckets(ctx context.Context, f civicgrid.CaseFilter, b civicgrid.Bounds, step civicgrid.BucketStep) ([]*civicgrid.CaseBucket, error) {
	query, args := caseBucketsQuery(f, b, step)
	var out []*civicgrid.CaseBucket
	err := tx.queryAll(ctx, func(s scanner) error {
		k := &civicgrid.CaseBucket{}
		bd := &k.Bounds
		if err := s.Scan(&k.X, &k.Y, &k.Count, &k.Lat, &k.Lon, &bd.MinLat, &bd.MinLon, &bd.MaxLat, &bd.MaxLon, &k.MaxID); err != nil {
			return err
		}
		out = append(out, k)
		return nil
	}, query, args...)
	return out, err
}

func caseBucketsQuery(f civicgrid.CaseFilter, b civicgrid.Bounds, step civicgrid.BucketStep) (string, []any) {
	w := caseFilter(f)
	inBox(w, b)
	return `SELECT CAST((lon + 180) / ? AS INTEGER) AS gx, CAST((90 - lat) / ? AS INTEGER) AS gy,
		COUNT(*), AVG(lat), AVG(lon), MIN(lat), MIN(lon), MAX(lat), MAX(lon), MAX(id)
		FROM cases` + w.String() + ` GROUP BY gx, gy`, append([]any{step.Lon, step.Lat}, w.args...)
}
