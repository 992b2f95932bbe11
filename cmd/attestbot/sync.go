package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/app"
	"github.com/attestbot/attestbot/notify"
)

// newSyncCmd runs the catalog sync once (or on its interval) outside serve.
func newSyncCmd(a *cli) *cobra.Command {
	var once, asJSON bool
	var storeURL string
	cmd := &cobra.Command{
		Use:   "sync [--once] [--json]",
		Short: "Sync the catalog from ATTESTBOT_SOURCE, raise change events and deliver alerts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if len(a.cfg.Sources) == 0 {
				return errors.New("ATTESTBOT_SOURCE is empty: name the directories or git repositories to sync")
			}
			st, err := a.openStore(ctx, storeURL)
			if err != nil {
				return err
			}
			defer st.Close()
			conn, err := app.NewConnector(a.cfg, a.logger)
			if err != nil {
				return err
			}
			svc, err := app.NewAlerts(ctx, a.cfg, a.logger, a.clients, app.AlertDeps{Store: st, Connector: conn})
			if err != nil {
				return err
			}
			defer svc.Close()
			if !once {
				return svc.Run(ctx)
			}
			start := time.Now()
			res, err := svc.RunOnce(ctx)
			if asJSON {
				if jerr := writeJSON(a.stdout, res); jerr != nil {
					return jerr
				}
			} else {
				for _, s := range res.Sources {
					fmt.Fprintf(a.stdout, "%s: %d steps, %d pages\n", s.Source, s.Steps, s.Pages)
				}
				fmt.Fprintf(a.stdout, "%d events, %d dispatched in %d ms\n", len(res.Events), res.Dispatched, time.Since(start).Milliseconds())
				for _, ev := range res.Events {
					fmt.Fprintf(a.stdout, "  %s %s: %s\n", ev.Locale, strings.Join(ev.Apps, ","), ev.Summary)
				}
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "sync once, deliver what is due, and exit")
	cmd.Flags().BoolVar(&asJSON, "json", false, "with --once, print the result as JSON")
	cmd.Flags().StringVar(&storeURL, "store", "", "store URL (default $ATTESTBOT_STORE)")
	return cmd
}

// newHistoryCmd prints an app's change events.
func newHistoryCmd(a *cli, open storeOpener) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history SLUG [--json]",
		Short: "Show the change events of an app, newest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			events, err := notify.History(ctx, st, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				if events == nil {
					events = []notify.Event{}
				}
				return writeJSON(a.stdout, map[string]any{"app": args[0], "events": events})
			}
			if len(events) == 0 {
				fmt.Fprintf(a.stdout, "no change events for %s\n", args[0])
				return nil
			}
			for _, ev := range events {
				fmt.Fprintf(a.stdout, "%s %s %s: %s\n", ev.Time.Format(time.DateOnly), ev.Locale, ev.Step, ev.Summary)
				for _, c := range ev.Changes {
					fmt.Fprintf(a.stdout, "    %s: %s %s → %s\n", orDash(c.Label), c.Kind, orDash(c.Old), orDash(c.New))
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the events as JSON")
	return cmd
}
