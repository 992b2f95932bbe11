package manifest

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
)

// compliancePagePath is attestbot's own compliance page, regenerated with
// go test ./manifest -run TestCompliancePage -update.
var compliancePagePath = filepath.Join("..", "deploy", "compliance", "attestbot.md")

func TestCompliancePage_Golden(t *testing.T) {
	golden(t, compliancePagePath, CompliancePage(testConfig()))
}

func TestCompliancePage_Format(t *testing.T) {
	page := string(CompliancePage(testConfig()))
	require.True(t, strings.HasPrefix(page, "---\ntitle: App information for attestbot by attestbot\n"))
	require.Contains(t, page, "\ncertification_type: attested\n")
	require.Contains(t, page, "\nzone_pivot_groups: app-info-data-security-compliance-privsection-zerotrust\n")
	require.Contains(t, page, `src="../media/attested.png"`)
	var zones []string
	for _, m := range regexp.MustCompile(`(?m)^::: zone pivot="([a-z]+)"$`).FindAllStringSubmatch(page, -1) {
		zones = append(zones, m[1])
	}
	require.Equal(t, []string{"general", "data", "security", "compliance", "privsection", "zerotrust"}, zones)
	require.Equal(t, 6, strings.Count(page, "\n::: zone-end\n"))
	require.Equal(t, 6, strings.Count(page, includeLine))
	require.Equal(t, 1, strings.Count(page, "\n# "), "exactly one H1")
	for _, p := range GraphPermissions() {
		require.Contains(t, page, ">| "+p.Name+" | "+p.Type+" | ")
	}
	require.Contains(t, page, "[7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a](../azure/7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a.md)")
	require.NotContains(t, page, "appsource.microsoft.com", "attestbot is not listed in AppSource by default")

	cfg := testConfig()
	cfg.AppSourceID = "WA200009999"
	cfg.ShortName = "Pipe | Bot"
	cfg.AttestedOn = time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC)
	page = string(CompliancePage(cfg))
	require.Contains(t, page, `* <a href="https://appsource.microsoft.com/product/office/WA200009999" target="_blank">View in AppSource</a>`)
	require.Contains(t, page, "| App name | Pipe \\| Bot |", "pipes in cells are escaped")
	require.Contains(t, page, "<p>Last updated by the developer on: March 1, 2027</p>")
	require.Contains(t, page, "\nms.date: 03/01/2027\n")
	require.Contains(t, page, `# <a name="pipe-bot"></a>Pipe | Bot`)
}

// TestCompliancePage_Parse checks that the lead's page parser reads the
// page whole: every answer under its canonical key, every permission.
func TestCompliancePage_Parse(t *testing.T) {
	for _, tt := range []struct {
		name   string
		cfg    func() Config
		warned []string
	}{
		{"no AppSource listing", testConfig, []string{"no AppSource ID"}},
		{"AppSource listing", func() Config { c := testConfig(); c.AppSourceID = "WA200009999"; return c }, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg()
			rec, err := attestation.Parse("Apps/teams/attestbot.md", CompliancePage(cfg))
			require.NoError(t, err)
			var warnings []string
			for _, w := range rec.Warnings {
				warnings = append(warnings, w.Message)
			}
			require.Equal(t, tt.warned, warnings)

			require.Equal(t, attestation.PageApp, rec.Type)
			require.Equal(t, "attestbot", rec.Slug)
			require.Equal(t, "attestbot", rec.Name)
			require.Equal(t, "attestbot", rec.Publisher)
			require.Equal(t, attestation.Attested, rec.Certification)
			require.Equal(t, "A", rec.Template)
			require.Equal(t, "2026-11-27", rec.Updated.String())
			require.Equal(t, testAppID, rec.TeamsAppID)
			require.Equal(t, cfg.AppSourceID, rec.AppSourceID)
			require.Equal(t, []string{"general", "data", "security", "compliance", "privsection", "zerotrust"}, rec.Zones)
			require.Equal(t, "https://attestbot.example.com/privacy", rec.Links.Privacy)

			full := cfg.WithDefaults()
			zones := complianceZones(full)
			n := 0
			for _, z := range complianceZoneOrder {
				for _, row := range zones[z] {
					n++
					a, ok := rec.Answer(row.Key)
					require.True(t, ok, "no answer for %s", row.Key)
					want := row.Answer
					if m := regexp.MustCompile(`^\[(.*)\]\((.*)\)$`).FindStringSubmatch(want); m != nil {
						want = m[2]
					}
					require.Equal(t, want, a.Text, row.Key)
					switch want {
					case "Yes", "true":
						require.Equal(t, attestation.ValueYes, a.Value, row.Key)
					case "No":
						require.Equal(t, attestation.ValueNo, a.Value, row.Key)
					case "Not applicable":
						require.Equal(t, attestation.ValueNotApplicable, a.Value, row.Key)
					case "":
						require.Equal(t, attestation.ValueUnanswered, a.Value, row.Key)
					}
				}
			}
			require.Len(t, rec.Answers, n, "no extra or unmapped rows")

			perms := GraphPermissions()
			require.Len(t, rec.Permissions, len(perms))
			for i, p := range perms {
				got := rec.Permissions[i]
				require.Equal(t, p.Name, got.Name)
				require.Equal(t, attestation.PermissionType(strings.ToLower(p.Type)), got.Type)
				require.Equal(t, testEntraID, got.EntraAppID)
				require.Equal(t, p.Reason, got.Collected)
			}
			require.Equal(t, []string{testEntraID}, rec.EntraAppIDs())
		})
	}
}

func TestGraphPermissions_LeastPrivilege(t *testing.T) {
	var app, delegated []string
	for _, p := range GraphPermissions() {
		require.NotEmpty(t, p.Reason, p.Name)
		require.NotContains(t, p.Reason, "|", "reasons go into markdown cells")
		switch p.Type {
		case "Application":
			app = append(app, p.Name)
		case "Delegated":
			delegated = append(delegated, p.Name)
		default:
			t.Fatalf("%s: type %q", p.Name, p.Type)
		}
		// nothing that writes the directory, reads content, or installs
		// other apps
		for _, broad := range []string{"Directory.ReadWrite", "ReadWrite.All", "Mail.", "Files.", "Chat.Read", "User.Read.All", "ReadWriteForUser.All"} {
			require.NotContains(t, p.Name, broad)
		}
		// Directory.Read.All only for the audit's delegated grants, and
		// optional.
		if p.Name == "Directory.Read.All" {
			require.Contains(t, p.Reason, "oauth2PermissionGrants")
			require.Contains(t, p.Reason, "Optional")
		}
	}
	require.Equal(t, []string{"TeamsActivity.Send", "TeamsAppInstallation.ReadWriteSelfForUser.All", "AppCatalog.Read.All",
		"Application.Read.All", "Directory.Read.All", "RoleManagement.Read.Directory"}, app)
	require.Equal(t, []string{"AppCatalog.Submit"}, delegated)
}
