//go:build race

package attestation

// raceEnabled tells slow property tests to sample fewer variants.
const raceEnabled = true
