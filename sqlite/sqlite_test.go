package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/sqlite"
	"civicgrid/storetest"

	"github.com/google/go-cmp/cmp"
)

// mustOpen opens a database file in a temporary directory and closes it
// when tb ends.
func mustOpen(tb testing.TB, opts sqlite.Options) *sqlite.DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "civicgrid.db"), opts)
}

func mustOpenPath(tb testing.TB, path string, opts sqlite.Options) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), path, opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) civicgrid.Store { return mustOpen(t, sqlite.Options{}) })
}

func TestStoreNormalSync(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	storetest.Run(t, func(t *testing.T) civicgrid.Store {
		return mustOpen(t, sqlite.Options{Location: shanghai, Synchronous: "normal"})
	})
}

func TestOpenOptions(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		path string
		opts sqlite.Options
	}{
		{"", sqlite.Options{}},
		{":memory:", sqlite.Options{}},
		{filepath.Join(dir, "a?b.db"), sqlite.Options{}},
		{filepath.Join(dir, "x.db"), sqlite.Options{Synchronous: "OFF"}},
	} {
		if db, err := sqlite.Open(t.Context(), tc.path, tc.opts); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
			t.Errorf("Open(%q, %+v) = %v; want Invalid", tc.path, tc.opts, err)
			if err == nil {
				db.Close()
			}
		}
	}
}

func TestLocation(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	db := mustOpen(t, sqlite.Options{Location: shanghai})
	created := time.Date(2026, 3, 2, 1, 2, 3, 4_000_000, time.UTC)
	u := &civicgrid.User{Name: "a", Role: civicgrid.RoleAdmin, Active: true, CreatedAt: created}
	if err := db.Update(t.Context(), func(tx civicgrid.Tx) error { return tx.CreateUser(t.Context(), u) }); err != nil {
		t.Fatal(err)
	}
	db.View(t.Context(), func(tx civicgrid.Tx) error {
		got, err := tx.FindUser(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreatedAt.Equal(created) || got.CreatedAt.Location() != shanghai {
			t.Errorf("CreatedAt = %v, want %v in %v", got.CreatedAt, created, shanghai)
		}
		return nil
	})
}

func TestDurableAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civicgrid.db")
	db, err := sqlite.Open(t.Context(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- db.Update(t.Context(), func(tx civicgrid.Tx) error {
				return tx.SetSetting(t.Context(), fmt.Sprint("k", i), fmt.Sprint(i))
			})
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(t.Context(), func(civicgrid.Tx) error { return nil }); civicgrid.ErrorCodeOf(err) != civicgrid.Unavailable {
		t.Errorf("Update after Close = %v, want Unavailable", err)
	}
	db = mustOpenPath(t, path, sqlite.Options{})
	db.View(t.Context(), func(tx civicgrid.Tx) error {
		for i := range n {
			if v, err := tx.Setting(t.Context(), fmt.Sprint("k", i)); v != fmt.Sprint(i) {
				t.Errorf("after reopen, setting k%d = %q, %v", i, v, err)
			}
		}
		return nil
	})
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civicgrid.db")
	db := mustOpenPath(t, path, sqlite.Options{})
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpenPath(t, path, sqlite.Options{}) // migrates again on open
	names := sqlite.MigrationNames()
	if len(names) == 0 || names[0] != "0001_init.sql" {
		t.Fatalf("MigrationNames() = %v, want 0001_init.sql first", names)
	}
	applied, err := db.AppliedMigrations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(names, applied); d != "" {
		t.Errorf("schema_migrations (-embedded +recorded):\n%s", d)
	}
}

func TestUpdatePanic(t *testing.T) {
	db := mustOpen(t, sqlite.Options{})
	err := db.Update(t.Context(), func(tx civicgrid.Tx) error {
		tx.SetSetting(t.Context(), "k", "v")
		panic("boom")
	})
	if civicgrid.ErrorCodeOf(err) != civicgrid.Internal {
		t.Errorf("Update with a panicking fn = %v, want Internal", err)
	}
	// The writer survives, and the panicking fn wrote nothing.
	if err := db.Update(t.Context(), func(tx civicgrid.Tx) error { return tx.SetSetting(t.Context(), "k2", "v") }); err != nil {
		t.Fatalf("Update after a panic: %v", err)
	}
	db.View(t.Context(), func(tx civicgrid.Tx) error {
		if _, err := tx.Setting(t.Context(), "k"); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
			t.Errorf("setting written by the panicking fn: %v", err)
		}
		return nil
	})
}

func TestUpdateGoexit(t *testing.T) {
	db := mustOpen(t, sqlite.Options{})
	err := db.Update(t.Context(), func(tx civicgrid.Tx) error {
		tx.SetSetting(t.Context(), "k", "v")
		runtime.Goexit()
		return nil
	})
	if civicgrid.ErrorCodeOf(err) != civicgrid.Internal {
		t.Errorf("Update with fn calling Goexit = %v, want Internal", err)
	}
	if err := db.Update(t.Context(), func(tx civicgrid.Tx) error { return tx.SetSetting(t.Context(), "k2", "v") }); err != nil {
		t.Fatalf("Update after a Goexit: %v", err)
	}
}

func TestUpdateCancelledWhileWaiting(t *testing.T) {
	db := mustOpen(t, sqlite.Options{})
	release := make(chan struct{})
	started := make(chan struct{})
	go db.Update(t.Context(), func(civicgrid.Tx) error {
		close(started)
		<-release // hold the writer
		return nil
	})
	<-started
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	var ran atomic.Bool
	go func() {
		done <- db.Update(ctx, func(tx civicgrid.Tx) error {
			ran.Store(true)
			return tx.SetSetting(ctx, "k", "v")
		})
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	err := <-done
	close(release)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Update = %v, want context.Canceled", err)
	}
	// One more Update makes sure the writer has passed the abandoned request.
	if err := db.Update(t.Context(), func(civicgrid.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if ran.Load() {
		t.Error("the fn of a cancelled Update ran")
	}
}

func TestTxAfterEnd(t *testing.T) {
	db := mustOpen(t, sqlite.Options{})
	var kept civicgrid.Tx
	db.Update(t.Context(), func(tx civicgrid.Tx) error { kept = tx; return nil })
	if err := kept.SetSetting(t.Context(), "k", "v"); err == nil {
		t.Error("a Tx kept after Update returned still writes")
	}
}

func TestBulkLoad(t *testing.T) {
	db := mustOpen(t, sqlite.Options{})
	boom := errors.New("boom")
	err := db.BulkLoad(t.Context(), func(tx civicgrid.Tx) error {
		if err := tx.SetSetting(t.Context(), "k", "v"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("failing BulkLoad = %v, want fn's error", err)
	}
	if err := db.BulkLoad(t.Context(), func(tx civicgrid.Tx) error { return loadCases(t.Context(), tx, 0, 20, 8) }); err != nil {
		t.Fatal(err)
	}
	db.View(t.Context(), func(tx civicgrid.Tx) error {
		if _, err := tx.Setting(t.Context(), "k"); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
			t.Errorf("setting of the failed BulkLoad: %v", err)
		}
		cases, total, err := tx.FindCases(t.Context(), civicgrid.CaseFilter{Limit: 1})
		if err != nil || total != 20 {
			t.Fatalf("FindCases = %d, %v; want 20", total, err)
		}
		events, err := tx.FindEvents(t.Context(), cases[0].ID)
		if err != nil || len(events) != 8 {
			t.Errorf("FindEvents = %d, %v; want 8", len(events), err)
		}
		return nil
	})
}

// loadCases creates n cases numbered from first, each with events events
// and one outbox entry, as the demo generator does.
func loadCases(ctx context.Context, tx civicgrid.Tx, first, n, events int) error {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := first; i < first+n; i++ {
		c := benchCase(i, at)
		if err := tx.CreateCase(ctx, c); err != nil {
			return err
		}
		for j := range events {
			e := &civicgrid.CaseEvent{CaseID: c.ID, Action: "urge", ActorID: 1, ActorName: "op", Role: civicgrid.RoleOperator,
				At: at.Add(time.Duration(j) * time.Minute), From: civicgrid.StatusDispatched, To: civicgrid.StatusDispatched,
				Note: "请尽快处理", Data: map[string]string{"n": fmt.Sprint(j)}}
			if err := tx.AppendEvent(ctx, e); err != nil {
				return err
			}
		}
		if err := tx.EnqueueOutbox(ctx, &civicgrid.OutboxEntry{Topic: "case.report", CaseID: c.ID, Recipient: "role:operator",
			Payload: `{}`, RunAt: at, CreatedAt: at}); err != nil {
			return err
		}
	}
	return nil
}

// benchCase returns a new case numbered i.
func benchCase(i int, at time.Time) *civicgrid.Case {
	cell := fmt.Sprintf("110101%03d%03d%03d", i%7, i%11, i%13+1)
	due := at.Add(4 * time.Hour)
	return &civicgrid.Case{Number: fmt.Sprintf("B-%08d", i), Source: civicgrid.SourceWeb, CategoryCode: "SJ0101",
		Lat: 39.9, Lon: 116.4, CellCode: cell, CommunityCode: cell[:12], StreetCode: cell[:9], DistrictCode: cell[:6],
		Description: "暴露垃圾", Status: civicgrid.StatusReported, Stage: civicgrid.StageAccept, StageStartedAt: &at,
		StageLimit: civicgrid.TimeLimit{Amount: 0.5, Unit: civicgrid.WorkingHours}, Deadline: &due,
		Deadlines: map[civicgrid.Stage]civicgrid.Deadline{civicgrid.StageAccept: {Started: at, Due: due}},
		Reports:   1, WorkflowVersion: 1, CreatedAt: at, UpdatedAt: at, Version: 1}
}
