package attestation

import (
	"sort"
	"strings"
)

// ReconcileStats counts what Reconcile did.
type ReconcileStats struct {
	// AzureLinks counts azure-page app rows, and Resolved those that lead
	// to an app page.
	AzureLinks, AzureResolved int
	// EntraIDs counts the distinct Entra app IDs named by app pages, and
	// EntraResolved those that have an azure page.
	EntraIDs, EntraResolved int
	// ScopesRestored counts permission names taken from another locale.
	ScopesRestored int
	// EntraRestored counts Entra app IDs taken from another locale.
	EntraRestored int
	// DatesRestored counts developer dates taken from another locale.
	DatesRestored int
	// SharedAppSource counts app records whose AppSource ID other app
	// pages carry too (one app, several listings).
	SharedAppSource int
	// Vote is what the cross-locale vote on answer keys did.
	Vote VoteStats
}

// Reconcile completes records with what other records of the catalog
// tell: azure-id pages are linked to the app pages of their AppSource IDs,
// and a permission row whose scope name machine translation made
// unreadable, or whose Entra app ID is missing, takes them from the same
// row of the same page in another locale at the same source hash
// (corpus.md §2.5: prefer ru-RU and it-IT, whose scopes are rarely
// translated). Records are changed in place.
func Reconcile(recs []*Record) ReconcileStats {
	var st ReconcileStats
	links := NewCatalogLinks()
	for _, r := range recs {
		links.Add(r)
	}
	for _, r := range recs {
		links.Link(r, &st)
	}
	links.Count(&st)
	ls := ReconcileLocales(recs)
	st.Vote, st.DatesRestored = ls.Vote, ls.DatesRestored
	st.ScopesRestored, st.EntraRestored = ls.ScopesRestored, ls.EntraRestored
	return st
}

// ReconcileLocales is the part of Reconcile that settles each page by its
// other locales at the same source hash: the vote on answer keys and
// values, developer dates and permission names (and Entra app IDs) taken
// from the siblings. Only the Vote, DatesRestored, ScopesRestored and
// EntraRestored counts are set. Records are changed in place; running it
// again on the same records changes nothing more.
func ReconcileLocales(recs []*Record) ReconcileStats {
	var st ReconcileStats
	st.Vote = voteKeys(recs)
	unknown, restored := voteValues(recs)
	st.Vote.Unknown += unknown
	st.Vote.Confirmed += restored
	st.DatesRestored = restoreDates(recs)
	restorePermissions(recs, &st)
	return st
}

// ReconcileStored settles fresh records (a sync step's pages) against
// stored ones: the records of the other locales of the same pages, as a
// previous import or sync reconciled and stored them. It runs
// ReconcileLocales on both together, on copies of the stored records, so
// a shifted page fetched by a sync is voted at its source hash exactly as
// an import would vote it. It returns the stats and the copies of stored
// records that the vote changed (a sibling that arrived alone at a new
// source hash and that a later locale now outvotes), to be stored again.
// fresh records are changed in place; stored records are not touched.
// Listings of a fresh record with none are taken from a stored sibling of
// the same AppSource ID.
func ReconcileStored(fresh, stored []*Record) (ReconcileStats, []*Record) {
	all := make([]*Record, 0, len(fresh)+len(stored))
	all = append(all, fresh...)
	copies := make([]*Record, len(stored))
	before := make([]int, len(stored))
	for i, r := range stored {
		copies[i] = cloneForVote(r)
		before[i] = len(r.Repairs) + len(r.Warnings)
		all = append(all, copies[i])
	}
	st := ReconcileLocales(all)
	var changed []*Record
	for i, c := range copies {
		if len(c.Repairs)+len(c.Warnings) != before[i] || c.Updated != stored[i].Updated {
			changed = append(changed, c)
		}
	}
	byPath := map[string]*Record{}
	for _, r := range stored {
		if len(r.Listings) > 0 {
			byPath[r.Path] = r
		}
	}
	for _, r := range fresh {
		if o := byPath[r.Path]; o != nil && len(r.Listings) == 0 && r.AppSourceID != "" && strings.EqualFold(o.AppSourceID, r.AppSourceID) {
			r.Listings = append([]string(nil), o.Listings...)
		}
	}
	return st, changed
}

// cloneForVote copies what ReconcileLocales may change in a record: its
// answers, permissions, repairs and warnings.
func cloneForVote(r *Record) *Record {
	c := *r
	c.Answers = append([]Answer(nil), r.Answers...)
	c.Permissions = append([]Permission(nil), r.Permissions...)
	c.Repairs = append([]Repair(nil), r.Repairs...)
	c.Warnings = append([]Warning(nil), r.Warnings...)
	return &c
}

// localePreference orders the locales whose permission tables are the most
// faithful to the English source (corpus.md §2.5).
var localePreference = map[string]int{"ru-RU": 0, "it-IT": 1, "ja-JP": 2, "de-DE": 3, "pt-BR": 4, "fr-FR": 5}

// restorePermissions settles each permission row of a page by the other
// locales at the same source hash (same rows, same order): a row whose
// scope this locale wrote translated or garbled takes the name the other
// locales wrote verbatim as a real permission (the majority, ties to the
// most faithful locale); a missing Entra app ID is taken likewise.
func restorePermissions(recs []*Record, st *ReconcileStats) {
	groups := siblingGroups(recs, func(r *Record) bool { return len(r.Permissions) > 0 })
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		sort.SliceStable(g, func(i, j int) bool { return rank(g[i].Locale) < rank(g[j].Locale) })
		for _, r := range g {
			for i := range r.Permissions {
				restorePermission(g, r, i, st)
			}
		}
	}
}

// restorePermission settles permission row i of r by its siblings g
// (ordered by faithfulness): a missing Entra app ID is taken from the
// first sibling that has one, a scope name not written as a real scope
// from the name most siblings write verbatim.
func restorePermission(g []*Record, r *Record, i int, st *ReconcileStats) {
	p := &r.Permissions[i]
	if p.RawName == "" && knownScope(p.Name) && p.EntraAppID != "" {
		return // written as a real scope, with its app ID
	}
	votes := map[string][]string{}
	var order []string
	for _, o := range g {
		if o == r || len(o.Permissions) != len(r.Permissions) {
			continue
		}
		q := o.Permissions[i]
		if q.RawName == "" && knownScope(q.Name) {
			if _, ok := votes[q.Name]; !ok {
				order = append(order, q.Name)
			}
			votes[q.Name] = append(votes[q.Name], o.Locale)
		}
		if p.EntraAppID == "" && q.EntraAppID != "" {
			p.EntraAppID = q.EntraAppID
			st.EntraRestored++
		}
	}
	if p.RawName == "" && knownScope(p.Name) {
		return
	}
	best := ""
	for _, name := range order {
		if best == "" || len(votes[name]) > len(votes[best]) {
			best = name
		}
	}
	if best == "" || best == p.Name {
		return
	}
	raw := p.RawName
	if raw == "" {
		raw = p.Name
	}
	r.Repairs = append(r.Repairs, Repair{Field: FieldPermissionPrefix + best, Old: raw, New: best, From: votes[best],
		Note: "scope name restored from the locales that write it verbatim at the same source hash"})
	r.Warnings = append(r.Warnings, Warning{File: warningFile(r), Line: p.Line,
		Message: "permission " + strconvQuote(raw) + " read as " + best + " as written by " + strings.Join(votes[best], ", ") + " at the same source hash"})
	p.RawName, p.Name = raw, best
	st.ScopesRestored++
}

// knownScope reports whether name is a real Microsoft Graph permission.
func knownScope(name string) bool {
	_, ok := graphScopes[strings.ToLower(name)]
	return ok
}

func rank(locale string) int {
	if r, ok := localePreference[locale]; ok {
		return r
	}
	return len(localePreference)
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// datePreference orders the locales whose developer dates are the most
// reliable: explicit year-month-day first (corpus.md §2.3).
var datePreference = []string{"ja-JP", "zh-CN", "ko-KR", "de-DE", "fr-FR", "es-ES", "it-IT", "pt-BR", "ru-RU", "zh-TW"}

// restoreDates gives an app record whose developer date could not be read
// (zh-TW "2021月14日": the month was lost in translation) the date of
// another locale of the same page at the same source hash. A date that
// kept its year and day must agree with them.
func restoreDates(recs []*Record) int {
	groups := siblingGroups(recs, func(*Record) bool { return true })
	n := 0
	for _, g := range groups {
		for _, r := range g {
			if !r.Updated.IsZero() || r.UpdatedRaw == "" {
				continue
			}
			year, day := 0, 0
			if m := reDateLostMonth.FindStringSubmatch(r.UpdatedRaw); m != nil {
				year, day = atoi(m[1]), atoi(m[2])
			}
			for _, loc := range datePreference {
				var from *Record
				for _, o := range g {
					if o.Locale == loc && o != r && !o.Updated.IsZero() {
						from = o
					}
				}
				if from == nil || (year != 0 && (from.Updated.Year != year || from.Updated.Day != day)) {
					continue
				}
				r.Updated = from.Updated
				r.Repairs = append(r.Repairs, Repair{Field: FieldUpdated, Old: r.UpdatedRaw, New: from.Updated.String(), From: []string{loc},
					Note: "developer date unreadable on this page; taken from " + loc + " at the same source hash"})
				r.Warnings = append(r.Warnings, Warning{File: warningFile(r), Message: "developer date " + strconvQuote(r.UpdatedRaw) + " taken as " + from.Updated.String() + " from " + loc + " at the same source hash"})
				n++
				break
			}
		}
	}
	return n
}

func strconvQuote(s string) string { return `"` + s + `"` }

// siblingGroups groups the app pages that keep satisfies by page and
// source hash: the locales of one page translated from the same English
// source, which must say the same.
func siblingGroups(recs []*Record, keep func(*Record) bool) map[string][]*Record {
	groups := map[string][]*Record{}
	for _, r := range recs {
		if k := SiblingKey(r); k != "" && keep(r) {
			groups[k] = append(groups[k], r)
		}
	}
	return groups
}

// CatalogLinks is the part of [Reconcile] that links pages across the
// catalog (azure-id pages and app pages, the listings of one AppSource
// ID), split so that an import can stream: Add every record first (only
// IDs are kept, not the records), then Link each record before storing it.
type CatalogLinks struct {
	byAppSource        map[string][]string
	azureIDs, entraIDs map[string]bool
}

// NewCatalogLinks returns empty links.
func NewCatalogLinks() *CatalogLinks {
	return &CatalogLinks{byAppSource: map[string][]string{}, azureIDs: map[string]bool{}, entraIDs: map[string]bool{}}
}

// Add notes the IDs r carries: its AppSource ID and Entra app IDs, or the
// Entra app ID of an azure page.
func (l *CatalogLinks) Add(r *Record) {
	switch r.Type {
	case PageApp:
		if r.AppSourceID != "" {
			key := strings.ToLower(r.AppSourceID)
			page := r.Kind + "/" + r.Slug
			if !hasString(l.byAppSource[key], page) {
				l.byAppSource[key] = append(l.byAppSource[key], page)
			}
		}
		for _, id := range r.EntraAppIDs() {
			l.entraIDs[id] = true
		}
	case PageAzure:
		if r.Azure != nil {
			l.azureIDs[r.Azure.AppID] = true
		}
	}
}

// Link sets the app pages of an azure page's apps and the other listings
// of an app page, from every record added, and counts them in st.
func (l *CatalogLinks) Link(r *Record, st *ReconcileStats) {
	switch {
	case r.Type == PageAzure && r.Azure != nil:
		for i := range r.Azure.Apps {
			app := &r.Azure.Apps[i]
			st.AzureLinks++
			pages := l.byAppSource[strings.ToLower(app.AppSourceID)]
			if len(pages) > 0 {
				st.AzureResolved++
				app.Pages = append([]string(nil), pages...)
				sort.Strings(app.Pages)
			}
		}
	case r.Type == PageApp && r.AppSourceID != "":
		own := r.Kind + "/" + r.Slug
		r.Listings = nil
		for _, page := range l.byAppSource[strings.ToLower(r.AppSourceID)] {
			if page != own {
				r.Listings = append(r.Listings, page)
			}
		}
		sort.Strings(r.Listings)
		if len(r.Listings) > 0 {
			st.SharedAppSource++
		}
	}
}

// Count sets st's counts of Entra app IDs named by app pages and of those
// with an azure page.
func (l *CatalogLinks) Count(st *ReconcileStats) {
	st.EntraIDs = len(l.entraIDs)
	st.EntraResolved = 0
	for id := range l.entraIDs {
		if l.azureIDs[id] {
			st.EntraResolved++
		}
	}
}

// SiblingKey returns the key that groups r with the same page in other
// locales at the same source hash, the records [ReconcileLocales] settles
// together, or "" when r has no siblings to be settled with.
func SiblingKey(r *Record) string {
	if r.Type != PageApp || r.Meta.SourceHash == "" {
		return ""
	}
	return r.Path + "@" + r.Meta.SourceHash
}
