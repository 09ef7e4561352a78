package civicgrid_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/filestore"
)

// reportAt reports category at lat, lon from source as role.
func (w *world) reportAt(t *testing.T, role civicgrid.Role, in civicgrid.ReportInput) *civicgrid.IntakeResult {
	t.Helper()
	if in.Source == "" {
		in.Source = civicgrid.SourceHotline
	}
	if in.Description == "" {
		in.Description = "问题"
	}
	res, err := w.cases.Intake(w.as(t.Context(), role), in)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestDuplicatesFold: a second report of the same category 20 m away is
// folded into the open case, keeping both reporters; another category, a
// place 200 m away, a closed case or an explicit Distinct make a new case.
func TestDuplicatesFold(t *testing.T) {
	w := newWorld(t)
	first := w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505,
		Reporter: civicgrid.Reporter{Name: "甲", Phone: "13800000001"}})
	w.clock.Advance(time.Hour)
	second := w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2506, Lon: 120.1506,
		Source: civicgrid.SourceWeb, Reporter: civicgrid.Reporter{Name: "乙", Phone: "13800000002"}})
	if !second.Folded || second.Case.ID != first.Case.ID || second.Case.Reports != 2 {
		t.Fatalf("second report: folded %v into %d (%d reports), want folded into %d", second.Folded, second.Case.ID, second.Case.Reports, first.Case.ID)
	}
	for _, tt := range []struct {
		name string
		in   civicgrid.ReportInput
	}{
		{"another category", civicgrid.ReportInput{CategoryCode: "06012", Lat: 30.2505, Lon: 120.1505}},
		{"far away", civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2515, Lon: 120.1515}},
		{"declared distinct", civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505, Distinct: true}},
	} {
		if r := w.reportAt(t, civicgrid.RoleOperator, tt.in); r.Folded {
			t.Errorf("%s: folded into %s", tt.name, r.Case.Number)
		}
	}
	// Closing the case tells both reporters.
	c := second.Case
	for _, a := range []struct {
		role   civicgrid.Role
		action civicgrid.Action
		in     civicgrid.ActionInput
	}{
		{civicgrid.RoleOperator, civicgrid.ActionFile, civicgrid.ActionInput{}},
		{civicgrid.RoleDispatcher, civicgrid.ActionDispatch, civicgrid.ActionInput{}},
		{civicgrid.RoleUnit, civicgrid.ActionSign, civicgrid.ActionInput{}},
		{civicgrid.RoleUnit, civicgrid.ActionFinish, civicgrid.ActionInput{Note: "已清运"}},
		{civicgrid.RoleOperator, civicgrid.ActionCheckRequest, civicgrid.ActionInput{}},
		{civicgrid.RoleInspector, civicgrid.ActionCheckPass, civicgrid.ActionInput{}},
		{civicgrid.RoleShiftLeader, civicgrid.ActionClose, civicgrid.ActionInput{}},
	} {
		a.in.Action = a.action
		c = w.act(t, c, a.role, a.in)
	}
	var outbox []*civicgrid.OutboxEntry
	var err error
	w.db.View(t.Context(), func(tx civicgrid.Tx) error { outbox, err = tx.FindOutbox(t.Context(), c.ID); return err })
	told := map[string]bool{}
	for _, o := range outbox {
		if o.Topic == "case.close" {
			told[o.Recipient] = true
		}
	}
	if !told["phone:13800000001"] || !told["phone:13800000002"] || len(told) != 2 {
		t.Errorf("close told %v, want both reporters", told)
	}
	// A closed case takes no more reports: the same place opens a new case.
	if r := w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505}); r.Case.ID == c.ID {
		t.Error("folded into a closed case")
	}
}

// TestRepeatedExternalIDCreatesNothing: a sending system's retry of the
// same work order returns the case it made.
func TestRepeatedExternalIDCreatesNothing(t *testing.T) {
	w := newWorld(t)
	in := civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505, Intake: civicgrid.Intake{ExternalID: "GD-1"}}
	a := w.reportAt(t, civicgrid.RoleOperator, in)
	b := w.reportAt(t, civicgrid.RoleOperator, in)
	if !b.Repeated || b.Case.ID != a.Case.ID || b.Case.Version != a.Case.Version {
		t.Errorf("retry: repeated %v case %d v%d, want the same case %d v%d unchanged", b.Repeated, b.Case.ID, b.Case.Version, a.Case.ID, a.Case.Version)
	}
}

// TestImportReportsAllOrNothing: one bad row refuses the batch, naming it.
func TestImportReportsAllOrNothing(t *testing.T) {
	w := newWorld(t)
	ctx := w.as(t.Context(), civicgrid.RoleOperator)
	good := civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505, Description: "x", Source: civicgrid.SourceHotline,
		Intake: civicgrid.Intake{ExternalID: "A"}}
	outside := good
	outside.Lat, outside.Intake.ExternalID = 31.5, "B"
	_, err := w.cases.ImportReports(ctx, []civicgrid.ReportInput{good, outside}, nil)
	if e := civicgrid.AsError(err); e == nil || e.Fields["row 2: location"] == "" {
		t.Fatalf("import with a row outside the grid: %v, want a problem for row 2", err)
	}
	page, err := w.cases.List(w.as(t.Context(), civicgrid.RoleAdmin), civicgrid.CaseFilter{Limit: 10})
	if err != nil || page.Total != 0 {
		t.Fatalf("a refused import stored %d cases (%v)", page.Total, err)
	}
	res, err := w.cases.ImportReports(ctx, []civicgrid.ReportInput{good}, nil)
	if err != nil || len(res) != 1 {
		t.Fatal(err)
	}
	again, err := w.cases.ImportReports(ctx, []civicgrid.ReportInput{good}, nil)
	if err != nil || !again[0].Repeated {
		t.Errorf("importing the same work order again: %+v %v, want repeated", again, err)
	}
}

// TestMergeAndSplit: merging moves the reports and cancels the duplicate;
// splitting gives a report its own case back.
func TestMergeAndSplit(t *testing.T) {
	w := newWorld(t)
	a := w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505}).Case
	b := w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2515, Lon: 120.1515}).Case
	ctx := w.as(t.Context(), civicgrid.RoleOperator)
	if _, err := w.cases.Merge(w.as(t.Context(), civicgrid.RoleUnit), civicgrid.MergeInput{From: b.ID, FromVersion: 1, Into: a.ID, IntoVersion: 1}); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("merge by a unit: %v, want forbidden", err)
	}
	if _, err := w.cases.Merge(ctx, civicgrid.MergeInput{From: b.ID, FromVersion: 9, Into: a.ID, IntoVersion: 1}); civicgrid.ErrorCodeOf(err) != civicgrid.Conflict {
		t.Errorf("merge at a stale version: %v, want conflict", err)
	}
	into, err := w.cases.Merge(ctx, civicgrid.MergeInput{From: b.ID, FromVersion: 1, Into: a.ID, IntoVersion: 1, Note: "同一堆垃圾"})
	if err != nil || into.Reports != 2 {
		t.Fatalf("merge: %+v %v", into, err)
	}
	gone, events, _ := w.cases.Find(ctx, b.ID)
	if gone.Status != civicgrid.StatusCancelled || events[len(events)-1].Action != civicgrid.ActionMergedInto {
		t.Errorf("merged-away case: %s, last event %s", gone.Status, events[len(events)-1].Action)
	}
	var reports []*civicgrid.CaseReport
	w.db.View(t.Context(), func(tx civicgrid.Tx) error { reports, err = tx.FindCaseReports(t.Context(), a.ID); return err })
	if len(reports) != 2 {
		t.Fatalf("%d reports on the merged case, want 2", len(reports))
	}
	nc, err := w.cases.Split(ctx, a.ID, civicgrid.SplitInput{Version: into.Version, ReportID: reports[1].ID})
	if err != nil || nc.ID == a.ID || nc.Status != civicgrid.StatusReported || nc.CellCode != "330102001001004" {
		t.Fatalf("split: %+v %v", nc, err)
	}
	if _, err := w.cases.Split(ctx, nc.ID, civicgrid.SplitInput{Version: nc.Version, ReportID: reports[1].ID}); civicgrid.ErrorCodeOf(err) != civicgrid.Conflict {
		t.Errorf("splitting a case's only report: %v, want conflict", err)
	}
}

// TestDetections: a known camera's alarm becomes a case waiting for an
// operator, or files itself above the class's threshold; a retry repeats;
// bad items are rejected one by one.
func TestDetections(t *testing.T) {
	w := newWorld(t)
	sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	if err := w.ref.SetCameras(sys, []civicgrid.Camera{{ID: "cam-1", Name: "湖滨路口", Point: civicgrid.Point{Lat: 30.2505, Lon: 120.1505}}}); err != nil {
		t.Fatal(err)
	}
	classes := civicgrid.DefaultDetectionClasses()
	for i := range classes {
		if classes[i].Code == "895" {
			classes[i].AutoFileAbove = 0.9
		}
	}
	if err := w.ref.SetDetectionClasses(sys, classes); err != nil {
		t.Fatal(err)
	}
	now := w.clock.Now()
	far := civicgrid.Point{Lat: 30.2515, Lon: 120.1515}
	batch := []civicgrid.Detection{
		{CameraID: "cam-1", DetectionID: "d1", ClassCode: "890", Confidence: 0.95, At: now},
		{CameraID: "cam-1", DetectionID: "d2", ClassCode: "895", Confidence: 0.93, At: now, Point: &far},
		{CameraID: "cam-1", DetectionID: "d1", ClassCode: "890", Confidence: 0.95, At: now},
		{CameraID: "cam-9", DetectionID: "d3", ClassCode: "890", Confidence: 0.9, At: now},
		{CameraID: "cam-1", DetectionID: "d4", ClassCode: "999", Confidence: 0.9, At: now},
		{CameraID: "cam-1", DetectionID: "d5", ClassCode: "890", Confidence: 1.5, At: now},
	}
	res, err := w.cases.Detections(sys, batch)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"awaiting_operator", "filed", "repeated", "rejected", "rejected", "rejected"}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Errorf("detection %d: %s (%+v), want %s", i, r.Outcome, r.Error, want[i])
		}
	}
	c, _, err := w.cases.Find(w.as(t.Context(), civicgrid.RoleAdmin), res[1].CaseID)
	if err != nil || c.Status != civicgrid.StatusFiled || c.Source != civicgrid.SourceCamera || c.CategoryCode != "06042" {
		t.Errorf("auto-filed detection: %+v %v", c, err)
	}
	if _, err := w.cases.Detections(w.as(t.Context(), civicgrid.RoleOperator), batch[:1]); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("detections from an operator: %v, want forbidden", err)
	}
}

// TestPublicViewsAndComments: the public sees public categories without
// reporters; a citizen's comment is an event; a reopen request tells the
// operators.
func TestPublicViewsAndComments(t *testing.T) {
	w := newWorld(t)
	c := w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505,
		Reporter: civicgrid.Reporter{Name: "甲", Phone: "13800000001"}}).Case
	hidden := w.reportAt(t, civicgrid.RoleInspector, civicgrid.ReportInput{CategoryCode: "01055", Lat: 30.2505, Lon: 120.1505, Source: civicgrid.SourceInspector}).Case
	page, err := w.cases.PublicList(t.Context(), civicgrid.CaseFilter{Limit: 10})
	if err != nil || page.Total != 1 || page.Items[0].ID != c.ID || page.Items[0].Reporter.Phone != "" {
		t.Fatalf("public list: %+v %v", page, err)
	}
	if _, _, err := w.cases.PublicFind(t.Context(), hidden.ID); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("a non-public category in public: %v, want not found", err)
	}
	ev, err := w.cases.Comment(w.as(t.Context(), civicgrid.RoleCitizen), c.ID, civicgrid.CommentInput{Note: "还没清理", Reopen: true, ExternalID: "u1"})
	if err != nil || ev.Action != civicgrid.ActionComment || ev.Data["reopen"] != "requested" {
		t.Fatalf("comment: %+v %v", ev, err)
	}
	events, err := w.cases.PublicEvents(t.Context(), w.clock.Now().Add(-time.Hour), w.clock.Now().Add(time.Hour), 100)
	if err != nil || len(events) != 2 || events[0].ActorName != "" {
		t.Errorf("public events: %d %v", len(events), err)
	}
	if _, err := w.cases.Comment(w.as(t.Context(), civicgrid.RoleCitizen), c.ID, civicgrid.CommentInput{}); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("empty comment: %v, want invalid", err)
	}
}

// TestAPIKeys: a key acts as an app user that may report public
// categories; a revoked key is refused.
func TestAPIKeys(t *testing.T) {
	w := newWorld(t)
	keys := civicgrid.NewAPIKeyService(w.db, w.clock.Now)
	sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	key, k, err := keys.Create(sys, "FixMyStreet 测试")
	if err != nil {
		t.Fatal(err)
	}
	_, u, err := keys.Authenticate(t.Context(), key)
	if err != nil || u.Role != civicgrid.RoleApp {
		t.Fatalf("authenticate: %+v %v", u, err)
	}
	app := civicgrid.WithActor(t.Context(), u)
	if _, err := w.cases.Report(app, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505, Description: "x", Source: civicgrid.SourceOpen311}); err != nil {
		t.Errorf("app report: %v", err)
	}
	if _, err := w.cases.Report(app, civicgrid.ReportInput{CategoryCode: "01055", Lat: 30.2505, Lon: 120.1505, Description: "x", Source: civicgrid.SourceOpen311}); civicgrid.ErrorCodeOf(err) != civicgrid.Unprocessable {
		t.Errorf("app report of a non-public category: %v, want unprocessable", err)
	}
	if _, _, err := keys.Create(w.as(t.Context(), civicgrid.RoleOperator), "x"); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("create by an operator: %v, want forbidden", err)
	}
	if err := keys.Revoke(sys, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := keys.Authenticate(t.Context(), key); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("revoked key: %v, want forbidden", err)
	}
}

// TestWeakPhotoEvidence: a photo whose EXIF places it in Beijing flags a
// Hangzhou report as weak evidence; a photo without EXIF does not.
func TestWeakPhotoEvidence(t *testing.T) {
	w := newWorld(t)
	blobs, err := filestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	photos := civicgrid.NewPhotoService(w.db, blobs, w.clock.Now)
	ctx := w.as(t.Context(), civicgrid.RoleInspector)
	upload := func(name string) *civicgrid.Attachment {
		data, err := os.ReadFile(filepath.Join("testdata", "photos", name))
		if err != nil {
			t.Fatal(err)
		}
		a, err := photos.Upload(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	far, plain := upload("exif_ii.jpg"), upload("no_exif.jpg")
	if far.GPS == nil || far.Taken == nil || far.ThumbnailID == "" {
		t.Fatalf("upload did not keep EXIF and a thumbnail: %+v", far)
	}
	weak := w.reportAt(t, civicgrid.RoleInspector, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505,
		Source: civicgrid.SourceInspector, Photos: []string{far.ID}}).Case
	if !weak.WeakEvidence || len(weak.Evidence) != 1 || !slices.Contains(weak.Evidence[0].Reasons, civicgrid.ReasonFarFromReport) {
		t.Errorf("Beijing photo for a Hangzhou report: weak %v evidence %+v", weak.WeakEvidence, weak.Evidence)
	}
	stored, _, err := w.cases.Find(w.as(t.Context(), civicgrid.RoleAdmin), weak.ID)
	if err != nil || !stored.WeakEvidence || len(stored.Evidence) != 1 {
		t.Errorf("weak evidence not stored: %+v %v", stored, err)
	}
	ok := w.reportAt(t, civicgrid.RoleInspector, civicgrid.ReportInput{CategoryCode: "06012", Lat: 30.2505, Lon: 120.1505,
		Source: civicgrid.SourceInspector, Photos: []string{plain.ID}}).Case
	if ok.WeakEvidence {
		t.Errorf("a photo without EXIF flagged weak: %+v", ok.Evidence)
	}
}

// TestFoldedCitizenSeesNoOtherReporter: a citizen whose report folds into
// someone else's case gets the case back without that person's details,
// and may follow it.
func TestFoldedCitizenSeesNoOtherReporter(t *testing.T) {
	w := newWorld(t)
	w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505,
		Reporter: civicgrid.Reporter{Name: "甲", Phone: "13800000001"}, Intake: civicgrid.Intake{ReceivedBy: "话务员7"}})
	res := w.reportAt(t, civicgrid.RoleCitizen, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505, Source: civicgrid.SourceWeb})
	if !res.Folded || res.Case.Reporter != (civicgrid.Reporter{}) || res.Case.Intake.ReceivedBy != "" {
		t.Fatalf("folded answer shows %+v / %q", res.Case.Reporter, res.Case.Intake.ReceivedBy)
	}
	ctx := w.as(t.Context(), civicgrid.RoleCitizen)
	c, _, err := w.cases.Find(ctx, res.Case.ID)
	if err != nil || c.Reporter.Phone != "" {
		t.Fatalf("the citizen following the case: %+v %v", c, err)
	}
	reports, err := w.cases.Reports(ctx, res.Case.ID)
	if err != nil || len(reports) != 2 || reports[0].Reporter.Phone != "" || reports[1].Reporter.UserID != w.users[civicgrid.RoleCitizen].ID {
		t.Errorf("reports as the citizen: %+v %v", reports, err)
	}
	if _, err := w.cases.Reports(w.as(t.Context(), civicgrid.RoleCitizen), 999); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("reports of a missing case: %v", err)
	}
}
