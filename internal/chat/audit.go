package chat

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/attestbot/attestbot/cards"
	"github.com/attestbot/attestbot/l10n"
)

// Auditor audits a tenant's Teams apps against their compliance records
// (audit.Service does). force asks for fresh Graph data instead of the
// cached audit.
type Auditor interface {
	Report(ctx context.Context, tenantID string, force bool) (*cards.AuditReport, error)
}

// WithAuditor answers "audit" (admins only) with a.
func WithAuditor(a Auditor) Option { return func(s *Service) { s.auditor = a } }

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
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.audit_unavailable"), Detail: s.loc.T("chat.audit_unavailable_detail")})
	}
	if !s.IsAdmin(u) {
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.audit_admins_only"), Detail: s.loc.T("chat.ask_operator")})
	}
	if u.TenantID == "" {
		return s.cards.Error(cards.ErrorMessage{Title: s.loc.T("chat.which_tenant"), Detail: s.loc.T("chat.audit_needs_user")})
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
