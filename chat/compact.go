package chat

import (
	"context"
	"log/slog"
	"sync"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/pack"
)

// RecordGetter reads one whole record by ID (store.Store does). A
// [RecordSource] that also implements it gets a compact catalog: the index
// holds only what search, filters and result lists read, and the cards read
// the whole record, with the publisher's free text, from the store when they
// need it.
type RecordGetter interface {
	GetRecord(ctx context.Context, id string) (*attestation.Record, error)
}

// searchTextKeys are the answers whose text the index reads after it is
// built: the MFA filter reads it on every search.
var searchTextKeys = map[string]bool{"sec.mfa_enabled_for": true}

// buildTextKeys are the answers whose text the index reads while it is
// built (the places of the storage and headquarters filters).
var buildTextKeys = map[string]bool{
	attestation.KeyStorageLocation: true, attestation.KeyHQLocation: true, "sec.mfa_enabled_for": true,
}

// slim returns the part of r the index and the result lists read: names,
// IDs, links, dates, certification, permissions without their
// justifications, and the keyed answers without their text (the index keeps
// their values in its answer table). Statements, services, warnings, page
// labels and the publisher's free text stay in the store. The record, its
// permissions and its strings are placed in p's blocks; its answers are
// not (the index reads them while it is built, then [trimAnswers] keeps
// the few it still reads).
func slim(p *packer, r *attestation.Record) *attestation.Record {
	s := &p.recs.Take(1)[0]
	*s = attestation.Record{
		Slug: p.str(r.Slug), Kind: p.str(r.Kind), Type: attestation.PageType(p.str(string(r.Type))),
		Locale: p.str(r.Locale), Path: p.str(r.Path), Name: p.str(r.Name), Anchor: p.str(r.Anchor),
		AppSourceID: p.str(r.AppSourceID), TeamsAppID: p.str(r.TeamsAppID), Publisher: p.str(r.Publisher),
		Certification: attestation.Certification(p.str(string(r.Certification))),
		Updated:       r.Updated, Azure: p.azure(r.Azure),
	}
	l := &r.Links
	s.Links = attestation.Links{AppSource: p.str(l.AppSource), TeamsStore: p.str(l.TeamsStore), Docs: p.str(l.Docs),
		Website: p.str(l.Website), TermsOfUse: p.str(l.TermsOfUse), Privacy: p.str(l.Privacy), AppInfo: p.str(l.AppInfo)}
	s.Permissions = p.permissions(r.Permissions)
	n := 0
	for _, a := range r.Answers {
		if a.Key != "" {
			n++
		}
	}
	if n > 0 {
		s.Answers = make([]attestation.Answer, 0, n)
		p.building = append(p.building, s.Answers)
		for _, a := range r.Answers {
			if a.Key == "" {
				continue
			}
			c := attestation.Answer{Key: p.str(a.Key), Section: attestation.Section(p.str(string(a.Section))),
				Value: attestation.Value(p.str(string(a.Value)))}
			if buildTextKeys[a.Key] {
				c.Text = a.Text
			}
			s.Answers = append(s.Answers, c)
		}
	}
	return s
}

// trimAnswers drops the answers the built index no longer reads from r;
// those it keeps are placed in p's blocks.
func trimAnswers(p *packer, r *attestation.Record) {
	n := 0
	for _, a := range r.Answers {
		if searchTextKeys[a.Key] {
			n++
		}
	}
	if n == 0 {
		r.Answers = nil
		return
	}
	kept := p.answers.Take(n)[:0]
	for _, a := range r.Answers {
		if searchTextKeys[a.Key] {
			a.Text = p.str(a.Text)
			kept = append(kept, a)
		}
	}
	r.Answers = kept
}

// A packer places what a compact catalog keeps of its records in a few
// large blocks ([pack]): the slim records, their permissions, answers and
// azure-id pages, and one copy of each of their strings and of the summary
// facts' strings (the facts themselves are flat: [summaryViews]). The
// records and their slices are in hidden blocks, which the collector does
// not read: everything they point to is in the packer's blocks, held by
// its Keep (TestSlimRecordsPointIntoTheirKeep), so a cycle marks the Keep's
// list of blocks instead of scanning 15 MB of records on a 13,000-page
// catalog. It is used while the catalog loads, by one goroutine.
type packer struct {
	keep    *pack.Keep
	strs    *pack.Strings
	recs    *pack.Hidden[attestation.Record]
	perms   *pack.Hidden[attestation.Permission]
	answers *pack.Hidden[attestation.Answer]
	// permSets holds the permission lists packed so far by their
	// contents: the locales of an app list the same scopes.
	permSets map[string][]attestation.Permission
	permKey  []byte
	azures   *pack.Hidden[attestation.AzurePage]
	apps     *pack.Hidden[attestation.AzureApp]
	pages    *pack.Hidden[string]
	// building holds the answers slim records point to until trimAnswers
	// replaces them: made on the heap, and read by the index's build.
	building [][]attestation.Answer
}

func newPacker() *packer {
	k := &pack.Keep{}
	return &packer{keep: k, strs: pack.NewStrings(k), recs: pack.NewHidden[attestation.Record](k),
		perms: pack.NewHidden[attestation.Permission](k), answers: pack.NewHidden[attestation.Answer](k),
		azures: pack.NewHidden[attestation.AzurePage](k), apps: pack.NewHidden[attestation.AzureApp](k),
		pages: pack.NewHidden[string](k), permSets: map[string][]attestation.Permission{}}
}

// permissions returns the slim copy of a record's permission rows (nil
// when there are none): without their justifications, and the same slice
// for every record with the same rows. Records are shared read-only.
func (p *packer) permissions(ps []attestation.Permission) []attestation.Permission {
	if len(ps) == 0 {
		return nil
	}
	k := p.permKey[:0]
	for _, pr := range ps {
		k = append(k, pr.Name...)
		k = append(k, 0)
		k = append(k, pr.RawName...)
		k = append(k, 0)
		k = append(k, pr.Type...)
		k = append(k, 0)
		k = append(k, pr.EntraAppID...)
		k = append(k, 1)
	}
	p.permKey = k
	if c, ok := p.permSets[string(k)]; ok {
		return c
	}
	c := p.perms.Take(len(ps))
	for i, pr := range ps {
		c[i] = attestation.Permission{Name: p.str(pr.Name), RawName: p.str(pr.RawName),
			Type: attestation.PermissionType(p.str(string(pr.Type))), EntraAppID: p.str(pr.EntraAppID)}
	}
	p.permSets[string(k)] = c
	return c
}

// str returns the packed copy of s.
func (p *packer) str(s string) string { return p.strs.String(s) }

// azure returns a packed copy of an azure-id page's content.
func (p *packer) azure(az *attestation.AzurePage) *attestation.AzurePage {
	if az == nil {
		return nil
	}
	c := &p.azures.Take(1)[0]
	*c = *az
	c.AppID, c.CertifiedOnRaw = p.str(az.AppID), p.str(az.CertifiedOnRaw)
	if len(az.Apps) > 0 { // else as decoded: nil or empty
		c.Apps = p.apps.Copy(az.Apps)
	}
	for i := range c.Apps {
		a := &c.Apps[i]
		a.Name, a.AppSourceID = p.str(a.Name), p.str(a.AppSourceID)
		if len(a.Pages) > 0 {
			a.Pages = p.pages.Copy(a.Pages)
			for j, pg := range a.Pages {
				a.Pages[j] = p.str(pg)
			}
		}
	}
	return c
}

// fullCache keeps the whole records read last, by indexed record.
type fullCache struct {
	mu sync.Mutex
	m  map[*attestation.Record]*attestation.Record
}

// fullCacheSize bounds the whole records kept (about 25 KB each).
const fullCacheSize = 256

func (c *fullCache) get(r *attestation.Record) (*attestation.Record, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[r]
	return f, ok
}

func (c *fullCache) put(r, full *attestation.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= fullCacheSize {
		c.m = make(map[*attestation.Record]*attestation.Record, fullCacheSize)
	}
	c.m[r] = full
}

func (c *fullCache) reset() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// Full returns the whole record of r, a record of the index: r itself when
// the catalog keeps whole records, else the stored record (cached). When
// the store cannot be read, it logs and returns r, whose cards then lack
// the free text.
func (c *Catalog) Full(ctx context.Context, r *attestation.Record) *attestation.Record {
	if r == nil || c.get == nil {
		return r
	}
	if f, ok := c.full.get(r); ok {
		return f
	}
	f, err := c.get.GetRecord(ctx, r.ID())
	if err != nil || f == nil {
		c.log.Warn("whole record not read, answering from the index", "record", r.ID(), "err", err)
		return r
	}
	c.full.put(r, f)
	return f
}

// discard is the logger of a catalog built without one.
var discard = slog.New(slog.DiscardHandler)
