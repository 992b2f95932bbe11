package app

import (
	"context"
	"fmt"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/chat"
	"github.com/attestbot/attestbot/internal/config"
	"github.com/attestbot/attestbot/manifest"
	"github.com/attestbot/attestbot/sample"
)

// loadCatalog fills an empty store (bootstrapCatalog) and loads the
// catalog index.
func (a *App) loadCatalog(ctx context.Context) error {
	if err := a.bootstrapCatalog(ctx); err != nil {
		return err
	}
	a.catalog = chat.NewCatalog(a.store, chat.WithCatalogLogger(a.log))
	n, err := a.catalog.Reload(ctx)
	if err != nil {
		return err
	}
	a.mem.settle()
	a.log.Info("catalog loaded", "records", n, "apps", a.catalog.Index().Len())
	return nil
}

// bootstrapCatalog fills an empty store: from the bundled sample pages when
// no source is configured (local mode and first runs), plus attestbot's own
// compliance page.
func (a *App) bootstrapCatalog(ctx context.Context) error {
	count, err := a.store.CountRecords(ctx)
	if err != nil {
		return fmt.Errorf("count records: %w", err)
	}
	if count > 0 || len(a.cfg.Sources) > 0 {
		return nil
	}
	recs, err := sample.ParseRecords()
	if err != nil {
		return err
	}
	own, err := attestation.ParseSource(attestation.Source{File: "attestbot.md", Path: "Apps/teams/attestbot.md", Locale: "en-US"},
		manifest.CompliancePage(manifest.Config{AppID: a.cfg.TeamsAppID, BotID: a.cfg.AppID, PublicURL: a.cfg.PublicURL}))
	if err == nil {
		recs = append(recs, own)
	}
	res, err := a.store.PutRecords(ctx, recs)
	if err != nil {
		return fmt.Errorf("import the bundled sample: %w", err)
	}
	a.log.Info("empty catalog: imported the bundled sample pages", "records", res.Added)
	return nil
}

// reloadCatalog rebuilds the catalog index after each sync this replica
// ran (reload), when another replica's sync changed the number of records
// (checked every ATTESTBOT_CATALOG_POLL), and every ATTESTBOT_CATALOG_RELOAD
// in any case, until ctx is cancelled.
func (a *App) reloadCatalog(ctx context.Context) {
	poll := time.NewTicker(orDefault(a.cfg.CatalogPoll, config.DefaultCatalogPoll))
	defer poll.Stop()
	full := time.NewTicker(orDefault(a.cfg.CatalogReload, config.DefaultCatalogReload))
	defer full.Stop()
	last, _ := a.store.CountRecords(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.reload:
		case <-full.C:
		case <-poll.C:
			n, err := a.store.CountRecords(ctx)
			if err != nil || n == last {
				continue
			}
		}
		n, err := a.catalog.Reload(ctx)
		if err != nil {
			a.log.Warn("catalog reload", "err", err)
			continue
		}
		a.mem.settle()
		last = n
		a.log.Info("catalog reloaded", "records", n, "apps", a.catalog.Index().Len())
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
