package chat

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"time"

	"github.com/attestbot/attestbot/cards"
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
		return s.cards.Error(cards.ErrorMessage{Title: "The tenant audit is not available",
			Detail: "This attestbot runs without Microsoft Graph credentials, so it cannot read your tenant's apps."})
	}
	if !s.IsAdmin(u) {
		return s.cards.Error(cards.ErrorMessage{Title: "Only admins can audit the tenant",
			Detail: "Ask your attestbot operator to add you to ATTESTBOT_ADMINS."})
	}
	if u.TenantID == "" {
		return s.cards.Error(cards.ErrorMessage{Title: "I cannot tell which tenant you are in",
			Detail: "The audit needs a Teams user in a tenant."})
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
				"AppCatalog.Read.All, Application.Read.All and Directory.Read.All, then try again.", Retry: retry})
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
