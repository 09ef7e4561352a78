package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"civicgrid"
)

func runImportHotline(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import hotline", flag.ContinueOnError)
	data := dataFlag(fs, e)
	as := fs.String("as", "", "login `name` of the operator the work orders are entered as (default: the system)")
	file, err := fileArg(fs, args, e, "import hotline")
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	ins, err := civicgrid.ParseHotlineCSV(f, civicgrid.DefaultCalendar().Location())
	if err != nil {
		return importFailure(e, err)
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	actx := sys
	if *as != "" {
		var u *civicgrid.User
		err := a.db.View(ctx, func(tx civicgrid.Tx) error { u, err = tx.FindUserByName(ctx, *as); return err })
		if err != nil {
			return cliError(err)
		}
		actx = civicgrid.WithActor(ctx, u)
	}
	fmt.Fprintf(e.stderr, "checking %d work orders…\n", len(ins))
	results, err := a.cases.ImportReports(actx, ins, func(done, total int) { fmt.Fprintf(e.stderr, "  stored %d/%d\n", done, total) })
	if err != nil {
		return importFailure(e, err)
	}
	var created, folded, repeated int
	for _, r := range results {
		switch {
		case r.Repeated:
			repeated++
		case r.Folded:
			folded++
		default:
			created++
		}
	}
	fmt.Fprintf(e.stdout, "imported %d work orders in %.1fs: %d new cases, %d folded into open cases, %d already imported\n",
		len(results), time.Since(start).Seconds(), created, folded, repeated)
	return nil
}

// camerasFile is what `import cameras` reads.
type camerasFile struct {
	Cameras []civicgrid.Camera         `json:"cameras"`
	Classes []civicgrid.DetectionClass `json:"classes"`
}

func runImportCameras(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import cameras", flag.ContinueOnError)
	data := dataFlag(fs, e)
	file, err := fileArg(fs, args, e, "import cameras")
	if err != nil {
		return err
	}
	var cf camerasFile
	if err := readJSONFile(file, &cf); err != nil {
		return err
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if cf.Cameras != nil {
		if err := a.ref.SetCameras(sys, cf.Cameras); err != nil {
			return importFailure(e, err)
		}
	}
	if cf.Classes != nil {
		if err := a.ref.SetDetectionClasses(sys, cf.Classes); err != nil {
			return importFailure(e, err)
		}
	}
	fmt.Fprintf(e.stdout, "registered %d cameras and %d alarm classes\n", len(cf.Cameras), len(cf.Classes))
	return nil
}
