//go:build !race

package report_test

// raceEnabled reports whether the race detector is on: the full demo is
// too slow under it.
const raceEnabled = false
