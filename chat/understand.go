package chat

import (
	"html"
	"regexp"
	"strings"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
)

// request is what a message asks, as understood before any search.
type request struct {
	intent Intent
	// text is the message cleaned of mentions and markup.
	text string
	// app and app2 are the app mentions as typed ("" when none).
	app, app2 string
	// section is the section of IntentSection.
	section attestation.Section
	// smallTalk is the kind of IntentSmallTalk.
	smallTalk string
	// query holds the filters of IntentClaim and IntentSearch.
	query attestation.Query
	// whole reports that app is the whole message (no pattern matched):
	// a miss must not echo it as an app name when it is a sentence.
	whole bool
}

// token is one word of a message: folded for matching, as typed for
// the app mention.
type token struct {
	fold, raw string
}

var (
	reAtTag  = regexp.MustCompile(`(?is)<at[^>]*>.*?</at>`)
	reMarkup = regexp.MustCompile(`(?s)<[^>]{1,200}>`)
)

// cleanMessage removes what Teams adds to a message: a leftover
// <at>mention</at> of the bot (channels), HTML tags and entities, and
// extra spaces.
func cleanMessage(text string) string {
	if strings.ContainsAny(text, "<&") {
		text = reAtTag.ReplaceAllString(text, " ")
		text = reMarkup.ReplaceAllString(text, " ")
		text = html.UnescapeString(text)
	}
	text = strings.ReplaceAll(text, "\u00a0", " ")
	text = l10n.Segment(text) // CJK words spaced out for the grammars
	text = spaceChineseTargets(text)
	return strings.TrimSpace(strings.Join(strings.Fields(text), " "))
}

// foldText folds a word or phrase for the grammar: Fold without spaces,
// so "add-in", "add in" and "Add-In" are one word.
func foldText(s string) string {
	return strings.ReplaceAll(attestation.Fold(s), " ", "")
}

// tokenize splits a cleaned message into tokens; words with no letter or
// digit (emoji, punctuation) are left out.
func tokenize(text string) []token {
	var out []token
	for _, w := range strings.Fields(text) {
		if f := foldText(w); f != "" {
			out = append(out, token{fold: f, raw: w})
		}
	}
	return out
}

// maxPatternWords bounds the messages the patterns are tried on: longer
// ones are read for filters and names only.
const maxPatternWords = 40

// understand reads a cleaned message: its intent and the apps it names.
func understand(text string) request {
	req := request{text: text}
	toks := tokenize(text)
	if len(toks) == 0 {
		if strings.Contains(text, "?") {
			req.intent = IntentHelp
			return req
		}
		req.intent, req.smallTalk = IntentSmallTalk, cards.SmallTalkAck // emoji, punctuation
		return req
	}
	if _, small := grammarsCompiled()[0].smallTalkKind(toks); !small {
		toks, text = stripFillers(toks, text)
		req.text = text
	}
	if len(toks) <= maxPatternWords {
		for _, g := range grammarsCompiled() {
			if r, ok := g.matchRules(toks, req); ok {
				return r
			}
		}
	}
	for _, g := range grammarsCompiled() {
		if kind, ok := g.smallTalkKind(toks); ok {
			req.intent, req.smallTalk = IntentSmallTalk, kind
			return req
		}
	}
	return filterRequest(req, toks, text)
}

// filterRequest reads a message no pattern matched: filters and a name
// (a claim about one app or a search), else an app name alone.
func filterRequest(req request, toks []token, text string) request {
	q, err := attestation.ParseQuery(text)
	if err != nil {
		// A filter written wrong (hipaa=maybe): the search says why.
		req.intent = IntentSearch
		return req
	}
	if len(q.Filters) > 0 {
		req.query = q
		if q.Text != "" && !isListQuestion(toks) {
			req.intent, req.app = IntentClaim, grammarsCompiled()[0].mention(tokenize(q.Text))
			return req
		}
		req.intent = IntentSearch
		return req
	}
	req.intent, req.app, req.whole = IntentLookup, trimMention(text), true
	return req
}

// isListQuestion reports whether a message asks about many apps ("which
// apps…", "who requests…", "is there an app that…").
func isListQuestion(toks []token) bool {
	for _, g := range grammarsCompiled() {
		if g.list[toks[0].fold] {
			return true
		}
		if len(toks) > 1 && g.claim[toks[0].fold] && toks[1].fold == "there" {
			return true
		}
		for _, t := range toks[:min(3, len(toks))] {
			if t.fold == "apps" || t.fold == "addins" {
				return true
			}
		}
	}
	return false
}

// captures are the token ranges of a pattern's slots.
type captures struct {
	app, app2, section [2]int
	has                [3]bool // app, app2, section
}

func (c *captures) set(slot string, r [2]int) {
	switch slot {
	case "app":
		c.app, c.has[0] = r, true
	case "app2":
		c.app2, c.has[1] = r, true
	case "section":
		c.section, c.has[2] = r, true
	}
}

// matchRules tries the grammar's rules in order.
func (g *compiled) matchRules(toks []token, req request) (request, bool) {
	// Only the patterns that can start with the first word, in rule
	// order: those starting with it merged with those starting with a
	// slot.
	byWord, bySlot := g.byFirst[toks[0].fold], g.slotFirst
	for len(byWord) > 0 || len(bySlot) > 0 {
		var at int32
		if len(bySlot) == 0 || (len(byWord) > 0 && byWord[0] < bySlot[0]) {
			at, byWord = byWord[0], byWord[1:]
		} else {
			at, bySlot = bySlot[0], bySlot[1:]
		}
		if g.minLen[at] > len(toks) || (g.last[at] != nil && !g.last[at][toks[len(toks)-1].fold]) {
			continue // too short, or cannot end with the last word
		}
		ref := g.flat[at]
		r, p := &g.rules[ref[0]], g.rules[ref[0]].patterns[ref[1]]
		{
			var caps captures
			if !g.match(p, toks, 0, &caps) {
				continue
			}
			out := req
			out.intent, out.smallTalk = r.intent, r.smallTalk
			if caps.has[0] {
				out.app = g.mention(toks[caps.app[0]:caps.app[1]])
				if out.app == "" || g.questionStart(out.app) {
					// Only filler words where the app should be, or a
					// question swallowed by a loose pattern ("how does X
					// handle" is not an app whose "data" section is asked
					// for).
					continue
				}
			}
			if caps.has[1] {
				out.app2 = g.mention(toks[caps.app2[0]:caps.app2[1]])
			}
			if caps.has[2] {
				out.section = g.sections[joinFold(toks[caps.section[0]:caps.section[1]])]
			}
			return g.refine(out, toks), true
		}
	}
	return req, false
}

// questionStart reports whether a mention starts with a question word.
func (g *compiled) questionStart(mention string) bool {
	mt := tokenize(mention)
	return len(mt) > 0 && (g.claim[mt[0].fold] || g.question[mt[0].fold])
}

// refine turns a display request whose mention holds filters ("show me
// apps with SOC 2", "tell me about plumm hipaa"), a list question with
// filters ("apps with application permissions"), or one that starts a yes/no
// question ("does MyHub use application permissions" read as the
// permissions of "does MyHub use") into a claim or a search.
func (g *compiled) refine(req request, toks []token) request {
	switch req.intent {
	case IntentLookup, IntentPermissions, IntentSection:
	default:
		return req
	}
	mt := tokenize(req.app)
	if len(mt) > 0 && (g.claim[mt[0].fold] || g.list[mt[0].fold]) {
		return filterRequest(request{text: req.text}, toks, req.text)
	}
	if isListQuestion(toks) {
		// "show me apps with application permissions" asks for a list,
		// not for the permissions of an app named "with".
		if q, err := attestation.ParseQuery(req.text); err == nil && len(q.Filters) > 0 {
			return filterRequest(request{text: req.text}, toks, req.text)
		}
	}
	q, err := attestation.ParseQuery(req.app)
	if err != nil || len(q.Filters) == 0 {
		return req
	}
	return filterRequest(request{text: req.text}, toks, req.text)
}

// match reports whether pattern p matches toks[i:] to the end, filling
// caps with the token ranges of its slots.
func (g *compiled) match(p []patToken, toks []token, i int, caps *captures) bool {
	if len(p) == 0 {
		return i == len(toks)
	}
	t := p[0]
	switch t.slot {
	case "":
		// A word is taken when it can be; an optional one is skipped only
		// when taking it fails, so a slot never swallows it.
		if i < len(toks) && t.words[toks[i].fold] && g.match(p[1:], toks, i+1, caps) {
			return true
		}
		return t.optional && g.match(p[1:], toks, i, caps)
	case "section":
		for n := 1; n <= 2 && i+n <= len(toks); n++ {
			if _, ok := g.sections[joinFold(toks[i:i+n])]; ok && g.match(p[1:], toks, i+n, caps) {
				caps.set(t.slot, [2]int{i, i + n})
				return true
			}
		}
		return t.optional && g.match(p[1:], toks, i, caps)
	}
	// An app slot: one or more tokens, the shortest that lets the rest
	// match.
	for n := 1; i+n <= len(toks); n++ {
		if g.match(p[1:], toks, i+n, caps) {
			caps.set(t.slot, [2]int{i, i + n})
			return true
		}
	}
	return false
}

func joinFold(toks []token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.fold)
	}
	return b.String()
}

// smallTalkRank orders the small-talk kinds of a message.
var smallTalkRank = map[string]int{cards.SmallTalkThanks: 3, cards.SmallTalkBye: 2, cards.SmallTalkHello: 1}

// smallTalkKind reports whether every word of a message is small talk,
// and its kind (thanks over goodbye over greeting over the rest).
func (g *compiled) smallTalkKind(toks []token) (string, bool) {
	best, bestRank := "", -1
	for _, t := range toks {
		k, ok := g.small[t.fold]
		if !ok {
			return "", false
		}
		if smallTalkRank[k] > bestRank {
			best, bestRank = k, smallTalkRank[k]
		}
	}
	return best, true
}

// mention returns the app mention of slot tokens as typed, without
// filler words at its ends, possessives or trailing punctuation.
func (g *compiled) mention(toks []token) string {
	for len(toks) > 0 && g.trim[toks[0].fold] {
		toks = toks[1:]
	}
	for len(toks) > 0 && g.trim[toks[len(toks)-1].fold] {
		toks = toks[:len(toks)-1]
	}
	raws := make([]string, len(toks))
	for i, t := range toks {
		raws[i] = t.raw
	}
	return g.cleanMention(strings.Join(raws, " "))
}

// cleanMention drops quotes, trailing punctuation and a possessive.
func (g *compiled) cleanMention(m string) string {
	m = strings.Trim(m, " \"'“”‘’«»`")
	m = strings.TrimRight(m, "?!.,;:")
	m = strings.Trim(m, " \"'“”‘’«»`")
	for _, p := range g.g.possessives {
		if strings.HasSuffix(strings.ToLower(m), p) && len(m) > len(p)+1 {
			m = m[:len(m)-len(p)]
			break
		}
	}
	return strings.TrimSpace(m)
}

// trimMention cleans a whole message used as an app name.
func trimMention(text string) string {
	g := grammarsCompiled()[0]
	return g.mention(tokenizeKeep(text))
}

// tokenizeKeep tokenizes keeping every word (a link or an ID has letters,
// but a bare "?" does not).
func tokenizeKeep(text string) []token {
	var out []token
	for _, w := range strings.Fields(text) {
		out = append(out, token{fold: foldText(w), raw: w})
	}
	return out
}

// splitApps splits a compare mention into app names: on commas and list
// words ("plumm, saberr and reach").
func splitApps(mention string) []string {
	g := mergedGrammar()
	var out []string
	var cur []string
	flush := func() {
		if m := g.cleanMention(strings.Join(cur, " ")); m != "" {
			out = append(out, m)
		}
		cur = cur[:0]
	}
	for _, w := range strings.Fields(mention) {
		if g.seps[foldText(w)] || w == "," || w == "&" {
			flush()
			continue
		}
		if strings.HasSuffix(w, ",") {
			cur = append(cur, strings.TrimSuffix(w, ","))
			flush()
			continue
		}
		cur = append(cur, w)
	}
	flush()
	return out
}

// stripFillers drops filler words at the start and end of a message that
// says more than them, and returns the tokens and text left.
func stripFillers(toks []token, text string) ([]token, string) {
	g := mergedGrammar()
	lo, hi := 0, len(toks)
	for lo < hi-1 {
		switch {
		case lo < hi-2 && g.lead[toks[lo].fold+toks[lo+1].fold]: // "quick question"
			lo += 2
			continue
		case g.lead[toks[lo].fold]:
			lo++
			continue
		}
		break
	}
	for hi > lo+1 {
		switch {
		case g.tail[toks[hi-1].fold]:
			hi--
			continue
		case hi > lo+2 && g.tail[toks[hi-2].fold+toks[hi-1].fold]: // "thank you"
			hi -= 2
			continue
		}
		break
	}
	if lo == 0 && hi == len(toks) {
		return toks, text
	}
	toks = toks[lo:hi]
	raws := make([]string, len(toks))
	for i, t := range toks {
		raws[i] = t.raw
	}
	return toks, strings.TrimLeft(strings.Join(raws, " "), ",;: ")
}
