package attestation

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/attestbot/attestbot/internal/logtext"
)

// DiffOptions tune Diff.
type DiffOptions struct {
	// IncludeText reports changes of free-text answers (Value text on both
	// sides, different Text). They are off by default: most are machine
	// translation variance of the same English text (corpus.md §5, class
	// 3b).
	IncludeText bool
	// IncludeNames reports publisher changes (field publisher), but only
	// when the English source hash changed too. Publisher names are machine
	// translated, so a new translation of the same name is the common case;
	// off by default. App name and partner name rows (gen.app_name,
	// gen.partner_company_name) are never reported.
	IncludeNames bool
}

// Field names of non-answer changes.
const (
	FieldPage          = "page"
	FieldCertification = "certification"
	FieldUpdated       = "updated"
	FieldPublisher     = "publisher"
	FieldEntraAppID    = "entra_app_id"
	FieldLinkAppSource = "link:appsource"
	FieldLinkTeams     = "link:teams_store"
	// FieldPermissionPrefix starts permission fields: permission:Mail.Read.
	FieldPermissionPrefix = "permission:"
)

// nameKeys are answer keys holding machine-translated names.
var nameKeys = map[string]bool{"gen.app_name": true, "gen.partner_company_name": true}

// Diff returns the semantic changes between two revisions of the same
// app's record (same locale); old or new may be nil for a page added or
// removed. Noise yields no change: when both source hashes are set and
// equal nothing is compared at all (re-translation, metadata churn);
// labels, names, table shapes, link formats, S/O vs N/A (both
// not_applicable), a blank row appearing or vanishing, and an Entra app ID
// column appearing on otherwise equal permission rows are ignored, and so
// are repairs of the page's form: a garbled scope name that becomes a real
// one on a row of the same type and app ID, and answers that appear in a
// section whose rows could not all be keyed or read before. When
// the template changed (A vs B), only answers with a value on both sides
// are compared: migration renames the questions and asks them afresh. A ValueUnknown answer (an
// unreadable cell) is never compared. Changes are ordered by section, then
// field.
func Diff(oldRec, newRec *Record, opts DiffOptions) []Change {
	switch {
	case oldRec == nil && newRec == nil:
		return nil
	case oldRec == nil:
		return []Change{{App: newRec.Slug, Locale: newRec.Locale, Field: FieldPage, Kind: ChangeAdded, New: newRec.Path, Label: "Page"}}
	case newRec == nil:
		return []Change{{App: oldRec.Slug, Locale: oldRec.Locale, Field: FieldPage, Kind: ChangeRemoved, Old: oldRec.Path, Label: "Page"}}
	}
	oh, nh := oldRec.Meta.SourceHash, newRec.Meta.SourceHash
	if oh != "" && oh == nh {
		return nil
	}
	d := differ{app: newRec.Slug, locale: newRec.Locale, opts: opts}
	if d.app == "" {
		d.app = oldRec.Slug
	}
	if d.locale == "" {
		d.locale = oldRec.Locale
	}
	d.meta(oldRec, newRec)
	d.answers(oldRec, newRec)
	d.permissions(oldRec, newRec)
	sortChanges(d.out)
	return d.out
}

type differ struct {
	app, locale string
	opts        DiffOptions
	out         []Change
}

func (d *differ) add(c Change) {
	c.App, c.Locale = d.app, d.locale
	d.out = append(d.out, c)
}

// meta compares certification, developer date, links and publisher.
func (d *differ) meta(o, n *Record) {
	if o.Certification != "" && n.Certification != "" && o.Certification != n.Certification {
		// A missing certification_type is older front matter, not a change
		// (corpus.md §5: FM_FIELD_ADDED).
		d.add(Change{Field: FieldCertification, Kind: ChangeChanged, Old: string(o.Certification), New: string(n.Certification),
			Section: SectionGeneral, Label: "Certification"})
	}
	if !o.Updated.IsZero() && !n.Updated.IsZero() && o.Updated != n.Updated {
		d.add(Change{Field: FieldUpdated, Kind: ChangeChanged, Old: o.Updated.String(), New: n.Updated.String(),
			Section: SectionGeneral, Label: "Last updated by the developer"})
	}
	d.link(FieldLinkAppSource, "AppSource link", o.Links.AppSource, n.Links.AppSource)
	d.link(FieldLinkTeams, "Teams store link", o.Links.TeamsStore, n.Links.TeamsStore)
	if d.opts.IncludeNames && o.Meta.SourceHash != n.Meta.SourceHash {
		if op, np := Fold(o.Publisher), Fold(n.Publisher); op != np && op != "" && np != "" {
			d.add(Change{Field: FieldPublisher, Kind: ChangeChanged, Old: o.Publisher, New: n.Publisher,
				Section: SectionGeneral, Label: "Publisher"})
		}
	}
}

// linkIdentity reduces a link to what it identifies, so that /en-us/,
// ?tab=Overview and case differences are no change.
func linkIdentity(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if ref, ok := ParseLink(s); ok {
		return string(ref.Kind) + ":" + ref.ID
	}
	s = strings.ToLower(s)
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	return strings.TrimSuffix(s, "/")
}

func (d *differ) link(field, label, o, n string) {
	if o == n {
		return
	}
	oi, ni := linkIdentity(o), linkIdentity(n)
	switch {
	case oi == ni:
	case oi == "":
		d.add(Change{Field: field, Kind: ChangeAdded, New: n, Section: SectionGeneral, Label: label})
	case ni == "":
		d.add(Change{Field: field, Kind: ChangeRemoved, Old: o, Section: SectionGeneral, Label: label})
	default:
		d.add(Change{Field: field, Kind: ChangeChanged, Old: o, New: n, Section: SectionGeneral, Label: label})
	}
}

// answerIndex returns the first answer of each key.
func answerIndex(r *Record) map[string]*Answer {
	m := make(map[string]*Answer, len(r.Answers))
	for i := range r.Answers {
		a := &r.Answers[i]
		if a.Key == "" {
			continue
		}
		if _, dup := m[a.Key]; !dup {
			m[a.Key] = a
		}
	}
	return m
}

// isBlank reports whether an answer value is blank.
func isBlank(v Value) bool { return v == ValueUnanswered || v == "" }

// answerShown is the Old/New text of an answer: the normalized value, or
// the text for free-text answers.
func answerShown(a *Answer) string {
	if a == nil || isBlank(a.Value) {
		return ""
	}
	if a.Value == ValueText {
		return a.Text
	}
	return string(a.Value)
}

// sameText compares free text ignoring case, accents, spaces and
// punctuation.
func sameText(a, b string) bool { return a == b || Fold(a) == Fold(b) }

func (d *differ) answers(o, n *Record) {
	om, nm := answerIndex(o), answerIndex(n)
	migrated := o.Template != "" && n.Template != "" && o.Template != n.Template
	keys := unionKeys(om, nm)
	// Sections where one side only has rows it could not key or read: an
	// answer appearing there (or vanishing) is the table being repaired
	// (or broken), not the publisher answering.
	oBroken, nBroken := brokenSections(o), brokenSections(n)
	for _, k := range keys {
		oa, na := om[k], nm[k]
		if migrated && (oa == nil || na == nil || isBlank(oa.Value) || isBlank(na.Value)) {
			// A migrated page asks the new template's questions afresh:
			// only value-to-value changes count.
			continue
		}
		if nameKeys[k] {
			continue // names are compared as the publisher field only
		}
		ov, nv := ValueUnanswered, ValueUnanswered
		if oa != nil {
			ov = oa.Value
		}
		if na != nil {
			nv = na.Value
		}
		if ov == ValueUnknown || nv == ValueUnknown {
			continue
		}
		sec := answerSection(k, na)
		if oa == nil && oBroken[sec] && !nBroken[sec] || na == nil && nBroken[sec] && !oBroken[sec] {
			continue
		}
		var kind ChangeKind
		switch {
		case isBlank(ov) && isBlank(nv):
			continue
		case isBlank(ov):
			kind = ChangeAnswered
		case isBlank(nv):
			kind = ChangeWithdrawn
		case ov != nv:
			kind = ChangeChanged
		case ov == ValueText:
			// Free text: the ID row always counts, other text on request.
			if sameText(oa.Text, na.Text) || (k != "gen.app_id" && !d.opts.IncludeText) {
				continue
			}
			kind = ChangeChanged
		default:
			continue
		}
		ref := na
		if ref == nil {
			ref = oa
		}
		d.add(Change{Field: k, Kind: kind, Old: answerShown(oa), New: answerShown(na),
			Section: answerSection(k, ref), Label: answerLabel(k, ref)})
	}
}

// brokenSections returns the sections of r that hold a row no key took or
// an answer that could not be read.
func brokenSections(r *Record) map[Section]bool {
	var m map[Section]bool
	for _, a := range r.Answers {
		if a.Key == "" || a.Value == ValueUnknown {
			if m == nil {
				m = map[Section]bool{}
			}
			m[a.Section] = true
		}
	}
	return m
}

func answerSection(key string, a *Answer) Section {
	if info, ok := LookupKey(key); ok && info.Section != "" {
		return info.Section
	}
	if a != nil {
		return a.Section
	}
	return ""
}

func answerLabel(key string, a *Answer) string {
	if a != nil && a.Label != "" {
		return a.Label
	}
	if info, ok := LookupKey(key); ok && info.Label != "" {
		return info.Label
	}
	return key
}

// permRow is a permission row reduced to its identity.
type permRow struct {
	scope string // lower-cased, trimmed
	name  string // display name
	app   string // lower-cased Entra app ID, "" when absent
	typ   PermissionType
	used  bool
}

func permRows(r *Record) []permRow {
	rows := make([]permRow, 0, len(r.Permissions))
	for _, p := range r.Permissions {
		name := strings.TrimSpace(p.Name)
		if name == "" {
			name = strings.TrimSpace(p.RawName)
		}
		if name == "" {
			continue
		}
		// Records stored before a scope fix keep the garbled name: read it
		// again, so that offlineaccess and offline_access are one scope.
		if v, ok := NormalizeScope(name); ok {
			name = v
		}
		rows = append(rows, permRow{scope: strings.ToLower(name), name: name, app: strings.ToLower(strings.TrimSpace(p.EntraAppID)), typ: p.Type})
	}
	return rows
}

// permissions compares Graph permission rows as multisets of
// (scope, Entra app ID, type), and the set of Entra app IDs.
func (d *differ) permissions(o, n *Record) {
	section := SectionZeroTrust
	if n.Template == "B" || (n.Template == "" && o.Template == "B") {
		section = SectionData
	}
	orows, nrows := permRows(o), permRows(n)
	match := func(pred func(a, b *permRow) bool, onMatch func(a, b *permRow)) {
		for i := range orows {
			a := &orows[i]
			if a.used {
				continue
			}
			for j := range nrows {
				b := &nrows[j]
				if b.used || a.scope != b.scope || !pred(a, b) {
					continue
				}
				a.used, b.used = true, true
				if onMatch != nil {
					onMatch(a, b)
				}
				break
			}
		}
	}
	typeChanged := func(a, b *permRow) {
		d.add(Change{Field: FieldPermissionPrefix + b.name, Kind: ChangeTypeChanged, Old: string(a.typ), New: string(b.typ),
			Section: section, Label: "Graph permission " + b.name})
	}
	// 1. Same row.
	match(func(a, b *permRow) bool { return a.app == b.app && a.typ == b.typ }, nil)
	// 2. Same scope and app, another type.
	match(func(a, b *permRow) bool { return a.app == b.app }, typeChanged)
	// 3. The Entra app ID column appeared or vanished: noise.
	match(func(a, b *permRow) bool { return a.typ == b.typ && (a.app == "" || b.app == "") }, nil)
	// 4. Same scope and type, another app ID: reported once as entra_app_id.
	match(func(a, b *permRow) bool { return a.typ == b.typ }, nil)
	// 5. Another type and an app ID column change.
	match(func(a, b *permRow) bool { return a.app == "" || b.app == "" }, typeChanged)
	// 6. A scope name that is not a real permission on one side (garbled
	// by translation, then repaired upstream) on a row of the same type
	// and app ID: a repair, not a change.
	for i := range orows {
		a := &orows[i]
		if a.used {
			continue
		}
		for j := range nrows {
			b := &nrows[j]
			if b.used || a.typ != b.typ || (a.app != b.app && a.app != "" && b.app != "") || knownScope(a.name) == knownScope(b.name) {
				continue
			}
			a.used, b.used = true, true
			break
		}
	}
	for i := range orows {
		if a := &orows[i]; !a.used {
			d.add(Change{Field: FieldPermissionPrefix + a.name, Kind: ChangeRemoved, Old: string(a.typ),
				Section: section, Label: "Graph permission " + a.name})
		}
	}
	for j := range nrows {
		if b := &nrows[j]; !b.used {
			d.add(Change{Field: FieldPermissionPrefix + b.name, Kind: ChangeAdded, New: string(b.typ),
				Section: section, Label: "Graph permission " + b.name})
		}
	}
	oids, nids := sortedAppIDs(o), sortedAppIDs(n)
	if len(oids) > 0 && len(nids) > 0 && !slices.Equal(oids, nids) {
		d.add(Change{Field: FieldEntraAppID, Kind: ChangeChanged, Old: strings.Join(oids, ", "), New: strings.Join(nids, ", "),
			Section: section, Label: "Entra app ID"})
	}
}

func sortedAppIDs(r *Record) []string {
	var ids []string
	for _, id := range r.EntraAppIDs() {
		id = strings.ToLower(strings.TrimSpace(id))
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// sectionRank orders changes: the page first, then sections in display
// order; unknown sections last.
func sectionRank(s Section) int {
	if s == "" {
		return -1
	}
	if i := slices.Index(Sections, s); i >= 0 {
		return i
	}
	return len(Sections)
}

// fieldRank orders fields within a section: page, record-level fields,
// answers, Entra app ID, permissions.
func fieldRank(f string) int {
	switch {
	case f == FieldPage:
		return 0
	case f == FieldCertification, f == FieldUpdated, f == FieldPublisher, strings.HasPrefix(f, "link:"):
		return 1
	case f == FieldEntraAppID:
		return 3
	case strings.HasPrefix(f, FieldPermissionPrefix):
		return 4
	}
	return 2
}

func sortChanges(cs []Change) {
	slices.SortStableFunc(cs, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(a.App, b.App),
			cmp.Compare(a.Locale, b.Locale),
			cmp.Compare(sectionRank(a.Section), sectionRank(b.Section)),
			cmp.Compare(fieldRank(a.Field), fieldRank(b.Field)),
			cmp.Compare(strings.ToLower(a.Field), strings.ToLower(b.Field)),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Old, b.Old),
			cmp.Compare(a.New, b.New),
		)
	})
}

// DiffSets compares two sets of records, keyed by Record.ID() or any
// stable key such as slug plus locale, and returns the changes of every
// key in key order. A key on one side only is a page added or removed.
// Index pages are skipped.
func DiffSets(oldSet, newSet map[string]*Record, opts DiffOptions) []Change {
	keys := unionKeys(oldSet, newSet)
	slices.Sort(keys)
	var out []Change
	for _, k := range keys {
		o, n := oldSet[k], newSet[k]
		if (o != nil && o.Type == PageIndex) || (n != nil && n.Type == PageIndex) {
			continue
		}
		out = append(out, Diff(o, n, opts)...)
	}
	return out
}

// summaryNames are short English names for answer keys whose labels are
// long questions.
var summaryNames = map[string]string{
	"data.processes_customer_data":        "Processes customer data",
	"data.processed_data_types":           "Data processed",
	"data.supports_tls11_plus":            "TLS 1.1+",
	"data.stores_customer_data":           "Stores customer data",
	"data.stored_data_types":              "Data stored",
	"data.storage_location":               "Storage location",
	"data.retention_disposal_process":     "Retention and disposal process",
	"data.retention_after_termination":    "Retention after termination",
	"data.access_management_process":      "Data access management",
	"data.transfers_to_third_parties":     "Transfers to third parties",
	"data.third_party_sharing_agreements": "Third-party sharing agreements",
	"sec.annual_pen_test":                 "Annual pen test",
	"sec.disaster_recovery_plan":          "Disaster recovery plan",
	"sec.mfa_enabled_for":                 "MFA",
	"priv.gdpr_or_privacy_obligations":    "GDPR",
	"zt.least_privilege":                  "Least privilege",
	"zt.supports_conditional_access":      "Conditional Access",
	"zt.supports_cae":                     "CAE",
	"zt.uses_latest_msal_or_identity_web": "MSAL",
	"zt.credentials_in_code":              "Credentials in code",
	"zt.uses_additional_non_graph_apis":   "Non-Graph APIs",
	"zt.integrates_ms_identity_platform":  "Microsoft identity platform",
	"gen.hosting_cloud_providers":         "Cloud providers",
	"gen.hosting_environment":             "Hosting model",
}

// summaryMaxParts caps how many changes Summary spells out.
const summaryMaxParts = 8

// Summary writes changes as one preview line in English, such as
// "HIPAA: Yes → No; new application permission Mail.Read". Blank answers
// read "blank". After eight changes it ends with "; and N more changes".
func Summary(changes []Change) string {
	parts := make([]string, 0, min(len(changes), summaryMaxParts)+1)
	for i, c := range changes {
		if i == summaryMaxParts {
			rest := len(changes) - i
			word := "changes"
			if rest == 1 {
				word = "change"
			}
			parts = append(parts, "and "+itoa(rest)+" more "+word)
			break
		}
		parts = append(parts, summaryPart(c))
	}
	return strings.Join(parts, "; ")
}

func summaryPart(c Change) string {
	switch {
	case c.Field == FieldPage:
		if c.Kind == ChangeRemoved {
			return "page removed"
		}
		return "page added"
	case strings.HasPrefix(c.Field, FieldPermissionPrefix):
		scope := strings.TrimPrefix(c.Field, FieldPermissionPrefix)
		switch c.Kind {
		case ChangeAdded:
			return "new " + typeWord(c.New) + "permission " + scope
		case ChangeRemoved:
			return typeWord(c.Old) + "permission " + scope + " removed"
		default:
			return "permission " + scope + ": " + typeName(c.Old) + " → " + typeName(c.New)
		}
	case c.Field == FieldLinkAppSource || c.Field == FieldLinkTeams:
		return c.Label + " " + string(c.Kind)
	case c.Field == FieldEntraAppID:
		return "Entra app ID: " + c.Old + " → " + c.New
	case c.Field == FieldUpdated:
		return "developer update: " + c.Old + " → " + c.New
	case c.Field == FieldCertification:
		return "Certification: " + titleWord(c.Old) + " → " + titleWord(c.New)
	case c.Field == FieldPublisher:
		return "Publisher: " + c.Old + " → " + c.New
	}
	return shortName(c) + ": " + valueWord(c.Old) + " → " + valueWord(c.New)
}

func shortName(c Change) string {
	if s, ok := summaryNames[c.Field]; ok {
		return s
	}
	if strings.HasPrefix(c.Field, "comp.") || strings.HasPrefix(c.Field, "cert.") {
		if info, ok := LookupKey(c.Field); ok {
			return info.Label
		}
	}
	l := c.Label
	if l == "" {
		l = c.Field
	}
	return logtext.Runes(strings.TrimSuffix(l, "?"), 49)
}

func typeWord(t string) string {
	if t == "" {
		return ""
	}
	return typeName(t) + " "
}

func typeName(t string) string {
	if t == "" {
		return "unknown type"
	}
	return t
}

func valueWord(v string) string {
	switch Value(v) {
	case "", ValueUnanswered:
		return "blank"
	case ValueYes:
		return "Yes"
	case ValueNo:
		return "No"
	case ValueNotApplicable:
		return "N/A"
	case ValueInScope:
		return "In scope"
	case ValuePass:
		return "Pass"
	case ValueFail:
		return "Fail"
	}
	return `"` + logtext.Runes(v, 41) + `"`
}

func titleWord(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// unionKeys returns the keys of a and b, each once, unsorted.
func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	return keys
}
