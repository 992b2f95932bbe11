package audit

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/l10n"
)

// Weights of the risk score. An app's score is the sum of its findings,
// never below zero; apps are ranked by it, then by name.
const (
	// RiskBroadGranted counts each broad application permission (see
	// attestation.BroadScope) granted to the app in the tenant.
	RiskBroadGranted = 30
	// RiskBeyond counts each permission granted beyond the attestation.
	RiskBeyond = 15
	// RiskBroadRequested counts each broad application permission the
	// record requests when the tenant's grants are not known.
	RiskBroadRequested = 8
	// RiskSevereFinding counts stored credentials in code and failed
	// certification controls.
	RiskSevereFinding = 15
	// RiskMissingClaim counts each key compliance claim not made.
	RiskMissingClaim = 4
	// RiskNoRecord is the score of an app without a compliance record:
	// nothing is known of its data handling.
	RiskNoRecord = 20
	// RiskCertifiedBonus is added for Microsoft 365 Certification.
	RiskCertifiedBonus = -10
)

// oidcScopes are the OpenID Connect sign-in scopes: granted with any
// sign-in, rarely attested, and not data access, so never drift.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "email": true, "offline_access": true}

// joined is an audited app: a catalog app or an Entra app in use, with
// its record, if any, and its Entra app IDs.
type joined struct {
	app   CatalogApp
	rec   *attestation.Record
	ref   string   // kind/slug
	entra []string // lower-cased Entra app IDs, first-seen order
}

// addEntra appends the GUID ids not yet in j.entra.
func (j *joined) addEntra(ids ...string) {
	for _, id := range ids {
		id = strings.ToLower(strings.TrimSpace(id))
		if attestation.IsGUID(id) && !slices.Contains(j.entra, id) {
			j.entra = append(j.entra, id)
		}
	}
}

// setRecord attaches a record and its Entra app IDs.
func (j *joined) setRecord(res *attestation.Result, locale string) {
	j.rec = res.Record(locale)
	j.ref = res.Kind + "/" + res.Slug
	for _, p := range j.rec.Permissions {
		j.addEntra(p.EntraAppID)
	}
}

// lookup returns the best record matched by id with the match kind: a
// Teams record is preferred to another kind sharing the ID.
func lookup(ix *attestation.Index, id string, kind attestation.MatchKind) *attestation.Result {
	if !attestation.IsGUID(id) {
		return nil
	}
	var best *attestation.Result
	for _, res := range ix.Lookup(id) {
		if res.Match != kind {
			continue
		}
		if best == nil || (res.Kind == "teams" && best.Kind != "teams") {
			best = &res
		}
	}
	return best
}

// join matches each catalog app to its record: a store app by its catalog
// ID (the Teams store GUID), then its external ID; other apps by their
// external ID (manifest ID); failing those, by the Entra app ID of its
// definition (authorization.clientAppId), which a custom app built on a
// publisher's Entra app shares with the publisher's record. Records are
// read in locale, else their first locale.
func join(apps []CatalogApp, ix *attestation.Index, locale string) []joined {
	out := make([]joined, len(apps))
	for i, a := range apps {
		j := &out[i]
		j.app = a
		ids := [2]string{a.ExternalID}
		if a.DistributionMethod == "store" {
			ids = [2]string{a.ID, a.ExternalID}
		}
		for _, id := range ids {
			if best := lookup(ix, id, attestation.MatchTeamsAppID); best != nil {
				j.setRecord(best, locale)
				break
			}
		}
		if j.rec == nil {
			if best := lookup(ix, strings.ToLower(a.ClientAppID), attestation.MatchEntraAppID); best != nil {
				j.setRecord(best, locale)
			}
		}
		j.addEntra(a.ClientAppID)
	}
	return out
}

// fromPrincipals adds the apps the tenant uses that the catalog apps js do
// not cover: each service principal holding grants whose Entra app ID no
// app of js has becomes an app, joined to its record by Entra app ID (the
// service principals of one record make one app), or standing alone as an
// Entra app without a record. It returns the new apps and the Teams store
// IDs of their records, to look up in the tenant's catalog (attachStore).
func fromPrincipals(js []joined, sps []ServicePrincipal, ix *attestation.Index, locale string) ([]joined, []string) {
	claimed := map[string]bool{}
	for _, j := range js {
		for _, id := range j.entra {
			claimed[id] = true
		}
	}
	var out []joined
	byRef := map[string]int{}
	var storeIDs []string
	for _, sp := range sps {
		appID := strings.ToLower(strings.TrimSpace(sp.AppID))
		if len(sp.Grants) == 0 || !attestation.IsGUID(appID) || claimed[appID] {
			continue
		}
		best := lookup(ix, appID, attestation.MatchEntraAppID)
		if best == nil {
			j := joined{app: CatalogApp{DisplayName: sp.DisplayName, DistributionMethod: DistributionEntra}}
			j.addEntra(appID)
			claimed[appID] = true
			out = append(out, j)
			continue
		}
		ref := best.Kind + "/" + best.Slug
		if i, ok := byRef[ref]; ok {
			out[i].addEntra(appID)
			claimed[appID] = true
			continue
		}
		j := joined{app: CatalogApp{DistributionMethod: DistributionEntra}}
		j.setRecord(best, locale)
		j.addEntra(appID)
		j.app.DisplayName = j.rec.Name
		for _, id := range j.entra {
			claimed[id] = true
		}
		byRef[ref] = len(out)
		out = append(out, j)
		if attestation.IsGUID(j.rec.TeamsAppID) {
			storeIDs = append(storeIDs, strings.ToLower(j.rec.TeamsAppID))
		}
	}
	return out, storeIDs
}

// attachStore gives the apps found through their grants their Teams store
// catalog entry, when the tenant's catalog lists their record's Teams app.
func attachStore(js []joined, store []CatalogApp) {
	for _, a := range store {
		for i := range js {
			j := &js[i]
			if j.rec == nil || j.app.DistributionMethod != DistributionEntra || !strings.EqualFold(j.rec.TeamsAppID, a.ID) {
				continue
			}
			if a.DistributionMethod == "" {
				a.DistributionMethod = "store"
			}
			j.app = a
			j.addEntra(a.ClientAppID)
			break
		}
	}
}

// evaluate computes the audit of joined apps given the tenant's service
// principals.
func evaluate(tenantID string, js []joined, sps []ServicePrincipal, now time.Time) *Result {
	byApp := make(map[string][]*ServicePrincipal, len(sps))
	for i := range sps {
		k := strings.ToLower(sps[i].AppID)
		byApp[k] = append(byApp[k], &sps[i])
	}
	res := &Result{TenantID: tenantID, GeneratedAt: now.UTC(), Apps: make([]App, len(js)),
		Summary: Summary{Apps: len(js), ByDistribution: map[string]int{}, ServicePrincipals: len(sps)}}
	delegatedUnknown := false
	for i, j := range js {
		a := evaluateApp(j, byApp, now)
		res.Apps[i] = a
		s := &res.Summary
		s.ByDistribution[cmp.Or(a.Distribution, "unknown")]++
		switch a.Status {
		case StatusCertified:
			s.Certified++
		case StatusAttested:
			s.Attested++
		default:
			s.NoRecord++
		}
		if a.Consent == ConsentNone && a.Record != nil {
			s.NotConsented++
		}
		if a.Drift.HasDrift() {
			s.AppsWithDrift++
		}
		s.GrantedBeyond += len(a.Drift.Beyond)
		s.NeverGranted += len(a.Drift.NeverGranted)
		for _, g := range a.Granted {
			if g.Broad {
				s.BroadGranted++
				break
			}
		}
		delegatedUnknown = delegatedUnknown || a.Drift.DelegatedUnchecked
	}
	slices.SortStableFunc(res.Apps, func(x, y App) int {
		return cmp.Or(cmp.Compare(y.Risk, x.Risk), cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)),
			cmp.Compare(x.CatalogID, y.CatalogID))
	})
	if delegatedUnknown {
		res.DelegatedUnread = true
		res.Notes = append(res.Notes, l10n.Default().T("audit.finding.delegated_unread"))
	}
	return res
}

// permKey identifies a permission by lower-cased name and grant type.
type permKey struct {
	name string
	typ  GrantType
}

// evaluateApp audits one app.
func evaluateApp(j joined, byApp map[string][]*ServicePrincipal, now time.Time) App {
	a := App{CatalogID: j.app.ID, ExternalID: j.app.ExternalID, Name: j.app.DisplayName,
		Distribution: j.app.DistributionMethod, Version: j.app.Version, Status: StatusNoRecord, Consent: ConsentUnknown}
	if a.Name == "" && j.rec != nil {
		a.Name = j.rec.Name
	}
	r := j.rec
	granted, delegatedUnknown := a.readTenantSide(j.entra, byApp)
	if r == nil {
		a.scoreUnrecorded(delegatedUnknown)
		return a
	}
	a.Status = StatusAttested
	if r.Certification == attestation.Certified {
		a.Status = StatusCertified
	}
	a.Record = &RecordRef{Ref: j.ref, Kind: r.Kind, Slug: r.Slug, Locale: r.Locale, Name: r.Name, Publisher: r.Publisher,
		Certification: r.Certification, Updated: r.Updated.String(), AppSourceID: r.AppSourceID}
	if a.Consent == ConsentGranted {
		a.driftOnGraph(r, granted, delegatedUnknown)
	}
	sortGrants(a.Drift.Beyond)

	// Claims and findings of the record.
	for _, cl := range attestation.KeyClaims {
		if ans, ok := r.Answer(cl.Key); !ok || ans.Value != attestation.ValueYes {
			a.MissingClaims = append(a.MissingClaims, cl.Label)
		}
	}
	a.Risk, a.Findings = score(&a, r, now)
	return a
}

// readTenantSide fills the app's Entra app IDs, service principals, grants
// (broad ones marked) and consent from the tenant's service principals.
// It returns the Microsoft Graph permissions granted and whether the
// delegated grants could not be read.
func (a *App) readTenantSide(entra []string, byApp map[string][]*ServicePrincipal) (granted map[permKey]bool, delegatedUnknown bool) {
	a.EntraAppIDs = append([]string(nil), entra...)
	granted = map[permKey]bool{}
	for _, id := range a.EntraAppIDs {
		for _, sp := range byApp[id] {
			a.ServicePrincipals = append(a.ServicePrincipals, sp.ID)
			delegatedUnknown = delegatedUnknown || sp.DelegatedUnavailable
			for _, g := range sp.Grants {
				g.AppID = sp.AppID
				onGraph := strings.EqualFold(g.ResourceAppID, MicrosoftGraphAppID)
				g.Broad = onGraph && g.Type == Application &&
					attestation.BroadScope(attestation.Permission{Name: g.Name, Type: attestation.Application})
				a.Granted = append(a.Granted, g)
				if onGraph {
					granted[permKey{strings.ToLower(g.Name), g.Type}] = true
				}
			}
		}
	}
	switch {
	case len(a.EntraAppIDs) == 0:
		a.Consent = ConsentUnknown
	case len(a.ServicePrincipals) == 0:
		a.Consent = ConsentNone
	default:
		a.Consent = ConsentGranted
	}
	sortGrants(a.Granted)
	return granted, delegatedUnknown
}

// scoreUnrecorded scores an app without a compliance record: the no-record
// risk, plus its broad application permissions granted.
func (a *App) scoreUnrecorded(delegatedUnknown bool) {
	a.Drift.DelegatedUnchecked = delegatedUnknown && a.Consent == ConsentGranted
	a.Risk = RiskNoRecord
	a.Findings = []Finding{{ID: FindingNoRecord}}
	var broad []string
	for _, g := range a.Granted {
		if g.Broad {
			broad = append(broad, g.Name)
		}
	}
	if len(broad) > 0 {
		a.Risk += RiskBroadGranted * len(broad)
		a.Findings = append([]Finding{{ID: FindingBroadGranted, Items: broad}}, a.Findings...)
	}
}

// driftOnGraph compares a consented app's Microsoft Graph grants with its
// record: grants beyond the attested permissions, attested permissions
// never granted. Delegated grants that could not be read count as
// granted and are not compared.
func (a *App) driftOnGraph(r *attestation.Record, granted map[permKey]bool, delegatedUnknown bool) {
	attested := attestedPermissions(r)
	a.Drift.DelegatedUnchecked = delegatedUnknown
	for _, g := range a.Granted {
		n := strings.ToLower(g.Name)
		if !strings.EqualFold(g.ResourceAppID, MicrosoftGraphAppID) || oidcScopes[n] || g.Name == "(default access)" ||
			attested[permKey{n, g.Type}] || (delegatedUnknown && g.Type == Delegated) {
			continue
		}
		a.Drift.Beyond = append(a.Drift.Beyond, g)
	}
	done := map[string]bool{}
	for _, p := range r.Permissions {
		n := strings.ToLower(p.Name)
		if n == "" || oidcScopes[n] || done[n+"|"+string(p.Type)] {
			continue
		}
		done[n+"|"+string(p.Type)] = true
		var ok bool
		switch p.Type {
		case attestation.Delegated:
			ok = granted[permKey{n, Delegated}] || delegatedUnknown
		case attestation.Application:
			ok = granted[permKey{n, Application}]
		default:
			ok = granted[permKey{n, Delegated}] || granted[permKey{n, Application}] || delegatedUnknown
		}
		if !ok {
			a.Drift.NeverGranted = append(a.Drift.NeverGranted, Attested{Name: p.Name, Type: p.Type, EntraAppID: strings.ToLower(p.EntraAppID)})
		}
	}
}

// attestedPermissions returns the grants r's permissions allow: a
// permission of both types, or of no stated type, allows either.
func attestedPermissions(r *attestation.Record) map[permKey]bool {
	attested := map[permKey]bool{}
	for _, p := range r.Permissions {
		n := strings.ToLower(p.Name)
		switch p.Type {
		case attestation.Delegated:
			attested[permKey{n, Delegated}] = true
		case attestation.Application:
			attested[permKey{n, Application}] = true
		default: // both, or not stated: either way
			attested[permKey{n, Delegated}] = true
			attested[permKey{n, Application}] = true
		}
	}
	return attested
}

// score adds up an app's findings.
func score(a *App, r *attestation.Record, now time.Time) (int, []Finding) {
	risk := 0
	var findings []Finding
	var broad []string
	for _, g := range a.Granted {
		if g.Broad {
			broad = append(broad, g.Name)
		}
	}
	if len(broad) > 0 {
		risk += RiskBroadGranted * len(broad)
		findings = append(findings, Finding{ID: FindingBroadGranted, Items: broad})
	}
	if n := len(a.Drift.Beyond); n > 0 {
		beyond := make([]attestation.Permission, n)
		for i, g := range a.Drift.Beyond {
			beyond[i] = attestation.Permission{Name: g.Name, Type: attestation.PermissionType(g.Type)}
		}
		risk += RiskBeyond * n
		findings = append(findings, Finding{ID: FindingBeyond, Count: n, Permissions: beyond})
	}
	if a.Consent != ConsentGranted {
		var requested []string
		for _, p := range r.Permissions {
			if attestation.BroadScope(p) && !slices.Contains(requested, p.Name) {
				requested = append(requested, p.Name)
			}
		}
		if len(requested) > 0 {
			risk += RiskBroadRequested * len(requested)
			findings = append(findings, Finding{ID: FindingBroadRequested, Items: requested})
		}
	}
	if ans, ok := r.Answer("zt.credentials_in_code"); ok && ans.Value == attestation.ValueYes {
		risk += RiskSevereFinding
		findings = append(findings, Finding{ID: FindingCredentials})
	}
	failed := 0
	for _, ans := range r.Answers {
		if ans.Value == attestation.ValueFail {
			failed++
		}
	}
	if failed > 0 {
		risk += RiskSevereFinding
		findings = append(findings, Finding{ID: FindingControlsFailed, Count: failed})
	}
	if n := len(a.MissingClaims); n > 0 {
		risk += RiskMissingClaim * n
		findings = append(findings, Finding{ID: FindingNotClaimed, Items: a.MissingClaims})
	}
	if n := len(a.Drift.NeverGranted); n > 0 {
		names := make([]string, n)
		for i, p := range a.Drift.NeverGranted {
			names[i] = p.Name
		}
		findings = append(findings, Finding{ID: FindingNeverGranted, Count: n, Items: names})
	}
	if a.Consent == ConsentNone {
		findings = append(findings, Finding{ID: FindingNoConsent})
	}
	if r.Certification == attestation.Certified {
		risk += RiskCertifiedBonus
	}
	if m, stale := attestation.Stale(r, now); stale {
		findings = append(findings, Finding{ID: FindingStale, Count: m / 12})
	}
	return max(risk, 0), findings
}

// sortGrants orders grants by resource, type and name.
func sortGrants(gs []Grant) {
	slices.SortStableFunc(gs, func(x, y Grant) int {
		return cmp.Or(cmp.Compare(x.Resource, y.Resource), cmp.Compare(x.Type, y.Type), cmp.Compare(x.Name, y.Name))
	})
}
