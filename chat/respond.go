package chat

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/roles"
	"github.com/attestbot/attestbot/l10n"
)

// reply is the answer to a message: the card, and what it answers, for
// tests and logs.
type reply struct {
	card *cards.AdaptiveCard
	// kind names the answer: summary, section, permissions, storage,
	// changes, compare, claim, search, subscribe, unsubscribe,
	// not-following, subscriptions, nomatch, confirm, smalltalk, help,
	// audit, error.
	kind string
	// app is the kind/slug the answer is about ("" for none).
	app string
	// conf is the confidence of the match the answer rests on.
	conf attestation.Confidence
	// filters are the filters of a claim or a search.
	filters []attestation.Filter
}

// Reply kinds that state something about one app as a fact or act on it:
// they are given only on an exact or confirmed match.
var actingKinds = []string{"claim", "subscribe", "unsubscribe", "not-following"}

// Text answers a message typed by the user.
func (s *Service) Text(ctx context.Context, u User, text string) *cards.AdaptiveCard {
	return s.respond(ctx, u, text, nil).card
}

// match is the app a mention names, and how sure the search is.
type match struct {
	res   attestation.Result
	conf  attestation.Confidence
	cands []attestation.Result // apps the mention may mean, best first
	found bool
}

// resolveName finds the app a mention names: an identifier or a link
// first, then a name search graded by attestation.Confidence. Two apps
// equally close make a close match loose: the user must pick.
func (s *Service) resolveName(mention, locale string) match {
	m := strings.TrimSpace(mention)
	if m == "" {
		return match{conf: attestation.ConfidenceLoose}
	}
	ix := s.cat.Index()
	if rs := ix.Lookup(m); len(rs) > 0 {
		return match{res: rs[0], conf: attestation.ConfidenceExact, cands: rs, found: true}
	}
	rs := ix.Search(m, attestation.SearchOptions{Limit: 6, Locale: locale})
	if len(rs) == 0 {
		return match{conf: attestation.ConfidenceLoose}
	}
	// Equally good exact matches (one product with a Teams app and a SaaS
	// page): the Teams app first, as Teams admins ask.
	for i := 1; i < len(rs) && rs[i].Score == rs[0].Score && rs[0].Confidence == attestation.ConfidenceExact; i++ {
		if rs[i].Kind == "teams" && rs[0].Kind != "teams" && rs[i].Confidence == attestation.ConfidenceExact {
			rs[0], rs[i] = rs[i], rs[0]
			break
		}
	}
	mt := match{res: rs[0], conf: rs[0].Confidence, cands: rs, found: true}
	if mt.conf == attestation.ConfidenceExact && samenameOtherPublisher(rs) {
		// Two products of different publishers with the same name: the
		// user must pick; the bot never chooses one for them.
		mt.conf = attestation.ConfidenceLoose
	}
	if mt.conf == attestation.ConfidenceClose {
		for _, r := range rs[1:] {
			if r.Confidence == attestation.ConfidenceClose && r.Key != mt.res.Key {
				mt.conf = attestation.ConfidenceLoose
				break
			}
		}
	}
	return mt
}

// samenameOtherPublisher reports whether a result as good as the first,
// and exact like it, comes from another publisher: one whose name starts
// with another word (a publisher writes its name several ways: "Adobe",
// "Adobe Inc."; "ELEARNINGFORCE International Aps").
func samenameOtherPublisher(rs []attestation.Result) bool {
	pub := firstWord(rs[0].Publisher)
	for _, r := range rs[1:] {
		if r.Score == rs[0].Score && r.Confidence == attestation.ConfidenceExact && r.App != rs[0].App &&
			firstWord(r.Publisher) != pub {
			return true
		}
	}
	return false
}

// firstWord is the first word of a name, folded.
func firstWord(s string) string {
	w, _, _ := strings.Cut(attestation.Fold(s), " ")
	return w
}

// resolver resolves the mentions of one message; a pinned app (the user
// picked it on a did-you-mean card) stands for the first mention that
// does not name an app well enough.
type resolver struct {
	s      *Service
	locale string
	pin    *attestation.Result
}

func (r *resolver) resolve(mention string, need attestation.Confidence) match {
	m := r.s.resolveName(mention, r.locale)
	if r.pin != nil && !enough(m.conf, need) {
		m = match{res: *r.pin, conf: attestation.ConfidenceExact, found: true}
		r.pin = nil
	}
	return m
}

// enough reports whether a confidence meets a need: exact meets
// everything, close meets close.
func enough(have, need attestation.Confidence) bool {
	switch need {
	case attestation.ConfidenceExact:
		return have == attestation.ConfidenceExact
	case attestation.ConfidenceClose:
		return have == attestation.ConfidenceExact || have == attestation.ConfidenceClose
	}
	return true
}

// respond answers a message; pin, when set, is the app the user picked
// for it.
func (s *Service) respond(ctx context.Context, u User, text string, pin *attestation.Result) reply {
	u = s.userLocale(u)
	s = s.speaking(u.Locale)
	t := cleanMessage(text)
	if t == "" {
		return reply{card: s.cards.Help(), kind: "help"}
	}
	if len([]rune(t)) > 1000 {
		return reply{kind: "error", card: s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.too_long"), Detail: s.loc.T("chat.too_long_detail")})}
	}
	if isAudit(t) {
		return reply{card: s.audit(ctx, u), kind: "audit"}
	}
	req := understand(t)
	rv := &resolver{s: s, locale: u.Locale, pin: pin}
	if pin == nil && s.wholeName(req) {
		req = request{intent: IntentLookup, text: t, app: t}
	}
	switch req.intent {
	case IntentHelp:
		return reply{card: s.cards.Help(), kind: "help"}
	case IntentSmallTalk:
		return reply{card: s.cards.SmallTalk(req.smallTalk), kind: "smalltalk"}
	case IntentSubscriptions:
		return reply{card: s.listSubscriptions(ctx, u), kind: "subscriptions"}
	case IntentSubscribe, IntentUnsubscribe:
		return s.subscribeText(ctx, u, req, rv)
	case IntentCompare:
		names := splitApps(req.app)
		if req.app2 != "" {
			names = append(names, splitApps(req.app2)...)
		}
		return s.compareNames(u, t, names, rv)
	case IntentSearch:
		if m, ok := s.oneAppAsked(req, rv); ok {
			return s.claimCheck(m, req.query.Filters, u.Locale)
		}
		return s.searchCard(t, u.Locale, 0)
	case IntentClaim:
		m := rv.resolve(req.app, attestation.ConfidenceExact)
		if !enough(m.conf, attestation.ConfidenceExact) {
			return s.miss(req, m, u.Locale)
		}
		return s.claimCheck(m, req.query.Filters, u.Locale)
	}
	// The display intents: an app's summary, section, permissions, storage
	// or changes. A close match (a typo of a whole name) is shown: the card
	// names the app.
	m := rv.resolve(req.app, attestation.ConfidenceClose)
	if !enough(m.conf, attestation.ConfidenceClose) {
		if out, ok := s.publisherApps(req, u.Locale); ok {
			return out
		}
		return s.miss(req, m, u.Locale)
	}
	locale := pickLocale(m.res, u.Locale)
	out := reply{app: m.res.Key, conf: m.conf}
	// Only the section, permissions and storage cards quote the whole
	// record: a summary is built without reading the store.
	full := func() *attestation.Record { return s.cat.Full(ctx, m.res.Record(locale)) }
	b := s.cards.WithLocales(m.res.Locales)
	switch req.intent {
	case IntentSection:
		out.kind, out.card = "section", b.Section(full(), req.section, cards.View{})
	case IntentPermissions:
		out.kind, out.card = "permissions", b.Permissions(full(), 0)
	case IntentStorage:
		out.kind, out.card = "storage", s.storage(full())
	case IntentChanges:
		out.kind, out.card = "changes", s.changes(ctx, m.res, locale, 0)
	default:
		out.kind, out.card = "summary", s.summary(m.res, u.Locale)
	}
	return out
}

// publisherApps answers a lookup that names a publisher rather than one
// of its apps ("adobe", "zoho apps") with the publisher's apps: those
// whose publisher's name starts with the words typed.
func (s *Service) publisherApps(req request, locale string) (reply, bool) {
	f := attestation.Fold(req.app)
	if req.intent != IntentLookup || utf8.RuneCountInString(f) < 3 {
		return reply{}, false
	}
	filters := []attestation.Filter{{Kind: attestation.FilterPublisher, Values: []string{f}}}
	rs := slices.DeleteFunc(s.cat.Index().Search("", attestation.SearchOptions{Limit: -1, Filters: filters, Locale: locale}),
		func(r attestation.Result) bool {
			p := attestation.Fold(r.Publisher)
			return !strings.HasPrefix(p, f) || (len(p) > len(f) && p[len(f)] != ' ')
		})
	if len(rs) == 0 {
		return reply{}, false
	}
	return reply{kind: "search", filters: filters, card: s.cards.Search(req.text, locale, rs, 0)}, true
}

// publisherAppNamed answers a short lookup that starts with a publisher's
// name and goes on with words of some of its apps' names, in any locale
// or the English anchor ("officeatwork content chooser"): those apps, as
// a list to pick from.
func (s *Service) publisherAppNamed(req request, locale string) (reply, bool) {
	words := strings.Fields(attestation.Fold(req.app))
	if req.intent != IntentLookup || len(words) < 2 || len(words) > 5 {
		return reply{}, false
	}
	pub, ok := s.publisherApps(request{intent: IntentLookup, app: words[0], text: req.text}, locale)
	if !ok {
		return reply{}, false
	}
	rs := slices.DeleteFunc(s.cat.Index().Search("", attestation.SearchOptions{Limit: -1, Filters: pub.filters, Locale: locale}),
		func(r attestation.Result) bool {
			if !strings.HasPrefix(attestation.Fold(r.Publisher), words[0]) {
				return true
			}
			for _, rec := range r.Records {
				names := attestation.Fold(rec.Name) + " " + attestation.Fold(rec.Anchor)
				if containsWords(names, words[1:]) {
					return false
				}
			}
			return true
		})
	if len(rs) == 0 {
		return reply{}, false
	}
	return reply{kind: "search", filters: pub.filters, card: s.cards.Search(req.text, locale, rs, 0)}, true
}

// containsWords reports whether every word is a word of folded text.
func containsWords(text string, words []string) bool {
	have := strings.Fields(text)
	for _, w := range words {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// oneAppAsked reports whether a question read as a search asks about one
// app its words name exactly ("what sub-processors does plumm use"): no
// word names apps in the plural, and what the filters leave is a name.
func (s *Service) oneAppAsked(req request, rv *resolver) (match, bool) {
	if len(req.query.Filters) == 0 || req.query.Text == "" {
		return match{}, false
	}
	for _, t := range tokenize(req.text) {
		switch t.fold {
		case "apps", "addins", "applications", "which", "who":
			return match{}, false
		}
	}
	m := rv.resolve(req.query.Text, attestation.ConfidenceExact)
	return m, m.found && m.conf == attestation.ConfidenceExact
}

// wholeName reports whether a short message is itself the exact name of
// an app ("Push Security" is an app, not the security section of "Push").
func (s *Service) wholeName(req request) bool {
	switch req.intent {
	case IntentHelp, IntentSmallTalk, IntentSubscriptions, IntentLookup:
		return false
	}
	if len(strings.Fields(req.text)) > 6 {
		return false
	}
	rs := s.cat.Index().Search(req.text, attestation.SearchOptions{Limit: 1})
	return len(rs) > 0 && rs[0].Match == attestation.MatchName
}

// miss answers a mention that names no app surely enough: a
// did-you-mean card whose buttons answer the question about the app
// picked. A whole sentence is never echoed as an app name.
func (s *Service) miss(req request, m match, locale string) reply {
	name := req.app
	cands := m.cands
	words := len(tokenize(name))
	sentence := req.whole && words >= 3
	if sentence || (!req.whole && req.intent == IntentLookup && words >= 2) {
		// A sentence with no app in it ("what's the weather today?"):
		// suggest only apps it names words of, else say what the bot is
		// for. A sentence is never echoed as an app name.
		cands = slices.DeleteFunc(slices.Clone(cands), func(r attestation.Result) bool {
			return r.Match == attestation.MatchFuzzy
		})
		{
			// "does Zoho Desk encrypt data at rest?": a question the record
			// cannot answer about an app named exactly in it; show the app's
			// record and say what was not answered.
			in := req.app
			if sentence {
				in = req.text
			}
			if found, rest, ok := s.appInSentence(in, locale); ok {
				card := s.summary(found.res, locale)
				if rest != "" {
					card = withNote(card, s.cards.UnansweredNote(rest))
				}
				return reply{card: card, kind: "summary", app: found.res.Key, conf: found.conf}
			}
		}
		if len(cands) == 0 {
			if out, ok := s.publisherAppNamed(req, locale); ok {
				return out
			}
			if toks := tokenize(req.text); sentence && len(toks) > 0 && isListQuestion(toks) {
				// "which apps handle health data": a question about many
				// apps on something the records do not filter.
				q, _ := attestation.ParseQuery(req.text)
				return reply{kind: "nomatch", card: s.cards.NoMatch(cards.NoMatch{Question: req.text, Locale: locale, Unfiltered: q.Text})}
			}
			return reply{card: s.cards.SmallTalk(cards.SmallTalkOffTopic), kind: "smalltalk"}
		}
		if sentence {
			name = ""
		}
	}
	kind := "nomatch"
	confirm := m.conf == attestation.ConfidenceClose && len(cands) > 0
	if confirm {
		kind = "confirm"
	}
	return reply{kind: kind, conf: m.conf, card: s.cards.NoMatch(cards.NoMatch{
		Name: name, Question: req.text, Locale: locale, Candidates: cands, Confirm: confirm,
	})}
}

// searchCard answers a question about many apps. Words left over after
// the filters narrow the results when they name apps or publishers;
// otherwise they are said to be unfiltered, never searched as a name
// that matches nothing.
func (s *Service) searchCard(text, locale string, page int) reply {
	q, err := attestation.ParseQuery(text)
	if err != nil {
		return reply{kind: "error", card: s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.bad_filter"), Detail: cards.EscapeMarkdown(err.Error())})}
	}
	ix := s.cat.Index()
	opts := attestation.SearchOptions{Limit: -1, Filters: q.Filters, Locale: locale}
	out := reply{kind: "search", filters: q.Filters}
	if q.Text == "" || len(q.Filters) == 0 {
		out.card = s.cards.Search(text, locale, ix.Search(q.Text, opts), page)
		return out
	}
	named := slices.DeleteFunc(ix.Search(q.Text, opts), func(r attestation.Result) bool {
		return r.Match == attestation.MatchFuzzy
	})
	if len(named) > 0 {
		out.card = s.cards.Search(text, locale, named, page)
		return out
	}
	out.card = cards.WithNote(s.cards.Search(text, locale, ix.Search("", opts), page), s.cards.UnfilteredNote(q.Text))
	return out
}

// claimCheck answers a yes/no question about one app: one line per
// condition with what the record says, and a verdict that is "yes" only
// when every condition holds, "not stated" when the record is silent and
// "not applicable" when the publisher answered so (HIPAA for an app that
// holds no health data is not a "no").
func (s *Service) claimCheck(m match, fs []attestation.Filter, locale string) reply {
	r := s.cat.Full(context.Background(), m.res.Record(pickLocale(m.res, locale)))
	var lines []string
	state := "yes"
	for _, f := range fs {
		line, st := s.claimLine(r, f)
		lines = append(lines, line)
		switch {
		case st == "no":
			state = "no"
		case st == "unknown" && (state == "yes" || state == "na"):
			state = "unknown"
		case st == "na" && state == "yes":
			state = "na"
		}
	}
	var verdict string
	switch state {
	case "unknown":
		verdict = s.loc.T("chat.not_stated")
	case "na":
		verdict = cards.LocalizedValueLabel(s.loc, attestation.ValueNotApplicable)
	default:
		verdict = s.loc.T("chat." + state)
	}
	title := s.loc.F("chat.claim_title", l10n.Args{"Name": r.Name, "Verdict": verdict})
	return reply{kind: "claim", app: m.res.Key, conf: m.conf, filters: fs,
		card: s.cards.Notice(r, title, strings.Join(lines, "\n\n"), nil)}
}

// claimLine writes one condition of a claim and its state: yes, no,
// unknown, or na (the publisher answered "not applicable").
func (s *Service) claimLine(r *attestation.Record, f attestation.Filter) (string, string) {
	loc := s.loc
	state := yesNo(f.Match(r))
	switch f.Kind {
	case attestation.FilterAnswer:
		label := f.Key
		if k, found := attestation.LookupKey(f.Key); found {
			label = k.Label
		}
		a, found := r.Answer(f.Key)
		if found && a.PageLabel != "" && !loc.IsEnglish() && l10n.Match(r.Locale) == loc.Locale() {
			label = a.PageLabel // the page's own wording, in the user's language
		} else {
			// A record quoted from a fallback locale: the question as the
			// pages of the user's language word it.
			label = cards.QuestionLabel(loc, f.Key, label)
		}
		switch {
		case !found:
			return loc.F("chat.claim_not_asked", l10n.Args{"Claim": label}), "unknown"
		case a.Value == attestation.ValueUnanswered:
			return loc.F("chat.claim_blank", l10n.Args{"Claim": label}), "unknown"
		case a.Value == attestation.ValueNotApplicable && state == "no":
			state = "na"
		}
		return loc.F("chat.claim_answer", l10n.Args{"Claim": label,
			"Value": cards.LocalizedValueLabel(loc, a.Value), "Text": cards.EscapeMarkdown(a.Text), "Locale": r.Locale}), state
	case attestation.FilterPermission, attestation.FilterPermissionType:
		return s.permissionLine(r, f)
	case attestation.FilterStorage, attestation.FilterStorageOnly, attestation.FilterHQ:
		return s.placeLine(r, f)
	case attestation.FilterCertification:
		cert := cards.CertificationName(loc, r.Certification)
		return loc.F("chat.certification", l10n.Args{"Verdict": loc.T("chat." + state), "Certification": cert}), state
	}
	return loc.F("common.label_value", l10n.Args{"Label": cards.EscapeMarkdown(f.String()), "Value": loc.T("chat." + state)}), state
}

// permissionLine answers a permission condition with the scopes the
// record lists, never the filter's own syntax.
func (s *Service) permissionLine(r *attestation.Record, f attestation.Filter) (string, string) {
	what := s.loc.T("chat.perm_what")
	want := f.PermissionType
	if f.Kind == attestation.FilterPermissionType && len(f.Values) == 1 {
		want = attestation.PermissionType(f.Values[0])
	}
	switch want {
	case attestation.Delegated:
		what = s.loc.T("chat.perm_what_delegated")
	case attestation.Application:
		what = s.loc.T("chat.perm_what_application")
	}
	if f.Kind == attestation.FilterPermission {
		what += " " + cards.EscapeMarkdown(strings.Join(f.Values, ", "))
	}
	var got []string
	for _, p := range r.Permissions {
		one := attestation.Filter{Kind: f.Kind, Values: f.Values, PermissionType: f.PermissionType}
		if one.Match(&attestation.Record{Permissions: []attestation.Permission{p}}) {
			got = append(got, cards.PermissionWithType(s.loc, p))
		}
	}
	state := yesNo(len(got) > 0 != f.Negate)
	switch {
	case len(r.Permissions) == 0:
		return s.loc.F("chat.perm_none_listed", l10n.Args{"What": what}), "unknown"
	case len(got) == 0:
		return s.loc.F("chat.perm_none_matching", l10n.Args{"What": what, "Permissions": s.listPermissions(r.Permissions, 8)}), state
	}
	return s.loc.F("chat.perm_matching", l10n.Args{"What": what, "Permissions": strings.Join(got, ", ")}), state
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

func (s *Service) listPermissions(ps []attestation.Permission, n int) string {
	var names []string
	for _, p := range ps {
		names = append(names, cards.PermissionWithType(s.loc, p))
	}
	if len(names) > n {
		return s.loc.N("common.list_and_more", len(names)-n, l10n.Args{"List": strings.Join(names[:n], ", ")})
	}
	return strings.Join(names, ", ")
}

// placeNames returns the names of the places a text names, in the
// user's language.
func (s *Service) placeNames(text string) []string {
	var names []string
	for _, p := range attestation.Places(text) {
		names = append(names, cards.PlaceName(s.loc, p))
	}
	return names
}

// placeLine answers a storage or headquarters condition with what the
// publisher wrote and the places read from it.
func (s *Service) placeLine(r *attestation.Record, f attestation.Filter) (string, string) {
	var places []string
	for _, v := range f.Values {
		places = append(places, cards.PlaceName(s.loc, v))
	}
	args := l10n.Args{"Places": strings.Join(places, s.loc.T("chat.place_or"))}
	key, what := attestation.KeyStorageLocation, s.loc.F("chat.place_stored_in", args)
	switch f.Kind {
	case attestation.FilterHQ:
		key, what = attestation.KeyHQLocation, s.loc.F("chat.place_hq_in", args)
	case attestation.FilterStorageOnly:
		what = s.loc.F("chat.place_only_in", args)
	}
	a, ok := r.Answer(key)
	if !ok || strings.TrimSpace(a.Text) == "" {
		if f.Kind != attestation.FilterHQ {
			if st, ok := r.Answer("data.stores_customer_data"); ok && st.Value == attestation.ValueNo {
				return s.loc.F("chat.place_no_data", l10n.Args{"What": what}), "unknown"
			}
		}
		return s.loc.F("chat.place_unstated", l10n.Args{"What": what}), "unknown"
	}
	state := yesNo(f.Match(r))
	read := ""
	if names := s.placeNames(a.Text); len(names) > 0 {
		read = s.loc.F("common.label_value", l10n.Args{"Label": "", "Value": strings.Join(names, ", ")})
	}
	return s.loc.F("chat.place_answer", l10n.Args{"What": what, "Verdict": s.loc.T("chat." + state), "Read": read,
		"Text": cards.EscapeMarkdown(a.Text), "Locale": r.Locale}), state
}

// storage answers "where does X store its data".
func (s *Service) storage(r *attestation.Record) *cards.AdaptiveCard {
	var lines []string
	a, ok := r.Answer(attestation.KeyStorageLocation)
	switch st, stated := r.Answer("data.stores_customer_data"); {
	case ok && strings.TrimSpace(a.Text) != "":
		line := s.loc.F("chat.storage_wrote", l10n.Args{"Text": cards.EscapeMarkdown(a.Text), "Locale": r.Locale})
		if names := s.placeNames(a.Text); len(names) > 0 {
			line = strings.Join(names, ", ") + ". " + line
		}
		lines = append(lines, line)
	case stated && st.Value == attestation.ValueNo:
		lines = append(lines, s.loc.T("chat.storage_none"))
	default:
		lines = append(lines, s.loc.T("chat.storage_unstated"))
	}
	if hq, ok := r.Answer(attestation.KeyHQLocation); ok && strings.TrimSpace(hq.Text) != "" {
		lines = append(lines, s.loc.F("chat.storage_hq", l10n.Args{"Text": cards.EscapeMarkdown(hq.Text)}))
	}
	return s.cards.Notice(r, s.loc.F("chat.storage_title", l10n.Args{"Name": r.Name}), strings.Join(lines, "\n\n"), nil)
}

// compareNames compares apps named in a message; every name must name an
// app closely enough.
func (s *Service) compareNames(u User, question string, names []string, rv *resolver) reply {
	if rv == nil {
		rv = &resolver{s: s, locale: u.Locale}
	}
	var recs []*attestation.Record
	var one attestation.Result
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(strings.Trim(n, "?."))
		if n == "" {
			continue
		}
		m := rv.resolve(n, attestation.ConfidenceClose)
		if !enough(m.conf, attestation.ConfidenceClose) {
			return s.miss(request{app: n, text: question}, m, u.Locale)
		}
		app := cmp.Or(m.res.App, m.res.Key)
		if seen[app] {
			continue // two listings of one app are one app
		}
		seen[app] = true
		one = m.res
		recs = append(recs, s.cat.Full(context.Background(), m.res.Record(pickLocale(m.res, u.Locale))))
	}
	if len(recs) == 1 && len(one.Listings) > 0 {
		// The names are listings of one app: its card lists them.
		return reply{kind: "summary", app: one.Key, card: s.summary(one, u.Locale)}
	}
	if len(recs) < 2 {
		return reply{kind: "error", card: s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.compare_two"), Detail: s.loc.T("compare.nothing_detail")})}
	}
	if len(recs) > cards.MaxCompareApps {
		recs = recs[:cards.MaxCompareApps]
	}
	return reply{kind: "compare", card: s.cards.Compare(recs)}
}

// subscribeText follows or unfollows what a message names: an app (exact
// or confirmed only), all apps, the tenant's apps or a filter (admins).
func (s *Service) subscribeText(ctx context.Context, u User, req request, rv *resolver) reply {
	un := req.intent == IntentUnsubscribe
	target := strings.TrimSpace(req.app)
	kind := "subscribe"
	if un {
		kind = "unsubscribe"
	}
	if target == "" {
		return reply{kind: "error", card: s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.subscribe_what"), Detail: s.loc.T("chat.subscribe_what_detail")})}
	}
	folded := foldText(target)
	tenant, every := subscriptionTarget(folded)
	switch {
	case tenant:
		if c := s.denied(ctx, u, roles.Admin, s.loc.T("chat.admins_only_tenant")); c != nil {
			return reply{kind: "error", card: c}
		}
		return reply{kind: kind, card: s.subscribe(ctx, u, un, "tenant", nil)}
	case every || strings.Contains(target, "="):
		if c := s.denied(ctx, u, roles.Admin, s.loc.T("chat.admins_only_all")); c != nil {
			return reply{kind: "error", card: c}
		}
		if every {
			target = "all"
		} else if _, err := attestation.ParseFilters(strings.Fields(target)...); err != nil {
			return reply{kind: "error", card: s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.bad_filter"), Detail: cards.EscapeMarkdown(err.Error())})}
		}
		return reply{kind: kind, card: s.subscribe(ctx, u, un, target, nil)}
	}
	m := rv.resolve(target, attestation.ConfidenceExact)
	if !enough(m.conf, attestation.ConfidenceExact) {
		return s.miss(req, m, u.Locale)
	}
	ref := cards.Ref(m.res.Kind, m.res.Slug)
	r := s.cat.Full(ctx, m.res.Record(pickLocale(m.res, u.Locale)))
	out := reply{kind: kind, app: m.res.Key, conf: m.conf}
	if un && s.subs != nil && u.TenantID != "" && u.ID != "" {
		list, err := s.subs.List(ctx, u)
		if err == nil && !slices.Contains(list, ref) && !slices.Contains(list, m.res.Slug) {
			out.kind = "not-following"
			out.card = s.cards.Notice(r, s.loc.F("chat.not_following", l10n.Args{"Name": r.Name}), s.loc.T("chat.not_following_text"), nil)
			return out
		}
	}
	out.card = s.subscribe(ctx, u, un, ref, r)
	return out
}

// subscriptionTarget reports whether a (folded) subscription target names
// the tenant's catalog ("tenant", "mon locataire", "テナント") or every app
// ("all", "tout", "alle") in any language's grammar.
func subscriptionTarget(folded string) (tenant, every bool) {
	for _, g := range grammarsCompiled() {
		tenant = tenant || g.tenant[folded]
		every = every || g.every[folded]
	}
	return tenant, every
}

// appInSentence finds the longest run of words of a sentence that is the
// exact name of an app (never a typo, never one short or common word), and
// returns it with the other words that are not stop words.
func (s *Service) appInSentence(text, locale string) (match, string, bool) {
	words := strings.Fields(text)
	if len(words) > maxPatternWords {
		return match{}, "", false
	}
	g := grammarsCompiled()[0]
	for n := min(6, len(words)); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			mention := g.cleanMention(strings.Join(words[i:i+n], " "))
			if n == 1 && (len([]rune(mention)) < 3 || isCommonWord(mention)) {
				continue
			}
			m := s.resolveName(mention, locale)
			if m.conf != attestation.ConfidenceExact {
				continue
			}
			rest := strings.Join(append(append([]string(nil), words[:i]...), words[i+n:]...), " ")
			q, _ := attestation.ParseQuery(rest)
			return m, q.Text, true
		}
	}
	return match{}, "", false
}

// isCommonWord reports whether a word is a stop word or a word of the
// grammar rather than a name.
func isCommonWord(w string) bool {
	q, err := attestation.ParseQuery(w)
	if err != nil || q.Text == "" || len(q.Filters) > 0 {
		return true
	}
	f := foldText(w)
	for _, g := range grammarsCompiled() {
		if g.claim[f] || g.list[f] || g.question[f] || g.trim[f] || g.small[f] != "" {
			return true
		}
	}
	return false
}

// withNote returns a copy of a (possibly shared, cached) card with a note
// under its heading.
func withNote(c *cards.AdaptiveCard, note string) *cards.AdaptiveCard {
	cp := *c
	cp.Body = append([]cards.Element(nil), c.Body...)
	return cards.WithNote(&cp, note)
}
