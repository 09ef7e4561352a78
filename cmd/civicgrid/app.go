package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"civicgrid"
	"civicgrid/password"
	"civicgrid/sqlite"
)

// app is the opened data directory and the services over it.
type app struct {
	db    *sqlite.DB
	city  *civicgrid.CityHolder
	cases *civicgrid.CaseService
	users *civicgrid.UserService
	ref   *civicgrid.ReferenceService
	keys  *civicgrid.APIKeyService
	stats *civicgrid.StatsService
	evals *civicgrid.EvaluationService
	now   func() time.Time
}

// openApp opens (creating when missing) the data directory, migrates the
// database, makes sure a taxonomy is loaded, and builds the services. The
// returned context acts as the system.
func openApp(ctx context.Context, dataDir string) (*app, context.Context, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("data directory: %w", err)
	}
	loc := civicgrid.DefaultCalendar().Location()
	db, err := sqlite.Open(ctx, dbPath(dataDir), sqlite.Options{Location: loc})
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	a := &app{db: db, now: time.Now}
	a.city, err = civicgrid.NewCityHolder(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	a.cases = civicgrid.NewCaseService(db, a.city.City, a.now)
	a.users = civicgrid.NewUserService(db, password.New(password.DefaultParams), a.now)
	a.ref = civicgrid.NewReferenceService(db, a.city, a.now)
	a.keys = civicgrid.NewAPIKeyService(db, a.now)
	statsCfg, err := civicgrid.LoadStatsConfig(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	evalCfg, err := civicgrid.LoadEvaluationConfig(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	a.stats = civicgrid.NewStatsService(db, a.city.City, statsCfg)
	a.evals = civicgrid.NewEvaluationService(db, a.stats, a.city.City, evalCfg, a.now)
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	if len(a.city.City().Categories) == 0 {
		if _, err := a.ref.UseTaxonomy(sys, civicgrid.TaxonomyGBT47678); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	return a, sys, nil
}

// openAppFlags parses the flags of a command whose only flag is --data and
// opens the app.
func openAppFlags(ctx context.Context, e env, name string, args []string) (*app, context.Context, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	data := dataFlag(fs, e)
	if err := parseFlags(fs, args, e); err != nil {
		return nil, nil, err
	}
	return openApp(ctx, *data)
}

func (a *app) Close() error { return a.db.Close() }
