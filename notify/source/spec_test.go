package source

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name, in string
		want     Spec
		wantErr  bool
		str      string
	}{
		{name: "ok, plain directory", in: "/srv/pages", want: Spec{Kind: KindDir, Dir: "/srv/pages"}, str: "/srv/pages"},
		{name: "ok, relative directory", in: "./pages/", want: Spec{Kind: KindDir, Dir: "pages"}, str: "pages"},
		{name: "ok, dir URL", in: "dir:///srv/pages", want: Spec{Kind: KindDir, Dir: "/srv/pages"}},
		{name: "ok, local git with branch and sub-path", in: "git+file:///srv/repo#live:Apps",
			want: Spec{Kind: KindGit, Dir: "/srv/repo", Branch: "live", SubPath: "Apps"}, str: "git+file:///srv/repo#live:Apps"},
		{name: "ok, local git sub-path only", in: "git+file:///srv/repo#:Apps/teams/",
			want: Spec{Kind: KindGit, Dir: "/srv/repo", SubPath: "Apps/teams"}, str: "git+file:///srv/repo#:Apps/teams"},
		{name: "ok, https with locale", in: "fr-FR=https://host/org/repo.git#live:Apps",
			want: Spec{Kind: KindGit, Locale: "fr-FR", URL: "https://host/org/repo.git", Branch: "live", SubPath: "Apps"},
			str:  "fr-FR=https://host/org/repo.git#live:Apps"},
		{name: "ok, git+ssh", in: "git+ssh://git@host/org/repo.git#main",
			want: Spec{Kind: KindGit, URL: "ssh://git@host/org/repo.git", Branch: "main"}},
		{name: "ok, token redacted", in: "https://user:s3cret@host/repo.git",
			want: Spec{Kind: KindGit, URL: "https://user:s3cret@host/repo.git"}, str: "https://user:xxxxx@host/repo.git"},
		{name: "nok, empty", in: " ", wantErr: true},
		{name: "nok, unknown scheme", in: "ftp://host/x", wantErr: true},
		{name: "nok, scp syntax", in: "git@github.com:org/repo.git", wantErr: true},
		{name: "nok, directory with fragment", in: "/srv/pages#live", wantErr: true},
		{name: "nok, sub-path escapes", in: "git+file:///srv/repo#live:../etc", wantErr: true},
		{name: "nok, bad branch", in: "git+file:///srv/repo#a..b", wantErr: true},
		{name: "nok, https without host", in: "https:///x.git", wantErr: true},
		{name: "nok, git+file with host", in: "git+file://host/x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSpec(tt.in)
			if tt.wantErr {
				require.Error(t, err)
				require.True(t, errors.Is(err, ErrBadSpec))
				require.NotContains(t, err.Error(), "s3cret")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			if tt.str != "" {
				require.Equal(t, tt.str, got.String())
			}
			require.NotContains(t, got.String(), "s3cret")
			again, err := ParseSpec(got.String())
			if !strings.Contains(tt.in, "s3cret") {
				require.NoError(t, err)
				require.Equal(t, got.ID(), again.ID(), "String round-trips")
			}
		})
	}
}

func TestParseSpecs_CommaList(t *testing.T) {
	specs, err := ParseSpecs("git+file:///a#live:Apps, de-DE=/b ,")
	require.NoError(t, err)
	require.Len(t, specs, 2)
	require.Equal(t, "de-DE", specs[1].Locale)
	_, err = ParseSpecs("/ok,ftp://bad")
	require.ErrorIs(t, err, ErrBadSpec)
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"/srv/pages", "git+file:///srv/repo#live:Apps", "fr-FR=https://h/r.git#x:y", "dir:///a", "git@h:x", "#", "a#b:c", "https://u:p@h/r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseSpec(s)
		if err != nil {
			return
		}
		if sp.Kind != KindDir && sp.Kind != KindGit {
			t.Fatalf("kind %q", sp.Kind)
		}
		_ = sp.String()
		_ = sp.ID()
	})
}
