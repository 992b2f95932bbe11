package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/attestbot/attestbot/app"
	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/internal/catalogio"
	"github.com/attestbot/attestbot/internal/logtext"
	"github.com/attestbot/attestbot/store"
)

func newCatalogCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Import, export, show, search and diff compliance records",
	}
	var storeURL string
	cmd.PersistentFlags().StringVar(&storeURL, "store", "", "store URL (default $ATTESTBOT_STORE or data/attestbot.db)")
	open := func(ctx context.Context) (store.Store, error) { return a.openStore(ctx, storeURL) }
	cmd.AddCommand(
		newImportCmd(a, open),
		newExportCmd(a, open),
		newShowCmd(a, open),
		newSearchCmd(a, open),
		newDiffCmd(a),
		newHistoryCmd(a, open),
	)
	return cmd
}

type storeOpener func(ctx context.Context) (store.Store, error)

// openStore opens the store named by a --store flag, else by the
// configuration (ATTESTBOT_STORE).
func (a *cli) openStore(ctx context.Context, flagURL string) (store.Store, error) {
	if flagURL == "" {
		flagURL = a.cfg.Store
	}
	return app.OpenStore(ctx, flagURL, a.logger)
}

func newImportCmd(a *cli, open storeOpener) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import [--store URL] [--json] SOURCE...",
		Short: "Parse the pages of directories (or single files) and store their records",
		Long: "import walks each SOURCE recursively, parses every Markdown page, and stores the records. " +
			"Importing the same pages twice changes nothing; a changed page keeps its previous revision for diffs.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			files, err := catalogio.SourceFiles(args)
			if err != nil {
				return err
			}
			st, err := open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			defer catalogio.CapMemory()()
			opts := catalogio.ImportOptions{Logger: a.logger}
			var bar *progressbar.ProgressBar
			if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				// Import reads each file twice (two passes).
				bar = progressbar.NewOptions(2*len(files), progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionSetDescription("importing"), progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
				opts.Progress = func() { _ = bar.Add(1) }
			}
			stats, err := catalogio.Import(ctx, st, files, opts)
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, stats)
			}
			fmt.Fprintf(a.stdout, "imported %d records from %d pages in %d ms (%d added, %d updated, %d unchanged); %d failed, %d warnings\n",
				stats.Records, stats.Pages, stats.ElapsedMS, stats.Added, stats.Updated, stats.Unchanged, stats.Failed, stats.Warnings)
			fmt.Fprintf(a.stdout, "answers: %d total, %d keyed, %d unknown; %d permission rows\n",
				stats.Answers.Total, stats.Answers.Keyed, stats.Answers.Unknown, stats.Permissions)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as one JSON object")
	return cmd
}

func newExportCmd(a *cli, open storeOpener) *cobra.Command {
	return &cobra.Command{
		Use:   "export [--store URL]",
		Short: "Write every stored record as one JSON object a line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			enc := json.NewEncoder(a.stdout)
			enc.SetEscapeHTML(false)
			return st.Records(cmd.Context(), func(r *attestation.Record) error {
				return enc.Encode(catalogio.Export(r))
			})
		},
	}
}

func newShowCmd(a *cli, open storeOpener) *cobra.Command {
	var asJSON bool
	var locale string
	cmd := &cobra.Command{
		Use:   "show QUERY [--json]",
		Short: "Show an app's record: by name, AppSource ID, Teams app ID, Entra app ID or link",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			ix, n, err := catalogio.LoadIndex(ctx, st)
			if err != nil {
				return err
			}
			if n == 0 {
				return errors.New("the catalog is empty: run attestbot catalog import first")
			}
			query := strings.Join(args, " ")
			res := ix.Search(query, attestation.SearchOptions{Limit: 5, Locale: locale})
			if len(res) == 0 {
				fmt.Fprintf(a.stderr, "no app matches %q\n", query)
				return exitError{code: 2}
			}
			rec := res[0].Record(locale)
			if asJSON {
				return writeJSON(a.stdout, rec)
			}
			catalogio.WriteRecord(a.stdout, rec, res[0].Locales)
			if len(res) > 1 {
				fmt.Fprintf(a.stdout, "\nOther matches:")
				for _, r := range res[1:] {
					fmt.Fprintf(a.stdout, " %s (%s/%s);", r.Name, r.Kind, r.Slug)
				}
				fmt.Fprintln(a.stdout)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the record as JSON")
	cmd.Flags().StringVar(&locale, "locale", "", "preferred locale, such as fr-FR")
	return cmd
}

func newSearchCmd(a *cli, open storeOpener) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "search FILTER... [--json]",
		Short: "List apps matching filters such as hipaa=yes permission=Mail.ReadWrite certified kind=teams",
		Long: "search keeps the apps matching every filter: an answer (hipaa=yes, iso27001=yes, comp.soc2=no, pentest=yes), " +
			"permission=Mail.* , permission-type=application, certified, attested, kind=teams, locale=fr-FR, publisher=NAME. " +
			"A word that is not a filter searches by name.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var filterArgs, words []string
			for _, arg := range args {
				if _, err := attestation.ParseFilters(arg); err == nil {
					filterArgs = append(filterArgs, arg)
				} else if strings.Contains(arg, "=") {
					return fmt.Errorf("filter %q: %w", arg, err)
				} else {
					words = append(words, arg)
				}
			}
			filters, err := attestation.ParseFilters(filterArgs...)
			if err != nil {
				return err
			}
			st, err := open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			ix, _, err := catalogio.LoadIndex(ctx, st)
			if err != nil {
				return err
			}
			res := ix.Search(strings.Join(words, " "), attestation.SearchOptions{Limit: limit, Filters: filters})
			if asJSON {
				out := catalogio.SearchOutput{Filters: []string{}, Count: len(res), Results: res}
				for _, f := range filters {
					out.Filters = append(out.Filters, f.String())
				}
				if out.Results == nil {
					out.Results = []attestation.Result{}
				}
				return writeJSON(a.stdout, out)
			}
			if len(res) == 0 {
				fmt.Fprintln(a.stdout, "no app matches")
				return nil
			}
			for _, r := range res {
				fmt.Fprintf(a.stdout, "%-40s %-9s %-10s %-8s %s\n", logtext.Runes(r.Name, 40), r.Certification, r.Kind, r.AppSourceID, strings.Join(r.Locales, ","))
			}
			fmt.Fprintf(a.stdout, "%d apps\n", len(res))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	cmd.Flags().IntVar(&limit, "limit", -1, "at most this many results (-1: all)")
	return cmd
}

func newDiffCmd(a *cli) *cobra.Command {
	var asJSON, text bool
	cmd := &cobra.Command{
		Use:   "diff OLD NEW [--json]",
		Short: "Semantic diff of two page files or two directories of pages",
		Long: "diff reports real data changes between two revisions: answers, permissions, certification, dates, links, pages added or removed. " +
			"Translation and metadata churn is not a change.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			changes, err := catalogio.Diff(ctx, args[0], args[1], attestation.DiffOptions{IncludeText: text})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(a.stdout, catalogio.DiffOutput{Changes: changes})
			}
			if len(changes) == 0 {
				fmt.Fprintln(a.stdout, "no changes")
				return nil
			}
			for _, c := range changes {
				label := c.Label
				if label == "" {
					label = c.Field
				}
				fmt.Fprintf(a.stdout, "%s [%s] %s: %s %s → %s\n", c.App, c.Locale, label, c.Kind, orDash(c.Old), orDash(c.New))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"changes":[…]}`)
	cmd.Flags().BoolVar(&text, "text", false, "also report free-text answer changes (often translation variance)")
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
