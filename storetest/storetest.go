// Package storetest is the contract every civicgrid.Store must meet, as a
// test suite that each backend runs on itself (as fstest.TestFS does for
// file systems): every method of every aggregate, every error code it
// promises, and the transaction semantics of View and Update.
//
// Backends must keep times to the millisecond; the suite compares instants,
// not zones.
package storetest

import (
	"testing"
	"time"

	"civicgrid"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Opener returns a new, empty, migrated store, closed when t ends.
type Opener = func(t *testing.T) civicgrid.Store

// Run runs the contract suite against the stores open returns: one store
// per subtest, so subtests are independent and run in parallel.
func Run(t *testing.T, open Opener) {
	suites := []struct {
		name string
		run  func(*testing.T, Opener)
	}{
		{"Store", testStore},
		{"Setting", testSetting},
		{"Calendar", testCalendar},
		{"Area", testArea},
		{"Grid", testGrid},
		{"Category", testCategory},
		{"Unit", testUnit},
		{"Routing", testRouting},
		{"Component", testComponent},
		{"User", testUser},
		{"Case", testCase},
		{"CaseFilter", testCaseFilter},
		{"CaseMap", testCaseMap},
		{"CaseReport", testCaseReport},
		{"CaseClock", testCaseClock},
		{"SavedView", testSavedView},
		{"Attachment", testAttachment},
		{"Outbox", testOutbox},
		{"APIKey", testAPIKey},
		{"Idempotency", testIdempotency},
		{"Stats", testStats},
		{"History", testHistory},
		{"Evaluation", testEvaluation},
		{"Durations", testDurations},
		{"Session", testSession},
		{"Hotspot", testHotspot},
	}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) { s.run(t, open) })
	}
}

// test is one subtest of an aggregate: it gets a fresh store.
type test struct {
	name string
	run  func(t *testing.T, s civicgrid.Store)
}

// runTests runs each test in parallel on a store of its own.
func runTests(t *testing.T, open Opener, tests []test) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open(t))
		})
	}
}

// t0 is the suite's reference time; every time it stores is whole
// milliseconds.
var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// at returns t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// cmpOpts compares instants regardless of zone and treats nil and empty
// maps and slices alike.
var cmpOpts = cmp.Options{
	cmpopts.EquateEmpty(),
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
}

// diff reports a difference between got and want.
func diff(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// update runs fn in s.Update and fails the test on an error.
func update(t *testing.T, s civicgrid.Store, fn func(tx civicgrid.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in s.View and fails the test on an error.
func view(t *testing.T, s civicgrid.Store, fn func(tx civicgrid.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// updateErr runs fn in s.Update and returns its error.
func updateErr(t *testing.T, s civicgrid.Store, fn func(tx civicgrid.Tx) error) error {
	t.Helper()
	return s.Update(t.Context(), fn)
}

// wantCode fails the test unless err has code.
func wantCode(t *testing.T, err error, code civicgrid.ErrorCode) {
	t.Helper()
	if got := civicgrid.ErrorCodeOf(err); got != code {
		t.Errorf("error %v: code %q, want %q", err, got, code)
	}
}

// square returns a square cell shape of side d degrees with its south-west
// corner at lon, lat.
func square(lon, lat, d float64) civicgrid.MultiPolygon {
	return civicgrid.MultiPolygon{{{
		{Lon: lon, Lat: lat}, {Lon: lon + d, Lat: lat}, {Lon: lon + d, Lat: lat + d},
		{Lon: lon, Lat: lat + d}, {Lon: lon, Lat: lat},
	}}}
}
