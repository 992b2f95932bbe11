package attestation

// ShortName is the short English name Summary gives a change's field
// ("Stores customer data", "HIPAA", "Annual pen test").
func ShortName(c Change) string { return shortName(c) }
