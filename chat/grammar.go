package chat

import (
	"strings"
	"sync"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
)

// This file holds the conversation's grammar: what a message asks for
// (its intent) and which words name the app, as tables of patterns keyed
// by language. The matcher (understand.go) knows no word of any language:
// adding a language is adding a grammar to grammars, with its words
// folded like everything else (case, accents and full-width forms do not
// matter).

// Intent is what a message asks for.
type Intent string

// Intents, each answered by one card.
const (
	IntentHelp          Intent = "help"          // the help card
	IntentSmallTalk     Intent = "smalltalk"     // thanks, greetings, emoji: a short answer
	IntentSubscriptions Intent = "subscriptions" // list what the user follows
	IntentSubscribe     Intent = "subscribe"     // follow an app (or all, tenant, a filter)
	IntentUnsubscribe   Intent = "unsubscribe"   // stop following
	IntentChanges       Intent = "changes"       // what changed for an app
	IntentCompare       Intent = "compare"       // two or three apps side by side
	IntentPermissions   Intent = "permissions"   // an app's Graph permissions
	IntentStorage       Intent = "storage"       // where an app stores customer data
	IntentSection       Intent = "section"       // one section of an app's record
	IntentLookup        Intent = "lookup"        // an app's summary
	IntentClaim         Intent = "claim"         // a yes/no question about an app
	IntentSearch        Intent = "search"        // apps matching filters
)

// rule maps patterns to an intent. A pattern is a space-separated list
// of tokens: a word, alternatives "a|b", an optional token "a?" or
// "a|b?", the slot "{app}" (one or more words naming apps) or "{app2}"
// (a second app), and "{section}" (a section word of the grammar).
type rule struct {
	intent   Intent
	patterns []string
	// smallTalk is the small-talk kind of IntentSmallTalk rules.
	smallTalk string
}

// grammar is one language's rules and word lists.
type grammar struct {
	// rules are tried in order; the first pattern matching the whole
	// message wins.
	rules []rule
	// sections maps section words ("security", "zero trust") to sections.
	sections map[string]attestation.Section
	// claimStarts start a yes/no question ("is", "does").
	claimStarts []string
	// listStarts start a question about many apps ("which", "apps").
	listStarts []string
	// questionWords start a question; a mention never does.
	questionWords []string
	// mentionTrim are words dropped at either end of an app mention
	// ("the", "app").
	mentionTrim []string
	// possessive is a suffix dropped from a mention ("'s").
	possessives []string
	// listSeparators split the apps of a compare ("and", ",").
	listSeparators []string
	// everything names every app for subscriptions ("all").
	everything []string
	// tenant names the tenant's apps for subscriptions.
	tenant []string
	// leadFillers and tailFillers are dropped at the start and end of a
	// message that says more ("hey, is plumm safe?", "… please"); two words
	// written as one ("quickquestion") are dropped only together.
	leadFillers, tailFillers []string
	// smallTalkWords are words that make a message small talk when every
	// word of it is one, by kind.
	smallTalkWords map[string]string
}

// grammars holds the grammar of each language (BCP 47 primary tag).
// Messages are read with every grammar, English first.
var grammars = map[string]*grammar{"en": &english}

// grammarOrder is the order grammars are tried in.
var grammarOrder = []string{"en"}

var english = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{
			"help", "help me?", "?", "commands", "menu", "start", "usage", "what can you do", "what can i ask|do",
			"what do you know", "how do i use|start this|you|attestbot|it?", "how do i use this bot|app|thing",
			"how does this|it work", "how does this bot work", "examples", "what can i ask you",
		}},
		{intent: IntentSmallTalk, smallTalk: cards.SmallTalkAbout, patterns: []string{
			"who|what are you", "what is attestbot", "whats attestbot", "what do you do", "are you a bot|human|person|robot",
			"what are you for", "what is this bot", "what does this bot do",
		}},
		{intent: IntentSmallTalk, smallTalk: cards.SmallTalkCertification, patterns: []string{
			"what is microsoft 365 certification", "whats microsoft 365 certification", "what is m365 certification", "whats m365 certification", "what is publisher attestation", "whats publisher attestation",
			"what is the difference between attestation and certification", "whats the difference between attestation and certification",
			"what is the difference between publisher attestation and microsoft 365 certification", "whats the difference between publisher attestation and microsoft 365 certification",
			"what does certified|attested mean", "attestation vs certification",
		}},
		{intent: IntentSubscriptions, patterns: []string{
			"my? subscriptions", "list|show my? subscriptions", "what|which apps? do|am i follow|following|watch|watching|subscribed to",
			"what am i subscribed to", "what am i following|watching", "which apps do i follow|watch", "my alerts", "list my alerts",
		}},
		{intent: IntentUnsubscribe, patterns: []string{
			"unsubscribe me? from? {app}", "unfollow {app}", "unwatch {app}", "mute {app}",
			"stop following|watching|tracking|monitoring {app}",
			"stop notifying|alerting me? about|for|on {app}", "stop notifications|alerts|notifying|alerting about|for|on|from {app}",
			"dont notify|alert me about|for|on {app}", "do not notify|alert me about|for|on {app}",
			"no more alerts|notifications for|about|on {app}",
			"cancel my? subscription|alerts to|for|on {app}", "remove my? subscription to|for {app}",
		}},
		{intent: IntentSubscribe, patterns: []string{
			"subscribe|follow|watch|track", "subscribe me",
			"subscribe me? to? changes|updates to|of|for|on|in {app}", "subscribe me? to? {app}", "follow {app}",
			"remind|notify|alert|tell me when|if {app} updates|changes its|their record|page|attestation",
			"remind me when|if {app} changes|change|updates|changed", "watch {app}", "track {app}", "monitor {app}",
			"notify|alert|tell|ping|warn me when|if {app} changes|change|updates|changed",
			"notify|alert|tell|ping|warn me when|if {app} is|gets updated|changed",
			"notify|alert|tell|ping|warn me of|about any? changes|updates to|of|in|for {app}",
			"notify|alert|tell|ping me about|of|on|for changes|updates to|of|in|for {app}",
			"notify|alert|ping me about|on|for {app}",
			"let me know when|if {app} changes|change|updates|changed",
			"let me know when|if {app} is|gets updated|changed",
			"keep me posted|updated|informed on|about {app}",
			"send|give me alerts|notifications|updates for|about|on {app}",
			"i want alerts|notifications|updates for|about|on {app}", "i would like alerts|notifications|updates for|about|on {app}",
			"get|enable alerts|notifications|updates for|about|on {app}",
			"subscribe to changes|updates to|of|for {app}",
		}},
		{intent: IntentChanges, patterns: []string{
			"what changed|changes for|in|on|with|to? {app} recently|lately?", "what has|have changed for|in|on|with {app} recently|lately?",
			"whats the? latest|last update|change for|to|of|on {app}", "what is the? latest|last update|change for|to|of|on {app}",
			"whats new for|with|in {app}", "what is new for|with|in {app}", "what did {app} change", "has|did {app} change|changed",
			"changes|history|changelog for|of|to {app}", "recent|latest changes for|to|of|in {app}",
			"{app} history|changes|changelog", "{app} change history", "show|list changes|history for|of|to {app}",
			"when was {app} last? updated|changed", "what is the history of {app}",
			"has|did {app} record|page|attestation changed|change recently|lately?", "has|did {app} changed|change recently|lately?",
			"has {app} been updated recently|lately?", "when did {app} last? update|change its|their? record|attestation|page?",
			"latest|recent|any updates|news for|on|to|about {app}", "updates|news for|on|to|about {app}",
			"did|has anything change|changed for|in|with|on {app}", "is there anything new for|with|on {app}",
			"any changes for|to|in|on {app}",
		}},
		{intent: IntentCompare, patterns: []string{
			"compare {app} with|to|against|and {app2}", "compare|diff {app}", "{app} vs|versus|vs. {app2}",
			"difference|differences between {app}", "how does {app} compare to|with|against {app2}",
			"what is the difference|differences between {app}", "whats the difference|differences between {app}", "how do {app} and {app2} compare",
			"which is better|safer {app}", "{app} or {app2} which is better|safer",
		}},
		{intent: IntentPermissions, patterns: []string{
			"what|which graph|microsoft? permissions|scopes does {app} need|request|require|use|have|want|ask for?",
			"what|which permissions|scopes is {app} requesting|asking for",
			"what|which api? permissions|scopes are requested|needed|required by {app}",
			"show|list|view? me? the? graph? permissions|scopes of|for {app}",
			"show|list|view? {app} graph? permissions|scopes", "{app} graph",
			"what can {app} access|read", "what does {app} have access to", "what data can {app} access|read",
			"what access does {app} need|have|request|want",
			"does {app} need|request|require admin consent",
		}},
		{intent: IntentStorage, patterns: []string{
			"where does {app} store|keep|host|save its|their|customer|my|our? data",
			"where does {app} store|keep|host|save data|it",
			"where is|are {app} data|servers|datacenters|datacentres stored|hosted|kept|located?",
			"where is|are the? data of|for {app} stored|hosted|kept",
			"where is {app} hosted|located|stored", "where are {app} servers|datacenters|datacentres",
			"{app} data location|residency|region", "{app} storage location|region",
			"data location|residency|region of|for {app}", "where is data stored for|by {app}",
			"in which country|countries|region|regions does {app} store data",
			"which country|countries|region|regions does {app} store data in",
		}},
		{intent: IntentSection, patterns: []string{
			"tell me about {app} {section}", "show|open|view? me? {app} {section}", "show|open|view? me? the? {section} of|for {app}",
			"what|how is {app} {section}", "how does {app} handle|process data",
			"tell me about {app} {section}",
		}},
		{intent: IntentLookup, patterns: []string{
			"tell me about|on {app}", "tell me more about {app}", "what about {app}", "what is {app}", "whats {app}",
			"info|information|details|summary|overview on|about|for|of {app}",
			"show|open|view|display|find|get me? the? app? {app}", "look up {app}", "lookup {app}", "search for {app}",
			"{app} teams|entra|azure|appsource|store app? id|ids", "what is|are {app} teams|entra|azure|appsource|store app? id|ids",
			"whats {app} teams|entra|azure|appsource|store app? id|ids",
			"is {app} safe|ok|okay|secure|trustworthy|legit|approved|good|compliant|allowed",
			"is {app} safe to allow|use|install|approve|deploy", "is it safe to allow|use|install|approve {app}",
			"can|should we|i trust|allow|use|install|approve {app}", "{app} info|details|summary|overview|record",
			"how safe|secure is {app}", "what do you know about {app}", "do you know {app}",
			"how compliant is {app}", "check {app}", "review {app}", "evaluate|assess {app}",
			"can|could you check|review|evaluate {app}", "can|could you look at {app}", "what does {app} do",
			"what is {app} for", "what is {app} used for",
			"who makes|publishes|develops|built|created|owns {app}", "who is behind {app}",
			"who is the publisher|vendor|developer|maker|company of|behind {app}",
			"i need|want info|information|details|data on|about|for|of {app}", "i need|want the record on|about|for|of {app}",
		}},
	},
	sections: map[string]attestation.Section{
		"general": attestation.SectionGeneral, "info": attestation.SectionGeneral, "information": attestation.SectionGeneral,
		"general information": attestation.SectionGeneral,
		"data":                attestation.SectionData, "data handling": attestation.SectionData, "handling": attestation.SectionData,
		"security": attestation.SectionSecurity, "compliance": attestation.SectionCompliance,
		"privacy":   attestation.SectionPrivacy,
		"zerotrust": attestation.SectionZeroTrust, "zero trust": attestation.SectionZeroTrust, "zero-trust": attestation.SectionZeroTrust,
		"identity": attestation.SectionIdentity, "certification": attestation.SectionCertification,
		"certifications": attestation.SectionCompliance,
	},
	claimStarts:    strings.Fields("is isnt are does doesnt do has have can was will did"),
	listStarts:     strings.Fields("which what who list find show search any give get apps app add-ins addins all"),
	questionWords:  strings.Fields("how what where when why who which whose whats wheres hows tell give could would please i we"),
	mentionTrim:    strings.Fields("the app apps application add-in addin a an please if whether"),
	possessives:    []string{"'s", "’s", "s'"},
	listSeparators: []string{",", "and", "&", "with", "vs", "versus", "or"},
	everything:     strings.Fields("all everything every"),
	tenant:         []string{"tenant", "my tenant", "our tenant", "tenant apps", "my tenant's apps", "my tenants apps", "our apps", "my apps"},
	leadFillers:    strings.Fields("hey hi hello ok okay so please pls plz well now also and then yo quickquestion question hmm"),
	tailFillers:    strings.Fields("please pls plz thanks thx ty thankyou"),
	smallTalkWords: map[string]string{
		"thanks": cards.SmallTalkThanks, "thank": cards.SmallTalkThanks, "thx": cards.SmallTalkThanks, "ty": cards.SmallTalkThanks,
		"cheers": cards.SmallTalkThanks, "merci": cards.SmallTalkThanks, "danke": cards.SmallTalkThanks, "gracias": cards.SmallTalkThanks,
		"grazie": cards.SmallTalkThanks, "obrigado": cards.SmallTalkThanks, "appreciated": cards.SmallTalkThanks, "tnx": cards.SmallTalkThanks,
		"hi": cards.SmallTalkHello, "hello": cards.SmallTalkHello, "hey": cards.SmallTalkHello, "yo": cards.SmallTalkHello,
		"morning": cards.SmallTalkHello, "afternoon": cards.SmallTalkHello, "evening": cards.SmallTalkHello, "bonjour": cards.SmallTalkHello,
		"hallo": cards.SmallTalkHello, "hola": cards.SmallTalkHello, "howdy": cards.SmallTalkHello, "greetings": cards.SmallTalkHello,
		"bye": cards.SmallTalkBye, "goodbye": cards.SmallTalkBye, "later": cards.SmallTalkBye, "cya": cards.SmallTalkBye, "night": cards.SmallTalkBye,
		"ok": cards.SmallTalkAck, "okay": cards.SmallTalkAck, "k": cards.SmallTalkAck, "cool": cards.SmallTalkAck, "great": cards.SmallTalkAck,
		"nice": cards.SmallTalkAck, "awesome": cards.SmallTalkAck, "perfect": cards.SmallTalkAck, "got": cards.SmallTalkAck, "it": cards.SmallTalkAck,
		"lol": cards.SmallTalkAck, "haha": cards.SmallTalkAck, "good": cards.SmallTalkAck, "sure": cards.SmallTalkAck, "np": cards.SmallTalkAck,
		"you": cards.SmallTalkAck, "a": cards.SmallTalkAck, "lot": cards.SmallTalkAck, "very": cards.SmallTalkAck, "much": cards.SmallTalkAck,
		"so": cards.SmallTalkAck, "there": cards.SmallTalkAck, "see": cards.SmallTalkAck, "bot": cards.SmallTalkAck, "all": cards.SmallTalkAck,
		"alright": cards.SmallTalkAck, "wow": cards.SmallTalkAck, "yes": cards.SmallTalkAck, "no": cards.SmallTalkAck, "yep": cards.SmallTalkAck,
		"nope": cards.SmallTalkAck, "hmm": cards.SmallTalkAck, "oh": cards.SmallTalkAck, "and": cards.SmallTalkAck, "again": cards.SmallTalkAck,
		"for": cards.SmallTalkAck, "help": cards.SmallTalkAck, "day": cards.SmallTalkAck, "have": cards.SmallTalkAck, "nice day": cards.SmallTalkAck,
	},
}

// compiled is a grammar with its patterns parsed and words folded.
type compiled struct {
	g     *grammar
	rules []compiledRule
	patternIndex
	sections map[string]attestation.Section
	claim    map[string]bool
	list     map[string]bool
	trim     map[string]bool
	seps     map[string]bool
	every    map[string]bool
	tenant   map[string]bool
	small    map[string]string
	question map[string]bool
	lead     map[string]bool
	tail     map[string]bool
}

// patternIndex finds the patterns a message can match by its first word.
type patternIndex struct {
	flat      [][2]int           // every pattern as (rule, pattern), in rule order
	minLen    []int              // per flat pattern: the fewest words it matches
	last      []map[string]bool  // per flat pattern: the words it can end with (nil: any)
	byFirst   map[string][]int32 // first word → indices in flat, ascending
	slotFirst []int32            // patterns starting with a slot, ascending
}

type compiledRule struct {
	rule
	patterns [][]patToken
	// first holds, per pattern, the words it can start with; nil when it
	// can start with a slot.
	first []map[string]bool
}

// patToken is one token of a pattern.
type patToken struct {
	words    map[string]bool // alternatives; nil for a slot
	slot     string          // "app", "app2", "section" or ""
	optional bool
}

var (
	compileOnce sync.Once
	compiledAll []*compiled
)

// grammarsCompiled returns every grammar compiled, in grammarOrder.
func grammarsCompiled() []*compiled {
	compileOnce.Do(func() {
		for _, lang := range grammarOrder {
			compiledAll = append(compiledAll, compileGrammar(grammars[lang]))
		}
	})
	return compiledAll
}

func foldSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[foldText(w)] = true
	}
	return m
}

func compileGrammar(g *grammar) *compiled {
	c := &compiled{g: g, sections: map[string]attestation.Section{}, small: map[string]string{},
		claim: foldSet(g.claimStarts), list: foldSet(g.listStarts), trim: foldSet(g.mentionTrim),
		seps: foldSet(g.listSeparators), every: foldSet(g.everything), tenant: foldSet(g.tenant),
		question: foldSet(g.questionWords), lead: foldSet(g.leadFillers), tail: foldSet(g.tailFillers)}
	for w, s := range g.sections {
		c.sections[foldText(w)] = s
	}
	for w, k := range g.smallTalkWords {
		c.small[foldText(w)] = k
	}
	for _, r := range g.rules {
		cr := compiledRule{rule: r}
		for _, p := range r.patterns {
			var toks []patToken
			for _, f := range strings.Fields(p) {
				t := patToken{}
				if strings.HasSuffix(f, "?") && len(f) > 1 {
					t.optional = true
					f = strings.TrimSuffix(f, "?")
				}
				if strings.HasPrefix(f, "{") && strings.HasSuffix(f, "}") {
					t.slot = f[1 : len(f)-1]
				} else {
					t.words = map[string]bool{}
					for _, alt := range strings.Split(f, "|") {
						t.words[foldText(alt)] = true
					}
				}
				toks = append(toks, t)
			}
			cr.patterns = append(cr.patterns, toks)
			cr.first = append(cr.first, firstWords(toks))
		}
		c.rules = append(c.rules, cr)
	}
	c.byFirst = map[string][]int32{}
	for ri, r := range c.rules {
		for pi := range r.patterns {
			at := int32(len(c.flat))
			c.flat = append(c.flat, [2]int{ri, pi})
			c.minLen = append(c.minLen, minWords(r.patterns[pi]))
			c.last = append(c.last, lastWords(r.patterns[pi]))
			if r.first[pi] == nil {
				c.slotFirst = append(c.slotFirst, at)
				continue
			}
			for w := range r.first[pi] {
				c.byFirst[w] = append(c.byFirst[w], at)
			}
		}
	}
	return c
}

// firstWords returns the words a pattern can start with, or nil when a
// slot can start it.
func firstWords(p []patToken) map[string]bool {
	first := map[string]bool{}
	for _, t := range p {
		if t.words == nil {
			return nil
		}
		for w := range t.words {
			first[w] = true
		}
		if !t.optional {
			return first
		}
	}
	return nil
}

// minWords returns the fewest message words a pattern matches.
func minWords(p []patToken) int {
	n := 0
	for _, t := range p {
		if !t.optional {
			n++
		}
	}
	return n
}

// lastWords returns the words a pattern can end with, or nil when it can
// end with a slot.
func lastWords(p []patToken) map[string]bool {
	rev := make([]patToken, len(p))
	for i, t := range p {
		rev[len(p)-1-i] = t
	}
	return firstWords(rev)
}
