// Command attestbot is the attestbot Teams bot backend and its operator
// tool: serve the bot, import, search and diff the compliance catalog,
// sync it from its sources, and build the Teams app package.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/app"
	"github.com/attestbot/attestbot/internal/config"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, app.NewClients()))
}

// exitError carries an exit code through cobra.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// run executes the command line with the outbound HTTP clients and
// returns the process exit code.
func run(args []string, stdout, stderr io.Writer, clients app.Clients) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd(stdout, stderr, clients)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		fmt.Fprintln(stderr, "attestbot:", err)
		return 1
	}
	return 0
}

// cli holds what every subcommand shares.
type cli struct {
	stdout, stderr io.Writer
	cfg            config.Config
	logger         *slog.Logger
	clients        app.Clients
}

func newRootCmd(stdout, stderr io.Writer, clients app.Clients) *cobra.Command {
	a := &cli{stdout: stdout, stderr: stderr, clients: clients}
	root := &cobra.Command{
		Use:           "attestbot",
		Short:         "Microsoft 365 app compliance records in Teams",
		Long:          "attestbot answers Teams admins' questions about Microsoft 365 apps' compliance records and alerts them when a record changes.",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.FromEnv(os.Getenv)
			if err != nil && cmd.Name() != "version" && needsFullConfig(cmd) {
				return fmt.Errorf("configuration: %w", err)
			}
			a.cfg = cfg
			a.logger = newLogger(stderr, cfg.LogLevel, cfg.LogFormat)
			return nil
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(
		newVersionCmd(a),
		newCatalogCmd(a),
		newServeCmd(a),
		newHealthcheckCmd(a),
		newManifestCmd(a),
		newInstallCmd(a),
		newSyncCmd(a),
		newAuditCmd(a),
	)
	return root
}

// needsFullConfig tells which commands refuse an invalid configuration:
// serving does; offline catalog commands only read what they use.
func needsFullConfig(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Name() == "serve" {
			return true
		}
	}
	return false
}

func newLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	switch level {
	case "debug":
		lv = slog.LevelDebug
	case "warn":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func newVersionCmd(a *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(a.stdout, "attestbot", Version)
			return nil
		},
	}
}
