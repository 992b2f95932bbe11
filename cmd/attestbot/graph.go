package main

import (
	archivezip "archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/attestbot/attestbot/graphclient"
	"github.com/attestbot/attestbot/internal/outbound"
	"github.com/attestbot/attestbot/manifest"
)

// graphHTTPClient is the HTTP client of the Graph commands: nil means the
// tuned outbound clients (system trust pool, SSL_CERT_FILE); tests point it
// at a fake.
var graphHTTPClient *http.Client

// graphClients returns the HTTP clients for Entra (tokens) and for Graph:
// graphHTTPClient for both when a test set it, else one tuned outbound
// client per class, shared by every Graph client of the process.
func graphClients() (entra, graph *http.Client) {
	if graphHTTPClient != nil {
		return graphHTTPClient, graphHTTPClient
	}
	return outboundClients.entra, outboundClients.graph
}

// outboundClients are the process's outbound HTTP clients, one per
// destination class: each keeps its own keep-alive pool, so concurrent
// callers reuse connections instead of opening one per call.
var outboundClients = struct {
	entra, openid, graph *http.Client
}{
	// (The Bot Connector client builds its own: connector.New.)
	// Token and metadata fetches are single-flight: a few connections do.
	entra:  outbound.NewClient(outbound.Options{Class: outbound.Entra, IdlePerHost: 8}),
	openid: outbound.NewClient(outbound.Options{Class: outbound.OpenID, IdlePerHost: 4}),
	// Bulk activity-feed sends, audit batches and the Entra lookups
	// (graphclient.DefaultConcurrency) run a few requests at once; the
	// graph client sets its own per-request timeout.
	graph: outbound.NewClient(outbound.Options{Class: outbound.Graph, IdlePerHost: 32, Timeout: -1}),
}

// newPublishCmd uploads the Teams app package to the tenant's app catalog,
// or updates it when an app with the same manifest ID is already there.
// Publishing needs a delegated token: the admin signs in with the device
// code flow.
func newPublishCmd(a *app) *cobra.Command {
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
			zip, externalID, err := readPackage(pkg)
			if err != nil {
				return err
			}
			entraHC, graphHC := graphClients()
			cred, err := graphclient.NewDeviceCodeCredential(graphclient.DeviceCodeConfig{
				ClientID: clientID, TenantID: tenant, LoginURL: a.cfg.LoginURL, GraphURL: a.cfg.GraphURL,
				Scopes: []string{"AppCatalog.Submit"},
				Prompt: func(_ context.Context, p graphclient.DeviceCodePrompt) error {
					fmt.Fprintln(a.stderr, p.Message)
					return nil
				},
			}, graphclient.CredentialOptions{HTTPClient: entraHC, Logger: a.logger})
			if err != nil {
				return err
			}
			gc, err := graphclient.New(graphclient.Config{GraphURL: a.cfg.GraphURL, HTTPClient: graphHC, Logger: a.logger}, cred)
			if err != nil {
				return err
			}
			existing, err := gc.FindAppByExternalID(ctx, tenant, externalID)
			var app graphclient.CatalogApp
			switch {
			case err == nil:
				app, err = gc.UpdateApp(ctx, tenant, existing.ID, zip, graphclient.PublishOptions{RequiresReview: review})
				if err != nil {
					return fmt.Errorf("update %s in the app catalog: %w", existing.ID, err)
				}
				fmt.Fprintf(a.stdout, "updated %s (%s) in the app catalog of %s\n", app.DisplayName, app.ID, tenant)
			case errors.Is(err, graphclient.ErrNotFound):
				app, err = gc.PublishApp(ctx, tenant, zip, graphclient.PublishOptions{RequiresReview: review})
				if err != nil {
					return fmt.Errorf("publish to the app catalog: %w", err)
				}
				fmt.Fprintf(a.stdout, "published %s (%s) to the app catalog of %s\n", app.DisplayName, app.ID, tenant)
			default:
				return fmt.Errorf("look up the app catalog: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&pkg, "package", "attestbot.zip", "the app package to upload (build it with manifest build)")
	cmd.Flags().StringVar(&tenant, "tenant", "", "tenant ID (default $MicrosoftAppTenantId)")
	cmd.Flags().StringVar(&clientID, "client-id", "", "app registration used for the sign-in (default $MicrosoftAppId)")
	cmd.Flags().BoolVar(&review, "requires-review", false, "submit for admin review instead of publishing directly")
	return cmd
}

// readPackage reads and validates an app package and returns its manifest
// ID.
func readPackage(path string) ([]byte, string, error) {
	if problems := manifest.Validate(path); manifest.HasErrors(problems) {
		var msgs []string
		for _, p := range problems {
			msgs = append(msgs, p.String())
		}
		return nil, "", fmt.Errorf("%s is not a valid app package:\n  %s", path, strings.Join(msgs, "\n  "))
	}
	zip, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	zr, err := archivezip.NewReader(bytes.NewReader(zip), int64(len(zip)))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	f, err := zr.Open(manifest.ManifestFile)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	var m struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&m); err != nil {
		return nil, "", fmt.Errorf("%s: manifest.json: %w", path, err)
	}
	return zip, m.ID, nil
}

// newInstallCmd installs the app for users (admins) through Graph, so that
// their activity feed can receive alerts.
func newInstallCmd(a *app) *cobra.Command {
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
			gc, err := appGraphClient(a, tenant)
			if err != nil {
				return err
			}
			app, err := gc.FindAppByExternalID(ctx, tenant, a.cfg.TeamsAppID)
			if err != nil {
				return fmt.Errorf("find attestbot in the app catalog of %s (publish it first): %w", tenant, err)
			}
			failed := 0
			for _, u := range users {
				if err := gc.InstallForUser(ctx, tenant, u, app.ID); err != nil {
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

// appGraphClient returns a Graph client with the bot's app-only
// credentials.
func appGraphClient(a *app, homeTenant string) (*graphclient.Client, error) {
	c := a.cfg.Credentials
	if c.AppID == "" {
		return nil, errors.New("MicrosoftAppId is required to call Microsoft Graph")
	}
	ac := graphclient.AppCredentialConfig{
		ClientID: c.AppID, ClientSecret: c.AppPassword, HomeTenantID: homeTenant,
		LoginURL: a.cfg.LoginURL, GraphURL: a.cfg.GraphURL,
	}
	if c.CertificateFile != "" {
		pem, err := os.ReadFile(c.CertificateFile)
		if err != nil {
			return nil, fmt.Errorf("MicrosoftAppCertificateFile: %w", err)
		}
		if c.CertificateKeyFile != "" {
			key, err := os.ReadFile(c.CertificateKeyFile)
			if err != nil {
				return nil, fmt.Errorf("MicrosoftAppCertificateKeyFile: %w", err)
			}
			pem = append(append(pem, '\n'), key...)
		}
		ac.Certificate = pem
	}
	if strings.EqualFold(string(c.AppType), "UserAssignedMSI") {
		ac.ClientSecret, ac.ManagedIdentityClientID = "", c.AppID
	}
	entraHC, graphHC := graphClients()
	cred, err := graphclient.NewAppCredential(ac, graphclient.CredentialOptions{HTTPClient: entraHC, Logger: a.logger})
	if err != nil {
		return nil, err
	}
	return graphclient.New(graphclient.Config{GraphURL: a.cfg.GraphURL, HTTPClient: graphHC, Logger: a.logger}, cred)
}
