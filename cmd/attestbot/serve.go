package main

import (
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/app"
	"github.com/attestbot/attestbot/internal/logbuf"
)

func newServeCmd(a *cli) *cobra.Command {
	var pprofAddr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the bot: /api/messages, /healthz, /readyz, /metrics",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			opts := []app.Option{app.WithClients(a.clients)}
			if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
				opts = append(opts, app.WithAutoMemoryLimit())
			}
			if _, set := os.LookupEnv("GOGC"); !set {
				opts = append(opts, app.WithAutoGC())
			}
			if pprofAddr != "" {
				opts = append(opts, app.WithPprof(pprofAddr))
			}
			// A line a turn: buffered (written together at most 100 ms
			// later), warnings and errors at once, the rest on return.
			lw := logbuf.New(a.stderr, 0, 0)
			defer lw.Close()
			log := slog.New(logbuf.FlushAt(newLogger(lw, a.cfg.LogLevel, a.cfg.LogFormat).Handler(), slog.LevelWarn, lw))
			srv, err := app.New(ctx, a.cfg, log, Version, opts...)
			if err != nil {
				return err
			}
			return srv.Run(ctx)
		},
	}
	cmd.Flags().StringVar(&pprofAddr, "pprof", "", "serve Go's profiling endpoints (/debug/pprof/) on this loopback host:port; off by default")
	return cmd
}
