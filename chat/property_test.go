package chat

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
)

// actingTemplates are questions answered yes/no about one app, and
// subscriptions; %s is where the app is named.
var actingTemplates = []string{
	"is %s hipaa compliant?", "does %s have soc 2", "does %s store data in the EU?", "is %s certified",
	"does %s use application permissions?", "can %s read all mail?", "%s gdpr", "is %s iso 27001 compliant",
	"subscribe to %s", "notify me when %s changes", "follow %s", "unsubscribe %s", "stop following %s",
	"<at>attestbot</at> is %s hipaa compliant?", "hey, does %s request Mail.Read?",
}

// mutate returns a variant of name: typos, truncations, dropped or extra
// words, case and accents; sometimes the name itself.
func mutate(rng *rand.Rand, name string) string {
	runes := []rune(name)
	n := len(runes)
	switch rng.IntN(10) {
	case 0:
		return name
	case 1:
		return strings.ToUpper(name)
	case 2: // substitute a letter
		if n > 0 {
			i := rng.IntN(n)
			runes[i] = rune('a' + rng.IntN(26))
		}
	case 3: // delete a letter
		if n > 1 {
			i := rng.IntN(n)
			runes = append(runes[:i], runes[i+1:]...)
		}
	case 4: // insert a letter
		i := rng.IntN(n + 1)
		runes = append(runes[:i], append([]rune{rune('a' + rng.IntN(26))}, runes[i:]...)...)
	case 5: // swap two letters
		if n > 1 {
			i := rng.IntN(n - 1)
			runes[i], runes[i+1] = runes[i+1], runes[i]
		}
	case 6: // truncate
		if n > 2 {
			runes = runes[:1+rng.IntN(n-1)]
		}
	case 7: // drop a word
		ws := strings.Fields(name)
		if len(ws) > 1 {
			i := rng.IntN(len(ws))
			return strings.Join(append(ws[:i:i], ws[i+1:]...), " ")
		}
	case 8: // add a word
		extra := []string{"pro", "app", "cloud", "suite", "for teams", "365", "hub", "inc"}
		return name + " " + extra[rng.IntN(len(extra))]
	case 9: // another product's name
		others := []string{"Slack", "Asana", "Stack", "Trello", "Thanks", "Pushy", "Miroboard", "Smart", "Desk", "Zoho", "Adobe", "Sign", "Notes", "Q"}
		return others[rng.IntN(len(others))]
	}
	return string(runes)
}

// appNames returns every folded name an app is known by: its names in
// every locale, its page anchor, the product name before a tagline of
// either, and its slug.
func appNames(res attestation.Result) []string {
	names := []string{attestation.Fold(res.Slug)}
	for _, r := range res.Records {
		names = append(names, attestation.Fold(r.Name))
		if r.Anchor != "" {
			names = append(names, attestation.Fold(r.Anchor))
		}
		for _, h := range []string{attestation.NameHead(r.Name), attestation.NameHead(r.Anchor)} {
			if h != "" {
				names = append(names, h)
			}
		}
	}
	return names
}

// TestNoActionOnLooseMatch is the property: across thousands of mutated
// names in yes/no questions and subscriptions, an answer about an app
// (a claim, a subscription) is only ever given when the words typed name
// that app exactly (one of its names, with or without generic words such
// as "for Teams", or an identifier), checked by an oracle independent of
// the search's ranking.
func TestNoActionOnLooseMatch(t *testing.T) {
	cat := trapCatalog(t)
	subs := &memSubs{subs: map[string][]string{}}
	s := NewService(cat, cards.New(), WithSubscriptions(subs))
	var names []string
	for _, res := range cat.Index().Search("", attestation.SearchOptions{Limit: -1, Filters: mustParse(t, "locale!=zz")}) {
		if res.Name != "" && utf8.RuneCountInString(res.Name) <= 60 {
			names = append(names, res.Name)
		}
	}
	require.Greater(t, len(names), 40)
	rng := rand.New(rand.NewPCG(14, 2026))
	u := User{TenantID: "tenant-1", ID: "user-1", Locale: "en-US"}
	acted, refused := 0, 0
	for i := 0; i < 4000; i++ {
		mention := mutate(rng, names[rng.IntN(len(names))])
		text := strings.Replace(actingTemplates[rng.IntN(len(actingTemplates))], "%s", mention, 1)
		rp := s.respond(context.Background(), u, text, nil)
		if !slices.Contains(actingKinds, rp.kind) {
			refused++
			continue
		}
		acted++
		require.Equal(t, attestation.ConfidenceExact, rp.conf, "%q answered on a %s match", text, rp.conf)
		kind, slug, ok := cards.ParseRef(rp.app)
		require.True(t, ok, rp.app)
		res, ok := cat.App(kind, slug)
		require.True(t, ok)
		// The words typed, or those words without the stop and filter
		// words ParseQuery drops ("me", "app").
		// (CJK names are read spaced out: "Autopilot工作流" is "Autopilot 工作流".)
		mention = l10n.Segment(mention)
		named := attestation.NameConfidence(attestation.Fold(mention), appNames(res)) == attestation.ConfidenceExact
		if q, err := attestation.ParseQuery(mention); err == nil && !named {
			named = attestation.NameConfidence(attestation.Fold(q.Text), appNames(res)) == attestation.ConfidenceExact
		}
		require.True(t, named || namesByID(cat, mention, rp.app), "%q answered about %s (%v)", text, rp.app, appNames(res))
	}
	t.Logf("%d acting answers, all on exact names; %d refused or asked to confirm", acted, refused)
	require.Greater(t, acted, 200)
	require.Greater(t, refused, 200)
}

// namesByID reports whether a word of the mention is an identifier (an
// ID, a GUID, a link) of the app.
func namesByID(cat *Catalog, mention, app string) bool {
	for _, w := range strings.Fields(mention) {
		for _, res := range cat.Index().Lookup(w) {
			if res.Key == app {
				return true
			}
		}
	}
	return false
}

func mustParse(t *testing.T, expr string) []attestation.Filter {
	t.Helper()
	fs, err := attestation.ParseFilters(expr)
	require.NoError(t, err)
	return fs
}
