package main

import (
	"context"
	"flag"
	"fmt"
)

func runMigrate(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	data := dataFlag(fs, e)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	a, _, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(e.stdout, "database %s is up to date\n", dbPath(*data))
	return nil
}
