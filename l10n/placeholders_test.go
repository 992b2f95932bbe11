package l10n

// Placeholders (a test helper) returns the placeholder names of a message source, in
// order of first use, or an error when it is not a valid catalog message.
func Placeholders(src string) ([]string, error) {
	pt, err := parser.Parse(src, "", "")
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range pt.(*parsed).parts {
		if p.name != "" && !seen[p.name] {
			seen[p.name] = true
			out = append(out, p.name)
		}
	}
	return out, nil
}
