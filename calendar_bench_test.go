package civicgrid_test

import (
	"testing"
	"time"

	"civicgrid"
)

// benchSink keeps the compiler from discarding benchmarked results.
var benchSink time.Time

func BenchmarkDeadline4WorkingHours(b *testing.B) {
	cal := civicgrid.DefaultCalendar()
	start := calTime(2025, 9, 30, 16, 0)
	limit := civicgrid.TimeLimit{Amount: 4, Unit: civicgrid.WorkingHours}
	for b.Loop() {
		benchSink = cal.Deadline(start, limit)
	}
}

func BenchmarkDeadline20WorkingDays(b *testing.B) {
	cal := civicgrid.DefaultCalendar()
	start := calTime(2025, 9, 25, 10, 0)
	limit := civicgrid.TimeLimit{Amount: 20, Unit: civicgrid.WorkingDays}
	for b.Loop() {
		benchSink = cal.Deadline(start, limit)
	}
}

func BenchmarkWorkingMinutesBetween30Days(b *testing.B) {
	cal := civicgrid.DefaultCalendar()
	from, to := calTime(2026, 1, 20, 10, 0), calTime(2026, 2, 19, 15, 0)
	n := 0
	for b.Loop() {
		n += cal.WorkingMinutesBetween(from, to)
	}
	if n < 0 {
		b.Fatal(n)
	}
}
