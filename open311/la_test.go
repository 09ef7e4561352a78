package open311_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"civicgrid"
)

// laTypes are the MyLA311 request types, each a category of the LA city
// (codes LA001… in this order).
var laTypes = []struct{ en, zh string }{
	{"Bulky Items", "大件垃圾"},
	{"Dead Animal Removal", "动物尸体清理"},
	{"Electronic Waste", "电子废弃物"},
	{"Feedback", "意见反馈"},
	{"Graffiti Removal", "涂鸦清除"},
	{"Homeless Encampment", "露宿者营地"},
	{"Illegal Dumping Pickup", "非法倾倒清运"},
	{"Metal/Household Appliances", "金属及家电回收"},
	{"Multiple Streetlight Issue", "多盏路灯故障"},
	{"Other", "其他"},
	{"Report Water Waste", "浪费用水举报"},
	{"Single Streetlight Issue", "单盏路灯故障"},
}

// laCategories are the LA request types as public categories whose
// duplicate radius is a centimetre and window an hour, so that real
// neighbouring requests are not folded together.
func laCategories() []*civicgrid.Category {
	var out []*civicgrid.Category
	for i, t := range laTypes {
		out = append(out, &civicgrid.Category{Code: fmt.Sprintf("LA%03d", i+1), Kind: civicgrid.Event, ClassCode: "LA",
			ClassName: civicgrid.Text{Zh: "洛杉矶 311", En: "MyLA311"}, Name: civicgrid.Text{Zh: t.zh, En: t.en},
			Public: true, Active: true, DuplicateRadiusM: 0.01, DuplicateWindowHours: 1})
	}
	return out
}

// laCode returns the service code of a request type.
func laCode(requestType string) (string, bool) {
	i := slices.IndexFunc(laTypes, func(t struct{ en, zh string }) bool { return t.en == requestType })
	return fmt.Sprintf("LA%03d", i+1), i >= 0
}

// laGrid is a lattice of 0.02° cells over Los Angeles (33.68–34.36N,
// 118.70–118.12W): one street per row of cells, coded 999001RRR001CCC.
func laGrid() []*civicgrid.GridCell {
	const s0, w0, d = 33.68, -118.70, 0.02
	var cells []*civicgrid.GridCell
	for row := range 34 {
		for col := range 29 {
			s, w := s0+float64(row)*d, w0+float64(col)*d
			cells = append(cells, rectCell(fmt.Sprintf("999001%03d001%03d", row+1, col+1), s, w, s+d, w+d))
		}
	}
	return cells
}

// laRow is one request of the sample that has coordinates.
type laRow struct {
	srNumber, requestType, status, address string
	lat, lon                               string
	number                                 string // the service_request_id it got
}

// laSample returns the path of the 2017 MyLA311 sample, which lives
// beside the module, or skips the test when it is not there.
func laSample(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("LA replay: no go.mod above the package directory")
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "data", "la-311", "myla311_2017_sample10k.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("LA replay: the MyLA311 sample is not at %s (%v)", path, err)
	}
	return path
}

// readLA reads the sample's rows that have coordinates.
func readLA(t *testing.T, path string) (rows []*laRow, total int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		total++
		r := &laRow{srNumber: rec[col["SRNumber"]], requestType: rec[col["RequestType"]], status: rec[col["Status"]],
			address: rec[col["Address"]], lat: rec[col["Latitude"]], lon: rec[col["Longitude"]]}
		if r.lat != "" && r.lon != "" {
			rows = append(rows, r)
		}
	}
	return rows, total
}

// parallel runs fn(0..n-1) on workers goroutines and returns the first
// error.
func parallel(workers, n int, fn func(i int) error) error {
	var next atomic.Int64
	var once sync.Once
	var first error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// TestLAReplay replays the 2017 MyLA311 sample (every row with
// coordinates; every tenth under -race) through POST requests.json over
// HTTP, brings each case to the status the sample gives it through
// the workflow, and reads everything back through GET requests.json,
// walking pages of 500: the counts per service and status must be those of
// the file.
func TestLAReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("LA replay: skipped in -short mode")
	}
	rows, total := readLA(t, laSample(t))
	if raceEnabled {
		// The race detector makes the full replay take minutes; a sample
		// of every tenth row still checks its counts, and the full file
		// runs without -race.
		var sample []*laRow
		for i := 0; i < len(rows); i += 10 {
			sample = append(sample, rows[i])
		}
		rows = sample
		t.Logf("LA replay: -race, so every tenth row only")
	}
	e := newEnv(t, envOptions{synchronous: "NORMAL", categories: laCategories, cells: laGrid})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()

	// A row reporting the same service at exactly the place of an earlier
	// row waits until the earlier one's duplicate window (an hour) has
	// passed: real repeated requests stay separate cases.
	seen := map[string]int{}
	var rounds [][]*laRow
	for _, r := range rows {
		k := r.requestType + "@" + r.lat + "," + r.lon
		if seen[k] == len(rounds) {
			rounds = append(rounds, nil)
		}
		rounds[seen[k]] = append(rounds[seen[k]], r)
		seen[k]++
	}
	start := time.Now()
	for _, round := range rounds {
		err := parallel(16, len(round), func(i int) error { return e.postLA(client, round[i]) })
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(2 * time.Hour)
	}
	posted := time.Since(start)

	start = time.Now()
	err := parallel(16, len(rows), func(i int) error { return e.settleLA(rows[i]) })
	if err != nil {
		t.Fatal(err)
	}
	settled := time.Since(start)

	type key struct{ code, status string }
	want, got := map[key]int{}, map[key]int{}
	numbers := map[string]bool{}
	for _, r := range rows {
		code, _ := laCode(r.requestType)
		status := "open"
		if r.status == "Closed" || r.status == "Cancelled" {
			status = "closed"
		}
		want[key{code, status}]++
		if ext, ok := map[string]string{"Closed": "fixed", "Cancelled": "no_further_action"}[r.status]; ok {
			want[key{code, ext}]++
		}
		numbers[r.number] = true
	}
	start = time.Now()
	pages := 0
	for _, c := range laCategories() {
		for _, status := range []string{"open", "closed", "fixed", "no_further_action"} {
			for page := 1; ; page++ {
				n, err := e.countPage(client, c.Code, status, page)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if n == 0 {
					break
				}
				got[key{c.Code, status}] += n
			}
		}
	}
	walked := time.Since(start)

	t.Logf("LA replay: %d rows in the file, %d with coordinates → %d cases (%d distinct ids), posted in %d rounds in %v (%.0f requests/s); workflow to the file's status in %v; read back in %d pages in %v",
		total, len(rows), e.countCases(), len(numbers), len(rounds), posted.Round(time.Millisecond),
		float64(len(rows))/posted.Seconds(), settled.Round(time.Millisecond), pages, walked.Round(time.Millisecond))
	t.Logf("%-7s %-28s %6s %6s %6s %6s", "code", "service", "open", "closed", "fixed", "cancel")
	for i, c := range laCategories() {
		t.Logf("%-7s %-28s %6d %6d %6d %6d", c.Code, laTypes[i].en, got[key{c.Code, "open"}], got[key{c.Code, "closed"}],
			got[key{c.Code, "fixed"}], got[key{c.Code, "no_further_action"}])
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s %s: %d read back, the file has %d", k.code, k.status, got[k], n)
		}
	}
	for k, n := range got {
		if want[k] != n {
			t.Errorf("%s %s: %d read back, the file has %d", k.code, k.status, n, want[k])
		}
	}
	if len(numbers) != len(rows) || e.countCases() != len(rows) {
		t.Errorf("%d rows made %d distinct ids and %d cases", len(rows), len(numbers), e.countCases())
	}
}

// postLA reports row r through POST requests.json and records its id.
func (e *env) postLA(client *http.Client, r *laRow) error {
	code, ok := laCode(r.requestType)
	if !ok {
		return fmt.Errorf("%s: unknown request type %q", r.srNumber, r.requestType)
	}
	form := url.Values{"api_key": {e.key}, "service_code": {code}, "lat": {r.lat}, "long": {r.lon},
		"address_string": {r.address}, "description": {r.requestType + " (MyLA311 " + r.srNumber + ")"},
		"attribute[sr_number]": {r.srNumber}}
	resp, err := client.PostForm(e.url("requests.json"), form)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var got []struct {
		ID     string  `json:"service_request_id"`
		Notice *string `json:"service_notice"`
	}
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != 200 || len(got) != 1 {
		return fmt.Errorf("%s: %d %s", r.srNumber, resp.StatusCode, body)
	}
	if got[0].Notice != nil {
		return fmt.Errorf("%s was folded into %s", r.srNumber, got[0].ID)
	}
	r.number = got[0].ID
	return nil
}

// settleLA brings row r's case to the status the file gives it, as an
// admin: Closed through the whole workflow, Cancelled by cancelling; the
// rest (Open, Referred Out) stay open.
func (e *env) settleLA(r *laRow) error {
	var path []civicgrid.ActionInput
	switch r.status {
	case "Closed":
		path = closingPath(e.unit.ID, e.users[civicgrid.RoleInspector].ID)
	case "Cancelled":
		path = []civicgrid.ActionInput{{Action: civicgrid.ActionCancel, Note: "Cancelled in MyLA311"}}
	}
	if len(path) == 0 {
		return nil
	}
	ctx := civicgrid.WithActor(context.Background(), e.users[civicgrid.RoleAdmin])
	var c *civicgrid.Case
	err := e.db.View(ctx, func(tx civicgrid.Tx) error {
		var err error
		c, err = tx.FindCaseByNumber(ctx, r.number)
		return err
	})
	for _, in := range path {
		if err != nil {
			break
		}
		in.Version = c.Version
		c, err = e.cases.Act(ctx, c.ID, in)
	}
	if err != nil {
		return fmt.Errorf("%s (%s): %w", r.srNumber, r.number, err)
	}
	return nil
}

// countPage returns how many requests page of GET requests.json for the
// service and status holds.
func (e *env) countPage(client *http.Client, code, status string, page int) (int, error) {
	resp, err := client.Get(e.url("requests.json?page_size=500&service_code=" + code + "&status=" + status +
		"&extensions=" + strconv.FormatBool(status != "open" && status != "closed") + "&page=" + strconv.Itoa(page)))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var items []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&items); err != nil || resp.StatusCode != 200 {
		return 0, fmt.Errorf("%s %s page %d: %d %v", code, status, page, resp.StatusCode, err)
	}
	return len(items), nil
}
