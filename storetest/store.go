package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"civicgrid"
)

// testStore checks the transaction semantics of View and Update.
func testStore(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"UpdateCommits", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error { return tx.SetSetting(t.Context(), "k", "v") })
			view(t, s, func(tx civicgrid.Tx) error {
				v, err := tx.Setting(t.Context(), "k")
				if err != nil || v != "v" {
					t.Errorf("Setting after Update = %q, %v; want v", v, err)
				}
				return nil
			})
		}},
		{"UpdateSeesOwnWrites", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.SetSetting(t.Context(), "k", "v"); err != nil {
					return err
				}
				v, err := tx.Setting(t.Context(), "k")
				if v != "v" {
					t.Errorf("Setting inside Update = %q, %v; want v", v, err)
				}
				return err
			})
		}},
		{"UpdateRollsBackOnError", func(t *testing.T, s civicgrid.Store) {
			boom := errors.New("boom")
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				if err := tx.SetSetting(t.Context(), "k", "v"); err != nil {
					return err
				}
				if err := tx.CreateUnit(t.Context(), &civicgrid.Unit{Code: "u", Name: civicgrid.Text{Zh: "单位"}}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Errorf("Update = %v, want fn's error", err)
			}
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.Setting(t.Context(), "k")
				wantCode(t, err, civicgrid.NotFound)
				units, err := tx.FindUnits(t.Context())
				if len(units) != 0 {
					t.Errorf("FindUnits after rollback = %d units, %v; want none", len(units), err)
				}
				return nil
			})
		}},
		{"UpdateKeepsErrorCode", func(t *testing.T, s civicgrid.Store) {
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return civicgrid.Errorf(civicgrid.Forbidden, "no")
			})
			wantCode(t, err, civicgrid.Forbidden)
		}},
		{"UpdateCancelled", func(t *testing.T, s civicgrid.Store) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			err := s.Update(ctx, func(tx civicgrid.Tx) error { return tx.SetSetting(ctx, "k", "v") })
			if err == nil {
				t.Fatal("Update with a cancelled context succeeded")
			}
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.Setting(t.Context(), "k")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"ViewCannotWrite", func(t *testing.T, s civicgrid.Store) {
			var writeErr error
			s.View(t.Context(), func(tx civicgrid.Tx) error {
				writeErr = tx.SetSetting(t.Context(), "k", "v")
				return writeErr
			})
			if writeErr == nil {
				t.Error("SetSetting inside View succeeded")
			}
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.Setting(t.Context(), "k")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"ViewReturnsFnError", func(t *testing.T, s civicgrid.Store) {
			boom := errors.New("boom")
			if err := s.View(t.Context(), func(civicgrid.Tx) error { return boom }); !errors.Is(err, boom) {
				t.Errorf("View = %v, want fn's error", err)
			}
		}},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"FailuresAmongConcurrentUpdates", testConcurrentFailures},
		{"ConflictAmongConcurrentUpdates", testConcurrentConflict},
	})
}

// testConcurrentUpdates checks that Updates from 16 goroutines all commit
// and are all visible afterwards.
func testConcurrentUpdates(t *testing.T, s civicgrid.Store) {
	const workers, each = 16, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				errs <- s.Update(t.Context(), func(tx civicgrid.Tx) error {
					key := fmt.Sprintf("w%02d.%02d", w, i)
					if err := tx.SetSetting(t.Context(), key, key); err != nil {
						return err
					}
					return tx.CreateUnit(t.Context(), &civicgrid.Unit{Code: key, Name: civicgrid.Text{Zh: key}})
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	view(t, s, func(tx civicgrid.Tx) error {
		units, err := tx.FindUnits(t.Context())
		if err != nil || len(units) != workers*each {
			t.Errorf("FindUnits = %d units, %v; want %d", len(units), err, workers*each)
		}
		for w := range workers {
			for i := range each {
				key := fmt.Sprintf("w%02d.%02d", w, i)
				if v, err := tx.Setting(t.Context(), key); v != key {
					t.Errorf("Setting(%s) = %q, %v", key, v, err)
				}
			}
		}
		return nil
	})
}

// testConcurrentFailures checks that an Update whose fn fails, among
// concurrent ones that succeed (and may share its commit), gets its own
// error, writes nothing, and leaves the others intact.
func testConcurrentFailures(t *testing.T, s civicgrid.Store) {
	const workers, each = 16, 8
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				key := fmt.Sprintf("w%02d.%02d", w, i)
				fail := (w+i)%2 == 1
				err := s.Update(t.Context(), func(tx civicgrid.Tx) error {
					if err := tx.SetSetting(t.Context(), key, "written"); err != nil {
						return err
					}
					if fail {
						return civicgrid.Errorf(civicgrid.Invalid, "fail %s", key)
					}
					return nil
				})
				switch {
				case fail && civicgrid.ErrorMessage(err) != "fail "+key:
					t.Errorf("failing Update %s = %v, want its own error", key, err)
				case !fail && err != nil:
					t.Errorf("Update %s: %v", key, err)
				}
			}
		})
	}
	wg.Wait()
	view(t, s, func(tx civicgrid.Tx) error {
		for w := range workers {
			for i := range each {
				key := fmt.Sprintf("w%02d.%02d", w, i)
				_, err := tx.Setting(t.Context(), key)
				if (w+i)%2 == 1 {
					wantCode(t, err, civicgrid.NotFound)
				} else if err != nil {
					t.Errorf("Setting(%s): %v", key, err)
				}
			}
		}
		return nil
	})
}

// testConcurrentConflict checks that of 16 concurrent Updates creating the
// same unit code exactly one succeeds and the rest get Conflict.
func testConcurrentConflict(t *testing.T, s civicgrid.Store) {
	const workers = 16
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			errs[w] = s.Update(t.Context(), func(tx civicgrid.Tx) error {
				if err := tx.SetSetting(t.Context(), fmt.Sprintf("w%02d", w), "x"); err != nil {
					return err
				}
				return tx.CreateUnit(t.Context(), &civicgrid.Unit{Code: "same", Name: civicgrid.Text{Zh: fmt.Sprint(w)}})
			})
		})
	}
	wg.Wait()
	won := -1
	for w, err := range errs {
		switch civicgrid.ErrorCodeOf(err) {
		case "":
			if won >= 0 {
				t.Errorf("workers %d and %d both created the unit", won, w)
			}
			won = w
		case civicgrid.Conflict:
		default:
			t.Errorf("worker %d: %v, want nil or Conflict", w, err)
		}
	}
	if won < 0 {
		t.Fatal("no worker created the unit")
	}
	view(t, s, func(tx civicgrid.Tx) error {
		for w := range workers {
			_, err := tx.Setting(t.Context(), fmt.Sprintf("w%02d", w))
			if w == won && err != nil {
				t.Errorf("winner's setting: %v", err)
			} else if w != won {
				wantCode(t, err, civicgrid.NotFound)
			}
		}
		return nil
	})
}
