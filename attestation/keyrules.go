package attestation

// keyRules says which questions of a table occur together (corpus.md §2.4,
// measured on every fr-FR page): required keys are on every page of the
// template, a group's keys are all present or all absent, and a key in
// needs occurs only with the key it names. A translated page that drops or
// adds a row breaks these rules, which is how a shifted alignment is told
// from a page that simply lacks optional rows.
type keyRules struct {
	required []string
	groups   [][]string
	needs    map[string]string
}

var tableRules = map[tableKind]keyRules{
	tableGeneralA: {
		required: []string{"gen.app_name", "gen.app_id", "gen.partner_company_name", "gen.company_website_url",
			"gen.terms_of_use_url", "gen.core_functionality", "gen.hq_location", "gen.app_info_page_url", "gen.hosting_environment"},
	},
	tableGeneralB: {
		required: []string{"gen.app_name", "gen.app_id", "gen.partner_company_name", "gen.company_website_url",
			"gen.privacy_policy_url", "gen.terms_of_use_url"},
	},
	tableData: {
		required: []string{"data.processes_customer_data", "data.stores_customer_data"},
		groups: [][]string{
			{"data.processed_data_types", "data.supports_tls11_plus"},
			{"data.stored_data_types", "data.storage_location", "data.retention_disposal_process",
				"data.retention_after_termination", "data.access_management_process", "data.transfers_to_third_parties"},
		},
		needs: map[string]string{"data.third_party_sharing_agreements": "data.transfers_to_third_parties"},
	},
	tableSecurity: {
		required: []string{"sec.annual_pen_test", "sec.disaster_recovery_plan", "sec.anti_malware_controls",
			"sec.vuln_risk_ranking_process", "sec.patching_sla_policy", "sec.patching_per_sla", "sec.unsupported_os_software",
			"sec.quarterly_vuln_scans", "sec.external_firewall", "sec.change_management_process", "sec.code_change_second_reviewer",
			"sec.secure_coding_owasp", "sec.mfa_enabled_for", "sec.account_lifecycle_process", "sec.idps_deployed",
			"sec.event_logging", "sec.alerts_auto_triage", "sec.infosec_risk_management", "sec.incident_response_process"},
	},
	tableCompliance: {
		required: []string{"comp.hipaa", "comp.hitrust_csf", "comp.soc1", "comp.soc2", "comp.soc3", "comp.pci_dss_annual",
			"comp.iso27001", "comp.iso27018", "comp.iso27017", "comp.iso27002", "comp.fedramp", "comp.ferpa", "comp.coppa",
			"comp.sox", "comp.nist_800_171", "comp.csa_star"},
	},
	tablePrivacy: {
		required: []string{"priv.gdpr_or_privacy_obligations"},
		groups: [][]string{{"priv.external_privacy_notice", "priv.automated_decision_making", "priv.secondary_purpose_processing",
			"priv.special_category_data", "priv.minors_data", "priv.erasure_on_request", "priv.restrict_processing_on_request",
			"priv.rectification", "priv.regular_privacy_reviews_dpia"}},
		needs: map[string]string{"priv.privacy_policy_url": "priv.external_privacy_notice", "priv.right_to_object": "priv.external_privacy_notice",
			"priv.parental_consent": "priv.external_privacy_notice"},
	},
	tableZeroTrust: {
		required: []string{"zt.integrates_ms_identity_platform", "zt.follows_identity_checklist", "zt.uses_latest_msal_or_identity_web",
			"zt.supports_conditional_access", "zt.supports_cae", "zt.credentials_in_code", "zt.uses_additional_non_graph_apis"},
	},
	tableIdentity: {
		required: []string{"idn.integrates_ms_identity_platform"},
		groups: [][]string{{"idn.follows_checklist", "idn.uses_msal", "idn.supports_conditional_access", "idn.least_privilege",
			"idn.static_perms_match_dynamic", "idn.multitenant", "idn.confidential_client", "idn.owns_redirect_uris",
			"idn.exposes_web_apis", "idn.uses_preview_apis", "idn.uses_deprecated_apis"}},
		needs: map[string]string{"idn.supported_ca_policy_types": "idn.follows_checklist", "idn.what_do_you_avoid": "idn.follows_checklist",
			"idn.permission_model_requires_consent": "idn.follows_checklist"},
	},
}

// keyState is what a pattern of groups makes of a key during alignment.
type keyState uint8

const (
	keyOptional  keyState = iota // may be matched or skipped
	keyMandatory                 // skipping it means a row is missing
	keyForbidden                 // its group is absent: no row may take it
)

// rulePattern is one choice of present groups, as a state per key index.
type rulePattern []keyState

// rulePatterns lists, for each table, the key states of every choice of
// present groups (at most four per table).
var rulePatterns = func() map[tableKind][]rulePattern {
	out := map[tableKind][]rulePattern{}
	for kind, defs := range keyTables {
		rules, ok := tableRules[kind]
		if !ok {
			continue
		}
		idx := map[string]int{}
		for i, d := range defs {
			idx[d.Key] = i
		}
		groupOf := map[string]int{}
		for g, keys := range rules.groups {
			for _, k := range keys {
				groupOf[k] = g
			}
		}
		for mask := 0; mask < 1<<len(rules.groups); mask++ {
			p := make(rulePattern, len(defs))
			for _, k := range rules.required {
				p[idx[k]] = keyMandatory
			}
			present := func(k string) bool {
				g, ok := groupOf[k]
				return !ok || mask&(1<<g) != 0
			}
			for k, g := range groupOf {
				if mask&(1<<g) != 0 {
					p[idx[k]] = keyMandatory
				} else {
					p[idx[k]] = keyForbidden
				}
			}
			for k, dep := range rules.needs {
				if !present(dep) {
					p[idx[k]] = keyForbidden
				}
			}
			out[kind] = append(out[kind], p)
		}
	}
	return out
}()

// valueRules lists follow-up questions that a page asks only when the
// question they follow is not answered No: for each table, follow-up key
// (or the first key of a group) → the key it follows. A follow-up row
// after a No is a row that moved.
var valueRules = map[tableKind][][2]string{
	tableData: {
		{"data.processed_data_types", "data.processes_customer_data"},
		{"data.supports_tls11_plus", "data.processes_customer_data"},
		{"data.stored_data_types", "data.stores_customer_data"},
		{"data.storage_location", "data.stores_customer_data"},
		{"data.retention_disposal_process", "data.stores_customer_data"},
		{"data.retention_after_termination", "data.stores_customer_data"},
		{"data.access_management_process", "data.stores_customer_data"},
		{"data.transfers_to_third_parties", "data.stores_customer_data"},
	},
	tablePrivacy: {
		{"priv.right_to_object", "priv.automated_decision_making"},
		{"priv.parental_consent", "priv.minors_data"},
	},
	tableZeroTrust: {
		{"zt.supported_ca_policy_types", "zt.supports_conditional_access"},
	},
	tableIdentity: {
		{"idn.supported_ca_policy_types", "idn.supports_conditional_access"},
	},
}

// valueRuleIndex is valueRules by key index.
var valueRuleIndex = func() map[tableKind][][2]int {
	out := map[tableKind][][2]int{}
	for kind, rules := range valueRules {
		idx := map[string]int{}
		for i, d := range keyTables[kind] {
			idx[d.Key] = i
		}
		for _, r := range rules {
			out[kind] = append(out[kind], [2]int{idx[r[0]], idx[r[1]]})
		}
	}
	return out
}()

// valueRuleBreaks returns the follow-up keys that took a row although the
// row of the question they follow says No.
func valueRuleBreaks(kind tableKind, defs []keyDef, keys []int, feats []rowFeatures) []int {
	rules := valueRuleIndex[kind]
	if len(rules) == 0 {
		return nil
	}
	rowOf := make([]int, len(defs))
	for i := range rowOf {
		rowOf[i] = -1
	}
	for i, k := range keys {
		if k >= 0 {
			rowOf[k] = i
		}
	}
	var bad []int
	for _, r := range rules {
		follow, lead := r[0], r[1]
		if rowOf[follow] >= 0 && rowOf[lead] >= 0 && feats[rowOf[lead]].no {
			bad = append(bad, follow)
		}
	}
	return bad
}
