package main

import (
	"context"
	"flag"
	"fmt"
)

func runAPIKeyAdd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("apikey add", flag.ContinueOnError)
	data := dataFlag(fs, e)
	name := fs.String("name", "", "the application's `name` (required)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if *name == "" || fs.NArg() > 0 {
		return usagef("apikey add: --name is required and no arguments are taken")
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	key, k, err := a.keys.Create(sys, *name)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stderr, "created API key %d for %s (it is shown only once)\n", k.ID, k.Name)
	fmt.Fprintln(e.stdout, key)
	return nil
}
