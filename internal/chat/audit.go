package chat

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/roles"
)

// Auditor audits a tenant's Teams apps against their compliance records
// (audit.Service does). force asks for fresh Graph data instead of the
// cached audit.
type Auditor interface {
	Report(ctx context.Context, tenantID string, force bool) (*cards.AuditReport, error)
}

// WithAuditor answers "audit" (admins only) with a.
func WithAuditor(a Auditor) Option { return func(s *Service) { s.auditor = a } }

// Roles tells a user's admin level in their own tenant, from their Entra
// directory roles and the operator's overrides (roles.Checker does, through
// cmd's adapter). It must identify the user by TenantID and AADObjectID
// only, the identity Teams vouches for.
type Roles interface {
	Level(ctx context.Context, u User) (roles.Level, error)
}

// WithRoles decides the admin-only requests with r (instead of the static
// WithAdmins list): admins run every one, readers (Global Reader) the
// read-only views such as the audit.
func WithRoles(r Roles) Option { return func(s *Service) { s.roles = r } }

// level returns u's admin level: from the Roles when set, else from the
// WithAdmins list, matched against the Entra object ID only.
func (s *Service) level(ctx context.Context, u User) (roles.Level, error) {
	if s.roles != nil {
		return s.roles.Level(ctx, u)
	}
	if id := strings.ToLower(strings.TrimSpace(u.AADObjectID)); id != "" && u.TenantID != "" && s.admins[id] {
		return roles.Admin, nil
	}
	return roles.None, nil
}

// denied returns nil when u holds at least need in their tenant, else the
// error card titled title saying why: which roles open the request, or
// that the roles could not be read (then nothing is allowed).
func (s *Service) denied(ctx context.Context, u User, need roles.Level, title string) *cards.AdaptiveCard {
	l, err := s.level(ctx, u)
	if err != nil {
		s.log.Warn("admin check failed", "tenant_id", u.TenantID, "user_id", u.AADObjectID, "err", err)
		return s.cards.Error(cards.ErrorMessage{Title: "I could not check your admin roles",
			Detail: "Microsoft Graph did not tell attestbot your directory roles, so admin requests are refused for now. Try again " +
				"in a minute. If it keeps failing, a Global Administrator must grant attestbot the Microsoft Graph application " +
				"permission RoleManagement.Read.Directory (admin consent)."})
	}
	if l >= need {
		return nil
	}
	detail := "This needs one of these Microsoft Entra roles in your tenant: Global Administrator, Teams Administrator, " +
		"Application Administrator or Cloud Application Administrator"
	if need == roles.Reader {
		detail += " (Global Reader may view it too)"
	}
	detail += ". Your attestbot operator can also name you in ATTESTBOT_ADMINS."
	if l == roles.Reader {
		detail = "Global Reader gives the read-only views, such as the audit, but not this. " + detail
	}
	return s.cards.Error(cards.ErrorMessage{Title: title, Detail: detail})
}

// reAudit matches the audit requests: "audit", "audit my tenant", "audit
// our tenant", "audit the tenant", "tenant audit".
var reAudit = regexp.MustCompile(`(?i)^(?:audit(?:\s+(?:my|our|the|this)?\s*tenant)?|tenant\s+audit)\s*[.!?]*$`)

// audit answers "audit my tenant" with the first page of the audit.
func (s *Service) audit(ctx context.Context, u User) *cards.AdaptiveCard {
	return s.auditPage(ctx, u, 0, false)
}

// auditPage answers the audit for u's tenant: admins only, the tenant is
// always the user's own.
func (s *Service) auditPage(ctx context.Context, u User, page int, force bool) *cards.AdaptiveCard {
	if s.auditor == nil {
		return s.cards.Error(cards.ErrorMessage{Title: "The tenant audit is not available",
			Detail: "This attestbot runs without Microsoft Graph credentials, so it cannot read your tenant's apps."})
	}
	if u.TenantID == "" {
		return s.cards.Error(cards.ErrorMessage{Title: "I cannot tell which tenant you are in",
			Detail: "The audit needs a Teams user in a tenant."})
	}
	if c := s.denied(ctx, u, roles.Reader, "Only admins can audit the tenant"); c != nil {
		return c
	}
	rep, err := s.auditor.Report(ctx, u.TenantID, force)
	if err != nil {
		return s.auditError(u, err)
	}
	return s.cards.Audit(rep, page)
}

// auditError turns an audit failure into an error card; the details go
// to the log only.
func (s *Service) auditError(u User, err error) *cards.AdaptiveCard {
	retry := &cards.ActionData{Verb: cards.VerbAudit}
	var r interface{ Reason() string }
	reason := ""
	if errors.As(err, &r) {
		reason = r.Reason()
	}
	s.log.Error("tenant audit", "tenant_id", u.TenantID, "reason", reason, "err", err)
	switch reason {
	case "forbidden", "unauthorized":
		return s.cards.Error(cards.ErrorMessage{Title: "attestbot may not read your tenant's apps",
			Detail: "A Global Administrator must grant attestbot admin consent for the Microsoft Graph application permissions " +
				"AppCatalog.Read.All and Application.Read.All (and, to compare delegated grants, Directory.Read.All), then try again.", Retry: retry})
	case "throttled":
		detail := "Microsoft Graph asked attestbot to slow down. Try again in a minute."
		var ra interface{ RetryAfter() time.Duration }
		if errors.As(err, &ra) && ra.RetryAfter() > 0 {
			detail = "Microsoft Graph asked attestbot to slow down. Try again in " +
				strconv.Itoa(int((ra.RetryAfter()+time.Second-1)/time.Second)) + " seconds."
		}
		return s.cards.Error(cards.ErrorMessage{Title: "Microsoft Graph is busy", Detail: detail, Retry: retry})
	}
	return s.cards.Error(cards.ErrorMessage{Title: "The tenant audit failed", Detail: "Try again in a minute.", Retry: retry})
}
