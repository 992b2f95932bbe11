package manifest

import (
	"fmt"
	"strings"
)

// GraphPermission is one Microsoft Graph permission attestbot's Entra app
// requests, with the reason the publisher gives for it.
type GraphPermission struct {
	// Name is the permission (scope or app role) name.
	Name string
	// Type is "Application" (app-only, consented by an admin) or
	// "Delegated" (on behalf of a signed-in user).
	Type string
	// Reason is the justification shown on the compliance page and in the
	// setup guide.
	Reason string
}

// GraphPermissions returns the least-privileged Microsoft Graph
// permissions attestbot needs, each with its reason. Nothing else is
// requested: attestbot reads no mail, files or chats, and of the directory
// only the directory roles of the users who chat with it (to know its
// admins) and, for the admin-only tenant audit, the tenant's service
// principals with the permissions granted to them (Directory.Read.All is
// the least privileged permission Graph documents for reading delegated
// grants; the audit works without it, on application permissions only).
func GraphPermissions() []GraphPermission {
	return []GraphPermission{
		{
			Name: "TeamsActivity.Send", Type: "Application",
			Reason: "Sends activity feed notifications to the admins who subscribed to an app's compliance record when that record changes, " +
				"and the audit digest. It reads no data. The resource-specific TeamsActivity.Send.User permission is not used, because " +
				"it would require consent at install time and so a broader install permission.",
		},
		{
			Name: "TeamsAppInstallation.ReadWriteSelfForUser.All", Type: "Application",
			Reason: "Installs attestbot itself, and only itself, for a subscribed admin who has not installed it yet, because Teams delivers " +
				"activity feed notifications only to users who have the app; and reads that installation's chat to send the change card. " +
				"It cannot install, read or remove any other app.",
		},
		{
			Name: "AppCatalog.Read.All", Type: "Application",
			Reason: "Reads the tenant app catalog: finds attestbot's own catalog ID for installs and notification links, and, for the " +
				"admin-only audit command, lists the organization's own apps and looks up the store apps in use, to match them against " +
				"their compliance records. Read only.",
		},
		{
			Name: "Application.Read.All", Type: "Application",
			Reason: "Used only by the admin-only tenant audit: lists the tenant's service principals and reads the application " +
				"permissions (app role assignments) granted to them, to compare them with what each publisher attested. Read only; it " +
				"reads no users, groups or content.",
		},
		{
			Name: "Directory.Read.All", Type: "Application",
			Reason: "Used only by the admin-only tenant audit, to read the delegated permissions (oauth2PermissionGrants) granted to " +
				"the tenant's apps: Microsoft Graph documents no narrower permission for reading them. attestbot reads nothing " +
				"else with it and stores nothing it reads. Optional: without it, the audit compares application permissions only.",
		},
		{
			Name: "RoleManagement.Read.Directory", Type: "Application",
			Reason: "Tells who may use attestbot's admin commands: reads the directory role assignments of the user who is chatting " +
				"with the bot, in that user's own tenant (Global Administrator, Teams Administrator, Application or Cloud Application " +
				"Administrator; Global Reader for the read-only views), and keeps the answer in memory for five minutes. Read only; " +
				"it reads no other user data and cannot change any role.",
		},
		{
			Name: "AppCatalog.Submit", Type: "Delegated",
			Reason: "Used only by the operator's attestbot manifest publish command, signed in as a Teams admin, to submit attestbot's own " +
				"app package to the tenant app catalog. The running bot never uses it; publishing through the Teams admin center needs no permission.",
		},
	}
}

// complianceRow is one question of attestbot's own attestation: its
// canonical key (as the attestation package names it), the English
// question, and the answer.
type complianceRow struct {
	Key, Label, Answer string
}

// complianceZones returns the rows of every template-A zone for cfg.
func complianceZones(cfg Config) map[string][]complianceRow {
	return map[string][]complianceRow{
		"general": {
			{"gen.app_name", "App name", cfg.ShortName},
			{"gen.app_id", "ID", cfg.AppSourceID},
			{"gen.office365_clients_supported", "Office 365 clients supported", "Microsoft Teams"},
			{"gen.partner_company_name", "Partner company name", cfg.DeveloperName},
			{"gen.company_website_url", "Company website", link(cfg.WebsiteURL)},
			{"gen.terms_of_use_url", "App terms of use", link(cfg.TermsURL)},
			{"gen.core_functionality", "App core functionality", "attestbot is a Microsoft Teams bot that admins chat with to decide whether a " +
				"third-party Microsoft 365 app is safe to allow. It answers from the public Microsoft 365 App Compliance records, compares " +
				"apps, and alerts subscribed admins in their Teams activity feed when an app's record changes."},
			{"gen.hq_location", "Company headquarters location", cfg.Headquarters},
			{"gen.app_info_page_url", "App info page", link(cfg.WebsiteURL)},
			{"gen.hosting_environment", "What is the hosting environment or service model used to run your app?", cfg.HostingModel},
			{"gen.hosting_cloud_providers", "Which hosting cloud providers does the app use?", cfg.CloudProviders},
		},
		"data": {
			{"data.processes_customer_data", "Does the app or underlying infrastructure process any data relating to a Microsoft customer or their device?", "Yes"},
			{"data.processed_data_types", "What data is processed by your app?", "Microsoft Entra user and tenant IDs, display names and the " +
				"messages of the admins who chat with the bot, and the directory roles of those users (kept in memory for five minutes); " +
				"during an audit, the names and IDs of the tenant's own Teams apps and of the apps it granted permissions, their service " +
				"principals and the Microsoft Graph permissions granted to them, kept in memory for at most 15 minutes."},
			{"data.supports_tls11_plus", "Does the app support TLS 1.1 or higher?", "Yes"},
			{"data.stores_customer_data", "Does the app or underlying infrastructure store Microsoft customer data?", "Yes"},
			{"data.stored_data_types", "What data is stored in your databases?", "Conversation references (tenant, conversation and user IDs, " +
				"service URL), subscriptions and pending notifications. Chat messages are not stored."},
			{"data.storage_location", "If the underlying infrastructure processes or stores Microsoft customer data, where is it stored geographically?",
				"In the region where the operator runs attestbot and its Redis or storage volume."},
			{"data.retention_disposal_process", "Do you have an established data retention and disposal process?", "Yes"},
			{"data.retention_after_termination", "How long is data retained after account termination?", "Less than 30 days"},
			{"data.access_management_process", "Do you have an established data access management process?", "Yes"},
			{"data.transfers_to_third_parties", "Do you transfer customer data or content to third parties or sub-processors?", "No"},
		},
		"security": {
			{"sec.annual_pen_test", "Do you perform annual penetration testing on the app?", "No"},
			{"sec.disaster_recovery_plan", "Does the app have a documented disaster recovery plan, including a backup and restore strategy?", "Yes"},
			{"sec.anti_malware_controls", "Does your environment use traditional anti-malware protection or application controls?", "ApplicationControls"},
			{"sec.vuln_risk_ranking_process", "Have you established a process for identifying and risk-ranking security vulnerabilities?", "Yes"},
			{"sec.patching_sla_policy", "Do you have a policy that governs your service level agreement (SLA) for applying patches?", "Yes"},
			{"sec.patching_per_sla", "Do you carry out patch management activities according to your patching policy SLAs?", "Yes"},
			{"sec.unsupported_os_software", "Does your environment have any unsupported operating systems or software?", "No"},
			{"sec.quarterly_vuln_scans", "Do you perform quarterly vulnerability scanning on your app and its supporting infrastructure?", "Yes"},
			{"sec.external_firewall", "Do you have a firewall installed on your external network boundary?", "Yes"},
			{"sec.change_management_process", "Do you have an established change management process used to review and approve change requests before they are deployed to production?", "Yes"},
			{"sec.code_change_second_reviewer", "Does an additional person review and approve all code change requests submitted to production by the original author?", "Yes"},
			{"sec.secure_coding_owasp", "Do secure coding practices take into account common vulnerability classes such as OWASP Top 10?", "Yes"},
			{"sec.mfa_enabled_for", "Multi-factor authentication (MFA) enabled for:", "CodeRepositories, DNSManagement, Credential"},
			{"sec.account_lifecycle_process", "Do you have an established process for provisioning, modifying and deleting employee accounts?", "Yes"},
			{"sec.idps_deployed", "Do you have intrusion detection and prevention software (IDPS) deployed at the perimeter of the network boundary supporting your app?", "No"},
			{"sec.event_logging", "Do you have event logging set up for all system components supporting your app?", "Yes"},
			{"sec.logs_reviewed_regularly", "Are all logs reviewed on a regular cadence by human or automated tooling?", "Yes"},
			{"sec.alerts_auto_triage", "When a security event is detected, are alerts automatically sent to an employee for triage?", "Yes"},
			{"sec.infosec_risk_management", "Do you have a formal information security risk management process established?", "Yes"},
			{"sec.incident_response_process", "Do you have a documented and established security incident response process?", "Yes"},
			{"sec.breach_notification_72h", "Do you report app or service data breaches to supervisory authorities and individuals affected by the breach within 72 hours of detection?", "Yes"},
		},
		"compliance": {
			{"comp.hipaa", "Is the app compliant with the Health Insurance Portability and Accountability Act (HIPAA)?", "No"},
			{"comp.hitrust_csf", "Is the app compliant with Health Information Trust Alliance, Common Security Framework (HITRUST CSF)?", "No"},
			{"comp.soc1", "Is the app compliant with Service Organization Controls (SOC 1)?", "No"},
			{"comp.soc2", "Is the app compliant with Service Organization Controls (SOC 2)?", "No"},
			{"comp.soc3", "Is the app compliant with Service Organization Controls (SOC 3)?", "No"},
			{"comp.pci_dss_annual", "Do you carry out annual PCI DSS assessments against the app and its supporting environment?", "Not applicable"},
			{"comp.iso27001", "Is the app International Organization for Standardization (ISO 27001) certified?", "No"},
			{"comp.iso27018", "Is the app compliant with International Organization for Standardization (ISO 27018)?", "No"},
			{"comp.iso27017", "Is the app compliant with International Organization for Standardization (ISO 27017)?", "No"},
			{"comp.iso27002", "Is the app compliant with International Organization for Standardization (ISO 27002)?", "No"},
			{"comp.fedramp", "Is the app Federal Risk and Authorization Management Program (FedRAMP) compliant?", "No"},
			{"comp.ferpa", "Is the app compliant with the Family Educational Rights and Privacy Act (FERPA)?", "Not applicable"},
			{"comp.coppa", "Is the app compliant with the Children's Online Privacy Protection Act (COPPA)?", "Not applicable"},
			{"comp.sox", "Is the app compliant with the Sarbanes-Oxley Act (SOX)?", "Not applicable"},
			{"comp.nist_800_171", "Is the app compliant with NIST 800-171?", "No"},
			{"comp.csa_star", "Has the app been Cloud Security Alliance (CSA STAR) certified?", "No"},
		},
		"privsection": {
			{"priv.gdpr_or_privacy_obligations", "Do you have GDPR or other privacy or data protection requirements or obligations (for example, CCPA)?", "Yes"},
			{"priv.external_privacy_notice", "Does the app have an external privacy notice that describes how it collects, uses, shares and retains customer data?", "Yes"},
			{"priv.privacy_policy_url", "Provide the link to the privacy notice", link(cfg.PrivacyURL)},
			{"priv.automated_decision_making", "Does the app use automated decision-making that produces legal or similarly significant effects?", "No"},
			{"priv.secondary_purpose_processing", "Does the app process customer data for any secondary or unrelated purpose (for example marketing or analytics)?", "No"},
			{"priv.special_category_data", "Does the app process special category or sensitive data?", "No"},
			{"priv.minors_data", "Does the app process data of minors (under 16)?", "No"},
			{"priv.erasure_on_request", "Can the app delete or export a person's data on request?", "Yes"},
			{"priv.restrict_processing_on_request", "Can the app restrict the processing of a person's data on request?", "Yes"},
			{"priv.rectification", "Can a person's data be corrected or updated on request?", "Yes"},
			{"priv.regular_privacy_reviews_dpia", "Do you carry out regular privacy reviews such as data protection impact assessments?", "Yes"},
		},
		"zerotrust": {
			{"zt.integrates_ms_identity_platform", "Does your app integrate with Microsoft Identity Platform (Azure AD) for single sign-on, API access, etc.?", "Yes"},
			{"zt.follows_identity_checklist", "Have you reviewed and complied with all applicable best practices outlined in the Microsoft identity platform integration checklist?", "Yes"},
			{"zt.uses_latest_msal_or_identity_web", "Does your app use the latest version of MSAL (Microsoft Authentication Library) or Microsoft Identity Web for authentication?", "true"},
			{"zt.other_auth_library", "If your app doesn't use one of the above libraries, what authentication library or libraries does it use?", ""},
			{"zt.supports_conditional_access", "Does your app support Conditional Access policies?", "No"},
			{"zt.least_privilege", "Does your app request least-privileged permissions for your scenario?", "Yes"},
			{"zt.supports_cae", "Does your app support Continuous Access Evaluation (CAE)?", "No"},
			{"zt.credentials_in_code", "Does your app store credentials in code?", "No"},
			{"zt.uses_additional_non_graph_apis", "Apps and add-ins for Microsoft 365 may use additional Microsoft APIs outside of Microsoft Graph. Does your app or add-in use additional Microsoft APIs?", "Yes"},
		},
	}
}

// link writes u as a markdown link to itself.
func link(u string) string { return "[" + u + "](" + u + ")" }

// complianceZoneOrder is the zone order of template A.
var complianceZoneOrder = []string{"general", "data", "security", "compliance", "privsection", "zerotrust"}

const includeLine = "[!INCLUDE [Corrections or suggestions contact information](../includes/corrections-or-suggestions.md)]"

// CompliancePage returns attestbot's own Publisher Attestation page, in
// the format of the public Microsoft 365 App Compliance pages (template A:
// zones general, data, security, compliance, privsection and zerotrust,
// with the Microsoft Graph permissions table linking the Entra app ID to
// ../azure/<guid>.md). Defaults are applied to cfg; fields that are
// missing are left blank rather than refused, so the page can always be
// drafted.
func CompliancePage(cfg Config) []byte {
	cfg = cfg.WithDefaults()
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	name := cfg.ShortName
	date := cfg.AttestedOn.UTC()

	w("---\n")
	w("title: App information for %s by %s\n", name, cfg.DeveloperName)
	w("ms.author: %s\n", slug(cfg.DeveloperName))
	w("author: %s\n", slug(cfg.DeveloperName))
	w("ms.date: %s\n", date.Format("01/02/2006"))
	w("ms.topic: article\n")
	w("ms.service: attestation\n")
	w("certification_type: attested\n")
	w("description: All the security and compliance information available for %s, its data handling policies, and the Microsoft Graph permissions it requests.\n", name)
	w("zone_pivot_groups: app-info-data-security-compliance-privsection-zerotrust\n")
	w("---\n")
	w("# <a name=%q></a>%s\n\n", slug(name), mdText(name))
	w("<p></p>\n")
	w("<img alt=\"Publisher Attestation: The information on this page is based on a self-assessment report provided by the app developer " +
		"on the security, compliance, and data handling practices followed by this app. Microsoft makes no guarantees regarding the " +
		"accuracy of the information.\" src=\"../media/attested.png\" width=\"650\" />\n")
	w("<p>Last updated by the developer on: %s</p>\n\n", date.Format("January 2, 2006"))
	if IsGUID(cfg.AppID) {
		w("* <a href=\"https://teams.microsoft.com/l/app/%s\" target=\"_blank\">View in Teams store</a>\n", cfg.AppID)
	}
	if cfg.AppSourceID != "" {
		w("* <a href=\"https://appsource.microsoft.com/product/office/%s\" target=\"_blank\">View in AppSource</a>\n", cfg.AppSourceID)
	}
	zones := complianceZones(cfg)
	for _, z := range complianceZoneOrder {
		w("\n::: zone pivot=%q\n\n", z)
		switch z {
		case "general":
			w("### <a name=\"general-information\"></a>General information\n\n")
			w("Information provided by %s to Microsoft:\n\n", mdText(cfg.DeveloperName))
		case "data":
			w("### <a name=\"how-the-app-handles-data\"></a>How the app handles data\n\n")
			w("This information has been provided by %s about how this app collects and stores organizational data and the control "+
				"that your organization will have over the data the app collects.\n\n", mdText(cfg.DeveloperName))
		case "security":
			w("Information from the [Microsoft Cloud App Security](https://www.microsoft.com/enterprise-mobility-security/cloud-app-security) catalog is shown below.\n\n")
		}
		w("| **Information** | **Response** |\n")
		w("|:----------------|:-------------|\n")
		for _, r := range zones[z] {
			w("| %s | %s |\n", cell(r.Label), cell(r.Answer))
		}
		if z == "zerotrust" {
			w("\n#### <a name=\"data-access-using-microsoft-graph\"></a>Data access using Microsoft Graph\n\n")
			w(">|   **Graph permission**  | **Permission type** |          **Justification**          | **Azure AD app ID** |\n")
			w(">|:------------------------|:--------------------|:------------------------------------|:--------------------|\n")
			for _, p := range GraphPermissions() {
				w(">| %s | %s | %s | [%s](../azure/%s.md) |\n", p.Name, p.Type, cell(p.Reason), cfg.EntraAppID, cfg.EntraAppID)
			}
			w("\n>This app also uses the Microsoft Bot Framework connector API to send its messages and cards in Teams.\n")
		}
		w("\n%s\n\n::: zone-end\n", includeLine)
	}
	return []byte(b.String())
}

// cell makes text safe inside a markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// mdText makes text safe in a heading or paragraph.
func mdText(s string) string {
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;", "\n", " ")
	return r.Replace(s)
}

// slug turns a name into the lowercase ASCII anchor form of the pages.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
