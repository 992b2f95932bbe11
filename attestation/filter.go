package attestation

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// FilterKind says what a Filter tests.
type FilterKind string

// Filter kinds.
const (
	// FilterAnswer tests the normalized answer of one question key.
	FilterAnswer FilterKind = "answer"
	// FilterPermission tests whether a record requests a Graph permission
	// matching one of the scope patterns (and, when set, of the type).
	FilterPermission FilterKind = "permission"
	// FilterPermissionType tests whether a record requests any Graph
	// permission of the given type.
	FilterPermissionType FilterKind = "permission-type"
	// FilterCertification tests the certification (attested, certified).
	FilterCertification FilterKind = "certification"
	// FilterHost tests the record kind (teams, saas, word…).
	FilterHost FilterKind = "kind"
	// FilterLocale tests the record locale.
	FilterLocale FilterKind = "locale"
	// FilterPublisher tests whether the folded publisher name contains one
	// of the folded values.
	FilterPublisher FilterKind = "publisher"
	// FilterStorage tests where the record says customer data is stored
	// (data.storage_location): at least one place it names is one of the
	// values, a country code (DE) or a region (eu, eea, europe,
	// north-america…) the place belongs to. Records that name no place
	// never match.
	FilterStorage FilterKind = "storage"
	// FilterStorageOnly is FilterStorage where every place the record
	// names must be in the values.
	FilterStorageOnly FilterKind = "storage-only"
	// FilterHQ tests the company headquarters (gen.hq_location) as
	// FilterStorage does.
	FilterHQ FilterKind = "hq"
)

// Answer keys the place filters read.
const (
	KeyStorageLocation = "data.storage_location"
	KeyHQLocation      = "gen.hq_location"
)

// Answer filter values beyond the normalized Values: "answered" matches any
// present, non-blank answer; "unanswered" also matches an absent key.
const (
	filterValueAnswered   = "answered"
	filterValueUnanswered = string(ValueUnanswered)
)

// Filter is one condition on a record. A record matches a filter when it
// matches any of its Values (OR); a list of filters is combined with AND.
type Filter struct {
	// Kind says what the filter tests.
	Kind FilterKind `json:"kind"`
	// Key is the answer key of a FilterAnswer filter, such as comp.hipaa.
	Key string `json:"key,omitempty"`
	// Values are the accepted values: normalized answer values (yes, no,
	// not_applicable, unanswered, answered, pass, fail, in_scope) for
	// answers, lower-cased scope globs (mail.*) for permissions, permission
	// types, certifications, kinds, locales (fr-FR, or a language such as
	// fr) or folded publisher fragments.
	Values []string `json:"values"`
	// PermissionType restricts a FilterPermission filter to rows of this
	// type; Both rows match delegated and application.
	PermissionType PermissionType `json:"permission_type,omitempty"`
	// Negate inverts the filter (written key!=value).
	Negate bool `json:"negate,omitempty"`
}

// ErrUnknownFilter is wrapped by ParseFilters when a filter name is not
// known.
var ErrUnknownFilter = errors.New("unknown filter")

// ErrBadFilterValue is wrapped by ParseFilters when a value is not valid for
// its filter.
var ErrBadFilterValue = errors.New("bad filter value")

// filterAliases maps short filter names (folded, without - _ or spaces) to
// answer keys.
var filterAliases = map[string]string{
	"hipaa": "comp.hipaa", "hitrust": "comp.hitrust_csf", "hitrustcsf": "comp.hitrust_csf",
	"soc1": "comp.soc1", "soc2": "comp.soc2", "soc3": "comp.soc3",
	"pci": "comp.pci_dss_annual", "pcidss": "comp.pci_dss_annual",
	"iso27001": "comp.iso27001", "iso27018": "comp.iso27018", "iso27017": "comp.iso27017",
	"iso27002": "comp.iso27002", "fedramp": "comp.fedramp", "ferpa": "comp.ferpa",
	"coppa": "comp.coppa", "sox": "comp.sox", "nist": "comp.nist_800_171", "nist800171": "comp.nist_800_171",
	"csa": "comp.csa_star", "csastar": "comp.csa_star",
	"gdpr": "priv.gdpr_or_privacy_obligations", "privacynotice": "priv.external_privacy_notice",
	"pentest": "sec.annual_pen_test", "penetrationtest": "sec.annual_pen_test",
	"dr": "sec.disaster_recovery_plan", "disasterrecovery": "sec.disaster_recovery_plan",
	"mfa": "sec.mfa_enabled_for", "idps": "sec.idps_deployed", "owasp": "sec.secure_coding_owasp",
	"vulnscan": "sec.quarterly_vuln_scans", "firewall": "sec.external_firewall",
	"logging": "sec.event_logging", "incidentresponse": "sec.incident_response_process",
	"breach72h": "sec.breach_notification_72h",
	"tls":       "data.supports_tls11_plus", "storesdata": "data.stores_customer_data",
	"processesdata": "data.processes_customer_data", "thirdparties": "data.transfers_to_third_parties",
	"retention": "data.retention_disposal_process",
	"ca":        "zt.supports_conditional_access", "conditionalaccess": "zt.supports_conditional_access",
	"cae": "zt.supports_cae", "msal": "zt.uses_latest_msal_or_identity_web",
	"leastprivilege": "zt.least_privilege", "credentialsincode": "zt.credentials_in_code",
	// Unambiguous forms the query phrases produce.
	"incidentresponseplan": "sec.incident_response_process", "retentionpolicy": "data.retention_disposal_process",
	"thirdpartysharing": "data.transfers_to_third_parties", "breachnotification": "sec.breach_notification_72h",
	"storescustomerdata": "data.stores_customer_data", "processescustomerdata": "data.processes_customer_data",
	"vulnerabilityscans": "sec.quarterly_vuln_scans", "eventlogging": "sec.event_logging", "tlsintransit": "data.supports_tls11_plus",
	"entraid": "zt.integrates_ms_identity_platform",
}

// filterValueAliases maps accepted answer value spellings to the canonical
// filter value.
var filterValueAliases = map[string]string{
	"yes": "yes", "y": "yes", "true": "yes",
	"no": "no", "n": "no", "false": "no",
	"na": "not_applicable", "n/a": "not_applicable", "not_applicable": "not_applicable",
	"notapplicable": "not_applicable", "not-applicable": "not_applicable",
	"unanswered": "unanswered", "blank": "unanswered", "none": "unanswered", "empty": "unanswered",
	"answered": "answered", "any": "answered",
	"pass": "pass", "fail": "fail", "in_scope": "in_scope", "inscope": "in_scope", "in-scope": "in_scope",
	"text": "text", "unknown": "unknown",
}

// hostKinds are the record kinds a kind filter accepts.
var hostKinds = []string{
	"teams", "saas", "word", "outlook", "sharepoint", "excel", "web", "powerpoint",
	"project", "onenote", "azure",
}

// ParseFilters parses filter expressions. Each argument may hold several
// space-separated filters; a value with spaces is written in double quotes
// (publisher="Adobe Inc"). Forms: name=value, name!=value, values separated
// by commas (OR), and the bare words certified, attested and any
// short alias (hipaa alone means hipaa=yes). Names: an answer key
// (comp.hipaa), a short alias (hipaa, soc2, iso27001, gdpr, pentest, dr,
// mfa…), permission (scope, case-insensitive, * and ? globs),
// permission-type (delegated, application, both), certification (or
// certified/attested), kind, locale, publisher. The words "and" and "&&"
// are skipped. A permission-type filter given together with permission
// filters restricts those filters row by row instead of standing alone.
func ParseFilters(args ...string) ([]Filter, error) {
	var words []string
	for _, a := range args {
		w, err := splitFilterWords(a)
		if err != nil {
			return nil, err
		}
		words = append(words, w...)
	}
	var out []Filter
	for _, w := range words {
		switch strings.ToLower(w) {
		case "and", "&&", "&":
			continue
		}
		f, err := parseFilterWord(w)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return mergePermissionType(out), nil
}

// splitFilterWords splits on spaces outside double quotes and removes the
// quotes.
func splitFilterWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inQuote, has := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
			has = true
		case !inQuote && (r == ' ' || r == '\t' || r == '\n' || r == '\r'):
			if has {
				words = append(words, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("%w: unbalanced quote in %q", ErrBadFilterValue, s)
	}
	if has {
		words = append(words, cur.String())
	}
	return words, nil
}

// aliasName folds a filter name for alias lookup: lower case without -, _,
// spaces or slashes.
func aliasName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', ' ', '/':
			return -1
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// resolveAnswerKey maps a filter name to an answer key: a canonical key
// known to LookupKey, or a short alias.
func resolveAnswerKey(name string) (string, bool) {
	low := strings.ToLower(name)
	if _, ok := LookupKey(low); ok {
		return low, true
	}
	if k, ok := filterAliases[aliasName(name)]; ok {
		return k, true
	}
	// A key written without its section prefix: "hipaa" is covered by the
	// aliases; "annual_pen_test" is found here.
	for _, prefix := range []string{"comp.", "sec.", "priv.", "data.", "zt.", "idn.", "gen.", "cert."} {
		if _, ok := LookupKey(prefix + low); ok {
			return prefix + low, true
		}
	}
	return "", false
}

// filterExpr is one filter word split into its parts.
type filterExpr struct {
	word     string   // as written
	name     string   // the filter name, trimmed
	value    string   // the raw value
	values   []string // the comma-separated values
	negate   bool
	hasValue bool
}

// filterSpec reads the filters of one kind; filterSpecs lists them by
// name (folded by aliasName).
type filterSpec struct {
	names []string
	parse func(e filterExpr) (Filter, error)
}

var filterSpecs = []filterSpec{
	{[]string{"certified", "attested"}, parseCertifiedFlag},
	{[]string{"certification", "cert", "certificationtype"}, parseCertificationFilter},
	{[]string{"permission", "permissions", "perm", "scope"}, parsePermissionFilter},
	{[]string{"permissiontype", "permtype", "type"}, parsePermissionTypeFilter},
	{[]string{"kind", "host"}, parseHostFilter},
	{[]string{"locale", "lang", "language"}, parseLocaleFilter},
	{[]string{"publisher", "partner", "by"}, parsePublisherFilter},
	{[]string{"storage", "stored", "storedin", "storagelocation", "datalocation", "location", "region", "residency", "dataresidency"}, placeFilter(FilterStorage)},
	{[]string{"storageonly", "storedonlyin", "onlyin"}, placeFilter(FilterStorageOnly)},
	{[]string{"hq", "headquarters", "headquartered", "hqlocation", "based"}, placeFilter(FilterHQ)},
}

// filterSpecByName maps every folded filter name to its spec.
var filterSpecByName = func() map[string]*filterSpec {
	m := map[string]*filterSpec{}
	for i := range filterSpecs {
		for _, n := range filterSpecs[i].names {
			m[n] = &filterSpecs[i]
		}
	}
	return m
}()

// parseFilterWord reads one filter word: its parts, then the filter of
// its name, else an answer filter.
func parseFilterWord(w string) (Filter, error) {
	e, err := splitFilterExpr(w)
	if err != nil {
		return Filter{}, err
	}
	if spec, ok := filterSpecByName[aliasName(e.name)]; ok {
		return spec.parse(e)
	}
	return parseAnswerFilter(e)
}

// splitFilterExpr splits name=value, name!=value, name:value, !name and
// -name.
func splitFilterExpr(w string) (filterExpr, error) {
	e := filterExpr{word: w, name: w}
	if i := strings.Index(w, "!="); i >= 0 {
		e.name, e.value, e.negate, e.hasValue = w[:i], w[i+2:], true, true
	} else if i := strings.IndexByte(w, '='); i >= 0 {
		e.name, e.value, e.hasValue = w[:i], w[i+1:], true
	} else if i := strings.IndexByte(w, ':'); i > 0 && !strings.Contains(w[:i], ".") {
		// name:value, as chat users often type it (kind:teams).
		e.name, e.value, e.hasValue = w[:i], w[i+1:], true
	}
	e.name = strings.TrimSpace(e.name)
	if strings.HasPrefix(e.name, "!") || strings.HasPrefix(e.name, "-") && !e.hasValue {
		e.negate = !e.negate
		e.name = e.name[1:]
	}
	if e.name == "" {
		return e, fmt.Errorf("%w: empty filter name in %q", ErrUnknownFilter, w)
	}
	e.values = splitValues(e.value)
	if e.hasValue && len(e.values) == 0 {
		return e, fmt.Errorf("%w: filter %q has no value", ErrBadFilterValue, e.name)
	}
	return e, nil
}

// needValue returns the error for a filter written without its value.
func (e filterExpr) needValue(what string) error {
	if e.hasValue {
		return nil
	}
	return fmt.Errorf("%w: %s needs %s", ErrBadFilterValue, e.name, what)
}

func parseCertifiedFlag(e filterExpr) (Filter, error) {
	negate := e.negate
	if e.hasValue {
		v, err := yesNoFlag(e.name, e.values)
		if err != nil {
			return Filter{}, err
		}
		negate = negate != !v
	}
	return Filter{Kind: FilterCertification, Values: []string{aliasName(e.name)}, Negate: negate}, nil
}

func parseCertificationFilter(e filterExpr) (Filter, error) {
	if err := e.needValue("a value (attested or certified)"); err != nil {
		return Filter{}, err
	}
	for i, v := range e.values {
		v = strings.ToLower(v)
		if v != string(Attested) && v != string(Certified) {
			return Filter{}, fmt.Errorf("%w: certification %q (want attested or certified)", ErrBadFilterValue, v)
		}
		e.values[i] = v
	}
	return Filter{Kind: FilterCertification, Values: e.values, Negate: e.negate}, nil
}

func parsePermissionFilter(e filterExpr) (Filter, error) {
	if !e.hasValue {
		return Filter{}, fmt.Errorf("%w: permission needs a scope, such as permission=Mail.ReadWrite", ErrBadFilterValue)
	}
	for i, v := range e.values {
		if strings.ContainsAny(v, "[]\\") {
			return Filter{}, fmt.Errorf("%w: permission %q: only * and ? globs are supported", ErrBadFilterValue, v)
		}
		e.values[i] = strings.ToLower(v)
	}
	return Filter{Kind: FilterPermission, Values: e.values, Negate: e.negate}, nil
}

func parsePermissionTypeFilter(e filterExpr) (Filter, error) {
	if !e.hasValue {
		return Filter{}, fmt.Errorf("%w: permission-type needs a value (delegated, application, both)", ErrBadFilterValue)
	}
	for i, v := range e.values {
		t, ok := parsePermissionTypeWord(v)
		if !ok {
			return Filter{}, fmt.Errorf("%w: permission-type %q (want delegated, application or both)", ErrBadFilterValue, v)
		}
		e.values[i] = string(t)
	}
	return Filter{Kind: FilterPermissionType, Values: e.values, Negate: e.negate}, nil
}

func parseHostFilter(e filterExpr) (Filter, error) {
	if err := e.needValue("a value (" + strings.Join(hostKinds, ", ") + ")"); err != nil {
		return Filter{}, err
	}
	for i, v := range e.values {
		v = strings.ToLower(v)
		if !slices.Contains(hostKinds, v) {
			return Filter{}, fmt.Errorf("%w: kind %q (want one of %s)", ErrBadFilterValue, v, strings.Join(hostKinds, ", "))
		}
		e.values[i] = v
	}
	return Filter{Kind: FilterHost, Values: e.values, Negate: e.negate}, nil
}

func parseLocaleFilter(e filterExpr) (Filter, error) {
	if err := e.needValue("a value such as fr-FR"); err != nil {
		return Filter{}, err
	}
	for i, v := range e.values {
		if !isLocaleWord(v) {
			return Filter{}, fmt.Errorf("%w: locale %q (want a locale such as fr-FR or a language such as fr)", ErrBadFilterValue, v)
		}
		e.values[i] = normalizeLocale(v)
	}
	return Filter{Kind: FilterLocale, Values: e.values, Negate: e.negate}, nil
}

func parsePublisherFilter(e filterExpr) (Filter, error) {
	if err := e.needValue("a value"); err != nil {
		return Filter{}, err
	}
	var folded []string
	for _, v := range e.values {
		if f := Fold(v); f != "" {
			folded = append(folded, f)
		}
	}
	if len(folded) == 0 {
		return Filter{}, fmt.Errorf("%w: publisher %q has no letters or digits", ErrBadFilterValue, e.value)
	}
	return Filter{Kind: FilterPublisher, Values: folded, Negate: e.negate}, nil
}

// placeFilter reads storage=eu, storage-only=de,fr or hq=us: values are
// place codes or names (LookupPlace).
func placeFilter(kind FilterKind) func(e filterExpr) (Filter, error) {
	return func(e filterExpr) (Filter, error) {
		if err := e.needValue("a country or region, such as eu, us or germany"); err != nil {
			return Filter{}, err
		}
		for i, v := range e.values {
			code, ok := LookupPlace(v)
			if !ok {
				return Filter{}, fmt.Errorf("%w: %s %q is not a country or region I know (try eu, eea, europe, us, north-america, asia-pacific or a country name)", ErrBadFilterValue, e.name, v)
			}
			e.values[i] = code
		}
		return Filter{Kind: kind, Values: e.values, Negate: e.negate}, nil
	}
}

// parseAnswerFilter reads an answer key or alias: hipaa, comp.hipaa=no,
// soc2!=yes.
func parseAnswerFilter(e filterExpr) (Filter, error) {
	key, ok := resolveAnswerKey(e.name)
	if !ok {
		return Filter{}, fmt.Errorf("%w %q (use an answer key such as comp.hipaa, an alias such as %s, or permission, permission-type, certified, attested, certification, kind, locale, publisher, storage, hq)",
			ErrUnknownFilter, e.name, strings.Join(shortAliasNames(), ", "))
	}
	values := e.values
	if !e.hasValue {
		values = []string{string(ValueYes)}
	}
	for i, v := range values {
		c, ok := filterValueAliases[strings.ToLower(v)]
		if !ok {
			return Filter{}, fmt.Errorf("%w: %s=%q (want yes, no, na, unanswered or answered)", ErrBadFilterValue, e.name, v)
		}
		values[i] = c
	}
	return Filter{Kind: FilterAnswer, Key: key, Values: values, Negate: e.negate}, nil
}

// shortAliasNames lists a few short aliases for error messages.
func shortAliasNames() []string {
	return []string{"hipaa", "soc2", "iso27001", "gdpr", "pentest", "dr", "mfa"}
}

func splitValues(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func yesNoFlag(name string, values []string) (bool, error) {
	if len(values) != 1 {
		return false, fmt.Errorf("%w: %s takes one value (yes or no)", ErrBadFilterValue, name)
	}
	switch filterValueAliases[strings.ToLower(values[0])] {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, fmt.Errorf("%w: %s=%q (want yes or no)", ErrBadFilterValue, name, values[0])
}

func parsePermissionTypeWord(v string) (PermissionType, bool) {
	switch strings.ToLower(v) {
	case "delegated", "delegate", "user":
		return Delegated, true
	case "application", "app", "app-only", "apponly":
		return Application, true
	case "both":
		return Both, true
	}
	return "", false
}

func isLocaleWord(v string) bool {
	if localeRE.MatchString(v) {
		return true
	}
	if len(v) != 2 {
		return false
	}
	for _, c := range v {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// mergePermissionType folds non-negated permission-type filters into the
// non-negated permission filters, so that "permission=Mail.ReadWrite
// permission-type=application" asks for Mail.ReadWrite as an application
// permission rather than for two unrelated rows. It applies only when the
// type filter has one value.
func mergePermissionType(fs []Filter) []Filter {
	typeIdx, hasPerm := -1, false
	for i, f := range fs {
		switch {
		case f.Kind == FilterPermissionType && !f.Negate && len(f.Values) == 1 && typeIdx < 0:
			typeIdx = i
		case f.Kind == FilterPermission && !f.Negate && f.PermissionType == "":
			hasPerm = true
		}
	}
	if typeIdx < 0 || !hasPerm {
		return fs
	}
	t := PermissionType(fs[typeIdx].Values[0])
	out := make([]Filter, 0, len(fs)-1)
	for i, f := range fs {
		if i == typeIdx {
			continue
		}
		if f.Kind == FilterPermission && !f.Negate && f.PermissionType == "" {
			f.PermissionType = t
		}
		out = append(out, f)
	}
	return out
}

// Match reports whether r satisfies the filter. A nil record never
// matches.
func (f Filter) Match(r *Record) bool {
	if r == nil {
		return false
	}
	switch f.Kind {
	case FilterStorage, FilterStorageOnly, FilterHQ:
		return f.matchKnownPlaces(recordPlaces(r, f.Kind))
	}
	return f.match(r) != f.Negate
}

func (f Filter) match(r *Record) bool {
	switch f.Kind {
	case FilterAnswer:
		a, ok := r.Answer(f.Key)
		for _, v := range f.Values {
			if answerMatches(f.Key, a, ok, v) {
				return true
			}
		}
	case FilterPermission:
		for _, p := range r.Permissions {
			if !permissionTypeMatches(p.Type, f.PermissionType) {
				continue
			}
			name := strings.ToLower(p.Name)
			for _, pat := range f.Values {
				if MatchGlob(pat, name) {
					return true
				}
			}
		}
	case FilterPermissionType:
		for _, p := range r.Permissions {
			for _, v := range f.Values {
				if permissionTypeMatches(p.Type, PermissionType(v)) {
					return true
				}
			}
		}
	case FilterCertification:
		return slices.Contains(f.Values, string(r.Certification))
	case FilterHost:
		return slices.Contains(f.Values, strings.ToLower(r.Kind))
	case FilterLocale:
		for _, v := range f.Values {
			if strings.EqualFold(v, r.Locale) ||
				(len(v) == 2 && len(r.Locale) > 2 && r.Locale[2] == '-' && strings.EqualFold(v, r.Locale[:2])) {
				return true
			}
		}
	case FilterPublisher:
		pub := Fold(r.Publisher)
		for _, v := range f.Values {
			if v != "" && strings.Contains(pub, v) {
				return true
			}
		}
	case FilterStorage, FilterStorageOnly, FilterHQ:
		return f.matchPlaces(recordPlaces(r, f.Kind))
	}
	return false
}

// recordPlaces returns the places a record names for a place filter.
func recordPlaces(r *Record, kind FilterKind) []string {
	text := placeText(r, kind)
	if text == "" {
		return nil
	}
	return Places(text)
}

// placeText returns the text of the answer a place filter of kind reads:
// the storage location, or the headquarters for FilterHQ.
func placeText(r *Record, kind FilterKind) string {
	key := KeyStorageLocation
	if kind == FilterHQ {
		key = KeyHQLocation
	}
	if a, ok := r.Answer(key); ok {
		return a.Text
	}
	return ""
}

// matchPlaces tests a place filter (not negated) against the places a
// record names.
// matchKnownPlaces applies f, negation included, to the places a record
// states. A negated place filter needs places to judge: a record that does
// not say where it stores data (or is based) is not "outside the EU" nor
// "not in the US"; it is not stated, and left out.
func (f Filter) matchKnownPlaces(have []string) bool {
	if f.Negate && len(have) == 0 {
		return false
	}
	return f.matchPlaces(have) != f.Negate
}

func (f Filter) matchPlaces(have []string) bool {
	if len(have) == 0 {
		return false
	}
	if f.Kind == FilterStorageOnly {
		for _, h := range have {
			in := false
			for _, v := range f.Values {
				if placeSatisfies([]string{h}, v) {
					in = true
					break
				}
			}
			if !in {
				return false
			}
		}
		return true
	}
	for _, v := range f.Values {
		if placeSatisfies(have, v) {
			return true
		}
	}
	return false
}

// permissionTypeMatches reports whether a row of type have satisfies a
// wanted type; Both satisfies delegated and application, and an empty want
// accepts anything.
func permissionTypeMatches(have, want PermissionType) bool {
	switch {
	case want == "":
		return true
	case have == want:
		return true
	case have == Both:
		return want == Delegated || want == Application
	}
	return false
}

// answerMatches tests one filter value against an answer (present tells
// whether the key exists on the record).
func answerMatches(key string, a Answer, present bool, want string) bool {
	v := a.Value
	if !present {
		v = ValueUnanswered
	}
	// Multi-factor authentication is an enum list; "yes" means at least
	// one MFA target, "no" means NoneOfTheAbove.
	if key == "sec.mfa_enabled_for" && present && v != ValueUnanswered && v != ValueNotApplicable {
		none := strings.Contains(strings.ToLower(strings.ReplaceAll(a.Text, " ", "")), "noneoftheabove")
		switch want {
		case "yes":
			return !none && strings.TrimSpace(a.Text) != ""
		case "no":
			return none
		}
	}
	switch want {
	case filterValueAnswered:
		return present && v != ValueUnanswered
	case filterValueUnanswered:
		return v == ValueUnanswered
	}
	return string(v) == want
}

// MatchGlob matches a lower-case pattern with * (any run) and ? (one
// character) against a lower-case name, as permission filters do
// (mail.* matches mail.readwrite).
func MatchGlob(pat, name string) bool {
	if !strings.ContainsAny(pat, "*?") {
		return pat == name
	}
	// Iterative matcher with backtracking on the last star.
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pat) && (pat[p] == '?' || pat[p] == name[n]):
			p++
			n++
		case p < len(pat) && pat[p] == '*':
			star, mark = p, n
			p++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

// String writes the filter in the syntax ParseFilters reads.
func (f Filter) String() string {
	op := "="
	if f.Negate {
		op = "!="
	}
	vals := make([]string, len(f.Values))
	for i, v := range f.Values {
		if strings.ContainsAny(v, " \t,") {
			v = `"` + v + `"`
		}
		vals[i] = v
	}
	joined := strings.Join(vals, ",")
	switch f.Kind {
	case FilterAnswer:
		return f.Key + op + joined
	case FilterPermission:
		s := "permission" + op + joined
		if f.PermissionType != "" {
			s += " permission-type=" + string(f.PermissionType)
		}
		return s
	case FilterCertification:
		return "certification" + op + joined
	default:
		return string(f.Kind) + op + joined
	}
}

// MatchFilters reports whether r satisfies every filter.
func MatchFilters(r *Record, fs []Filter) bool {
	for _, f := range fs {
		if !f.Match(r) {
			return false
		}
	}
	return true
}

// Query is a chat request turned into a name search and filters.
type Query struct {
	// Text is what is left to search by name, ID or link ("" for a pure
	// filter query).
	Text string `json:"text"`
	// Filters are the conditions found in the request.
	Filters []Filter `json:"filters"`
}

// queryAmbiguousAliases are filter aliases that are also ordinary words or
// name parts; ParseQuery leaves them to the name search (ParseFilters
// still accepts them).
var queryAmbiguousAliases = map[string]bool{
	"ca": true, "firewall": true, "logging": true, "retention": true, "tls": true,
	"storesdata": true, "processesdata": true, "thirdparties": true, "privacynotice": true,
	"vulnscan": true, "incidentresponse": true, "breach72h": true, "credentialsincode": true,
}

var oidcScopes = map[string]string{
	"openid": "openid", "profile": "profile", "email": "email", "offline_access": "offline_access",
}

// ParseQuery turns a chat request into filters and a remaining name search:
// "apps with hipaa and iso 27001" → comp.hipaa=yes comp.iso27001=yes;
// "who requests Mail.ReadWrite" → permission=mail.readwrite;
// "apps that can read all mail" → permission=mail.read,mail.readwrite…
// of application type (Lexicon.PermissionPhrases); "certified teams
// apps" → certified, kind=teams; "apps without soc 2" → comp.soc2!=yes;
// "by Adobe" → publisher=adobe; "fr-FR" → locale=fr-FR; "store data in
// the EU" → storage=eu ("only in" → storage-only, "based in" → hq);
// "application permission Mail.Read" restricts the permission to that
// type; explicit name=value filters are read as by ParseFilters (and
// their errors returned). A negation word (without, no, not) applies to
// the next filter only. Other words that are not stop words are kept, in
// order, in Query.Text. A pasted link or ID is left in Text for the
// search. The words come from Lexicons, every language at once.
func ParseQuery(text string) (Query, error) {
	p := newQueryParser(text)
	for ; p.i < len(p.words); p.i++ {
		if err := p.step(); err != nil {
			return Query{}, err
		}
	}
	return p.finish(), nil
}

// queryParser is the state of one ParseQuery.
type queryParser struct {
	v      *vocabulary
	words  []string          // folded, phrases rewritten
	raw    map[string]string // folded word → as typed
	i      int               // the current word
	q      Query
	rest   []string
	negate bool
	only   bool
	or     bool // "or" was read since the last place
	// lastAlias is the word index of the last answer alias read (-1).
	lastAlias int
	// permType is a permission type named apart from any scope.
	permType PermissionType
	cue      int // words since the last permission cue
	hasPerm  bool
	// storageCue and hqCue say whether the request talks about where data
	// is stored or where the company is.
	storageCue, hqCue bool
	placed            bool
}

const queryTrim = ",;:!?()\"'“”«»"

// newQueryParser folds the request and joins multi-word phrases; the
// original spelling of words is kept for Text and scopes.
func newQueryParser(text string) *queryParser {
	if len(text) > 4096 {
		text = text[:4096]
	}
	p := &queryParser{v: queryVocabulary(), raw: map[string]string{}, cue: 100, lastAlias: -10}
	orig := strings.Fields(text)
	low := p.v.rewritePhrases(" " + FoldWord(strings.Join(orig, " ")) + " ")
	for _, o := range orig {
		p.raw[strings.Trim(FoldWord(o), queryTrim)] = strings.Trim(o, queryTrim)
	}
	for _, f := range strings.Fields(low) {
		for _, w := range p.v.splitWide(strings.Trim(f, queryTrim)) {
			p.words = append(p.words, w)
			p.storageCue = p.storageCue || p.v.storageCue[w]
			p.hqCue = p.hqCue || p.v.hqCue[w]
		}
	}
	return p
}

// rewritePhrases replaces every phrase of the vocabulary in s, in order, as
// strings.ReplaceAll of each phrase in turn would. A phrase whose first two
// bytes do not occur in s cannot match and is skipped: most requests are a
// few words, and searching each of the hundreds of phrases cost more than the
// rest of the parse. The set of byte pairs is taken again after a
// replacement, which may bring new pairs in.
func (v *vocabulary) rewritePhrases(s string) string {
	var pairs [1 << 16 / 64]uint64
	fill := func() {
		clear(pairs[:])
		for i := 0; i+1 < len(s); i++ {
			k := uint16(s[i])<<8 | uint16(s[i+1])
			pairs[k/64] |= 1 << (k % 64)
		}
	}
	fill()
	for _, ph := range v.phrases {
		if from := ph[0]; len(from) >= 2 {
			k := uint16(from[0])<<8 | uint16(from[1])
			if pairs[k/64]&(1<<(k%64)) == 0 {
				continue
			}
		}
		if r := strings.ReplaceAll(s, ph[0], ph[1]); r != s {
			s = r
			fill()
		}
	}
	return s
}

// splitWide cuts a word of CJK or Hangul script into the vocabulary words
// it is made of, longest first, when it holds a place ("在欧盟存储数据的应用",
// "유럽연합에") or a claim word ("是否与第三方共享数据"), or when vocabulary
// words cover it whole ("是否进行"); characters no word covers stay
// together. Other words, app names among them, are left whole: a guessed
// cut could split a name.
func (v *vocabulary) splitWide(w string) []string {
	if !hasWideScript(w) {
		return []string{w}
	}
	var out []string
	rest, covered, claim := "", true, false
	for i := 0; i < len(w); {
		n := 0
		for _, k := range v.wide {
			if strings.HasPrefix(w[i:], k) {
				n = len(k)
				break
			}
		}
		if n == 0 {
			_, size := utf8.DecodeRuneInString(w[i:])
			rest += w[i : i+size]
			i += size
			covered = false
			continue
		}
		if rest != "" {
			out = append(out, rest)
			rest = ""
		}
		out = append(out, w[i:i+n])
		claim = claim || v.claim[w[i:i+n]] != ""
		i += n
	}
	if rest != "" {
		out = append(out, rest)
	}
	if len(out) < 2 || !(covered || claim || cjkPlaceIn(w)) {
		return []string{w}
	}
	return out
}

// word returns the current word, folded and as typed.
func (p *queryParser) word() (string, string) {
	w := p.words[p.i]
	raw := p.raw[w]
	if raw == "" {
		raw = w
	}
	return w, raw
}

// step reads the word at p.i: the first named step that takes it wins;
// else it is kept for the name search.
func (p *queryParser) step() error {
	w, raw := p.word()
	p.cue++
	if w == "" {
		return nil
	}
	if strings.Contains(w, "=") && !strings.HasPrefix(w, "http") {
		fs, err := ParseFilters(raw)
		if err != nil {
			return err
		}
		p.q.Filters = append(p.q.Filters, fs...)
		return nil
	}
	if _, ok := ParseLink(raw); ok {
		p.rest = append(p.rest, raw)
		return nil
	}
	if p.v.permCue[w] {
		p.cue = 0
	}
	for _, take := range []func(w, raw string) bool{
		p.permissionPhrase, p.place, p.orWord, p.negation, p.onlyWord, p.certification, p.permissionType,
		p.publisher, p.hostKind, p.alias, p.locale, p.scope, p.stopWord,
	} {
		if take(w, raw) {
			return nil
		}
	}
	p.rest = append(p.rest, raw)
	return nil
}

// add appends a filter, applying and clearing a pending negation.
func (p *queryParser) add(f Filter) {
	f.Negate = f.Negate != p.negate
	p.negate = false
	p.q.Filters = append(p.q.Filters, f)
}

// permissionPhrase reads "read all mail", "all files", "calendars"
// (after a cue) into a permission filter.
func (p *queryParser) permissionPhrase(string, string) bool {
	for n := min(p.v.permMaxWords, len(p.words)-p.i); n >= 1; n-- {
		ph, ok := p.v.perm[strings.Join(p.words[p.i:p.i+n], " ")]
		if !ok {
			continue
		}
		if ph.NeedsCue && p.cue > 3 && (p.i == 0 || p.words[p.i-1] != "all") {
			continue
		}
		p.add(Filter{Kind: FilterPermission, Values: slices.Clone(ph.Scopes), PermissionType: ph.Type})
		p.hasPerm = true
		p.i += n - 1
		return true
	}
	return false
}

// orWord joins two places into one filter ("in Canada or the US").
func (p *queryParser) orWord(w, _ string) bool {
	if !p.v.or[w] {
		return false
	}
	p.or = true
	return true
}

// place reads a country or region after a preposition ("in the EU") or
// in a request about storage or headquarters.
func (p *queryParser) place(string, string) bool {
	code, n := PlaceAt(p.words, p.i)
	elided := false
	if n == 0 {
		code, n, elided = p.elidedPlace()
		if n == 0 {
			return false
		}
	}
	j := p.i - 1
	for j >= 0 && p.v.article[p.words[j]] {
		j--
	}
	afterPrep := elided || j >= 0 && p.v.prep[p.words[j]]
	if !afterPrep && !p.storageCue && !p.hqCue && !p.or {
		return false
	}
	kind := FilterStorage
	switch {
	case p.hqCue && !p.storageCue:
		kind = FilterHQ
	case p.only:
		kind = FilterStorageOnly
	}
	p.only = false
	p.placed = true
	p.i += n - 1
	if last := len(p.q.Filters) - 1; p.or && last >= 0 && p.q.Filters[last].Kind == kind && !p.negate {
		p.or = false
		p.q.Filters[last].Values = append(p.q.Filters[last].Values, code)
		return true
	}
	p.or = false
	f := Filter{Kind: kind, Values: []string{code}}
	if next := p.i + 1; next < len(p.words) && p.v.outside[p.words[next]] {
		// A postposition: "欧盟以外", "EU 以外" (outside the EU).
		if f.Kind == FilterStorage {
			f.Kind = FilterStorageOnly
		}
		f.Negate = true
		p.i = next
	}
	p.add(f)
	return true
}

// elidedPrefixes are the elided French and Italian articles and the
// Italian preposition and article contractions written before a vowel
// ("l'UE", "nell'UE"), which stay glued to the next word; longest first.
var elidedPrefixes = []string{"dell'", "nell'", "sull'", "dall'", "all'", "l'"}

// elidedPlace reads a place glued to an elided article: "dans l'UE",
// "nell'Unione Europea". A contraction ("nell'") stands for a preposition,
// as does "l'" after one; elided reports that case.
func (p *queryParser) elidedPlace() (code string, n int, elided bool) {
	w := strings.ReplaceAll(p.words[p.i], "’", "'")
	for _, pre := range elidedPrefixes {
		rest, ok := strings.CutPrefix(w, pre)
		if !ok || len(rest) < 2 {
			continue
		}
		// The place may run over the next words ("l'Union européenne").
		words := append([]string{rest}, p.words[p.i+1:]...)
		code, n := PlaceAt(words, 0)
		if n == 0 {
			if i, ok := geoIndex().latin[rest]; ok { // a short name such as "UE"
				code, n = places[i].code, 1
			}
		}
		if n == 0 {
			return "", 0, false
		}
		if pre == "l'" {
			j := p.i - 1
			return code, n, j >= 0 && p.v.prep[p.words[j]]
		}
		return code, n, true
	}
	return "", 0, false
}

func (p *queryParser) negation(w, _ string) bool {
	if !p.v.neg[w] {
		return false
	}
	p.negate = true
	return true
}

func (p *queryParser) onlyWord(w, _ string) bool {
	switch {
	case p.v.only[w]:
		p.only = true
	case p.v.outside[w]:
		// "outside the EU": some place not in the EU, the negation of
		// "only in the EU" (among records that state their places).
		p.only, p.negate = true, !p.negate
	default:
		return false
	}
	return true
}

func (p *queryParser) certification(w, _ string) bool {
	switch {
	case p.v.certified[w] && p.lastAlias >= 0 && p.i-p.lastAlias <= 2:
		// "SOC 2 Type 2 certified": the word says compliant, not
		// Microsoft 365 Certification.
	case p.v.certified[w]:
		p.add(Filter{Kind: FilterCertification, Values: []string{string(Certified)}})
	case p.v.attested[w]:
		p.add(Filter{Kind: FilterCertification, Values: []string{string(Attested)}})
	case p.v.uncertified[w]:
		p.add(Filter{Kind: FilterCertification, Values: []string{string(Certified)}, Negate: true})
	default:
		return false
	}
	return true
}

func (p *queryParser) permissionType(w, _ string) bool {
	switch {
	case p.v.appPerm[w]:
		p.permType = Application
	case p.v.delPerm[w]:
		p.permType = Delegated
	default:
		return false
	}
	p.cue = 0
	return true
}

// publisher reads "by Adobe Inc": the words up to a keyword. "from
// Germany" is a headquarters place.
func (p *queryParser) publisher(w, _ string) bool {
	if !p.v.pubCue[w] {
		return false
	}
	if p.i+1 < len(p.words) {
		if code, n := PlaceAt(p.words, p.i+1); n > 0 {
			p.add(Filter{Kind: FilterHQ, Values: []string{code}})
			p.placed = true
			p.i += n
			return true
		}
	}
	var pub []string
	for p.i+1 < len(p.words) {
		nw := p.words[p.i+1]
		if p.v.stop[nw] || p.v.neg[nw] || p.v.certified[nw] || p.v.attested[nw] || p.v.hqCue[nw] || p.v.storageCue[nw] {
			break
		}
		if _, alias := filterAliases[aliasName(nw)]; alias {
			break
		}
		pub = append(pub, nw)
		p.i++
	}
	if f := Fold(strings.Join(pub, " ")); f != "" {
		p.q.Filters = append(p.q.Filters, Filter{Kind: FilterPublisher, Values: []string{f}})
	}
	return true
}

// hostKind reads "teams apps", "outlook add-ins".
func (p *queryParser) hostKind(w, _ string) bool {
	if !slices.Contains(hostKinds, w) || p.i+1 >= len(p.words) || !p.v.hostNoun[p.words[p.i+1]] {
		return false
	}
	p.add(Filter{Kind: FilterHost, Values: []string{w}})
	return true
}

func (p *queryParser) alias(w, _ string) bool {
	key, ok := filterAliases[aliasName(w)]
	if !ok || queryAmbiguousAliases[aliasName(w)] {
		if key, ok = filterAliases[p.v.claim[w]]; !ok {
			return false
		}
	}
	p.add(Filter{Kind: FilterAnswer, Key: key, Values: []string{string(ValueYes)}})
	p.lastAlias = p.i
	return true
}

func (p *queryParser) locale(w, _ string) bool {
	if !localeRE.MatchString(w) || len(w) != 5 {
		return false
	}
	p.q.Filters = append(p.q.Filters, Filter{Kind: FilterLocale, Values: []string{normalizeLocale(w)}})
	return true
}

func (p *queryParser) scope(_, raw string) bool {
	s, ok := queryScope(raw, p.cue <= 3)
	if !ok {
		return false
	}
	p.add(Filter{Kind: FilterPermission, Values: []string{strings.ToLower(s)}})
	p.hasPerm = true
	return true
}

func (p *queryParser) stopWord(w, _ string) bool { return p.v.stop[w] }

// finish applies a permission type named apart from any scope and drops
// the words that only said where data lives once a place was read, or
// how a permission is used once one was read.
func (p *queryParser) finish() Query {
	if p.permType != "" {
		if p.hasPerm {
			for i := range p.q.Filters {
				if p.q.Filters[i].Kind == FilterPermission && !p.q.Filters[i].Negate && p.q.Filters[i].PermissionType == "" {
					p.q.Filters[i].PermissionType = p.permType
				}
			}
		} else {
			p.q.Filters = append(p.q.Filters, Filter{Kind: FilterPermissionType, Values: []string{string(p.permType)}})
		}
	}
	p.rest = slices.DeleteFunc(p.rest, func(w string) bool {
		f := FoldWord(w)
		return p.placed && (p.v.storageCue[f] || p.v.hqCue[f]) || p.hasPerm && p.v.permCue[f]
	})
	p.q.Filters = mergePermissionType(p.q.Filters)
	p.q.Text = strings.Join(p.rest, " ")
	return p.q
}

// queryScope reports whether a request word is a Graph scope: a dotted
// word whose segments start with a capital letter (Mail.ReadWrite), a glob
// (Mail.*), or, after a permission cue, any dotted word or OIDC scope.
func queryScope(raw string, cued bool) (string, bool) {
	w := strings.Trim(raw, ",;:!?()\"'")
	if s, ok := oidcScopes[strings.ToLower(w)]; ok && cued {
		return s, true
	}
	if !strings.Contains(w, ".") || strings.HasPrefix(w, ".") || strings.HasSuffix(w, ".") {
		return "", false
	}
	segs := strings.Split(w, ".")
	capital, glob := true, false
	for _, s := range segs {
		if s == "" {
			return "", false
		}
		if s == "*" {
			glob = true
			continue
		}
		for _, c := range s {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '*' || c == '?') {
				return "", false
			}
		}
		if s[0] < 'A' || s[0] > 'Z' {
			capital = false
		}
	}
	if capital || glob || cued {
		return w, true
	}
	return "", false
}
