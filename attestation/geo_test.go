package attestation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The storage and headquarters answers below are copied from the sample
// pages (testdata/corpus).
func TestPlaces(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"USA Amerikas", []string{"US"}},
		{"Hongkong", []string{"HK"}},
		{"USA von Amerika, Irland, Niederlande (die), China, Japan, Indien, Australien", []string{"US", "IE", "NL", "CN", "JP", "IN", "AU"}},
		{"Vereinigtes Königreich Großbritannien und Nordirland (die)", []string{"GB"}},
		{"Royaume-Uni de Grande-Bretagne et d’Irlande du Nord (le)", []string{"GB"}},
		{"États-Unis d’Amérique, d’Irlande, des Pays-Bas (the), de Chine, du Japon, d’Inde, d’Australie", []string{"US", "IE", "NL", "CN", "JP", "IN", "AU"}},
		{"États-Unis Amérique", []string{"US"}},
		{"Irlande", []string{"IE"}},
		{"Países Bajos (el)", []string{"NL"}},
		{"Estados Unidos de América", []string{"US"}},
		{"Нидерланды (the), Германия, Соединенное Королевство Great Kingdom of Great Kingdom and The Северной Ирландии (the), Japan, Australia, Canada, Ireland",
			[]string{"NL", "DE", "GB", "JP", "AU", "CA", "IE"}},
		{"米国 オブ アメリカ", []string{"US"}},
		{"英国の英国と北アイルランド (the)", []string{"GB"}},
		{"アイルランド", []string{"IE"}},
		{"미국, 아일랜드, 네덜란드(해당), 중국, 일본, 인도, 오스트레일리아의 미국", []string{"US", "IE", "NL", "CN", "JP", "IN", "AU"}},
		{"영국 및 북아일랜드 (the)", []string{"GB"}},
		{"美国、爱尔兰、荷兰美国 () 、中国、日本、印度、澳大利亚", []string{"US", "IE", "NL", "CN", "JP", "IN", "AU"}},
		{"英国大英和爱尔兰 ()", []string{"GB", "IE"}},
		{"美國地區", []string{"US"}},
		{"Switzerland（瑞士）", []string{"CH"}},
		{"Data is stored in the EU (Frankfurt)", []string{"eu"}},
		{"ＧＥＲＭＡＮＹ", []string{"DE"}},
		{"", nil},
		{"Azure", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := Places(tt.text)
			if len(tt.want) == 0 {
				require.Empty(t, got)
				return
			}
			require.ElementsMatch(t, tt.want, got)
		})
	}
}

func TestPlaceSatisfies(t *testing.T) {
	require.True(t, placeSatisfies([]string{"US", "IE"}, "eu"))
	require.True(t, placeSatisfies([]string{"IE"}, "IE"))
	require.True(t, placeSatisfies([]string{"eu"}, "europe"))
	require.False(t, placeSatisfies([]string{"eu"}, "DE"))
	require.False(t, placeSatisfies([]string{"CH", "GB"}, "eu"))
	require.True(t, placeSatisfies([]string{"CH"}, "europe"))
	require.False(t, placeSatisfies([]string{"US"}, "eu"))
	for _, s := range []string{"EU", "eu", "Germany", "de", "Allemagne", "north america", "United States"} {
		_, ok := LookupPlace(s)
		require.True(t, ok, s)
	}
	_, ok := LookupPlace("Atlantis")
	require.False(t, ok)
}

func TestPlaceFiltersOnCorpus(t *testing.T) {
	recs := searchCorpusRecords(t)
	ix := NewIndex(recs)
	keys := func(expr string) []string {
		return resultKeys(ix.Search("", SearchOptions{Limit: -1, Filters: mustFilters(t, expr)}))
	}
	eu := keys("storage=eu")
	require.Contains(t, eu, "teams/zoho-corporation-private-limited-desk") // Ireland, the Netherlands
	require.Contains(t, eu, "teams/aimful")                                // Irlande
	require.NotContains(t, eu, "teams/moduleq-q")                          // United States only
	require.Contains(t, keys("storage=us"), "teams/moduleq-q")
	require.Contains(t, keys("storage=germany"), "teams/builduplabs-teamsurvey") // ドイツ
	only := keys("storage-only=eu")
	require.Contains(t, only, "teams/aimful")
	require.NotContains(t, only, "teams/zoho-corporation-private-limited-desk")
	require.Contains(t, keys("hq=ch"), "onenote/officeatwork-officeatworkcontent-chooser-for-office")
	require.Contains(t, keys("hipaa storage=eu"), "teams/zoho-corporation-private-limited-desk")
	_, err := ParseFilters("storage=atlantis")
	require.ErrorIs(t, err, ErrBadFilterValue)
	_, err = ParseFilters("storage")
	require.ErrorIs(t, err, ErrBadFilterValue)
}
