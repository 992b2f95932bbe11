package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/manifest"
)

func newManifestCmd(a *cli) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "Build and validate the Teams app package",
	}
	var mc manifest.Config
	fill := func() manifest.Config {
		c := mc
		if c.AppID == "" {
			c.AppID = a.cfg.TeamsAppID
		}
		if c.BotID == "" {
			c.BotID = a.cfg.AppID
		}
		if c.PublicURL == "" {
			c.PublicURL = a.cfg.PublicURL
		}
		return c
	}
	flags := func(c *cobra.Command) {
		c.Flags().StringVar(&mc.AppID, "app-id", "", "Teams app ID (default $ATTESTBOT_TEAMS_APP_ID)")
		c.Flags().StringVar(&mc.BotID, "bot-id", "", "the bot's Microsoft App ID (default $MicrosoftAppId)")
		c.Flags().StringVar(&mc.EntraAppID, "entra-app-id", "", "the Entra app that calls Graph (default: the bot ID)")
		c.Flags().StringVar(&mc.PublicURL, "public-url", "", "the bot's public https URL (default $ATTESTBOT_PUBLIC_URL)")
		c.Flags().StringVar(&mc.Version, "version", "", "app version x.y.z")
		c.Flags().StringVar(&mc.ShortName, "name", "", "short app name")
		c.Flags().StringVar(&mc.AccentColor, "accent-color", "", "icon background colour #RRGGBB")
		c.Flags().StringVar(&mc.DeveloperName, "developer", "", "publisher name")
	}

	var out string
	build := &cobra.Command{
		Use:   "build --out attestbot.zip",
		Short: "Write the Teams app package (manifest.json, icons, localization files)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := fill()
			if cfg.AppID == "" && a.cfg.LocalMode() {
				// A local build for the validators: example IDs that say so.
				cfg.AppID = "00000000-0000-4000-8000-00000000a77e"
				cfg.BotID = "00000000-0000-4000-8000-00000000b07e"
				if cfg.PublicURL == "" {
					cfg.PublicURL = "https://attestbot.example.com"
				}
				fmt.Fprintln(a.stderr, "manifest: no ATTESTBOT_TEAMS_APP_ID or MicrosoftAppId set: using example IDs (do not upload this package)")
			}
			var buf bytes.Buffer
			if err := manifest.WritePackage(&buf, cfg); err != nil {
				return err
			}
			if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("write package: %w", err)
			}
			fmt.Fprintf(a.stdout, "wrote %s (%d bytes)\n", out, buf.Len())
			return nil
		},
	}
	flags(build)
	build.Flags().StringVar(&out, "out", "attestbot.zip", "where to write the package")

	validate := &cobra.Command{
		Use:   "validate PATH",
		Short: "Check a manifest.json or an app package: schema, layout, icons, IDs, activity types, sizes",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			problems := manifest.Validate(args[0])
			for _, p := range problems {
				fmt.Fprintf(a.stdout, "%s: %s\n", args[0], p)
			}
			if manifest.HasErrors(problems) {
				return exitError{code: 1}
			}
			fmt.Fprintf(a.stdout, "%s: valid\n", args[0])
			return nil
		},
	}

	compliance := &cobra.Command{
		Use:   "compliance",
		Short: "Print attestbot's own publisher attestation page (the public page format)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := a.stdout.Write(manifest.CompliancePage(fill()))
			return err
		},
	}
	flags(compliance)
	cmd.AddCommand(build, validate, compliance, newPublishCmd(a))
	return cmd
}
