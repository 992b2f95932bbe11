package attestation

// answerType is the kind of content a question's answer holds.
type answerType uint8

const (
	typeYN      answerType = iota // yes / no / not applicable
	typeText                      // free text
	typeURL                       // a link
	typeEnum                      // untranslated enum tokens (Paas, TraditionalAntiMalware, …)
	typeDate                      // a certification date
	typeID                        // the AppSource ID
	typeSOCType                   // SOC 2 report type (type1, type2)
	typeCert                      // certification control result
)

// keyDef describes one canonical question.
type keyDef struct {
	Key   string
	Label string // English label
	Type  answerType
	// Freq is the share of pages of the template that carry the row
	// (corpus.md §2.4, fr-FR); it sets how much skipping the key costs
	// during alignment.
	Freq float64
	// Anchors are language-independent tokens (folded) that appear in the
	// question in every locale.
	Anchors []string
	// Enum lists folded enum tokens an answer to this key may hold.
	Enum []string
}

// tableKind names a canonical question table: a section of a template.
type tableKind string

const (
	tableGeneralA      tableKind = "general-a"
	tableGeneralB      tableKind = "general-b"
	tableData          tableKind = "data"
	tableSecurity      tableKind = "security"
	tableCompliance    tableKind = "compliance"
	tablePrivacy       tableKind = "privacy"
	tableZeroTrust     tableKind = "zerotrust"
	tableIdentity      tableKind = "identity"
	tableCertification tableKind = "certification"
)

var tableSections = map[tableKind]Section{
	tableGeneralA:      SectionGeneral,
	tableGeneralB:      SectionGeneral,
	tableData:          SectionData,
	tableSecurity:      SectionSecurity,
	tableCompliance:    SectionCompliance,
	tablePrivacy:       SectionPrivacy,
	tableZeroTrust:     SectionZeroTrust,
	tableIdentity:      SectionIdentity,
	tableCertification: SectionCertification,
}

var hostingEnums = []string{"paas", "iaas", "isvhosted", "hybrid", "hybride", "hibrido", "híbrido", "ibrido"}
var cloudEnums = []string{"azure", "aws", "gcp", "alibabacloud", "selfhosted"}

// keyTables holds the canonical questions of every table, in page order.
// Keys, order and frequencies follow corpus.md §2.4.
var keyTables = map[tableKind][]keyDef{
	tableGeneralA: {
		{Key: "gen.app_name", Label: "App name", Type: typeText, Freq: 1},
		{Key: "gen.app_id", Label: "ID", Type: typeID, Freq: 1},
		{Key: "gen.office365_clients_supported", Label: "Office 365 clients supported", Type: typeText, Freq: 0.94, Anchors: []string{"office 365", "365"}},
		{Key: "gen.partner_company_name", Label: "Partner company name", Type: typeText, Freq: 1},
		{Key: "gen.company_website_url", Label: "Company website", Type: typeURL, Freq: 1},
		{Key: "gen.terms_of_use_url", Label: "App terms of use", Type: typeURL, Freq: 1},
		{Key: "gen.core_functionality", Label: "App core functionality", Type: typeText, Freq: 1},
		{Key: "gen.hq_location", Label: "Company headquarters location", Type: typeText, Freq: 1},
		{Key: "gen.app_info_page_url", Label: "App info page", Type: typeURL, Freq: 1},
		{Key: "gen.hosting_environment", Label: "Hosting environment or service model used to run the app", Type: typeEnum, Freq: 1, Enum: hostingEnums},
		{Key: "gen.hosting_cloud_providers", Label: "Hosting cloud providers used by the app", Type: typeEnum, Freq: 0.9, Enum: cloudEnums},
	},
	tableGeneralB: {
		{Key: "gen.app_name", Label: "App name", Type: typeText, Freq: 1},
		{Key: "gen.app_id", Label: "ID", Type: typeID, Freq: 1},
		{Key: "gen.office365_clients_supported", Label: "Office 365 clients supported", Type: typeText, Freq: 0.63, Anchors: []string{"office 365", "365"}},
		{Key: "gen.partner_company_name", Label: "Partner company name", Type: typeText, Freq: 1},
		{Key: "gen.company_website_url", Label: "Partner website URL", Type: typeURL, Freq: 1},
		{Key: "gen.app_info_page_url", Label: "Teams app info page URL", Type: typeURL, Freq: 0.24, Anchors: []string{"teams"}},
		{Key: "gen.privacy_policy_url", Label: "Privacy policy URL", Type: typeURL, Freq: 1},
		{Key: "gen.terms_of_use_url", Label: "Terms of use URL", Type: typeURL, Freq: 1},
	},
	tableData: {
		{Key: "data.processes_customer_data", Label: "Does the app or underlying infrastructure process data relating to a Microsoft customer or their device?", Type: typeYN, Freq: 1},
		{Key: "data.processed_data_types", Label: "What data is processed by the app?", Type: typeText, Freq: 0.47},
		{Key: "data.supports_tls11_plus", Label: "Does the app support TLS 1.1 or higher?", Type: typeYN, Freq: 0.47, Anchors: []string{"tls"}},
		{Key: "data.stores_customer_data", Label: "Does the app or underlying infrastructure store Microsoft customer data?", Type: typeYN, Freq: 1},
		{Key: "data.stored_data_types", Label: "What data is stored in the app's databases?", Type: typeText, Freq: 0.40},
		{Key: "data.storage_location", Label: "Where is customer data stored geographically?", Type: typeText, Freq: 0.40},
		{Key: "data.retention_disposal_process", Label: "Is there an established data retention and disposal process?", Type: typeYN, Freq: 0.40},
		{Key: "data.retention_after_termination", Label: "How long is data retained after account termination?", Type: typeText, Freq: 0.40},
		{Key: "data.access_management_process", Label: "Is there an established data access management process?", Type: typeYN, Freq: 0.40},
		{Key: "data.transfers_to_third_parties", Label: "Is customer data or content transferred to third parties or sub-processors?", Type: typeYN, Freq: 0.40},
		{Key: "data.third_party_sharing_agreements", Label: "Are there data sharing agreements with the third parties that receive Microsoft customer data?", Type: typeYN, Freq: 0.16},
	},
	tableSecurity: {
		{Key: "sec.annual_pen_test", Label: "Annual penetration testing of the app", Type: typeYN, Freq: 1},
		{Key: "sec.disaster_recovery_plan", Label: "Documented disaster recovery plan, with backup and restore strategy", Type: typeYN, Freq: 1},
		{Key: "sec.anti_malware_controls", Label: "Traditional anti-malware protection or application controls", Type: typeEnum, Freq: 1, Enum: []string{"traditionalantimalware", "applicationcontrols"}},
		{Key: "sec.vuln_risk_ranking_process", Label: "Established process to risk-rank security vulnerabilities", Type: typeYN, Freq: 1},
		{Key: "sec.patching_sla_policy", Label: "Policy governing the SLA for applying patches", Type: typeYN, Freq: 1},
		{Key: "sec.patching_per_sla", Label: "Patch management according to the patching policy SLAs", Type: typeYN, Freq: 1},
		{Key: "sec.unsupported_os_software", Label: "Unsupported operating systems or software in the environment", Type: typeYN, Freq: 1},
		{Key: "sec.quarterly_vuln_scans", Label: "Quarterly vulnerability scanning of the app and its infrastructure", Type: typeYN, Freq: 1},
		{Key: "sec.external_firewall", Label: "Firewall on the external network boundary", Type: typeYN, Freq: 1},
		{Key: "sec.change_management_process", Label: "Established change management process before production", Type: typeYN, Freq: 1},
		{Key: "sec.code_change_second_reviewer", Label: "An additional person reviews and approves all code changes", Type: typeYN, Freq: 1},
		{Key: "sec.secure_coding_owasp", Label: "Secure coding practices cover common vulnerability classes such as the OWASP Top 10", Type: typeYN, Freq: 1, Anchors: []string{"owasp"}},
		{Key: "sec.mfa_enabled_for", Label: "Systems protected by multi-factor authentication (MFA)", Type: typeEnum, Freq: 1, Anchors: []string{"mfa"}, Enum: []string{"coderepositories", "dnsmanagement", "credential", "noneoftheabove"}},
		{Key: "sec.account_lifecycle_process", Label: "Established process to provision, change and delete employee accounts", Type: typeYN, Freq: 1},
		{Key: "sec.idps_deployed", Label: "Intrusion detection and prevention (IDPS) at the network perimeter", Type: typeYN, Freq: 1, Anchors: []string{"idps"}},
		{Key: "sec.event_logging", Label: "Event logging on all system components supporting the app", Type: typeYN, Freq: 1},
		{Key: "sec.logs_reviewed_regularly", Label: "All logs reviewed regularly by people or automated tools", Type: typeYN, Freq: 0.65},
		{Key: "sec.alerts_auto_triage", Label: "Security-event alerts sent automatically to an employee for triage", Type: typeYN, Freq: 1},
		{Key: "sec.infosec_risk_management", Label: "Formal information security risk management process", Type: typeYN, Freq: 1},
		{Key: "sec.incident_response_process", Label: "Documented, established security incident response process", Type: typeYN, Freq: 1},
		{Key: "sec.breach_notification_72h", Label: "Data breaches reported to authorities and affected people within 72 hours", Type: typeYN, Freq: 0.58, Anchors: []string{"72"}},
	},
	tableCompliance: {
		{Key: "comp.hipaa", Label: "HIPAA", Type: typeYN, Freq: 1, Anchors: []string{"hipaa"}},
		{Key: "comp.hitrust_csf", Label: "HITRUST CSF", Type: typeYN, Freq: 1, Anchors: []string{"hitrust"}},
		{Key: "comp.soc1", Label: "SOC 1", Type: typeYN, Freq: 1, Anchors: []string{"soc 1", "soc1"}},
		{Key: "comp.soc1_latest_cert_date", Label: "SOC 1 latest certification date", Type: typeDate, Freq: 0.29, Anchors: []string{"soc 1", "soc1"}},
		{Key: "comp.soc2", Label: "SOC 2", Type: typeYN, Freq: 1, Anchors: []string{"soc 2", "soc2"}},
		{Key: "comp.soc2_type", Label: "SOC 2 report type", Type: typeSOCType, Freq: 0.32, Anchors: []string{"soc 2", "soc2"}},
		{Key: "comp.soc2_latest_cert_date", Label: "SOC 2 latest certification date", Type: typeDate, Freq: 0.41, Anchors: []string{"soc 2", "soc2"}},
		{Key: "comp.soc3", Label: "SOC 3", Type: typeYN, Freq: 1, Anchors: []string{"soc 3", "soc3"}},
		{Key: "comp.soc3_latest_cert_date", Label: "SOC 3 latest certification date", Type: typeDate, Freq: 0.28, Anchors: []string{"soc 3", "soc3"}},
		{Key: "comp.pci_dss_annual", Label: "Annual PCI DSS assessment", Type: typeYN, Freq: 1, Anchors: []string{"pci"}},
		{Key: "comp.iso27001", Label: "ISO 27001", Type: typeYN, Freq: 1, Anchors: []string{"27001"}},
		{Key: "comp.iso27018", Label: "ISO 27018", Type: typeYN, Freq: 1, Anchors: []string{"27018"}},
		{Key: "comp.iso27017", Label: "ISO 27017", Type: typeYN, Freq: 1, Anchors: []string{"27017"}},
		{Key: "comp.iso27002", Label: "ISO 27002", Type: typeYN, Freq: 1, Anchors: []string{"27002"}},
		{Key: "comp.fedramp", Label: "FedRAMP", Type: typeYN, Freq: 1, Anchors: []string{"fedramp"}},
		{Key: "comp.ferpa", Label: "FERPA", Type: typeYN, Freq: 1, Anchors: []string{"ferpa"}},
		{Key: "comp.coppa", Label: "COPPA", Type: typeYN, Freq: 1, Anchors: []string{"coppa"}},
		{Key: "comp.sox", Label: "Sarbanes-Oxley (SOX)", Type: typeYN, Freq: 1, Anchors: []string{"sox", "sarbanes"}},
		{Key: "comp.nist_800_171", Label: "NIST 800-171", Type: typeYN, Freq: 1, Anchors: []string{"800 171", "nist"}},
		{Key: "comp.csa_star", Label: "Cloud Security Alliance (CSA STAR)", Type: typeYN, Freq: 1, Anchors: []string{"csa", "star"}},
	},
	tablePrivacy: {
		{Key: "priv.gdpr_or_privacy_obligations", Label: "GDPR or other privacy or data protection obligations (such as CCPA)", Type: typeYN, Freq: 1, Anchors: []string{"gdpr", "rgpd", "dsgvo", "ccpa", "gdpr"}},
		{Key: "priv.external_privacy_notice", Label: "External privacy notice describing how customer data is collected, used and shared", Type: typeYN, Freq: 0.56},
		{Key: "priv.privacy_policy_url", Label: "Privacy policy URL", Type: typeURL, Freq: 0.50},
		{Key: "priv.automated_decision_making", Label: "Automated decision-making with legal or similarly significant effect", Type: typeYN, Freq: 0.56},
		{Key: "priv.right_to_object", Label: "People can object to automated decision-making", Type: typeYN, Freq: 0.01},
		{Key: "priv.secondary_purpose_processing", Label: "Customer data processed for a secondary or unrelated purpose", Type: typeYN, Freq: 0.56},
		{Key: "priv.special_category_data", Label: "Special category or sensitive data processed", Type: typeYN, Freq: 0.56},
		{Key: "priv.minors_data", Label: "Data of minors (under 16) processed", Type: typeYN, Freq: 0.56},
		{Key: "priv.parental_consent", Label: "Parental consent obtained for minors", Type: typeYN, Freq: 0.03},
		{Key: "priv.erasure_on_request", Label: "Personal data deleted or exported on request", Type: typeYN, Freq: 0.56},
		{Key: "priv.restrict_processing_on_request", Label: "Processing restricted on request", Type: typeYN, Freq: 0.56},
		{Key: "priv.rectification", Label: "Personal data corrected on request", Type: typeYN, Freq: 0.56},
		{Key: "priv.regular_privacy_reviews_dpia", Label: "Regular privacy reviews such as data protection impact assessments", Type: typeYN, Freq: 0.56},
	},
	tableZeroTrust: {
		{Key: "zt.integrates_ms_identity_platform", Label: "Integrates with the Microsoft identity platform (Entra ID) for sign-in and API access", Type: typeYN, Freq: 1},
		{Key: "zt.follows_identity_checklist", Label: "Follows the Microsoft identity platform integration checklist", Type: typeYN, Freq: 1},
		{Key: "zt.uses_latest_msal_or_identity_web", Label: "Uses the latest MSAL or Microsoft Identity Web for authentication", Type: typeYN, Freq: 1, Anchors: []string{"msal"}},
		{Key: "zt.other_auth_library", Label: "Authentication library used instead", Type: typeText, Freq: 0.69},
		{Key: "zt.supports_conditional_access", Label: "Supports Conditional Access policies", Type: typeYN, Freq: 1},
		{Key: "zt.supported_ca_policy_types", Label: "Supported Conditional Access policy types", Type: typeText, Freq: 0.17},
		{Key: "zt.least_privilege", Label: "Requests least-privileged permissions for its scenario", Type: typeYN, Freq: 0.12},
		{Key: "zt.supports_cae", Label: "Supports Continuous Access Evaluation (CAE)", Type: typeYN, Freq: 1, Anchors: []string{"cae"}},
		{Key: "zt.credentials_in_code", Label: "Stores credentials in code", Type: typeYN, Freq: 1},
		{Key: "zt.uses_additional_non_graph_apis", Label: "Uses additional Microsoft APIs outside Microsoft Graph", Type: typeYN, Freq: 1, Anchors: []string{"graph"}},
	},
	tableIdentity: {
		{Key: "idn.integrates_ms_identity_platform", Label: "Integrates with the Microsoft identity platform (Entra ID)", Type: typeYN, Freq: 1},
		{Key: "idn.follows_checklist", Label: "Follows the Microsoft identity platform integration checklist", Type: typeYN, Freq: 0.70},
		{Key: "idn.uses_msal", Label: "Uses MSAL", Type: typeYN, Freq: 0.70, Anchors: []string{"msal"}},
		{Key: "idn.supports_conditional_access", Label: "Supports Conditional Access policies", Type: typeYN, Freq: 0.70},
		{Key: "idn.supported_ca_policy_types", Label: "Supported Conditional Access policy types", Type: typeText, Freq: 0.56},
		{Key: "idn.least_privilege", Label: "Requests least-privileged permissions", Type: typeYN, Freq: 0.70},
		{Key: "idn.static_perms_match_dynamic", Label: "Statically registered permissions match the permissions requested dynamically", Type: typeYN, Freq: 0.70},
		{Key: "idn.multitenant", Label: "Multi-tenant app", Type: typeYN, Freq: 0.70},
		{Key: "idn.confidential_client", Label: "Registered as a confidential client", Type: typeYN, Freq: 0.70},
		{Key: "idn.owns_redirect_uris", Label: "Owns all its registered redirect URIs", Type: typeYN, Freq: 0.70},
		{Key: "idn.what_do_you_avoid", Label: "Practices the app avoids", Type: typeText, Freq: 0.44},
		{Key: "idn.exposes_web_apis", Label: "Exposes web APIs", Type: typeYN, Freq: 0.70},
		{Key: "idn.permission_model_requires_consent", Label: "Permission model requires user or admin consent", Type: typeYN, Freq: 0.22},
		{Key: "idn.uses_preview_apis", Label: "Uses preview APIs", Type: typeYN, Freq: 0.70},
		{Key: "idn.uses_deprecated_apis", Label: "Uses deprecated APIs", Type: typeYN, Freq: 0.70},
	},
	tableCertification: {
		{Key: "cert.app_security", Label: "Application security", Type: typeCert, Freq: 1, Anchors: []string{"application security"}},
		{Key: "cert.penetration_testing", Label: "Penetration testing", Type: typeCert, Freq: 1},
		{Key: "cert.vulnerability_assessment_review", Label: "Vulnerability assessment review (DAST/SAST/penetration test)", Type: typeCert, Freq: 1, Anchors: []string{"dast"}},
		{Key: "cert.operational_security", Label: "Operational security", Type: typeCert, Freq: 1, Anchors: []string{"operational security"}},
		{Key: "cert.malware_protection_antivirus", Label: "Malware protection: antivirus", Type: typeCert, Freq: 1},
		{Key: "cert.malware_protection_application_control", Label: "Malware protection: application control", Type: typeCert, Freq: 1},
		{Key: "cert.patch_management_risk_ranking", Label: "Patch management: risk ranking", Type: typeCert, Freq: 1},
		{Key: "cert.patch_management_patching", Label: "Patch management: patching", Type: typeCert, Freq: 1},
		{Key: "cert.vulnerability_scanning", Label: "Vulnerability scanning", Type: typeCert, Freq: 1},
		{Key: "cert.firewall", Label: "Firewall", Type: typeCert, Freq: 1},
		{Key: "cert.firewall_waf_optional", Label: "Firewall: web application firewall (optional)", Type: typeCert, Freq: 1, Anchors: []string{"waf"}},
		{Key: "cert.change_control", Label: "Change control", Type: typeCert, Freq: 1},
		{Key: "cert.secure_software_development_deployment", Label: "Secure software development and deployment", Type: typeCert, Freq: 1},
		{Key: "cert.account_management", Label: "Account management", Type: typeCert, Freq: 1},
		{Key: "cert.intrusion_detection_prevention_optional", Label: "Intrusion detection and prevention (optional)", Type: typeCert, Freq: 1},
		{Key: "cert.security_event_logging", Label: "Security event logging", Type: typeCert, Freq: 1},
		{Key: "cert.reviewing_logging_data", Label: "Reviewing logging data", Type: typeCert, Freq: 1},
		{Key: "cert.security_event_alerting", Label: "Security event alerting", Type: typeCert, Freq: 1},
		{Key: "cert.information_security_risk_management", Label: "Information security risk management", Type: typeCert, Freq: 1},
		{Key: "cert.incident_response", Label: "Incident response", Type: typeCert, Freq: 1},
		{Key: "cert.data_handling_security_privacy", Label: "Data handling security and privacy", Type: typeCert, Freq: 1, Anchors: []string{"data handling security and privacy"}},
		{Key: "cert.data_in_transit", Label: "Data in transit", Type: typeCert, Freq: 1},
		{Key: "cert.data_at_rest", Label: "Data at rest", Type: typeCert, Freq: 1},
		{Key: "cert.data_retention_disposal", Label: "Data retention and disposal", Type: typeCert, Freq: 1},
		{Key: "cert.data_access_management", Label: "Data access management", Type: typeCert, Freq: 1},
		{Key: "cert.gdpr", Label: "GDPR", Type: typeCert, Freq: 1, Anchors: []string{"gdpr", "rgpd", "dsgvo"}},
	},
}

// certSectionAnchors maps the English anchors of certification section
// rows to their keys.
var certSectionAnchors = map[string]string{
	"application-security":               "cert.app_security",
	"operational-security":               "cert.operational_security",
	"data-handling-security-and-privacy": "cert.data_handling_security_privacy",
}

// KeyInfo describes a canonical question key.
type KeyInfo struct {
	Key     string  `json:"key"`
	Label   string  `json:"label"`
	Section Section `json:"section"`
	// YesNo tells whether the key's answers are yes / no / not applicable.
	YesNo bool `json:"yes_no"`
}

// tableOrder lists the question tables in display order; where a key is in
// two tables (template A and B general), the first one names it.
var tableOrder = []tableKind{tableGeneralA, tableGeneralB, tableData, tableSecurity, tableCompliance, tablePrivacy, tableZeroTrust, tableIdentity, tableCertification}

var keyIndex = func() map[string]KeyInfo {
	m := map[string]KeyInfo{}
	for _, t := range tableOrder {
		for _, d := range keyTables[t] {
			if _, ok := m[d.Key]; ok {
				continue
			}
			m[d.Key] = KeyInfo{Key: d.Key, Label: d.Label, Section: tableSections[t], YesNo: d.Type == typeYN}
		}
	}
	return m
}()

// LookupKey returns the description of a canonical question key.
func LookupKey(key string) (KeyInfo, bool) {
	k, ok := keyIndex[key]
	return k, ok
}

// Keys returns every canonical key with its description, sorted by
// section order and then by page order.
func Keys() []KeyInfo {
	var out []KeyInfo
	seen := map[string]bool{}
	for _, t := range tableOrder {
		for _, d := range keyTables[t] {
			if !seen[d.Key] {
				seen[d.Key] = true
				out = append(out, keyIndex[d.Key])
			}
		}
	}
	return out
}
