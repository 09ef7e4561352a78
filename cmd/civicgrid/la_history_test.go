package main_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cg "civicgrid"
	"civicgrid/sqlite"
)

// laTypes are the MyLA311 request types, each a category (LA001…).
var laTypes = []struct{ en, zh string }{
	{"Bulky Items", "大件垃圾"}, {"Dead Animal Removal", "动物尸体清理"}, {"Electronic Waste", "电子废弃物"},
	{"Feedback", "意见反馈"}, {"Graffiti Removal", "涂鸦清除"}, {"Homeless Encampment", "露宿者营地"},
	{"Illegal Dumping Pickup", "非法倾倒清运"}, {"Metal/Household Appliances", "金属及家电回收"},
	{"Multiple Streetlight Issue", "多盏路灯故障"}, {"Other", "其他"}, {"Report Water Waste", "浪费用水举报"},
	{"Single Streetlight Issue", "单盏路灯故障"},
}

// writeLACity writes a grid of 0.04° cells over Los Angeles (one street per
// row of cells) and the LA request types as a taxonomy, and returns their
// paths.
func writeLACity(t *testing.T, dir string) (grid, taxonomy string) {
	t.Helper()
	const s0, w0, d = 33.6, -118.8, 0.04
	var features []string
	for row := range 23 {
		for col := range 20 {
			s, w := s0+float64(row)*d, w0+float64(col)*d
			features = append(features, fmt.Sprintf(`{"type":"Feature","properties":{"code":"999001%03d001%03d"},"geometry":{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}}`,
				row+1, col+1, w, s, w+d, s, w+d, s+d, w, s+d, w, s))
		}
	}
	grid = filepath.Join(dir, "la-grid.geojson")
	if err := os.WriteFile(grid, []byte(`{"type":"FeatureCollection","features":[`+strings.Join(features, ",")+`]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var cats []*cg.Category
	for i, ty := range laTypes {
		cats = append(cats, &cg.Category{Code: fmt.Sprintf("LA%03d", i+1), Kind: cg.Event, ClassCode: "LA",
			ClassName: cg.Text{Zh: "洛杉矶 311", En: "MyLA311"}, Name: cg.Text{Zh: ty.zh, En: ty.en}, Public: true, Active: true})
	}
	data, err := json.Marshal(cats)
	if err != nil {
		t.Fatal(err)
	}
	taxonomy = filepath.Join(dir, "la-taxonomy.json")
	if err := os.WriteFile(taxonomy, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return grid, taxonomy
}

// laExpected is what the CSV itself says of one request type.
type laExpected struct {
	closed int
	median float64 // seconds from created to closed, over the closed requests
}

// laFromCSV computes, straight from the sample, each request type's closed
// count and median closing time (times in Los Angeles time).
func laFromCSV(t *testing.T, path string) map[string]*laExpected {
	t.Helper()
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	secs := map[string][]int64{}
	for _, r := range recs[1:] {
		if r[col["Status"]] != "Closed" {
			continue
		}
		created, err1 := time.ParseInLocation("01/02/2006 03:04:05 PM", r[col["CreatedDate"]], la)
		closed, err2 := time.ParseInLocation("01/02/2006 03:04:05 PM", r[col["ClosedDate"]], la)
		if err1 != nil || err2 != nil {
			t.Fatalf("sample row %s: %v %v", r[0], err1, err2)
		}
		ty := r[col["RequestType"]]
		secs[ty] = append(secs[ty], int64(closed.Sub(created)/time.Second))
	}
	out := map[string]*laExpected{}
	for ty, s := range secs {
		slices.Sort(s)
		n := len(s)
		m := float64(s[n/2])
		if n%2 == 0 {
			m = (float64(s[n/2-1]) + float64(s[n/2])) / 2
		}
		out[ty] = &laExpected{closed: n, median: m}
	}
	return out
}

// TestLAHistoryAcceptance imports each MyLA311 sample as historic cases
// through the command line and checks that the statistics give, for every
// request type, the closed count and the median closing time the CSV
// gives when computed directly.
func TestLAHistoryAcceptance(t *testing.T) {
	for _, sample := range []string{"myla311_2017_sample10k.csv", "myla311_2018_sample10k.csv"} {
		t.Run(sample, func(t *testing.T) {
			path := filepath.Join(repoRoot(t), "..", "shared", "data", "la-311", sample)
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("the LA sample is not beside the repository: %v", err)
			}
			data := t.TempDir()
			grid, taxonomy := writeLACity(t, data)
			mustRun(t, "import", "grid", grid, "--data", data)
			mustRun(t, "import", "taxonomy", "--data", data, taxonomy)
			args := []string{"import", "cases", path, "--data", data, "--zone", "America/Los_Angeles",
				"--columns", "external_id=SRNumber,category=RequestType,created_at=CreatedDate,closed_at=ClosedDate,status=Status,lat=Latitude,lon=Longitude"}
			r := mustRun(t, args...)
			if !strings.Contains(r.stdout, "created") {
				t.Fatalf("import: %s", r.stdout)
			}
			t.Log(strings.TrimSpace(r.stdout))
			// Importing the same file again changes nothing.
			if r := mustRun(t, args...); !strings.Contains(r.stdout, " 0 created") {
				t.Fatalf("second import: %s", r.stdout)
			}

			want := laFromCSV(t, path)
			got := laFromStats(t, data)
			if len(got) != len(want) {
				t.Errorf("%d request types with closed cases, the CSV has %d", len(got), len(want))
			}
			for ty, w := range want {
				g := got[ty]
				if g == nil {
					t.Errorf("%s: no closed cases in the statistics; the CSV has %d", ty, w.closed)
					continue
				}
				if g.closed != w.closed || math.Abs(g.median-w.median) > 0.001 {
					t.Errorf("%s: closed %d, median %.1f s; the CSV: closed %d, median %.1f s", ty, g.closed, g.median, w.closed, w.median)
				}
			}
			r = mustRun(t, "stats", "verify", "--data", data)
			if !strings.Contains(r.stdout, "ok") {
				t.Errorf("stats verify after the import: %s", r.stdout)
			}
		})
	}
}

// laFromStats reads each category's closed count (the stats) and median
// closing time (the durations) over the years of the samples.
func laFromStats(t *testing.T, data string) map[string]*laExpected {
	t.Helper()
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(data, "civicgrid.db"), sqlite.Options{Location: cg.DefaultCalendar().Location()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	city, err := cg.NewCityHolder(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	stats := cg.NewStatsService(db, city.City, cg.DefaultStatsConfig())
	admin := cg.WithActor(ctx, cg.SystemUser)
	q := cg.StatsQuery{GroupBy: cg.DimCategory, From: cg.Date{Year: 2017, Month: 1, Day: 1}, To: cg.Date{Year: 2020, Month: 1, Day: 1}}
	counts, err := stats.Query(admin, q)
	if err != nil {
		t.Fatal(err)
	}
	durations, err := stats.Durations(admin, q)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*laExpected{}
	for _, row := range counts.Rows {
		if n := row.Counts["closed"]; n > 0 {
			out[row.Name.En] = &laExpected{closed: int(n)}
		}
	}
	for _, row := range durations.Rows {
		d := row.Durations["closing_time"]
		e := out[row.Name.En]
		if e == nil || d.MedianSeconds == nil {
			t.Errorf("%s: durations %+v without closed cases", row.Name.En, d)
			continue
		}
		if d.N != int64(e.closed) {
			t.Errorf("%s: %d closing times for %d closed cases", row.Name.En, d.N, e.closed)
		}
		e.median = *d.MedianSeconds
	}
	return out
}

// repoRoot returns the directory holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
