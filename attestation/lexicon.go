package attestation

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Lexicon is the vocabulary ParseQuery reads in one language: the words
// that turn a chat request into filters. Every word and phrase is folded
// with FoldWord (case, accents and full-width forms) before use, so a
// table is written as people spell it. Lexicons are keyed by language in
// Lexicons; ParseQuery reads the words of every language at once, so a
// French admin may mix "hipaa" with "données stockées en UE". Add a
// language by adding a Lexicon: no control flow names a word.
type Lexicon struct {
	// Phrases rewrite multi-word spellings of filter words into one
	// word, in order, on the lower-cased request ("soc 2" → "soc2").
	Phrases [][2]string
	// Claims are single words naming an answer filter in this language
	// ("tiers" for third-party sharing), mapped to a filter alias (see
	// filterAliases: "thirdpartysharing"); multi-word forms go in Phrases.
	Claims [][2]string
	// StopWords are skipped when left over.
	StopWords []string
	// Negations negate the next filter ("without hipaa").
	Negations []string
	// PermissionCues make the next dotted word a Graph scope and let a
	// bare noun of PermissionPhrases ("calendars") read as a permission.
	PermissionCues []string
	// PublisherCues start a publisher name ("by Adobe").
	PublisherCues []string
	// HostNouns follow a host kind to make it a kind filter ("teams
	// apps", "outlook add-ins").
	HostNouns []string
	// Certified, Attested and Uncertified are certification words.
	Certified, Attested, Uncertified []string
	// ApplicationPermission and DelegatedPermission are the one-word forms
	// Phrases produce for permission types.
	ApplicationPermission, DelegatedPermission []string
	// PlacePrepositions make the place after them a storage place ("in
	// the EU"); Articles may sit between ("in the").
	PlacePrepositions, Articles []string
	// StorageCues make any place of the request a storage place ("data
	// stored in Germany"); HQCues a headquarters place ("based in").
	StorageCues, HQCues []string
	// OnlyWords make the next storage place exclusive ("only in the EU").
	OnlyWords []string
	// OutsideWords put the next place outside ("outside the EU": some
	// stated place is not in it); they count as place prepositions.
	OutsideWords []string
	// OrWords join two places into one filter ("in Canada or the US").
	OrWords []string
	// PermissionPhrases map what admins say to Graph scopes.
	PermissionPhrases []PermissionPhrase
}

// PermissionPhrase maps words to the Graph permissions they mean.
type PermissionPhrase struct {
	// Words is the phrase ("read all mail").
	Words string
	// Scopes are lower-case scope globs ("mail.read", "files.*").
	Scopes []string
	// Type restricts the scopes to a permission type ("" for any):
	// reading all mail of a tenant is an application permission.
	Type PermissionType
	// NeedsCue marks a bare noun ("calendars", "files") that is a
	// permission only after a permission cue or "all", not in an app
	// name ("Notes Plus").
	NeedsCue bool
}

// Lexicons holds the query vocabulary by language (BCP 47 primary tag).
var Lexicons = map[string]*Lexicon{"en": &englishLexicon}

// FoldWord folds a request word for table lookups: lower case, accents
// removed, full-width forms made ASCII; unlike Fold, punctuation is kept
// (Mail.ReadWrite, hipaa=yes).
func FoldWord(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// vocabulary is every lexicon merged and folded.
type vocabulary struct {
	phrases                              [][2]string
	stop, neg, permCue, pubCue, hostNoun map[string]bool
	certified, attested, uncertified     map[string]bool
	appPerm, delPerm, prep, article      map[string]bool
	storageCue, hqCue, only, or          map[string]bool
	outside                              map[string]bool
	perm                                 map[string]PermissionPhrase
	claim                                map[string]string // folded word → filter alias
	permMaxWords                         int
	// wide is every vocabulary word and place name written in a script
	// without spaces (CJK, Hangul), longest first: the words a run of such
	// script is cut into around a place name (see splitWide).
	wide []string
}

var (
	vocabOnce sync.Once
	vocab     *vocabulary
)

func queryVocabulary() *vocabulary {
	vocabOnce.Do(func() {
		v := &vocabulary{perm: map[string]PermissionPhrase{}, claim: map[string]string{}}
		set := func(m *map[string]bool, words []string) {
			if *m == nil {
				*m = map[string]bool{}
			}
			for _, w := range words {
				(*m)[FoldWord(w)] = true
			}
		}
		for _, lang := range slices.Sorted(maps.Keys(Lexicons)) {
			l := Lexicons[lang]
			for _, p := range l.Phrases {
				to := FoldWord(p[1])
				if hasWideScript(p[0]) {
					// Words are not spaced in CJK text: the filter word
					// a phrase becomes stands apart from its neighbours.
					to = " " + to + " "
				}
				v.phrases = append(v.phrases, [2]string{FoldWord(p[0]), to})
			}
			for _, c := range l.Claims {
				v.claim[FoldWord(c[0])] = c[1]
			}
			set(&v.stop, l.StopWords)
			set(&v.neg, l.Negations)
			set(&v.permCue, l.PermissionCues)
			set(&v.pubCue, l.PublisherCues)
			set(&v.hostNoun, l.HostNouns)
			set(&v.certified, l.Certified)
			set(&v.attested, l.Attested)
			set(&v.uncertified, l.Uncertified)
			set(&v.appPerm, l.ApplicationPermission)
			set(&v.delPerm, l.DelegatedPermission)
			set(&v.prep, l.PlacePrepositions)
			set(&v.article, l.Articles)
			set(&v.storageCue, l.StorageCues)
			set(&v.hqCue, l.HQCues)
			set(&v.only, l.OnlyWords)
			set(&v.outside, l.OutsideWords)
			set(&v.prep, l.OutsideWords)
			set(&v.or, l.OrWords)
			for _, p := range l.PermissionPhrases {
				k := strings.Join(strings.Fields(FoldWord(p.Words)), " ")
				v.perm[k] = p
				v.permMaxWords = max(v.permMaxWords, strings.Count(k, " ")+1)
			}
		}
		v.wide = wideWords(v)
		vocab = v
	})
	return vocab
}

// wideWords collects the vocabulary's words and the place names written in
// CJK or Hangul script, longest first.
func wideWords(v *vocabulary) []string {
	seen := map[string]bool{}
	for _, m := range []map[string]bool{v.stop, v.neg, v.permCue, v.pubCue, v.hostNoun, v.certified,
		v.attested, v.uncertified, v.prep, v.article, v.storageCue, v.hqCue, v.only, v.outside, v.or} {
		for w := range m {
			if hasWideScript(w) {
				seen[w] = true
			}
		}
	}
	for _, n := range geoIndex().cjk {
		seen[n.name] = true
	}
	for w := range v.claim {
		if hasWideScript(w) {
			seen[w] = true
		}
	}
	out := slices.Collect(maps.Keys(seen))
	slices.SortFunc(out, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return out
}

// The scope sets of PermissionPhrases.
var (
	scopesMailRead  = []string{"mail.read", "mail.readwrite", "mail.readbasic", "mail.readbasic.all", "mail.read.shared", "mail.readwrite.shared"}
	scopesAllMail   = []string{"mail.read", "mail.readwrite", "mail.readbasic.all"}
	scopesSendMail  = []string{"mail.send", "mail.send.shared"}
	scopesAllFiles  = []string{"files.read.all", "files.readwrite.all"}
	scopesFiles     = []string{"files.*"}
	scopesSites     = []string{"sites.*"}
	scopesDirectory = []string{"user.read.all", "user.readwrite.all", "user.readbasic.all", "directory.read.all", "directory.readwrite.all", "directory.accessasuser.all"}
	scopesCalendars = []string{"calendars.*"}
	scopesContacts  = []string{"contacts.*"}
	scopesChats     = []string{"chat.*", "chatmessage.*"}
	scopesChannels  = []string{"channelmessage.*", "channel.*", "channelsettings.*"}
	scopesMeetings  = []string{"onlinemeetings.*", "onlinemeetingartifact.*"}
	scopesRecording = []string{"onlinemeetingrecording.*", "onlinemeetingtranscript.*", "callrecords.*", "callrecord-pstncalls.*"}
	scopesGroups    = []string{"group.*", "groupmember.*"}
	scopesTasks     = []string{"tasks.*"}
	scopesNotes     = []string{"notes.*"}
	scopesPresence  = []string{"presence.*"}
	scopesOffline   = []string{"offline_access"}
)

// englishLexicon is the English vocabulary (the language of the catalog's
// source pages and of most admins' questions).
var englishLexicon = Lexicon{
	Phrases: [][2]string{
		{"iso/iec ", "iso "}, {"iso-iec ", "iso "}, {"iso 270", "iso270"}, {"iso-270", "iso270"},
		{"soc 1", "soc1"}, {"soc 2", "soc2"}, {"soc 3", "soc3"}, {"soc-1", "soc1"}, {"soc-2", "soc2"}, {"soc-3", "soc3"},
		{"pci dss", "pci"}, {"pci-dss", "pci"},
		{"hitrust csf", "hitrust"}, {"nist 800-171", "nist"}, {"nist 800 171", "nist"}, {"csa star", "csa"},
		{"penetration testing", "pentest"}, {"penetration tests", "pentest"}, {"penetration test", "pentest"},
		{"pen testing", "pentest"}, {"pen tests", "pentest"}, {"pen test", "pentest"}, {"pen-test", "pentest"},
		{"disaster recovery plan", "dr"}, {"disaster recovery", "dr"},
		{"multi-factor authentication", "mfa"}, {"multi factor authentication", "mfa"},
		{"multifactor authentication", "mfa"}, {"multi-factor", "mfa"}, {"multifactor", "mfa"},
		{"soc2 type ii", "soc2"}, {"soc2 type 2", "soc2"}, {"soc2 type i", "soc2"}, {"soc2 type 1", "soc2"},
		{"iso certified", "iso27001"}, {"iso certification", "iso27001"},
		{"certified by microsoft", "certified"}, {"microsoft certified", "certified"},
		{"incident response plan", "incidentresponseplan"}, {"incident response process", "incidentresponseplan"},
		{"data retention policy", "retentionpolicy"}, {"data retention process", "retentionpolicy"}, {"retention policy", "retentionpolicy"},
		{"share data with third parties", "thirdpartysharing"}, {"shares data with third parties", "thirdpartysharing"},
		{"transfer data to third parties", "thirdpartysharing"}, {"transfers data to third parties", "thirdpartysharing"},
		{"third-party sharing", "thirdpartysharing"}, {"third party sharing", "thirdpartysharing"}, {"sub-processors", "thirdpartysharing"},
		{"subprocessors", "thirdpartysharing"}, {"third parties", "thirdpartysharing"},
		{"breach notification", "breachnotification"}, {"notify breaches within 72 hours", "breachnotification"},
		{"breaches within 72 hours", "breachnotification"}, {"within 72 hours", "breachnotification"},
		{"vulnerability scanning", "vulnerabilityscans"}, {"vulnerability scans", "vulnerabilityscans"},
		{"event logging", "eventlogging"}, {"encryption in transit", "tlsintransit"}, {"encrypt data in transit", "tlsintransit"},
		{"publisher attested", "attested"}, {"publisher attestation", "attested"},
		{"store customer data", "storescustomerdata"}, {"stores customer data", "storescustomerdata"},
		{"keep customer data", "storescustomerdata"}, {"process customer data", "processescustomerdata"},
		{"processes customer data", "processescustomerdata"},
		{"microsoft 365 certified", "certified"}, {"m365 certified", "certified"}, {"microsoft 365 certification", "certified"},
		{"365 certified", "certified"},
		{"conditional access", "conditionalaccess"}, {"least privilege", "leastprivilege"},
		{"azure active directory", "entraid"}, {"azure ad", "entraid"},
		{"microsoft entra id", "entraid"}, {"entra id", "entraid"}, {"microsoft identity platform", "entraid"},
		{"application permissions", "application-permission"}, {"application permission", "application-permission"},
		{"app-only", "application-permission"}, {"app only", "application-permission"},
		{"delegated permissions", "delegated-permission"}, {"delegated permission", "delegated-permission"},
	},
	StopWords: strings.Fields(`a an the app apps applications add-in add-ins addin addins with and which who what that are is
		have has having show list find search me all for of requests request requesting requested require requires
		requiring need needs needing use uses using ask asks asking compliant compliance certificate support supports
		supporting do does permission permissions scope scopes graph in on store please get give any there can you i
		want see perform performs answered answer yes to tell about where how its their they them my our we us whose
		could would should let let's lets which? those these ones one but also both either too comply complies
		complying conform conforms meet meets how many number count integrate integrates integrating`),
	Negations:             strings.Fields(`without no not non lack lacks lacking missing isn't aren't don't doesn't never`),
	PermissionCues:        strings.Fields(`request requests requesting requested require requires requiring permission permissions scope scopes use uses using need needs with has have asks asking access accesses read reads write writes send sends can`),
	PublisherCues:         []string{"by", "from"},
	HostNouns:             []string{"app", "apps", "add-in", "add-ins", "addins", "pages"},
	Certified:             []string{"certified"},
	Attested:              []string{"attested"},
	Uncertified:           []string{"uncertified"},
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "delegated"},
	PlacePrepositions:     []string{"in", "within", "inside"},
	Articles:              []string{"the"},
	StorageCues: strings.Fields(`store stores stored storing storage data host hosts hosted hosting residency reside resides
		located location datacenter datacenters datacentre datacentres servers keep keeps kept region regions`),
	HQCues:       strings.Fields(`headquartered headquarters hq based company companies vendor vendors publisher publishers`),
	OnlyWords:    strings.Fields(`only exclusively solely`),
	OutsideWords: strings.Fields(`outside beyond`),
	OrWords:      []string{"or"},
	PermissionPhrases: []PermissionPhrase{
		{Words: "read all mail", Scopes: scopesAllMail, Type: Application},
		{Words: "read all email", Scopes: scopesAllMail, Type: Application},
		{Words: "read all emails", Scopes: scopesAllMail, Type: Application},
		{Words: "access all mail", Scopes: scopesAllMail, Type: Application},
		{Words: "access all mailboxes", Scopes: scopesAllMail, Type: Application},
		{Words: "all mailboxes", Scopes: scopesAllMail, Type: Application},
		{Words: "all mail", Scopes: scopesAllMail, Type: Application},
		{Words: "everyone's mail", Scopes: scopesAllMail, Type: Application},
		{Words: "read mail", Scopes: scopesMailRead},
		{Words: "read email", Scopes: scopesMailRead},
		{Words: "read emails", Scopes: scopesMailRead},
		{Words: "access mail", Scopes: scopesMailRead},
		{Words: "access email", Scopes: scopesMailRead},
		{Words: "mail access", Scopes: scopesMailRead},
		{Words: "mailbox", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "mailboxes", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "mail", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "email", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "emails", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "send mail", Scopes: scopesSendMail},
		{Words: "send email", Scopes: scopesSendMail},
		{Words: "send emails", Scopes: scopesSendMail},
		{Words: "send mail as", Scopes: scopesSendMail},
		{Words: "all files", Scopes: scopesAllFiles},
		{Words: "read all files", Scopes: scopesAllFiles},
		{Words: "access all files", Scopes: scopesAllFiles},
		{Words: "everyone's files", Scopes: scopesAllFiles},
		{Words: "files", Scopes: scopesFiles, NeedsCue: true},
		{Words: "onedrive", Scopes: scopesFiles, NeedsCue: true},
		{Words: "all sites", Scopes: scopesSites},
		{Words: "sharepoint sites", Scopes: scopesSites},
		{Words: "sites", Scopes: scopesSites, NeedsCue: true},
		{Words: "all users", Scopes: scopesDirectory},
		{Words: "read all users", Scopes: scopesDirectory},
		{Words: "user directory", Scopes: scopesDirectory},
		{Words: "the directory", Scopes: scopesDirectory, NeedsCue: true},
		{Words: "directory", Scopes: scopesDirectory, NeedsCue: true},
		{Words: "user profiles", Scopes: scopesDirectory, NeedsCue: true},
		{Words: "all calendars", Scopes: scopesCalendars, Type: Application},
		{Words: "all users calendars", Scopes: scopesCalendars, Type: Application},
		{Words: "every user's calendar", Scopes: scopesCalendars, Type: Application},
		{Words: "everyone's calendars", Scopes: scopesCalendars, Type: Application},
		{Words: "all users mail", Scopes: scopesAllMail, Type: Application},
		{Words: "every user's mail", Scopes: scopesAllMail, Type: Application},
		{Words: "all users files", Scopes: scopesAllFiles},
		{Words: "every user's files", Scopes: scopesAllFiles},
		{Words: "calendars", Scopes: scopesCalendars, NeedsCue: true},
		{Words: "calendar", Scopes: scopesCalendars, NeedsCue: true},
		{Words: "contacts", Scopes: scopesContacts, NeedsCue: true},
		{Words: "all chats", Scopes: scopesChats},
		{Words: "chat messages", Scopes: scopesChats},
		{Words: "chats", Scopes: scopesChats, NeedsCue: true},
		{Words: "channel messages", Scopes: scopesChannels},
		{Words: "channels", Scopes: scopesChannels, NeedsCue: true},
		{Words: "online meetings", Scopes: scopesMeetings, NeedsCue: true},
		{Words: "meetings", Scopes: scopesMeetings, NeedsCue: true},
		{Words: "meeting recordings", Scopes: scopesRecording},
		{Words: "call recordings", Scopes: scopesRecording},
		{Words: "recordings", Scopes: scopesRecording, NeedsCue: true},
		{Words: "transcripts", Scopes: scopesRecording, NeedsCue: true},
		{Words: "groups", Scopes: scopesGroups, NeedsCue: true},
		{Words: "tasks", Scopes: scopesTasks, NeedsCue: true},
		{Words: "planner", Scopes: scopesTasks, NeedsCue: true},
		{Words: "notebooks", Scopes: scopesNotes, NeedsCue: true},
		{Words: "presence", Scopes: scopesPresence, NeedsCue: true},
		{Words: "offline access", Scopes: scopesOffline},
		{Words: "refresh tokens", Scopes: scopesOffline},
	},
}
