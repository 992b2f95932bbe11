//go:build !race

package store_test

// raceEnabled tells timing tests that the race detector slows the code
// down about tenfold.
const raceEnabled = false
