package chat

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/attestbot/attestbot/audit"
	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/internal/roles"
	"github.com/attestbot/attestbot/l10n"
)

// Auditor audits a tenant's Teams apps against their compliance records
// (audit.Service does). force asks for fresh Graph data instead of the
// cached audit.
type Auditor interface {
	Audit(ctx context.Context, tenantID string, force bool) (*audit.Result, error)
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
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.roles_unavailable"),
			Detail: s.loc.F("chat.roles_unavailable_detail", l10n.Args{"Permission": "RoleManagement.Read.Directory"})})
	}
	if l >= need {
		return nil
	}
	detail := s.loc.T("chat.admin_roles")
	if l == roles.Reader {
		detail = s.loc.T("chat.reader_read_only") + " " + detail
	}
	return s.cards.Error(cards.ErrorMessage{Title: title, Detail: detail})
}

// reAudit matches the audit requests: "audit", "audit my tenant", "audit
// our tenant", "audit the tenant", "tenant audit".
var reAudit = regexp.MustCompile(`(?i)^(?:audit(?:\s+(?:my|our|the|this)?\s*tenant)?|tenant\s+audit)\s*[.!?]*$`)

// auditTitles are the folded titles of the audit card in every catalog
// language ("auditdulocataire", "mandantenprufung", "テナントの監査"): an
// admin asks for the audit by its name in their language.
var auditTitles = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, l := range l10n.Locales {
		out[foldText(l10n.For(l).T("audit.title"))] = true
	}
	return out
})

// isAudit reports whether a cleaned message asks for the tenant audit, in
// English or by the audit card's title in any catalog language.
func isAudit(t string) bool {
	if reAudit.MatchString(t) {
		return true
	}
	if len(t) > 80 {
		return false
	}
	return auditTitles()[foldText(strings.TrimRight(t, ".!?？！。 "))]
}

// audit answers "audit my tenant" with the first page of the audit.
func (s *Service) audit(ctx context.Context, u User) *cards.AdaptiveCard {
	return s.auditPage(ctx, u, 0, false)
}

// auditPage answers the audit for u's tenant: admins only, the tenant is
// always the user's own.
func (s *Service) auditPage(ctx context.Context, u User, page int, force bool) *cards.AdaptiveCard {
	if s.auditor == nil {
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.audit_unavailable"), Detail: s.loc.T("chat.audit_unavailable_detail")})
	}
	if u.TenantID == "" {
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.which_tenant"), Detail: s.loc.T("chat.audit_needs_user")})
	}
	if c := s.denied(ctx, u, roles.Reader, s.loc.T("chat.audit_admins_only")); c != nil {
		return c
	}
	res, err := s.auditor.Audit(ctx, u.TenantID, force)
	if err != nil {
		return s.auditError(u, err)
	}
	return s.cards.Audit(cards.NewAuditReport(res), page)
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
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.audit_forbidden"),
			Detail: s.loc.F("chat.audit_forbidden_detail", l10n.Args{"Permissions": "AppCatalog.Read.All, Application.Read.All, Directory.Read.All"}), Retry: retry})
	case "throttled":
		detail := s.loc.T("chat.graph_throttled")
		var ra interface{ RetryAfter() time.Duration }
		if errors.As(err, &ra) && ra.RetryAfter() > 0 {
			detail = s.loc.N("chat.graph_throttled_seconds", int((ra.RetryAfter()+time.Second-1)/time.Second), nil)
		}
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.graph_busy"), Detail: detail, Retry: retry})
	}
	return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.audit_failed"), Detail: s.loc.T("chat.try_in_a_minute"), Retry: retry})
}
