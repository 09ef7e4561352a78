package main

import (
	"context"
	"flag"
	"fmt"

	"civicgrid"
)

// calendarFile is the shape `import calendar` reads, the same as
// GET /api/v1/calendar returns: periods replace the working periods when
// given; overrides are added to the calendar, replacing the same dates.
type calendarFile struct {
	Periods   []civicgrid.WorkPeriod  `json:"periods"`
	Overrides []civicgrid.DayOverride `json:"overrides"`
}

func runImportCalendar(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import calendar", flag.ContinueOnError)
	data := dataFlag(fs, e)
	file, err := fileArg(fs, args, e, "import calendar")
	if err != nil {
		return err
	}
	var cf calendarFile
	if err := readJSONFile(file, &cf); err != nil {
		return err
	}
	for i, o := range cf.Overrides {
		if o.Date.IsZero() || !o.Kind.Valid() {
			return fmt.Errorf("%s: override %d needs a date and a kind (holiday or workday)", file, i+1)
		}
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	cal, err := a.ref.MergeCalendar(sys, cf.Periods, cf.Overrides)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "calendar saved: %d working periods (%d working minutes a day), %d dated overrides\n",
		len(cal.Periods()), cal.MinutesPerWorkday(), len(cal.Overrides()))
	return nil
}
