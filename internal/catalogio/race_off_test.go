//go:build !race

package catalogio

// raceEnabled is true in race-detector builds, which are too slow and too
// memory hungry for the 13,000-page measurements.
const raceEnabled = false
