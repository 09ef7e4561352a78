//go:build race

package open311_test

const raceEnabled = true
