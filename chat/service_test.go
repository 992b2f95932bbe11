package chat

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/store"
)

type memRecords []*attestation.Record

func (m memRecords) Records(ctx context.Context, fn func(*attestation.Record) error) error {
	for _, r := range m {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func sampleCatalog(t testing.TB) *Catalog {
	t.Helper()
	cat := NewCatalog(sampleRecords(t))
	n, err := cat.Reload(context.Background())
	require.NoError(t, err)
	require.Equal(t, 72, n)
	return cat
}

// sampleRecords parses the sample pages (not their history).
func sampleRecords(t testing.TB) memRecords {
	t.Helper()
	files, err := attestation.PageFiles("../sample/corpus")
	require.NoError(t, err)
	var recs memRecords
	for _, f := range files {
		if strings.Contains(f, "/history/") {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		r, err := attestation.Parse(f, data)
		if err != nil {
			continue
		}
		recs = append(recs, r)
	}
	return recs
}

type memSubs struct {
	mu      sync.Mutex
	subs    map[string][]string
	locales map[string]string // the language of each user's last subscription
}

func (m *memSubs) key(t, u string) string { return t + "|" + u }
func (m *memSubs) Subscribe(ctx context.Context, usr User, target string) error {
	t, u := usr.TenantID, usr.ID
	m.mu.Lock()
	defer m.mu.Unlock()
	if !slices.Contains(m.subs[m.key(t, u)], target) {
		m.subs[m.key(t, u)] = append(m.subs[m.key(t, u)], target)
	}
	if m.locales == nil {
		m.locales = map[string]string{}
	}
	m.locales[m.key(t, u)] = usr.Locale
	return nil
}
func (m *memSubs) Unsubscribe(ctx context.Context, usr User, target string) error {
	t, u := usr.TenantID, usr.ID
	m.mu.Lock()
	defer m.mu.Unlock()
	m.subs[m.key(t, u)] = slices.DeleteFunc(m.subs[m.key(t, u)], func(s string) bool { return s == target })
	return nil
}
func (m *memSubs) List(ctx context.Context, usr User) ([]string, error) {
	t, u := usr.TenantID, usr.ID
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.subs[m.key(t, u)]...), nil
}

func newService(t *testing.T, subs Subscriptions) *Service {
	b := cards.New(cards.WithClock(func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) }))
	return NewService(sampleCatalog(t), b, WithSubscriptions(subs), WithAdmins([]string{"admin-1"}))
}

func cardJSON(t *testing.T, c *cards.AdaptiveCard) string {
	t.Helper()
	require.NotNil(t, c)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	return string(b)
}

var user = User{TenantID: "tenant-1", ID: "user-1", Name: "Alex", Locale: "en-US"}

func TestText(t *testing.T) {
	s := newService(t, &memSubs{subs: map[string][]string{}})
	tests := []struct {
		text string
		want []string
	}{
		{"help", []string{"compare plumm and reach"}},
		{"plumm", []string{"Plumm Health LTD", `"verb":"section"`}},
		{"PLUMM", []string{"Plumm Health LTD"}},
		{"plum", []string{"Plumm"}},
		{"WA200003326", []string{"Plumm"}},
		{"https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview", []string{"Plumm"}},
		{"https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34", []string{"Plumm"}},
		{"https://learn.microsoft.com/fr-fr/microsoft-365-app-certification/teams/plumm-health-ltd", []string{"Plumm"}},
		{"show plumm security", []string{"Security", "Plumm"}},
		{"plumm compliance", []string{"HIPAA"}},
		{"show plumm permissions", []string{"TeamsActivity.Send"}},
		{"is plumm hipaa compliant?", []string{"Plumm: yes", "HIPAA"}},
		{"is plumm iso 27001 compliant?", []string{"Plumm: no"}},
		{"compare plumm and saberr", []string{"Plumm", "Saberr"}},
		{"plumm vs saberr", []string{"Plumm", "Saberr"}},
		{"apps with hipaa and iso 27001", []string{"Search"}},
		{"who requests Mail.ReadWrite", []string{"Emailgistics"}},
		{"certified teams apps", []string{"Search"}},
		{"what changed for plumm", []string{"Plumm"}},
		{"my subscriptions", []string{"You follow no app yet"}},
		{"subscribe all", []string{"Only admins"}},
		{"zzqqxxyyww", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := cardJSON(t, s.Text(context.Background(), user, tt.text))
			for _, w := range tt.want {
				require.Contains(t, got, w)
			}
			require.Less(t, len(got), cards.MaxCardSize)
		})
	}
}

func TestSubscriptions(t *testing.T) {
	subs := &memSubs{subs: map[string][]string{}}
	s := newService(t, subs)
	ctx := context.Background()
	require.Contains(t, cardJSON(t, s.Text(ctx, user, "subscribe plumm")), "Subscribed to Plumm")
	list, _ := subs.List(ctx, User{TenantID: "tenant-1", ID: "user-1"})
	require.Equal(t, []string{"teams/plumm-health-ltd"}, list)
	other, _ := subs.List(ctx, User{TenantID: "tenant-2", ID: "user-1"})
	require.Empty(t, other)
	require.Contains(t, cardJSON(t, s.Text(ctx, user, "my subscriptions")), "Plumm")
	require.Contains(t, cardJSON(t, s.Action(ctx, user, cards.ActionData{Verb: cards.VerbUnsubscribe, Kind: "teams", Slug: "plumm-health-ltd"})), "Unsubscribed")
	list, _ = subs.List(ctx, User{TenantID: "tenant-1", ID: "user-1"})
	require.Empty(t, list)

	admin := User{TenantID: "tenant-1", ID: "ADMIN-1", AADObjectID: "ADMIN-1"}
	require.Contains(t, cardJSON(t, s.Text(ctx, admin, "subscribe permission=Mail.*")), "Subscribed")
	require.Contains(t, cardJSON(t, s.Text(ctx, admin, "subscribe all")), "Subscribed")
	list, _ = subs.List(ctx, User{TenantID: "tenant-1", ID: "ADMIN-1"})
	require.Equal(t, []string{"permission=Mail.*", "all"}, list)
	require.Contains(t, cardJSON(t, s.Text(ctx, admin, "subscribe nosuch=1")), "could not read that filter")

	none := NewService(sampleCatalog(t), cards.New())
	require.Contains(t, cardJSON(t, none.Text(ctx, user, "subscribe plumm")), "not available")
}

func TestAction(t *testing.T) {
	s := newService(t, nil)
	ctx := context.Background()
	tests := []struct {
		data cards.ActionData
		want string
	}{
		{cards.ActionData{Verb: cards.VerbApp, Kind: "teams", Slug: "plumm-health-ltd", Locale: "de-DE"}, "Plumm"},
		{cards.ActionData{Verb: cards.VerbSection, Kind: "teams", Slug: "plumm-health-ltd", Section: attestation.SectionCompliance, Original: true}, "HIPAA"},
		{cards.ActionData{Verb: cards.VerbPermissions, Kind: "teams", Slug: "plumm-health-ltd"}, "User.Read.All"},
		{cards.ActionData{Verb: cards.VerbSearch, Query: "hipaa=yes", Page: 0}, "Search"},
		{cards.ActionData{Verb: cards.VerbCompare, Compare: []string{"teams/plumm-health-ltd"}, CompareWith: "saberr"}, "Saberr"},
		{cards.ActionData{Verb: cards.VerbChanges, Kind: "teams", Slug: "plumm-health-ltd"}, "Plumm"},
		{cards.ActionData{Verb: cards.VerbApp, Kind: "teams", Slug: "no-such-app"}, "App not found"},
		{cards.ActionData{Verb: cards.VerbHelp}, "help"},
	}
	for _, tt := range tests {
		t.Run(string(tt.data.Verb), func(t *testing.T) {
			require.Contains(t, cardJSON(t, s.Action(ctx, user, tt.data)), tt.want)
		})
	}
}

func TestQueryAndUnfurl(t *testing.T) {
	s := newService(t, nil)
	ctx := context.Background()
	atts := s.Query(ctx, user, "plumm", 5)
	require.NotEmpty(t, atts)
	b, _ := json.Marshal(atts[0])
	require.Contains(t, string(b), "Plumm")
	require.NotEmpty(t, s.Query(ctx, user, "", 5))

	att, ok := s.Unfurl(ctx, user, "https://appsource.microsoft.com/product/office/WA200003326")
	require.True(t, ok)
	b, _ = json.Marshal(att)
	require.Contains(t, string(b), "Plumm")
	_, ok = s.Unfurl(ctx, user, "https://example.com/x")
	require.False(t, ok)
}

func TestRevisionHistory(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "h.db"))
	require.NoError(t, err)
	defer st.Close()
	dir := "../sample/corpus/history/fr-FR/ringcentral-inc/"
	for _, f := range []string{"2022-03-21_a30d7e56.md", "2022-07-22_bd414b61.md"} {
		data, err := os.ReadFile(dir + f)
		require.NoError(t, err)
		r, err := attestation.Parse(dir+f, data)
		require.NoError(t, err)
		_, err = st.PutRecords(ctx, []*attestation.Record{r})
		require.NoError(t, err)
	}
	chs, err := NewRevisionHistory(st).Changes(ctx, "teams", "ringcentral-inc", "fr-FR")
	require.NoError(t, err)
	var fields []string
	for _, c := range chs {
		fields = append(fields, c.Field)
	}
	require.Contains(t, fields, "permission:offline_access")
	none, err := NewRevisionHistory(st).Changes(ctx, "teams", "plumm-health-ltd", "fr-FR")
	require.NoError(t, err)
	require.Empty(t, none)
}

func TestSubscribeTenant(t *testing.T) {
	subs := &memSubs{subs: map[string][]string{}}
	s := newService(t, subs)
	ctx := context.Background()
	require.Contains(t, cardJSON(t, s.Text(ctx, user, "subscribe tenant")), "Only admins")
	admin := User{TenantID: "tenant-1", ID: "admin-1", AADObjectID: "admin-1"}
	require.Contains(t, cardJSON(t, s.Text(ctx, admin, "subscribe my tenant")), "every app of your tenant")
	list, _ := subs.List(ctx, admin)
	require.Equal(t, []string{"tenant"}, list)
}
