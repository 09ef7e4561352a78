package civicgrid_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

// historyCSV is a previous system's export with Chinese headers: two
// closed cases (one without coordinates), a cancelled one and an open one.
const historyCSV = "\ufeff案卷编号,问题类别,上报时间,结案时间,状态,纬度,经度,问题描述\n" +
	"OLD-1,06010,2025-12-01 08:00:00,2025-12-01 10:00:00,已结案,30.2505,120.1505,垃圾\n" +
	"OLD-2,暴露垃圾,2025-12-01 09:00:00,2025-12-02 09:00:00,已结案,,,无坐标\n" +
	"OLD-3,06010,2025-12-03 09:00:00,2025-12-03 09:30:00,已作废,30.2505,120.1505,重复\n" +
	"OLD-4,06010,2025-12-04 09:00:00,,处置中,30.2515,120.1515,未结\n"

func TestImportHistory(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	city := w.city.City()
	rows, err := civicgrid.ParseHistoryCSV(strings.NewReader(historyCSV), city, civicgrid.HistoryCSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1].CategoryCode != garbage || rows[1].Lat != 0 || rows[3].Outcome != civicgrid.OutcomeOpen || rows[0].Line != 2 {
		t.Fatalf("parsed rows: %+v", rows)
	}

	if _, err := w.cases.ImportHistory(w.as(ctx, civicgrid.RoleOperator), rows, nil); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Fatalf("an operator imported history: %v", err)
	}
	admin := w.as(ctx, civicgrid.RoleAdmin)
	res, err := w.cases.ImportHistory(admin, rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 4 || res.Closed != 2 || res.Cancelled != 1 || res.StillOpen != 1 || res.Unlocated != 1 || res.Repeated != 0 {
		t.Fatalf("import: %+v", res)
	}
	if res.EndedEarly != 0 {
		t.Errorf("%d cases ended early", res.EndedEarly)
	}
	again, err := w.cases.ImportHistory(admin, rows, nil)
	if err != nil || again.Created != 0 || again.Repeated != 4 {
		t.Fatalf("second import: %+v, %v", again, err)
	}

	page, err := w.cases.List(admin, civicgrid.CaseFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 4 {
		t.Fatalf("%d cases after two imports, want 4", len(page.Items))
	}
	for _, c := range page.Items {
		if c.Number[:4] != "2025" {
			t.Errorf("case %s is numbered in the import's year, not the case's", c.Number)
		}
		_, events, err := w.cases.Find(admin, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[civicgrid.Status]int{civicgrid.StatusClosed: 3, civicgrid.StatusCancelled: 2, civicgrid.StatusFiled: 2}[c.Status]
		if len(events) != want || events[0].At.Format(time.DateTime) != c.CreatedAt.Format(time.DateTime) {
			t.Errorf("case %s (%s): %d events from %v, want %d from its creation %v", c.Number, c.Status, len(events), events[0].At, want, c.CreatedAt)
		}
	}

	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	q := civicgrid.StatsQuery{GroupBy: civicgrid.DimCategory, From: civicgrid.Date{Year: 2025, Month: 12, Day: 1}, To: civicgrid.Date{Year: 2026, Month: 1, Day: 1}}
	counts, err := stats.Query(admin, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts.Rows) != 1 || counts.Rows[0].Counts["closed"] != 2 || counts.Rows[0].Counts["cancelled"] != 1 || counts.Rows[0].Counts["filed"] != 3 {
		t.Fatalf("counts: %+v", counts.Rows)
	}
	durations, err := stats.Durations(admin, q)
	if err != nil {
		t.Fatal(err)
	}
	d := durations.Rows[0].Durations["closing_time"]
	// 2 h and 24 h: the median is their mean, 13 h.
	if d.N != 2 || *d.MedianSeconds != 13*3600 || *d.P90Seconds != 24*3600 || *d.MeanSeconds != 13*3600 {
		t.Fatalf("closing time: %+v", d)
	}
	// The located closed case alone, by its cell.
	q.GroupBy = civicgrid.DimCell
	byCell, err := stats.Durations(admin, q)
	if err != nil || len(byCell.Rows) != 1 || byCell.Rows[0].Durations["closing_time"].N != 1 {
		t.Fatalf("closing time by cell: %+v, %v", byCell, err)
	}
}

func TestImportHistoryRefusesAll(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	city := w.city.City()
	bad := historyCSV +
		"OLD-5,99999,2025-12-05 09:00:00,,处置中,,,未知类别\n" +
		"OLD-6,06010,2025-12-05 09:00:00,2025-12-04 09:00:00,已结案,,,倒序\n" +
		"OLD-7,06010,2025-12-05 09:00:00,,处置中,31.5,121.5,界外\n" +
		"OLD-1,06010,2025-12-05 09:00:00,,处置中,,,重号\n"
	rows, err := civicgrid.ParseHistoryCSV(strings.NewReader(bad), city, civicgrid.HistoryCSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.cases.ImportHistory(w.as(ctx, civicgrid.RoleAdmin), rows, nil)
	e := civicgrid.AsError(err)
	if e == nil || e.Code != civicgrid.Invalid {
		t.Fatalf("import of a bad file: %v", err)
	}
	if p, ok := e.Fields["line 7"]; ok {
		t.Errorf("a case the old system closed before its creation was refused: %s", p)
	}
	for line, want := range map[string]string{"line 6": "unknown category", "line 8": "outside the managed area", "line 9": "also on line 2"} {
		if !strings.Contains(e.Fields[line], want) {
			t.Errorf("%s: %q, want it to say %q", line, e.Fields[line], want)
		}
	}
	page, err := w.cases.List(w.as(ctx, civicgrid.RoleAdmin), civicgrid.CaseFilter{Limit: 10})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("a refused import stored %d cases (%v)", len(page.Items), err)
	}

	for name, text := range map[string]string{
		"no status column": "案卷编号,问题类别,上报时间\nA,06010,2025-12-01 08:00\n",
		"bad time":         "案卷编号,问题类别,上报时间,状态\nA,06010,yesterday,已结案\n",
		"half a place":     "案卷编号,问题类别,上报时间,状态,纬度\nA,06010,2025-12-01 08:00,处置中,30.25\n",
	} {
		if _, err := civicgrid.ParseHistoryCSV(strings.NewReader(text), city, civicgrid.HistoryCSVOptions{}); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
}

func TestParseHistoryColumns(t *testing.T) {
	w := newWorld(t)
	city := w.city.City()
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	text := "SRNumber,RequestType,CreatedDate,ClosedDate,Status,Latitude,Longitude\n" +
		"1-1,06010,12/31/2018 11:55:30 PM,01/02/2019 10:20:05 PM,Closed,30.2505,120.1505\n"
	opts := civicgrid.HistoryCSVOptions{Location: la, Columns: map[string]string{
		"external_id": "SRNumber", "category": "RequestType", "created_at": "CreatedDate", "closed_at": "ClosedDate", "status": "Status"}}
	rows, err := civicgrid.ParseHistoryCSV(strings.NewReader(text), city, opts)
	if err != nil {
		t.Fatal(err)
	}
	h := rows[0]
	if h.ExternalID != "1-1" || h.Outcome != civicgrid.OutcomeClosed || h.Lat != 30.2505 ||
		!h.CreatedAt.Equal(time.Date(2018, 12, 31, 23, 55, 30, 0, la)) || !h.ClosedAt.Equal(time.Date(2019, 1, 2, 22, 20, 5, 0, la)) {
		t.Fatalf("row: %+v", h)
	}
	opts.Columns["created_at"] = "Opened"
	if _, err := civicgrid.ParseHistoryCSV(strings.NewReader(text), city, opts); err == nil || !strings.Contains(err.Error(), "Opened") {
		t.Fatalf("a named column the file lacks: %v", err)
	}
}

// TestDurationsScope: a unit sees only its own durations.
func TestDurationsScope(t *testing.T) {
	w := newWorld(t)
	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	q := civicgrid.StatsQuery{GroupBy: civicgrid.DimCategory, From: civicgrid.Date{Year: 2026, Month: 1, Day: 1}, To: civicgrid.Date{Year: 2026, Month: 2, Day: 1}}
	if _, err := stats.Durations(w.as(context.Background(), civicgrid.RoleUnit), q); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Fatalf("a unit grouped durations by category: %v", err)
	}
	q.Metrics = []string{"closed"}
	if _, err := stats.Durations(w.as(context.Background(), civicgrid.RoleAdmin), q); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Fatalf("a count asked of durations: %v", err)
	}
}

// TestVerifyDurations: stats verify notices a kept duration that no event
// ends, and rebuild puts the durations right.
func TestVerifyDurations(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	admin := w.as(ctx, civicgrid.RoleAdmin)
	rows, err := civicgrid.ParseHistoryCSV(strings.NewReader(historyCSV), w.city.City(), civicgrid.HistoryCSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.cases.ImportHistory(admin, rows, nil); err != nil {
		t.Fatal(err)
	}
	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	check, err := stats.Verify(admin)
	if err != nil || len(check.Diffs) != 0 {
		t.Fatalf("verify after the import: %v, %v", check.Diffs, err)
	}
	day := civicgrid.Date{Year: 2025, Month: 12, Day: 2}
	err = w.db.Update(ctx, func(tx civicgrid.Tx) error {
		return tx.AddDurations(ctx, []civicgrid.DurationSample{{Key: civicgrid.StatKey{Day: day, Dim: civicgrid.DimCategory, Value: garbage}, Metric: "closing_time", Seconds: 60, N: 1}})
	})
	if err != nil {
		t.Fatal(err)
	}
	check, err = stats.Verify(admin)
	if err != nil {
		t.Fatal(err)
	}
	want := []civicgrid.StatsDiff{
		{Key: civicgrid.StatKey{Dim: civicgrid.DimCategory, Value: "*"}, Metric: "closing_time", Stored: 3, Recomputed: 2},
		{Key: civicgrid.StatKey{Dim: civicgrid.DimCategory, Value: "*"}, Metric: "closing_time_seconds", Stored: 26*3600 + 60, Recomputed: 26 * 3600},
	}
	if len(check.Diffs) != 2 || check.Diffs[0] != want[0] || check.Diffs[1] != want[1] {
		t.Fatalf("verify after tampering: %+v", check.Diffs)
	}
	if _, err := stats.Rebuild(admin); err != nil {
		t.Fatal(err)
	}
	if check, err = stats.Verify(admin); err != nil || len(check.Diffs) != 0 {
		t.Fatalf("verify after rebuild: %v, %v", check.Diffs, err)
	}
}
