package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"civicgrid"
)

func runImportGrid(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import grid", flag.ContinueOnError)
	data := dataFlag(fs, e)
	codeProp := fs.String("code-property", "code", "feature `property` holding the cell or area code")
	nameProp := fs.String("name-property", "name", "feature `property` holding the name")
	file, err := fileArg(fs, args, e, "import grid")
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	fmt.Fprintf(e.stderr, "reading %s…\n", file)
	features, err := civicgrid.ParseFeatureCollection(f)
	if err != nil {
		return cliError(err)
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.ref.ImportGrid(sys, features, civicgrid.GridImportOptions{CodeProperty: *codeProp, NameProperty: *nameProp,
		Progress: progressPrinter(e)})
	if err != nil {
		return importFailure(e, err)
	}
	fmt.Fprintf(e.stdout, "imported %d cells (%d redrawn), %d districts, %d streets, %d communities from %d features in %.1fs\n",
		rep.Cells, rep.Redrawn, rep.Districts, rep.Streets, rep.Communities, len(features), time.Since(start).Seconds())
	return nil
}

func runImportTaxonomy(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import taxonomy", flag.ContinueOnError)
	data := dataFlag(fs, e)
	builtin := fs.String("builtin", "", "use a shipped `directory` instead of a file: legacy or gbt47678")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if (*builtin == "") == (fs.NArg() == 0) || fs.NArg() > 1 {
		return usagef("import taxonomy: give one FILE, or --builtin legacy|gbt47678")
	}
	var cats []*civicgrid.Category
	if *builtin == "" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		if cats, err = civicgrid.ParseCategories(f); err != nil {
			return importFailure(e, err)
		}
	} else if !civicgrid.Taxonomy(*builtin).Valid() {
		return usagef("import taxonomy: --builtin must be legacy or gbt47678")
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if *builtin != "" {
		n, err := a.ref.UseTaxonomy(sys, civicgrid.Taxonomy(*builtin))
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(e.stdout, "using the %s directory: %d categories\n", *builtin, n)
		return nil
	}
	if err := a.ref.ImportCategories(sys, cats); err != nil {
		return importFailure(e, err)
	}
	fmt.Fprintf(e.stdout, "imported %d categories\n", len(cats))
	return nil
}

// fileArg parses flags and returns the single FILE argument. Flags may come
// before or after it.
func fileArg(fs *flag.FlagSet, args []string, e env, cmd string) (string, error) {
	var file string
	var flags []string
	for i := 0; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "-") && file == "" {
			file = args[i]
			continue
		}
		flags = append(flags, args[i])
	}
	if err := parseFlags(fs, flags, e); err != nil {
		return "", err
	}
	if file == "" || fs.NArg() > 0 {
		return "", usagef("%s: give exactly one FILE", cmd)
	}
	return file, nil
}

// readJSONFile decodes the JSON file into v; an error names the file.
func readJSONFile(file string, v any) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	return nil
}

// progressPrinter prints an import's progress on standard error.
func progressPrinter(e env) func(step string, done, total int) {
	last := time.Time{}
	return func(step string, done, total int) {
		if done != total && time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(e.stderr, "  %-9s %d/%d\n", step, done, total)
	}
}

// importFailure prints every listed problem of a refused import on standard
// error and returns the one-line summary.
func importFailure(e env, err error) error {
	de := civicgrid.AsError(err)
	if de == nil || len(de.Fields) <= 1 {
		return cliError(err)
	}
	keys := make([]string, 0, len(de.Fields))
	for k := range de.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintln(e.stderr, "  "+de.Fields[k])
	}
	return fmt.Errorf("%s", de.Message)
}

func sortedStrings(s []string) []string { sort.Strings(s); return s }
