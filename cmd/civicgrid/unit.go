package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"civicgrid"
)

func runUnitAdd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("unit add", flag.ContinueOnError)
	data := dataFlag(fs, e)
	code := fs.String("code", "", "unit `code` (required)")
	name := fs.String("name", "", "Chinese `name` (required)")
	nameEn := fs.String("name-en", "", "English `name`")
	kind := fs.String("kind", "department", "`kind`: department, district, street or company")
	area := fs.String("area", "", "district, street or community `code` the unit serves (default: the whole city)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unit add: unexpected argument %q", fs.Arg(0))
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	u := &civicgrid.Unit{Code: *code, Name: civicgrid.Text{Zh: *name, En: *nameEn}, Kind: *kind, AreaCode: *area, Active: true}
	if err := a.ref.CreateUnit(sys, u); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "created unit %s (id %d)\n", u.Code, u.ID)
	return nil
}

func runRouteAdd(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("route add", flag.ContinueOnError)
	data := dataFlag(fs, e)
	category := fs.String("category", "", "category code or code `prefix` (empty: every category)")
	area := fs.String("area", "", "district, street, community or cell `code` (empty: the whole city)")
	unit := fs.String("unit", "", "unit `code` the cases go to (required)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if *unit == "" || fs.NArg() > 0 {
		return usagef("route add: --unit is required and no arguments are taken")
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	var id civicgrid.UnitID
	for _, u := range a.city.City().Units {
		if u.Code == *unit {
			id = u.ID
		}
	}
	if id == 0 {
		return fmt.Errorf("unknown unit %s", *unit)
	}
	r := &civicgrid.RoutingRule{CategoryPrefix: strings.TrimSpace(*category), AreaPrefix: strings.TrimSpace(*area), UnitID: id}
	if err := a.ref.AddRoutingRule(sys, r); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "cases of %q in %q now go to %s (rule %d)\n", r.CategoryPrefix, r.AreaPrefix, *unit, r.ID)
	return nil
}
