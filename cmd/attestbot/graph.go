package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/app"
	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/manifest"
)

// newPublishCmd uploads the Teams app package to the tenant's app catalog,
// or updates it when an app with the same manifest ID is already there.
// Publishing needs a delegated token: the admin signs in with the device
// code flow.
func newPublishCmd(a *cli) *cobra.Command {
	var pkg, tenant, clientID string
	var review bool
	cmd := &cobra.Command{
		Use:   "publish [--package attestbot.zip] --tenant ID",
		Short: "Upload the app package to the tenant's Teams app catalog (signs the admin in with a device code)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if tenant == "" {
				tenant = a.cfg.Credentials.TenantID
			}
			if tenant == "" {
				return errors.New("--tenant (or MicrosoftAppTenantId) is required: the tenant whose app catalog receives the package")
			}
			if clientID == "" {
				clientID = a.cfg.AppID
			}
			if clientID == "" {
				return errors.New("--client-id (or MicrosoftAppId) is required: an app registration that allows public client flows")
			}
			zip, externalID, err := manifest.ReadPackage(pkg)
			if err != nil {
				return err
			}
			cred, err := graphclient.NewDeviceCodeCredential(graphclient.DeviceCodeConfig{
				ClientID: clientID, TenantID: tenant, LoginURL: a.cfg.LoginURL, GraphURL: a.cfg.GraphURL,
				Scopes: []string{"AppCatalog.Submit"},
				Prompt: func(_ context.Context, p graphclient.DeviceCodePrompt) error {
					fmt.Fprintln(a.stderr, p.Message)
					return nil
				},
			}, graphclient.CredentialOptions{HTTPClient: a.clients.Entra, Logger: a.logger})
			if err != nil {
				return err
			}
			gc, err := graphclient.New(graphclient.Config{GraphURL: a.cfg.GraphURL, HTTPClient: a.clients.Graph, Logger: a.logger}, cred)
			if err != nil {
				return err
			}
			published, updated, err := gc.PublishOrUpdate(ctx, tenant, externalID, zip, graphclient.PublishOptions{RequiresReview: review})
			if err != nil {
				return err
			}
			verb := "published %s (%s) to the app catalog of %s\n"
			if updated {
				verb = "updated %s (%s) in the app catalog of %s\n"
			}
			fmt.Fprintf(a.stdout, verb, published.DisplayName, published.ID, tenant)
			return nil
		},
	}
	cmd.Flags().StringVar(&pkg, "package", "attestbot.zip", "the app package to upload (build it with manifest build)")
	cmd.Flags().StringVar(&tenant, "tenant", "", "tenant ID (default $MicrosoftAppTenantId)")
	cmd.Flags().StringVar(&clientID, "client-id", "", "app registration used for the sign-in (default $MicrosoftAppId)")
	cmd.Flags().BoolVar(&review, "requires-review", false, "submit for admin review instead of publishing directly")
	return cmd
}

// newInstallCmd installs the app for users (admins) through Graph, so that
// their activity feed can receive alerts.
func newInstallCmd(a *cli) *cobra.Command {
	var users []string
	var tenant string
	cmd := &cobra.Command{
		Use:   "install --tenant ID --user UPN|ID...",
		Short: "Install attestbot for users through Graph so their activity feed can receive alerts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if tenant == "" {
				tenant = a.cfg.Credentials.TenantID
			}
			switch {
			case tenant == "":
				return errors.New("--tenant (or MicrosoftAppTenantId) is required")
			case len(users) == 0:
				return errors.New("--user is required (a UPN or an Entra object ID; repeat it for several users)")
			case a.cfg.TeamsAppID == "":
				return errors.New("ATTESTBOT_TEAMS_APP_ID is required: the manifest ID of the published package")
			}
			gc, err := app.NewGraphClient(a.cfg, a.logger, a.clients, tenant)
			if err != nil {
				return err
			}
			found, err := gc.FindAppByExternalID(ctx, tenant, a.cfg.TeamsAppID)
			if err != nil {
				return fmt.Errorf("find attestbot in the app catalog of %s (publish it first): %w", tenant, err)
			}
			failed := 0
			for _, u := range users {
				if err := gc.InstallForUser(ctx, tenant, u, found.ID); err != nil {
					failed++
					fmt.Fprintf(a.stderr, "%s: %v\n", u, err)
					continue
				}
				fmt.Fprintf(a.stdout, "%s: installed\n", u)
			}
			if failed > 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&users, "user", nil, "user principal name or Entra object ID (repeatable)")
	cmd.Flags().StringVar(&tenant, "tenant", "", "tenant ID (default $MicrosoftAppTenantId)")
	return cmd
}
