package main

import (
	"context"
	"fmt"
	"sync"
	"text/tabwriter"
	"time"

	"civicgrid"
	"civicgrid/demo"
	"civicgrid/password"
)

// buildDemo fills an empty data directory with the demo city and prints the
// logins.
func buildDemo(ctx, sys context.Context, e env, a *app) error {
	start := time.Now()
	fmt.Fprintln(e.stdout, "Building the demo city (first start only)…")
	hasher := password.New(password.DefaultParams)
	res, err := demo.Build(sys, a.db, a.db.BulkLoad, demo.Options{
		Seed: 1, Now: a.now(), Hash: memoHash(hasher.Hash),
		Progress: func(stage string, done, total int) {
			if done == total || done%10000 == 0 {
				fmt.Fprintf(e.stdout, "  %-12s %d/%d\n", stage, done, total)
			}
		},
	})
	if err != nil {
		return fmt.Errorf("demo city: %w", err)
	}
	if err := a.city.Reload(ctx); err != nil {
		return err
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
	return nil
}

// memoHash hashes each distinct password once: every demo user shares the
// password "demo", and argon2id is deliberately slow.
func memoHash(hash func(string) (string, error)) func(string) (string, error) {
	var mu sync.Mutex
	done := map[string]string{}
	return func(pw string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if h, ok := done[pw]; ok {
			return h, nil
		}
		h, err := hash(pw)
		if err == nil {
			done[pw] = h
		}
		return h, err
	}
}
