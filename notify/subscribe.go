package notify

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/store"
)

// KV buckets of subscriptions.
const (
	// bucketSubs holds subscriptions by owner:
	// <tenant>/<user>/<target key> -> Subscription.
	bucketSubs = "notify.subs"
	// bucketSubIndex holds the same by target:
	// <target key>/<tenant>/<user> -> Subscription.
	bucketSubIndex = "notify.subidx"
)

// TargetKind says what a subscription watches.
type TargetKind string

// Target kinds.
const (
	// TargetApp watches one app by slug.
	TargetApp TargetKind = "app"
	// TargetAll watches every app (admins only).
	TargetAll TargetKind = "all"
	// TargetFilter watches the apps matching a filter, such as
	// permission=Mail.* or hipaa=* (admins only).
	TargetFilter TargetKind = "filter"
	// TargetTenant watches every app of the subscriber's tenant app
	// catalog, as it is when the change happens (admins only).
	TargetTenant TargetKind = "tenant"
)

// TenantApps lists the apps of a tenant's Teams app catalog as kind/slug
// references of their records (the tenant audit does).
type TenantApps interface {
	TenantApps(ctx context.Context, tenantID string) ([]string, error)
}

// ErrAdminOnly is returned when a user who is not an admin asks for an
// all or filter subscription.
var ErrAdminOnly = errors.New("notify: only admins may subscribe to all apps or to a filter")

// ErrBadTarget is wrapped when a subscription target cannot be read.
var ErrBadTarget = errors.New("notify: bad subscription target")

// User identifies a subscriber: TenantID and ID (the Entra object ID Teams
// vouches for) are required; Locale is the language its alerts are written
// in. It is the conversation's user type (chat.User); a subscription
// stores its identity and locale, not its name.
type User = store.User

// Subscription is one user's watch on an app, on all apps or on a filter.
type Subscription struct {
	// User is the subscriber.
	User User `json:"user"`
	// Kind is app, all or filter.
	Kind TargetKind `json:"kind"`
	// Target is the app slug, "all", or the filter in canonical form.
	Target string `json:"target"`
	// Created is when the subscription was made.
	Created time.Time `json:"created"`
}

// Recipient is one tenant's subscribers of an event.
type Recipient struct {
	// TenantID is the tenant.
	TenantID string `json:"tenant_id"`
	// Users are the tenant's subscribers, sorted by ID, each once.
	Users []User `json:"users"`
}

// AdminChecker tells whether a user is a configured admin.
type AdminChecker interface {
	IsAdmin(ctx context.Context, u User) bool
}

// AdminList is an AdminChecker over a list of IDs: Entra object IDs, Bot
// Framework user IDs, or either written <tenant>/<id> to restrict it to
// one tenant.
type AdminList []string

// IsAdmin implements AdminChecker.
func (l AdminList) IsAdmin(_ context.Context, u User) bool {
	for _, a := range l {
		a = strings.TrimSpace(a)
		t, id, scoped := strings.Cut(a, "/")
		if !scoped {
			id, t = a, ""
		}
		if id == "" || (t != "" && !strings.EqualFold(t, u.TenantID)) {
			continue
		}
		if strings.EqualFold(id, u.AADObjectID) || id == u.ID {
			return true
		}
	}
	return false
}

// RecordGetter reads a stored record (store.RecordStore satisfies it).
type RecordGetter interface {
	GetRecord(ctx context.Context, id string) (*attestation.Record, error)
	PreviousRecord(ctx context.Context, id string) (*attestation.Record, error)
}

// Subscriptions stores subscriptions in the KV area, keyed by tenant.
type Subscriptions struct {
	kv      store.KV
	records RecordGetter
	admins  AdminChecker
	now     func() time.Time

	mu      sync.Mutex
	watches map[string]*watch // parsed filters by canonical form

	tenantApps TenantApps // nil: "tenant" subscriptions never fire
	logger     *slog.Logger
}

// NewSubscriptions returns the subscription store. records is used to
// match filter subscriptions against an event's apps; admins gates the
// all and filter subscriptions (nil: nobody is admin).
func NewSubscriptions(kv store.KV, records RecordGetter, admins AdminChecker) *Subscriptions {
	if admins == nil {
		admins = AdminList(nil)
	}
	return &Subscriptions{kv: kv, records: records, admins: admins, now: time.Now, watches: map[string]*watch{}, logger: slog.New(slog.DiscardHandler)}
}

// WithTenantApps lets "tenant" subscriptions follow each tenant's app
// catalog through apps, logging catalog failures to logger.
func (s *Subscriptions) WithTenantApps(apps TenantApps, logger *slog.Logger) *Subscriptions {
	s.tenantApps = apps
	if logger != nil {
		s.logger = logger
	}
	return s
}

// maxTargetLen bounds a subscription target.
const maxTargetLen = 512

// ParseTarget reads a subscription target: "all", an app slug
// (plumm-health-ltd), or a filter in the attestation.ParseFilters syntax
// where a value may also be * (any change of that key or permission):
// permission=Mail.*, hipaa=*, hipaa=yes soc2=yes. It returns the kind and
// the canonical target.
func ParseTarget(s string) (TargetKind, string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", fmt.Errorf("empty target: %w", ErrBadTarget)
	}
	if len(s) > maxTargetLen {
		return "", "", fmt.Errorf("target longer than %d bytes: %w", maxTargetLen, ErrBadTarget)
	}
	if strings.EqualFold(s, "all") || s == "*" {
		return TargetAll, "all", nil
	}
	if strings.EqualFold(s, "tenant") {
		return TargetTenant, "tenant", nil
	}
	if isSlug(s) {
		return TargetApp, strings.ToLower(s), nil
	}
	w, err := parseWatch(s)
	if err != nil {
		return "", "", err
	}
	return TargetFilter, w.canonical, nil
}

func isSlug(s string) bool {
	if s == "" || len(s) > 200 || s[0] == '-' || s[0] == '.' {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	// A bare filter alias (hipaa, certified) is a filter, not a slug.
	if _, err := attestation.ParseFilters(s); err == nil && !strings.ContainsAny(s, "-_.0123456789") {
		return false
	}
	return true
}

// watch is a parsed filter target.
type watch struct {
	canonical string
	filters   []attestation.Filter // record conditions (AND)
	touches   []touch              // fields a change must touch (OR with the record match)
}

// touch matches a changed field.
type touch struct {
	key  string // answer key or other field name ("" for permissions)
	glob string // lower-case permission scope glob
	perm bool
	any  bool // key=*: the change alone matches, the record is not tested
}

func (t touch) matches(c attestation.Change) bool {
	if t.perm {
		if !strings.HasPrefix(c.Field, attestation.FieldPermissionPrefix) {
			return false
		}
		return attestation.MatchGlob(t.glob, strings.ToLower(strings.TrimPrefix(c.Field, attestation.FieldPermissionPrefix)))
	}
	return c.Field == t.key
}

// parseWatch reads a filter target, turning name=* words into touches.
func parseWatch(s string) (*watch, error) {
	w := &watch{}
	var words, canon []string
	for _, word := range strings.Fields(s) {
		name, val, ok := strings.Cut(word, "=")
		if ok && val == "*" && !strings.HasSuffix(name, "!") {
			t, err := touchFor(name)
			if err != nil {
				return nil, err
			}
			w.touches = append(w.touches, t)
			canon = append(canon, strings.ToLower(name)+"=*")
			continue
		}
		words = append(words, word)
	}
	if len(words) > 0 {
		fs, err := attestation.ParseFilters(strings.Join(words, " "))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadTarget, err)
		}
		w.filters = fs
		for _, f := range fs {
			canon = append(canon, f.String())
			w.touches = append(w.touches, filterTouches(f)...)
		}
	}
	if len(canon) == 0 {
		return nil, fmt.Errorf("no filter in %q: %w", s, ErrBadTarget)
	}
	slices.Sort(canon)
	w.canonical = strings.Join(canon, " ")
	return w, nil
}

// touchFor resolves the name of a name=* word.
func touchFor(name string) (touch, error) {
	switch strings.ToLower(name) {
	case "permission", "permissions", "perm":
		return touch{perm: true, glob: "*", any: true}, nil
	case "certification":
		return touch{key: attestation.FieldCertification, any: true}, nil
	case "updated", "date":
		return touch{key: attestation.FieldUpdated, any: true}, nil
	case "page":
		return touch{key: attestation.FieldPage, any: true}, nil
	}
	fs, err := attestation.ParseFilters(name + "=answered")
	if err != nil || len(fs) != 1 || fs[0].Kind != attestation.FilterAnswer {
		return touch{}, fmt.Errorf("%q=* names no question key: %w", name, ErrBadTarget)
	}
	return touch{key: fs[0].Key, any: true}, nil
}

// filterTouches returns the fields whose change concerns a filter.
func filterTouches(f attestation.Filter) []touch {
	switch f.Kind {
	case attestation.FilterAnswer:
		return []touch{{key: f.Key}}
	case attestation.FilterPermission:
		out := make([]touch, 0, len(f.Values))
		for _, v := range f.Values {
			out = append(out, touch{perm: true, glob: strings.ToLower(v)})
		}
		return out
	case attestation.FilterCertification:
		return []touch{{key: attestation.FieldCertification}}
	}
	return nil
}

// matchApp reports whether a change set and the app's record (new, or old
// for a removal; nil if unknown) satisfy the watch: a name=* word matches
// any change of its field; otherwise the record must match every filter,
// or a change must touch a filter's key or permission (so that HIPAA yes →
// no reaches a hipaa=yes watcher).
func (w *watch) matchApp(changes []attestation.Change, rec, old *attestation.Record) bool {
	for _, t := range w.touches {
		for _, c := range changes {
			if t.matches(c) {
				return true
			}
		}
	}
	if len(w.filters) == 0 {
		return false
	}
	return attestation.MatchFilters(rec, w.filters) || attestation.MatchFilters(old, w.filters)
}

// eventInCatalog reports whether an event concerns an app among refs
// (kind/slug, or slug alone).
func eventInCatalog(ev Event, refs []string) bool {
	for _, ref := range refs {
		kind, slug, ok := strings.Cut(ref, "/")
		if !ok {
			kind, slug = "", ref
		}
		for _, app := range ev.Apps {
			if strings.EqualFold(app, slug) && (kind == "" || ev.AppKind == "" || strings.EqualFold(kind, ev.AppKind)) {
				return true
			}
		}
	}
	return false
}

func targetKey(kind TargetKind, target string) string {
	switch kind {
	case TargetApp:
		return "app:" + target
	case TargetAll:
		return "all"
	case TargetTenant:
		return "tenant"
	}
	return "filter:" + target
}

func checkUser(u User) error {
	if u.TenantID == "" || u.ID == "" {
		return fmt.Errorf("notify: subscriber needs a tenant and a user ID: %w", store.ErrInvalid)
	}
	if strings.Contains(u.TenantID, "/") {
		return fmt.Errorf("notify: tenant ID %q contains a slash: %w", u.TenantID, store.ErrInvalid)
	}
	return nil
}

// Subscribe subscribes u to target (see ParseTarget). All and filter
// targets are for admins only (ErrAdminOnly). Subscribing twice is not an
// error; the subscription is returned either way.
func (s *Subscriptions) Subscribe(ctx context.Context, u User, target string) (Subscription, error) {
	if err := checkUser(u); err != nil {
		return Subscription{}, err
	}
	kind, canon, err := ParseTarget(target)
	if err != nil {
		return Subscription{}, err
	}
	if kind != TargetApp && !s.admins.IsAdmin(ctx, u) {
		return Subscription{}, ErrAdminOnly
	}
	sub := Subscription{User: u, Kind: kind, Target: canon, Created: s.now().UTC()}
	tk := targetKey(kind, canon)
	own := u.TenantID + "/" + u.ID + "/" + tk
	var old Subscription
	if err := getJSON(ctx, s.kv, bucketSubs, own, &old); err == nil {
		sub.Created = old.Created
	}
	// The owner entry first: a crash between the two writes leaves a listed
	// subscription that does not fire yet, which subscribing again repairs.
	if err := putJSON(ctx, s.kv, bucketSubs, own, sub); err != nil {
		return Subscription{}, fmt.Errorf("subscribe: %w", err)
	}
	if err := putJSON(ctx, s.kv, bucketSubIndex, tk+"\x00"+u.TenantID+"/"+u.ID, sub); err != nil {
		return Subscription{}, fmt.Errorf("subscribe: %w", err)
	}
	return sub, nil
}

// Unsubscribe removes u's subscription to target; it is not an error if
// there is none.
func (s *Subscriptions) Unsubscribe(ctx context.Context, u User, target string) error {
	if err := checkUser(u); err != nil {
		return err
	}
	kind, canon, err := ParseTarget(target)
	if err != nil {
		return err
	}
	tk := targetKey(kind, canon)
	// The index first, so that a crash between the two deletes never leaves
	// an unlisted subscription that still fires.
	if err := s.kv.Delete(ctx, bucketSubIndex, tk+"\x00"+u.TenantID+"/"+u.ID); err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	if err := s.kv.Delete(ctx, bucketSubs, u.TenantID+"/"+u.ID+"/"+tk); err != nil {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	return nil
}

// List returns the subscriptions of one user of one tenant, by target.
func (s *Subscriptions) List(ctx context.Context, tenantID, userID string) ([]Subscription, error) {
	if err := checkUser(User{TenantID: tenantID, ID: userID}); err != nil {
		return nil, err
	}
	var out []Subscription
	err := s.kv.Scan(ctx, bucketSubs, tenantID+"/"+userID+"/", func(_ string, v []byte) error {
		var sub Subscription
		if err := json.Unmarshal(v, &sub); err != nil {
			return fmt.Errorf("decode subscription: %w", err)
		}
		if sub.User.TenantID == tenantID && sub.User.ID == userID {
			out = append(out, sub)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list subscriptions: %w", err)
	}
	return out, nil
}

// ListTenant returns every subscription of one tenant (for admins).
func (s *Subscriptions) ListTenant(ctx context.Context, tenantID string) ([]Subscription, error) {
	if err := checkUser(User{TenantID: tenantID, ID: "-"}); err != nil {
		return nil, err
	}
	var out []Subscription
	err := s.kv.Scan(ctx, bucketSubs, tenantID+"/", func(_ string, v []byte) error {
		var sub Subscription
		if err := json.Unmarshal(v, &sub); err != nil {
			return fmt.Errorf("decode subscription: %w", err)
		}
		if sub.User.TenantID == tenantID {
			out = append(out, sub)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list subscriptions: %w", err)
	}
	return out, nil
}

// Subscribers returns the subscribers of an event, grouped by tenant
// (tenants and users sorted): subscribers of one of its apps, of all apps,
// and of filters that the event matches.
func (s *Subscriptions) Subscribers(ctx context.Context, ev Event) ([]Recipient, error) {
	users := map[string]map[string]User{}
	add := func(sub Subscription) {
		t := sub.User.TenantID
		if users[t] == nil {
			users[t] = map[string]User{}
		}
		prev, ok := users[t][sub.User.ID]
		switch {
		case !ok || prev.AADObjectID == "":
			users[t][sub.User.ID] = sub.User
		case prev.Locale == "" && sub.User.Locale != "":
			// Another subscription of the same user knows their language.
			prev.Locale = sub.User.Locale
			users[t][sub.User.ID] = prev
		}
	}
	scan := func(prefix string, fn func(Subscription) error) error {
		return s.kv.Scan(ctx, bucketSubIndex, prefix, func(_ string, v []byte) error {
			var sub Subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return nil // a broken entry is skipped
			}
			return fn(sub)
		})
	}
	keep := func(sub Subscription) error { add(sub); return nil }
	apps, err := s.eventListings(ctx, ev)
	if err != nil {
		return nil, err
	}
	for _, app := range apps {
		if err := scan(targetKey(TargetApp, strings.ToLower(app))+"\x00", keep); err != nil {
			return nil, fmt.Errorf("read subscribers: %w", err)
		}
	}
	if err := scan(targetKey(TargetAll, "all")+"\x00", keep); err != nil {
		return nil, fmt.Errorf("read subscribers: %w", err)
	}
	if s.tenantApps != nil {
		inCatalog := map[string]bool{} // per tenant, computed once
		err := scan(targetKey(TargetTenant, "tenant")+"\x00", func(sub Subscription) error {
			t := sub.User.TenantID
			m, ok := inCatalog[t]
			if !ok {
				refs, err := s.tenantApps.TenantApps(ctx, t)
				if err != nil {
					// The catalog cannot be read now: the event is not
					// lost for the other subscribers; log and go on.
					s.logger.WarnContext(ctx, "tenant app catalog unavailable", "tenant_id", t, "err", err)
					refs = nil
				}
				m = eventInCatalog(ev, refs)
				inCatalog[t] = m
			}
			if m {
				add(sub)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read subscribers: %w", err)
		}
	}
	matched := map[string]bool{}
	err = scan("filter:", func(sub Subscription) error {
		m, ok := matched[sub.Target]
		if !ok {
			var err error
			if m, err = s.eventMatches(ctx, ev, sub.Target); err != nil {
				return err
			}
			matched[sub.Target] = m
		}
		if m {
			add(sub)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read subscribers: %w", err)
	}
	out := make([]Recipient, 0, len(users))
	for t, us := range users {
		r := Recipient{TenantID: t, Users: make([]User, 0, len(us))}
		for _, u := range us {
			r.Users = append(r.Users, u)
		}
		slices.SortFunc(r.Users, func(a, b User) int { return cmp.Compare(a.ID, b.ID) })
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Recipient) int { return cmp.Compare(a.TenantID, b.TenantID) })
	return out, nil
}

// eventListings returns the slugs of an event's apps and of their other
// listings (pages with the same AppSource ID, Record.Listings): one app
// listed twice is one app, and following either listing follows it.
func (s *Subscriptions) eventListings(ctx context.Context, ev Event) ([]string, error) {
	out := slices.Clone(ev.Apps)
	for _, app := range ev.Apps {
		rec, _, err := s.appRecords(ctx, ev, app)
		if err != nil {
			return nil, err
		}
		if rec == nil {
			continue
		}
		for _, l := range rec.Listings {
			_, slug, _ := strings.Cut(l, "/")
			if slug != "" && !slices.Contains(out, slug) {
				out = append(out, slug)
			}
		}
	}
	return out, nil
}

// eventMatches tests a filter target against every app of the event.
func (s *Subscriptions) eventMatches(ctx context.Context, ev Event, target string) (bool, error) {
	s.mu.Lock()
	w, ok := s.watches[target]
	s.mu.Unlock()
	if !ok {
		var err error
		if w, err = parseWatch(target); err != nil {
			return false, nil // stored before a syntax change: never matches
		}
		s.mu.Lock()
		s.watches[target] = w
		s.mu.Unlock()
	}
	byApp := map[string][]attestation.Change{}
	for _, c := range ev.Changes {
		byApp[c.App] = append(byApp[c.App], c)
	}
	for _, app := range ev.Apps {
		rec, old, err := s.appRecords(ctx, ev, app)
		if err != nil {
			return false, err
		}
		if w.matchApp(byApp[app], rec, old) {
			return true, nil
		}
	}
	return false, nil
}

// appRecords returns the current and previous records of an event's app.
func (s *Subscriptions) appRecords(ctx context.Context, ev Event, app string) (*attestation.Record, *attestation.Record, error) {
	if s.records == nil {
		return nil, nil, nil
	}
	id := ev.RecordIDs[app]
	if id == "" && len(ev.Apps) == 1 {
		id = ev.RecordID
	}
	if id == "" {
		return nil, nil, nil
	}
	rec, err := s.records.GetRecord(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("read record %s: %w", id, err)
	}
	old, err := s.records.PreviousRecord(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("read record %s: %w", id, err)
	}
	return rec, old, nil
}
