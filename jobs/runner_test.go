package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"civicgrid/jobs"
)

// TestRunnerTicks runs a sweep on its ticker under a fake clock and checks
// it ran at start and once per period, and that shutdown waits for it.
func TestRunnerTicks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var runs atomic.Int32
		r := jobs.NewRunner(slog.New(slog.DiscardHandler), jobs.Sweep{Name: "count", Every: time.Minute,
			Run: func(ctx context.Context) (int, error) { runs.Add(1); return 1, nil }})
		ctx, cancel := context.WithCancel(t.Context())
		wait := r.Start(ctx)
		time.Sleep(5*time.Minute + time.Second)
		synctest.Wait()
		if got := runs.Load(); got != 6 {
			t.Errorf("ran %d times in 5 minutes, want 6 (once at start, then every minute)", got)
		}
		cancel()
		wait()
	})
}

func TestRunOnce(t *testing.T) {
	boom := errors.New("boom")
	r := jobs.NewRunner(slog.New(slog.DiscardHandler),
		jobs.Sweep{Name: "ok", Every: time.Hour, Run: func(context.Context) (int, error) { return 3, nil }},
		jobs.Sweep{Name: "bad", Every: time.Hour, Run: func(context.Context) (int, error) { return 0, boom }})
	if n, err := r.RunOnce(t.Context(), "ok"); n != 3 || err != nil {
		t.Errorf("RunOnce(ok) = %d, %v", n, err)
	}
	if _, err := r.RunOnce(t.Context(), "bad"); !errors.Is(err, boom) {
		t.Errorf("RunOnce(bad) = %v, want boom", err)
	}
	if _, err := r.RunOnce(t.Context(), "nope"); err == nil {
		t.Error("RunOnce(nope) succeeded")
	}
	if got := r.Names(); len(got) != 2 || got[0] != "bad" || got[1] != "ok" {
		t.Errorf("Names() = %v", got)
	}
}
