package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"civicgrid"
	"civicgrid/demo"
	"civicgrid/password"
)

// buildDemo fills an empty data directory with the demo city, prints the
// logins, and returns the API key it issued for Open311 and camera clients.
func buildDemo(ctx, sys context.Context, e env, a *app) (apiKey string, err error) {
	start := time.Now()
	fmt.Fprintln(e.stdout, "Building the demo city (first start only)…")
	hasher := password.New(password.DefaultParams)
	res, err := demo.Build(sys, a.db, a.db.BulkLoad, demo.Options{
		Seed: 1, Now: a.now(), Hash: hasher.Hash,
		Progress: func(stage string, done, total int) {
			if done == total || done%10000 == 0 {
				fmt.Fprintf(e.stdout, "  %-12s %d/%d\n", stage, done, total)
			}
		},
	})
	if err != nil {
		return "", fmt.Errorf("demo city: %w", err)
	}
	if err := a.city.Reload(ctx); err != nil {
		return "", err
	}
	key, err := demoChannels(sys, a)
	if err != nil {
		return "", fmt.Errorf("demo channels: %w", err)
	}
	fmt.Fprintf(e.stdout, "Demo city ready in %.1fs: %d districts, %d streets, %d communities, %d cells, %d units, %d users, %d cases.\n",
		time.Since(start).Seconds(), res.Districts, res.Streets, res.Communities, res.Cells, res.Units, res.Users, res.Cases)
	fmt.Fprintln(e.stdout, "\nDemo logins (password for all: demo):")
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, l := range res.Logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", l.Name, civicgrid.Role(l.Role).Name().Zh, l.Role)
	}
	tw.Flush()
	fmt.Fprintln(e.stdout)
	return key, nil
}

// demoChannels registers the demo's cameras (one at every 200th cell's
// centre) and issues an API key for Open311 and camera clients.
func demoChannels(sys context.Context, a *app) (string, error) {
	city := a.city.City()
	var cams []civicgrid.Camera
	for i, cell := range city.Grid.CellsWithin(city.Grid.Bounds(), 0) {
		if i%200 == 0 {
			cams = append(cams, civicgrid.Camera{ID: fmt.Sprintf("cam-%03d", len(cams)+1), Name: "监控点 " + cell.Name, Point: cell.Centroid})
		}
	}
	if err := a.ref.SetCameras(sys, cams); err != nil {
		return "", err
	}
	key, _, err := a.keys.Create(sys, "demo")
	return key, err
}
