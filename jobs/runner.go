// Package jobs runs background work: named, idempotent sweeps over due rows,
// each on its own ticker. State lives in the database, so a sweep that runs
// twice or after a restart does no harm.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// Sweep is one named unit of background work. It returns how many rows it
// changed, for the log.
type Sweep struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) (int, error)
}

// Runner runs registered sweeps on tickers until its context ends.
type Runner struct {
	logger *slog.Logger
	sweeps map[string]Sweep
}

// NewRunner returns a Runner with the sweeps.
func NewRunner(logger *slog.Logger, sweeps ...Sweep) *Runner {
	r := &Runner{logger: logger, sweeps: map[string]Sweep{}}
	for _, s := range sweeps {
		r.sweeps[s.Name] = s
	}
	return r
}

// Names returns the registered sweep names, sorted.
func (r *Runner) Names() []string {
	names := make([]string, 0, len(r.sweeps))
	for n := range r.sweeps {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RunOnce runs the named sweep once.
func (r *Runner) RunOnce(ctx context.Context, name string) (int, error) {
	s, ok := r.sweeps[name]
	if !ok {
		return 0, fmt.Errorf("no job named %q (jobs: %v)", name, r.Names())
	}
	return s.Run(ctx)
}

// Start runs every sweep once and then on its ticker until ctx ends. The
// returned wait function blocks until in-flight work has finished.
func (r *Runner) Start(ctx context.Context) (wait func()) {
	var wg sync.WaitGroup
	for _, s := range r.sweeps {
		wg.Go(func() { r.loop(ctx, s) })
	}
	return wg.Wait
}

func (r *Runner) loop(ctx context.Context, s Sweep) {
	t := time.NewTicker(s.Every)
	defer t.Stop()
	for {
		r.runLogged(ctx, s)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (r *Runner) runLogged(ctx context.Context, s Sweep) {
	n, err := s.Run(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		r.logger.Error("job failed", "job", s.Name, "err", err)
	case n > 0:
		r.logger.Info("job done", "job", s.Name, "changed", n)
	}
}
