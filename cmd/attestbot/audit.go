package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/app"
	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
)

// newAuditCmd audits a tenant's Teams apps against their compliance
// records, through Graph with the bot's app-only credentials.
func newAuditCmd(a *cli) *cobra.Command {
	var tenant, storeURL, locale string
	var asJSON bool
	var top int
	cmd := &cobra.Command{
		Use:   "audit --tenant ID [--json]",
		Short: "Audit a tenant's Teams apps against their compliance records and granted Graph permissions",
		Long: "audit reads, through Microsoft Graph (app-only, with the bot's credentials), the tenant's own Teams apps and its " +
			"service principals holding grants, matches each app to its compliance record (by Teams app ID or Entra app ID), " +
			"and compares the Graph permissions the tenant granted each app with what its publisher attested. It prints the " +
			"counts and the riskiest apps first, or with --json the whole audit.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if tenant == "" {
				tenant = a.cfg.Credentials.TenantID
			}
			if tenant == "" {
				return errors.New("--tenant (or MicrosoftAppTenantId) is required: the tenant to audit")
			}
			st, err := a.openStore(ctx, storeURL)
			if err != nil {
				return err
			}
			defer st.Close()
			cat, sampled, err := app.AuditCatalog(ctx, st)
			if err != nil {
				return err
			}
			if sampled {
				fmt.Fprintln(a.stderr, "the store holds no records: auditing against the bundled sample pages (import the catalog for a real audit)")
			}
			gc, err := app.NewGraphClient(a.cfg, a.logger, a.clients, tenant)
			if err != nil {
				return err
			}
			svc := audit.New(app.NewAuditGraph(gc), cat, audit.WithLocale(locale), audit.WithLogger(a.logger))
			res, err := svc.Audit(ctx, tenant, true)
			if err != nil {
				return app.AuditFailure(err)
			}
			en := l10n.Default()
			res.Explain(func(f audit.Finding) string { return cards.FindingText(en, f) })
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(res)
			}
			audit.WriteText(a.stdout, res, top)
			return nil
		},
	}
	cmd.Flags().StringVar(&tenant, "tenant", "", "tenant ID or domain to audit (default $MicrosoftAppTenantId)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole audit as JSON")
	cmd.Flags().StringVar(&storeURL, "store", "", "store URL of the records (default $ATTESTBOT_STORE or data/attestbot.db; the bundled sample when empty)")
	cmd.Flags().StringVar(&locale, "locale", audit.DefaultLocale, "locale to read records in (else their first locale)")
	cmd.Flags().IntVar(&top, "top", 20, "how many apps the text output lists (0: all)")
	return cmd
}
