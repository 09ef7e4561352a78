package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"civicgrid"
)

// runImportComponents registers the components of a CSV file (部件台账),
// all or nothing: a bad file prints each bad row's problems and exits
// non-zero with one line saying nothing was imported.
func runImportComponents(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import components", flag.ContinueOnError)
	data := dataFlag(fs, e)
	file, err := fileArg(fs, args, e, "import components")
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := civicgrid.NewComponentService(a.db, a.city.City).Import(sys, f)
	if err != nil {
		return componentFailure(err)
	}
	fmt.Fprintf(e.stdout, "registered %d components\n", n)
	return nil
}

// maxListedProblems is how many of a bad file's problems the one line of
// a failed import names.
const maxListedProblems = 10

// componentFailure is one line: the failure, and the problems of a bad
// file by line, in the file's order, the first maxListedProblems of them.
func componentFailure(err error) error {
	de := civicgrid.AsError(err)
	if de == nil || len(de.Fields) <= 1 {
		return cliError(err)
	}
	keys := slices.Collect(maps.Keys(de.Fields))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(lineOf(a), lineOf(b)), cmp.Compare(a, b)) })
	var parts []string
	for _, k := range keys[:min(len(keys), maxListedProblems)] {
		parts = append(parts, k+": "+de.Fields[k])
	}
	if more := len(keys) - maxListedProblems; more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", more))
	}
	return fmt.Errorf("%s: %s", de.Message, strings.Join(parts, "; "))
}

// lineOf is the line number of a problem named "line N: column", or 0.
func lineOf(key string) int {
	var n int
	fmt.Sscanf(key, "line %d", &n)
	return n
}
