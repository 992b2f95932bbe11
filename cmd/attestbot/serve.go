package main

import (
	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/app"
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
			if pprofAddr != "" {
				opts = append(opts, app.WithPprof(pprofAddr))
			}
			srv, err := app.New(ctx, a.cfg, a.logger, Version, opts...)
			if err != nil {
				return err
			}
			return srv.Run(ctx)
		},
	}
	cmd.Flags().StringVar(&pprofAddr, "pprof", "", "serve Go's profiling endpoints (/debug/pprof/) on this loopback host:port; off by default")
	return cmd
}
