package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"civicgrid"
	"civicgrid/filestore"
	"civicgrid/jobs"
	"civicgrid/open311"
	"civicgrid/web"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	data := dataFlag(fs, e)
	addrDef := e.getenv("CIVICGRID_ADDR")
	if addrDef == "" {
		addrDef = "127.0.0.1:8080"
	}
	addr := fs.String("addr", addrDef, "listen `address` host:port")
	demoFlag := fs.Bool("demo", false, "build a demo city when the data directory has none")
	tiles := fs.String("tiles", e.getenv("CIVICGRID_TILES"), "the city's own basemap tile URL `template`, e.g. https://tiles.example/{z}/{x}/{y}.png (none: no basemap, nothing fetched)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve: unexpected argument %q", fs.Arg(0))
	}
	if err := web.CheckTileURL(*tiles); err != nil {
		return usagef("serve: --tiles: %v", err)
	}
	cfg := Config{DataDir: *data, Addr: *addr, Demo: *demoFlag}
	if err := cfg.Validate(); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	a, sys, err := openApp(ctx, cfg.DataDir)
	if err != nil {
		return err
	}
	defer a.Close()
	if check, err := a.stats.EnsureLayout(sys); err != nil {
		return fmt.Errorf("statistics: %w", err)
	} else if check != nil && check.Cases > 0 {
		fmt.Fprintf(e.stdout, "The statistics' definitions changed: recomputed them from %d cases and %d events in %.1fs.\n",
			check.Cases, check.Events, check.Took.Seconds())
	}
	var demoKey string
	if cfg.Demo && a.city.City().Grid.Len() == 0 {
		if demoKey, err = buildDemo(ctx, sys, e, a); err != nil {
			return err
		}
	}
	blobs, err := filestore.Open(photoDir(cfg.DataDir))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	var ready atomic.Bool
	started := a.now()
	georeport := open311.New(open311.Config{Logger: logger, City: a.city.City, Cases: a.cases, Keys: a.keys, Now: a.now, Changeset: started})
	handler := web.NewServer(web.Config{Logger: logger, Store: a.db, City: a.city, Cases: a.cases, Users: a.users,
		Photos: civicgrid.NewPhotoService(a.db, blobs, a.now), Blobs: blobs, APIKeys: a.keys, Open311: georeport,
		RateLimit: web.DefaultRateLimit, Now: a.now, Ready: ready.Load,
		Sessions: civicgrid.NewSessionService(a.db, a.users, a.now, civicgrid.DefaultSessionTTL),
		Stats:    a.stats, Evaluations: a.evals, MapTiles: *tiles})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}

	runner := jobs.NewRunner(logger, sweeps(a)...)
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	waitJobs := runner.Start(jobCtx)

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	ready.Store(true)
	fmt.Fprintf(e.stdout, "civicgrid is serving %s at http://%s/\n", a.city.City().Name, ln.Addr())
	if demoKey != "" {
		fmt.Fprintf(e.stdout, "Open311 GeoReport v2 at http://%s/open311/v2/ (api_key for POST: %s)\n", ln.Addr(), demoKey)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "data", cfg.DataDir, "cells", a.city.City().Grid.Len())

	select {
	case err = <-serveErr:
	case <-ctx.Done():
		ready.Store(false)
		handler.Close() // cancels grid imports and ends the pages' long polls
		shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = srv.Shutdown(shutCtx)
		cancel()
	}
	stopJobs()
	waitJobs()
	handler.Close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// sweeps are the background jobs of a server.
func sweeps(a *app) []jobs.Sweep {
	return []jobs.Sweep{
		{Name: "sla.overdue", Every: time.Minute, Run: func(ctx context.Context) (int, error) {
			return a.cases.SweepOverdue(civicgrid.WithActor(ctx, civicgrid.SystemUser))
		}},
		{Name: "idempotency.purge", Every: time.Hour, Run: func(ctx context.Context) (int, error) {
			return web.PurgeIdempotency(ctx, a.db, a.now())
		}},
		{Name: "session.purge", Every: time.Hour, Run: civicgrid.NewSessionService(a.db, a.users, a.now, 0).Purge},
	}
}
