package audit

// entraAppIDs returns the distinct, lower-cased Entra app IDs of the apps,
// in first-seen order.
func entraAppIDs(js []joined) []string {
	var out []string
	seen := map[string]bool{}
	for _, j := range js {
		for _, id := range j.entra {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}
