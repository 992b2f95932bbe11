package attestation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNameConfidence(t *testing.T) {
	tests := []struct {
		query string
		names []string
		want  Confidence
	}{
		{"plumm", []string{"plumm"}, ConfidenceExact},
		{"stack overflow", []string{"stack overflow pour teams"}, ConfidenceExact},
		{"zoho crm", []string{"zoho crm pour la messagerie"}, ConfidenceExact},
		{"plum", []string{"plumm"}, ConfidenceClose},
		{"smartshet", []string{"smartsheet"}, ConfidenceClose},
		{"zoho dsek", []string{"zoho desk"}, ConfidenceClose},
		{"slack", []string{"stack overflow pour teams", "stack overflow"}, ConfidenceLoose},
		{"slack", []string{"stack"}, ConfidenceLoose},
		{"thanks", []string{"quadra thankz"}, ConfidenceLoose},
		{"asana", []string{"adobe acrobat sign"}, ConfidenceLoose},
		{"push", []string{"push security"}, ConfidenceLoose},
		{"pu", []string{"push"}, ConfidenceLoose},
		{"zoho", []string{"zoho desk"}, ConfidenceLoose},
		{"miro", []string{"mira"}, ConfidenceLoose},
		{"workbord", []string{"workboard"}, ConfidenceClose},
		{"vorkboard", []string{"workboard"}, ConfidenceLoose},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			require.Equal(t, tt.want, NameConfidence(tt.query, tt.names))
		})
	}
}

func TestSearchConfidence(t *testing.T) {
	recs := searchRecords()
	extra := func(slug, name string) *Record {
		return &Record{Slug: slug, Kind: "teams", Type: PageApp, Locale: "en-US", Path: "Apps/teams/" + slug + ".md", Name: name, Publisher: name + " Inc"}
	}
	recs = append(recs, extra("stack-overflow", "Stack Overflow pour Teams"), extra("quadra-thankz", "Quadra Thankz"),
		extra("push", "Push"), extra("push-security", "Push Security"))
	ix := NewIndex(recs)
	tests := []struct {
		query string
		key   string // the top result, "" for none
		want  Confidence
	}{
		{"Plumm", "teams/plumm-health-ltd", ConfidenceExact},
		{"plumm health ltd", "teams/plumm-health-ltd", ConfidenceExact},
		{"WA200003326", "teams/plumm-health-ltd", ConfidenceExact},
		{"https://marketplace.microsoft.com/en-us/product/office/WA200003326", "teams/plumm-health-ltd", ConfidenceExact},
		{"プラム", "teams/plumm-health-ltd", ConfidenceExact},
		{"plum", "teams/plumm-health-ltd", ConfidenceClose},
		{"Stack Overflow", "teams/stack-overflow", ConfidenceExact},
		{"Push Security", "teams/push-security", ConfidenceExact},
		{"push", "teams/push", ConfidenceExact},
		{"slack", "", ""},
		{"thanks", "", ""},
		{"acrobat", "teams/adobe-acrobat-sign", ConfidenceLoose},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rs := ix.Search(tt.query, SearchOptions{})
			if tt.key == "" {
				for _, r := range rs {
					require.Equal(t, ConfidenceLoose, r.Confidence, r.Name)
				}
				return
			}
			require.NotEmpty(t, rs)
			require.Equal(t, tt.key, rs[0].Key)
			require.Equal(t, tt.want, rs[0].Confidence)
		})
	}
}
