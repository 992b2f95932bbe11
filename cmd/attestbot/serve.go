package main

import (
	"github.com/spf13/cobra"
)

func newServeCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the bot: /api/messages, /healthz, /readyz, /metrics",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), a)
		},
	}
	return cmd
}
