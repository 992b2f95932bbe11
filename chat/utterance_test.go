package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/bot"
	"github.com/attestbot/attestbot/bot/schema"
	"github.com/attestbot/attestbot/cards"
)

// utterance is one thing an admin types and what the admin needed.
type utterance struct {
	cat  string // category, for the figures
	text string
	kind string // reply kind (see reply)
	app  string // kind/slug the answer is about ("" for none)
	// filters are the filters of a search or claim, as Filter.String
	// writes them, space-separated ("" to skip).
	filters string
	// contains are texts the card must hold.
	contains []string
	// channel sends the message as a channel @mention of the bot.
	channel bool
	// setup are messages sent first by the same user.
	setup []string
}

const (
	plumm    = "teams/plumm-health-ltd"
	zohoDesk = "teams/zoho-corporation-private-limited-desk"
	zohoNote = "teams/zoho-corporation-private-limited-notebook"
	saberr   = "teams/saberr"
	moduleQ  = "teams/moduleq-q"
	acrobat  = "teams/adobe-acrobat-sign"
	aimful   = "teams/aimful"
	lms365   = "teams/elearningforce-international-lms365"
	vacation = "teams/vacation-tracker"
	emailg   = "saas/emailgistics-corp"
	edpuzzle = "teams/edpuzzle"
	smart    = "teams/smartsheet"
	miro     = "teams/miro"
	myhub    = "teams/myhub"
	pushSec  = "teams/push-security"
	push     = "teams/push"
	workb    = "teams/workboard-inc"
)

// utterances is the table: at least 150 things admins type, written for
// this test (not taken from any held-out set).
var utterances = []utterance{
	// Lookups: names, typos, phrasing.
	{cat: "lookup", text: "plumm", kind: "summary", app: plumm},
	{cat: "lookup", text: "quick minutes", kind: "summary", app: "teams/quickminutes"},
	{cat: "search", text: "show me apps with application permissions", kind: "search", filters: "permission-type=application"},
	{cat: "search", text: "which apps store data outside the EU", kind: "search", filters: "storage-only!=eu"},
	{cat: "claim", text: "what sub-processors does plumm use", kind: "claim", app: plumm, filters: "data.transfers_to_third_parties=yes"},
	{cat: "search", text: "what apps use sub-processors", kind: "search", filters: "data.transfers_to_third_parties=yes"},
	{cat: "claim", text: "does plumm lack a disaster recovery plan?", kind: "claim", app: plumm, filters: "sec.disaster_recovery_plan!=yes", contains: []string{"Plumm: yes"}},
	{cat: "permissions", text: "show me the permissions of plumm", kind: "permissions", app: plumm},
	{cat: "changes", text: "what changed in zoho desk recently", kind: "changes", app: zohoDesk},
	{cat: "changes", text: "what's the latest change for plumm", kind: "changes", app: plumm},
	{cat: "lookup", text: "work board", kind: "summary", app: workb},
	{cat: "lookup", text: "cocofax", kind: "summary", app: "word/missing-cocofax-sending-fax-made-easy-and-secure"},
	{cat: "lookup", text: "mipa", kind: "summary", app: "outlook/iglobe-mipa-your-own-personal-assistant"},
	{cat: "lookup", text: "officeatwork", kind: "search", filters: "publisher=officeatwork"},
	{cat: "lookup", text: "officeatwork content chooser", kind: "search", filters: "publisher=officeatwork", contains: []string{"Choisisseur de contenu", "1 app matches"}},
	{cat: "lookup", text: "zoho apps", kind: "search", filters: "publisher=zoho", contains: []string{"Zoho Desk", "Zoho Notebook"}},
	{cat: "lookup", text: "is zoho hipaa compliant?", kind: "nomatch", contains: []string{"Did you mean"}},
	{cat: "lookup", text: "PLUMM", kind: "summary", app: plumm},
	{cat: "lookup", text: "Plumm Health LTD", kind: "summary", app: plumm},
	{cat: "lookup", text: "plum", kind: "summary", app: plumm},
	{cat: "lookup", text: "tell me about Miro", kind: "summary", app: miro},
	{cat: "lookup", text: "Tell me about zoho desk", kind: "summary", app: zohoDesk},
	{cat: "lookup", text: "tell me more about Saberr", kind: "summary", app: saberr},
	{cat: "lookup", text: "what is Edpuzzle?", kind: "summary", app: edpuzzle},
	{cat: "lookup", text: "what's Vacation Tracker", kind: "summary", app: vacation},
	{cat: "lookup", text: "what about workboard", kind: "summary", app: workb},
	{cat: "lookup", text: "info on Zoho Notebook", kind: "summary", app: zohoNote},
	{cat: "lookup", text: "details for emailgistics", kind: "summary", app: emailg},
	{cat: "lookup", text: "show me Smartsheet", kind: "summary", app: smart},
	{cat: "lookup", text: "open the Miro app", kind: "summary", app: miro},
	{cat: "lookup", text: "look up aimful", kind: "summary", app: aimful},
	{cat: "lookup", text: "is plumm safe?", kind: "summary", app: plumm},
	{cat: "lookup", text: "is Smartsheet safe to allow?", kind: "summary", app: smart},
	{cat: "lookup", text: "can we trust Miro?", kind: "summary", app: miro},
	{cat: "lookup", text: "smartshet", kind: "summary", app: smart},
	{cat: "lookup", text: "Smartsheeet", kind: "summary", app: smart},
	{cat: "lookup", text: "vacation trackr", kind: "summary", app: vacation},
	{cat: "lookup", text: "Push Security", kind: "summary", app: pushSec},
	{cat: "lookup", text: "push security", kind: "summary", app: pushSec},
	{cat: "lookup", text: "Push", kind: "summary", app: push},
	{cat: "lookup", text: "notes plus", kind: "summary", app: "teams/notes-plus"},
	{cat: "lookup", text: "Zoho Desk's record", kind: "summary", app: zohoDesk},
	{cat: "lookup", text: "\"Edpuzzle\"", kind: "summary", app: edpuzzle},
	{cat: "lookup", text: "how safe is LMS365", kind: "summary", app: lms365},
	{cat: "lookup", text: "what do you know about MyHub?", kind: "summary", app: myhub},
	{cat: "lookup", text: "ＰＬＵＭＭ", kind: "summary", app: plumm},
	{cat: "lookup", text: "Plümm", kind: "summary", app: plumm},
	// Misses: never the wrong app, never the whole sentence as a name.
	{cat: "miss", text: "Slack", kind: "nomatch", contains: []string{"No app named “Slack”"}},
	{cat: "miss", text: "tell me about Slack", kind: "nomatch", contains: []string{"No app named “Slack”"}},
	{cat: "miss", text: "Asana", kind: "nomatch", contains: []string{"No app named “Asana”"}},
	{cat: "miss", text: "zzqqxxyyww", kind: "nomatch"},
	{cat: "miss", text: "Stack", kind: "search", filters: "publisher=stack", contains: []string{"Stack Exchange Inc"}}, // a publisher: its apps, as a list
	{cat: "miss", text: "what's the weather today?", kind: "smalltalk", contains: []string{"outside what I know"}},
	{cat: "miss", text: "can you book me a meeting room for tomorrow", kind: "smalltalk", contains: []string{"outside what I know"}},
	{cat: "miss", text: "write me a poem about compliance officers", kind: "smalltalk"},
	{cat: "miss", text: "tell me about the new intranet tool we bought", kind: "smalltalk"},
	{cat: "miss", text: "Zoho", kind: "search", filters: "publisher=zoho", contains: []string{"Zoho Desk"}},
	{cat: "miss", text: "adobe", kind: "search", filters: "publisher=adobe", contains: []string{"Adobe Acrobat Sign"}},
	{cat: "miss", text: "sta", kind: "nomatch"}, // too short to name a publisher
	// Claims: yes/no only on exact or confirmed matches.
	{cat: "claim", text: "is plumm hipaa compliant?", kind: "claim", app: plumm, filters: "comp.hipaa=yes", contains: []string{"Plumm: yes"}},
	{cat: "claim", text: "is plumm iso 27001 compliant?", kind: "claim", app: plumm, filters: "comp.iso27001=yes", contains: []string{"Plumm: no"}},
	{cat: "claim", text: "Is Zoho Desk HIPAA compliant", kind: "claim", app: zohoDesk, filters: "comp.hipaa=yes"},
	{cat: "claim", text: "quick question: is plumm hipaa compliant?", kind: "claim", app: plumm, filters: "comp.hipaa=yes", contains: []string{"Plumm: yes"}},
	{cat: "claim", text: "is quickminutes hipaa compliant", kind: "claim", app: "teams/quickminutes", filters: "comp.hipaa=yes", contains: []string{"QuickMinutes: Not applicable"}},
	{cat: "claim", text: "is cocofax gdpr compliant", kind: "claim", app: "word/missing-cocofax-sending-fax-made-easy-and-secure", filters: "priv.gdpr_or_privacy_obligations=yes"},
	{cat: "claim", text: "does zoho desk have soc 2?", kind: "claim", app: zohoDesk, filters: "comp.soc2=yes"},
	{cat: "claim", text: "does Saberr do pen testing", kind: "claim", app: saberr, filters: "sec.annual_pen_test=yes"},
	{cat: "claim", text: "is Zoho Desk GDPR compliant?", kind: "claim", app: zohoDesk, filters: "priv.gdpr_or_privacy_obligations=yes"},
	{cat: "claim", text: "is plumm certified", kind: "claim", app: plumm, filters: "certification=certified"},
	{cat: "claim", text: "is Smartsheet Microsoft 365 certified?", kind: "claim", app: smart, filters: "certification=certified"},
	{cat: "claim", text: "does plumm support mfa", kind: "claim", app: plumm, filters: "sec.mfa_enabled_for=yes"},
	{cat: "claim", text: "does Edpuzzle have a disaster recovery plan?", kind: "claim", app: edpuzzle, filters: "sec.disaster_recovery_plan=yes"},
	{cat: "claim", text: "is the Zoho Desk app SOC 2 compliant", kind: "claim", app: zohoDesk, filters: "comp.soc2=yes"},
	{cat: "claim", text: "zoho desk hipaa", kind: "claim", app: zohoDesk, filters: "comp.hipaa=yes"},
	{cat: "claim", text: "is slack gdpr compliant", kind: "nomatch", contains: []string{"No app named “slack”"}},
	{cat: "claim", text: "is Asana Microsoft 365 certified?", kind: "nomatch", contains: []string{"No app named “Asana”"}},
	{cat: "claim", text: "is smartshet hipaa compliant", kind: "confirm", contains: []string{"Did you mean Smartsheet?", `"verb":"ask"`}},
	{cat: "claim", text: "is plum hipaa compliant?", kind: "confirm", contains: []string{"Did you mean Plumm?"}},
	{cat: "claim", text: "does zoho have soc 2", kind: "nomatch", contains: []string{"Zoho Desk"}},
	{cat: "claim", text: "is it hipaa compliant", kind: "nomatch"},
	{cat: "claim", text: "is Zoho Desk SOC 2 Type 2 certified?", kind: "claim", app: zohoDesk, filters: "comp.soc2=yes"},
	{cat: "claim", text: "does Zoho Desk comply with GDPR?", kind: "claim", app: zohoDesk, filters: "priv.gdpr_or_privacy_obligations=yes"},
	{cat: "claim", text: "Is Zoho Desk ISO certified?", kind: "claim", app: zohoDesk, filters: "comp.iso27001=yes"},
	{cat: "claim", text: "does Zoho Desk share data with third parties?", kind: "claim", app: zohoDesk, filters: "data.transfers_to_third_parties=yes"},
	{cat: "claim", text: "does plumm have an incident response plan", kind: "claim", app: plumm, filters: "sec.incident_response_process=yes"},
	{cat: "claim", text: "does zoho desk notify breaches within 72 hours", kind: "claim", app: zohoDesk, filters: "sec.breach_notification_72h=yes"},
	{cat: "claim", text: "is plumm's data stored in the UK?", kind: "claim", app: plumm, filters: "storage=GB"},
	{cat: "lookup", text: "what does Zoho Desk do?", kind: "summary", app: zohoDesk},
	{cat: "lookup", text: "who makes Edpuzzle", kind: "summary", app: edpuzzle},
	{cat: "lookup", text: "can you check plumm", kind: "summary", app: plumm},
	{cat: "lookup", text: "plumm, please", kind: "summary", app: plumm},
	{cat: "lookup", text: "does Zoho Desk encrypt data at rest?", kind: "summary", app: zohoDesk, contains: []string{"does not answer"}},
	{cat: "lookup", text: "I need the security posture of zoho desk for a review", kind: "summary", app: zohoDesk},
	{cat: "lookup", text: "what is the AppSource ID of plumm", kind: "summary", app: plumm},
	{cat: "search", text: "apps certified by Microsoft", kind: "search", filters: "certification=certified"},
	{cat: "search", text: "apps with a data retention policy", kind: "search", filters: "data.retention_disposal_process=yes"},
	{cat: "search", text: "apps that transfer data to third parties", kind: "search", filters: "data.transfers_to_third_parties=yes"},
	{cat: "search", text: "apps supporting conditional access", kind: "search", filters: "zt.supports_conditional_access=yes"},
	{cat: "search", text: "how many apps are HIPAA compliant?", kind: "search", filters: "comp.hipaa=yes"},
	{cat: "location", text: "apps storing data in Canada or the US", kind: "search", filters: "storage=CA,US"},
	{cat: "location", text: "apps with HQ in the US", kind: "search", filters: "hq=US"},
	{cat: "location", text: "apps that store data in the UK", kind: "search", filters: "storage=GB"},
	{cat: "history", text: "latest updates for plumm", kind: "changes", app: plumm},
	{cat: "history", text: "did anything change for plumm", kind: "changes", app: plumm},
	{cat: "history", text: "any news on plumm", kind: "changes", app: plumm},
	{cat: "section", text: "Tell me about Plumm's security", kind: "section", app: plumm},
	{cat: "section", text: "security of plumm", kind: "section", app: plumm},
	{cat: "compare", text: "compare Zoho Desk to Zoho Notebook", kind: "compare", contains: []string{"Zoho Notebook"}},
	{cat: "compare", text: "which is safer, plumm or saberr?", kind: "compare"},
	{cat: "subscription", text: "what apps am I subscribed to", kind: "subscriptions"},
	{cat: "claim", text: "Plumm GDPR?", kind: "claim", app: plumm, filters: "priv.gdpr_or_privacy_obligations=yes"},
	{cat: "claim", text: "Is Plumm publisher attested?", kind: "claim", app: plumm, filters: "certification=attested"},
	{cat: "claim", text: "does plumm store customer data", kind: "claim", app: plumm, filters: "data.stores_customer_data=yes"},
	{cat: "lookup", text: "Does Vacation Tracker support SSO?", kind: "summary", app: vacation, contains: []string{"does not answer"}},
	{cat: "lookup", text: "i need info about plumm", kind: "summary", app: plumm},
	{cat: "search", text: "apps that can access all users' calendars", kind: "search", filters: "permission=calendars.* permission-type=application"},
	{cat: "search", text: "apps that can read every user's files", kind: "search", filters: "permission=files.read.all,files.readwrite.all"},
	{cat: "search", text: "What apps handle health data?", kind: "nomatch", contains: []string{"I cannot filter apps on “handle health data”"}},
	{cat: "compare", text: "what's the difference between plumm and saberr", kind: "compare"},
	{cat: "history", text: "Has plumm's record changed recently?", kind: "changes", app: plumm},
	{cat: "history", text: "When did plumm last update its attestation?", kind: "changes", app: plumm},
	{cat: "subscription", text: "subscribe me to changes for Zoho Desk", kind: "subscribe", app: zohoDesk},
	{cat: "subscription", text: "remind me when Zoho Desk updates its record", kind: "subscribe", app: zohoDesk},
	{cat: "subscription", text: "i would like alerts for plumm", kind: "subscribe", app: plumm},
	{cat: "smalltalk", text: "What is Microsoft 365 certification?", kind: "smalltalk", contains: []string{"Publisher Attestation"}},
	{cat: "smalltalk", text: "how do I use this bot", kind: "help"},
	// Permissions.
	{cat: "permissions", text: "what permissions does Smartsheet need", kind: "permissions", app: smart},
	{cat: "permissions", text: "What permissions does Zoho Desk need?", kind: "permissions", app: zohoDesk},
	{cat: "permissions", text: "which graph permissions does plumm request", kind: "permissions", app: plumm, contains: []string{"TeamsActivity.Send"}},
	{cat: "permissions", text: "show plumm permissions", kind: "permissions", app: plumm, contains: []string{"TeamsActivity.Send"}},
	{cat: "permissions", text: "plumm scopes", kind: "permissions", app: plumm},
	{cat: "permissions", text: "permissions of LMS365", kind: "permissions", app: lms365},
	{cat: "permissions", text: "what can Zoho Desk access?", kind: "permissions", app: zohoDesk},
	{cat: "permissions", text: "what access does emailgistics need", kind: "permissions", app: emailg},
	{cat: "permissions", text: "push security permissions", kind: "permissions", app: pushSec},
	{cat: "permissions", text: "does MyHub use application permissions?", kind: "claim", app: myhub, filters: "permission-type=application", contains: []string{"Sites.Read.All (application)"}},
	{cat: "permissions", text: "does plumm request User.Read.All?", kind: "claim", app: plumm, filters: "permission=user.read.all", contains: []string{"User.Read.All"}},
	{cat: "permissions", text: "does Emailgistics request Mail.ReadWrite", kind: "claim", app: emailg, filters: "permission=mail.readwrite", contains: []string{"Emailgistics: yes"}},
	{cat: "permissions", text: "does plumm use application permissions", kind: "claim", app: plumm, filters: "permission-type=application"},
	{cat: "permissions", text: "can plumm read all mail?", kind: "claim", app: plumm, filters: "permission=mail.read,mail.readwrite,mail.readbasic.all permission-type=application", contains: []string{"Plumm: no"}},
	{cat: "permissions", text: "what permissions does slack need", kind: "nomatch", contains: []string{"No app named “slack”"}},
	// Searches: filters, permission phrases, data location.
	{cat: "search", text: "apps with hipaa and iso 27001", kind: "search", filters: "comp.hipaa=yes comp.iso27001=yes"},
	{cat: "search", text: "who requests Mail.ReadWrite", kind: "search", filters: "permission=mail.readwrite", contains: []string{"Emailgistics"}},
	{cat: "search", text: "apps that can read all mail", kind: "search", filters: "permission=mail.read,mail.readwrite,mail.readbasic.all permission-type=application"},
	{cat: "search", text: "which apps can read all email?", kind: "search", filters: "permission=mail.read,mail.readwrite,mail.readbasic.all permission-type=application"},
	{cat: "search", text: "apps that can send mail", kind: "search", filters: "permission=mail.send,mail.send.shared"},
	{cat: "search", text: "which apps have access to all files", kind: "search", filters: "permission=files.read.all,files.readwrite.all"},
	{cat: "search", text: "apps that access calendars", kind: "search", filters: "permission=calendars.*"},
	{cat: "search", text: "apps that read chats", kind: "search", filters: "permission=chat.*,chatmessage.*"},
	{cat: "search", text: "apps requesting application permission Mail.Read", kind: "search", filters: "permission=mail.read permission-type=application"},
	{cat: "search", text: "which apps use application permissions", kind: "search", filters: "permission-type=application"},
	{cat: "search", text: "apps that request offline_access", kind: "search", filters: "permission=offline_access"},
	{cat: "search", text: "certified teams apps", kind: "search", filters: "certification=certified kind=teams"},
	{cat: "search", text: "attested outlook add-ins", kind: "search", filters: "certification=attested kind=outlook"},
	{cat: "search", text: "apps without soc 2", kind: "search", filters: "comp.soc2!=yes"},
	{cat: "search", text: "apps by Zoho", kind: "search", filters: "publisher=zoho", contains: []string{"Zoho Desk"}},
	{cat: "search", text: "which zoho apps are hipaa compliant", kind: "search", filters: "comp.hipaa=yes", contains: []string{"Zoho Desk"}},
	{cat: "search", text: "apps with multi-factor authentication and disaster recovery", kind: "search", filters: "sec.mfa_enabled_for=yes sec.disaster_recovery_plan=yes"},
	{cat: "search", text: "hipaa=yes kind=teams", kind: "search", filters: "comp.hipaa=yes kind=teams"},
	{cat: "search", text: "list apps with fedramp", kind: "search", filters: "comp.fedramp=yes"},
	{cat: "search", text: "are there apps with HITRUST?", kind: "search", filters: "comp.hitrust_csf=yes"},
	{cat: "search", text: "is there an app that reads all mail", kind: "search"},
	{cat: "search", text: "fr-FR apps with gdpr", kind: "search", filters: "locale=fr-FR priv.gdpr_or_privacy_obligations=yes"},
	// Data location.
	{cat: "location", text: "where does Smartsheet store its data?", kind: "storage", app: smart, contains: []string{"Ireland"}},
	{cat: "location", text: "where does zoho desk store data", kind: "storage", app: zohoDesk, contains: []string{"United States", "Ireland"}},
	{cat: "location", text: "Where is Zoho Desk data stored?", kind: "storage", app: zohoDesk},
	{cat: "location", text: "where is plumm hosted", kind: "storage", app: plumm, contains: []string{"does not say"}},
	{cat: "location", text: "zoho desk data location", kind: "storage", app: zohoDesk},
	{cat: "location", text: "data residency of Aimful", kind: "storage", app: aimful, contains: []string{"Ireland"}},
	{cat: "location", text: "which country does Q store data in", kind: "storage", app: moduleQ, contains: []string{"United States"}},
	{cat: "location", text: "which apps are HIPAA compliant and store data in the EU", kind: "search", filters: "comp.hipaa=yes storage=eu", contains: []string{"Zoho Desk"}},
	{cat: "location", text: "apps that store data in the EU", kind: "search", filters: "storage=eu", contains: []string{"Aimful"}},
	{cat: "location", text: "apps hosted in Germany", kind: "search", filters: "storage=DE"},
	{cat: "location", text: "apps storing data only in the EU", kind: "search", filters: "storage-only=eu", contains: []string{"Aimful"}},
	{cat: "location", text: "apps that don't store data in the US", kind: "search", filters: "storage!=US"},
	{cat: "location", text: "apps with data in the United States", kind: "search", filters: "storage=US", contains: []string{"Q"}},
	{cat: "location", text: "apps from companies based in Switzerland", kind: "search", filters: "hq=CH"},
	{cat: "location", text: "apps from Denmark", kind: "search", filters: "hq=DK", contains: []string{"LMS365"}},
	{cat: "location", text: "storage=eu hipaa", kind: "search", filters: "storage=eu comp.hipaa=yes"},
	{cat: "location", text: "does zoho desk store data in the EU?", kind: "claim", app: zohoDesk, filters: "storage=eu", contains: []string{"Zoho Desk: yes", "Ireland"}},
	{cat: "location", text: "does Q store data in Europe", kind: "claim", app: moduleQ, filters: "storage=europe", contains: []string{"Q: no"}},
	{cat: "location", text: "is plumm data stored in the EU?", kind: "claim", app: plumm, filters: "storage=eu", contains: []string{"not stated"}},
	{cat: "location", text: "which apps are hipaa compliant and encrypt data at rest", kind: "search", filters: "comp.hipaa=yes", contains: []string{"Not filtered by"}},
	{cat: "location", text: "apps with iso 27001 and a bug bounty", kind: "search", filters: "comp.iso27001=yes", contains: []string{"Not filtered by"}},
	// Compare.
	{cat: "compare", text: "compare plumm and saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
	{cat: "compare", text: "plumm vs saberr", kind: "compare", contains: []string{"Plumm", "Saberr"}},
	{cat: "compare", text: "Zoho Desk versus Zoho Notebook", kind: "compare", contains: []string{"Zoho Desk", "Zoho Notebook"}},
	{cat: "compare", text: "compare plumm, saberr and edpuzzle", kind: "compare", contains: []string{"Plumm", "Saberr", "Edpuzzle"}},
	{cat: "compare", text: "compare Smartsheet with Miro", kind: "compare", contains: []string{"Smartsheet", "Miro"}},
	{cat: "compare", text: "difference between aimful and plumm", kind: "compare", contains: []string{"Aimful", "Plumm"}},
	{cat: "compare", text: "how does LMS365 compare to Edpuzzle?", kind: "compare"},
	{cat: "compare", text: "compare plumm and slack", kind: "nomatch", contains: []string{"No app named “slack”"}},
	{cat: "compare", text: "compare plumm", kind: "error", contains: []string{"Name two or three apps"}},
	// History.
	{cat: "history", text: "what changed for plumm", kind: "changes", app: plumm},
	{cat: "history", text: "what has changed in Zoho Desk?", kind: "changes", app: zohoDesk},
	{cat: "history", text: "plumm history", kind: "changes", app: plumm},
	{cat: "history", text: "recent changes to saberr", kind: "changes", app: saberr},
	{cat: "history", text: "has Smartsheet changed?", kind: "changes", app: smart},
	{cat: "history", text: "changes for LMS365", kind: "changes", app: lms365},
	{cat: "history", text: "when was edpuzzle last updated", kind: "changes", app: edpuzzle},
	{cat: "history", text: "what changed for slack", kind: "nomatch"},
	// Sections.
	{cat: "section", text: "show plumm security", kind: "section", app: plumm, contains: []string{"Security"}},
	{cat: "section", text: "plumm compliance", kind: "section", app: plumm, contains: []string{"HIPAA"}},
	{cat: "section", text: "zoho desk privacy", kind: "section", app: zohoDesk},
	{cat: "section", text: "Saberr zero trust", kind: "section", app: saberr},
	{cat: "section", text: "show the security of Zoho Desk", kind: "section", app: zohoDesk},
	{cat: "section", text: "how does Edpuzzle handle data?", kind: "section", app: edpuzzle},
	{cat: "section", text: "aimful data handling", kind: "section", app: aimful},
	// Subscriptions.
	{cat: "subscription", text: "subscribe plumm", kind: "subscribe", app: plumm, contains: []string{"Subscribed to Plumm"}},
	{cat: "subscription", text: "subscribe to Zoho Desk", kind: "subscribe", app: zohoDesk},
	{cat: "subscription", text: "notify me when Smartsheet changes", kind: "subscribe", app: smart},
	{cat: "subscription", text: "Let me know if Miro changes", kind: "subscribe", app: miro},
	{cat: "subscription", text: "alert me about changes to Edpuzzle", kind: "subscribe", app: edpuzzle},
	{cat: "subscription", text: "follow LMS365", kind: "subscribe", app: lms365},
	{cat: "subscription", text: "watch aimful", kind: "subscribe", app: aimful},
	{cat: "subscription", text: "keep me posted on saberr", kind: "subscribe", app: saberr},
	{cat: "subscription", text: "subscribe to slack", kind: "nomatch", contains: []string{"No app named “slack”"}},
	{cat: "subscription", text: "subscribe smartshet", kind: "confirm", contains: []string{"Did you mean Smartsheet?"}},
	{cat: "subscription", text: "follow zoho", kind: "nomatch"},
	{cat: "subscription", text: "unsubscribe Smartsheet", kind: "not-following", app: smart, contains: []string{"You were not following Smartsheet"}},
	{cat: "subscription", text: "unsubscribe plumm", kind: "unsubscribe", app: plumm, setup: []string{"subscribe plumm"}, contains: []string{"Unsubscribed from Plumm"}},
	{cat: "subscription", text: "stop notifying me about plumm", kind: "unsubscribe", app: plumm, setup: []string{"follow plumm"}},
	{cat: "subscription", text: "stop following saberr", kind: "not-following", app: saberr},
	{cat: "subscription", text: "my subscriptions", kind: "subscriptions", contains: []string{"You follow no app yet"}},
	{cat: "subscription", text: "what am I following?", kind: "subscriptions", setup: []string{"subscribe plumm"}, contains: []string{"Plumm"}},
	{cat: "subscription", text: "subscribe all", kind: "error", contains: []string{"Only admins"}},
	{cat: "subscription", text: "subscribe tenant", kind: "error", contains: []string{"Only admins"}},
	{cat: "subscription", text: "subscribe", kind: "error", contains: []string{"Subscribe to what?"}},
	// Small talk.
	{cat: "smalltalk", text: "thanks!", kind: "smalltalk", contains: []string{"You're welcome", "Microsoft 365 App Compliance"}},
	{cat: "smalltalk", text: "Thank you so much", kind: "smalltalk", contains: []string{"You're welcome"}},
	{cat: "smalltalk", text: "thx", kind: "smalltalk"},
	{cat: "smalltalk", text: "ok thanks", kind: "smalltalk", contains: []string{"You're welcome"}},
	{cat: "smalltalk", text: "👍", kind: "smalltalk"},
	{cat: "smalltalk", text: "🙏🙏", kind: "smalltalk"},
	{cat: "smalltalk", text: "hello", kind: "smalltalk", contains: []string{"Hello"}},
	{cat: "smalltalk", text: "hi there", kind: "smalltalk"},
	{cat: "smalltalk", text: "good morning", kind: "smalltalk"},
	{cat: "smalltalk", text: "bye", kind: "smalltalk", contains: []string{"Goodbye"}},
	{cat: "smalltalk", text: "cool", kind: "smalltalk"},
	{cat: "smalltalk", text: "who are you?", kind: "smalltalk", contains: []string{"I am attestbot"}},
	{cat: "smalltalk", text: "what can you do?", kind: "help"},
	{cat: "smalltalk", text: "help", kind: "help", contains: []string{"compare plumm and reach"}},
	{cat: "smalltalk", text: "?", kind: "help"},
	{cat: "smalltalk", text: "merci", kind: "smalltalk"},
	// Links and identifiers.
	{cat: "link", text: "WA200003326", kind: "summary", app: plumm},
	{cat: "link", text: "https://appsource.microsoft.com/en-us/product/office/WA200003326?tab=Overview", kind: "summary", app: plumm},
	{cat: "link", text: "https://marketplace.microsoft.com/en-us/product/office/WA200003326?tab=Overview", kind: "summary", app: plumm},
	{cat: "link", text: "marketplace.microsoft.com/product/office/wa200003326", kind: "summary", app: plumm},
	{cat: "link", text: "https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34", kind: "summary", app: plumm},
	{cat: "link", text: "https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34?source=app-details-dialog", kind: "summary", app: plumm},
	{cat: "link", text: "msteams:/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34", kind: "summary", app: plumm},
	{cat: "link", text: "https://learn.microsoft.com/fr-fr/microsoft-365-app-certification/teams/plumm-health-ltd", kind: "summary", app: plumm},
	{cat: "link", text: "https://learn.microsoft.com/en-us/microsoft-365-app-certification/teams/zoho-corporation-private-limited-desk?tabs=data#data-handling", kind: "summary", app: zohoDesk},
	{cat: "link", text: "d66da813-3337-4f88-8e08-f01c0bbb8f34", kind: "summary", app: plumm},
	{cat: "link", text: "is https://appsource.microsoft.com/en-us/product/office/WA200003326 hipaa compliant?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
	{cat: "link", text: "tell me about https://marketplace.microsoft.com/en-us/product/office/WA200003326", kind: "summary", app: plumm},
	{cat: "link", text: "what permissions does https://teams.microsoft.com/l/app/d66da813-3337-4f88-8e08-f01c0bbb8f34 need", kind: "permissions", app: plumm},
	{cat: "link", text: "https://marketplace.microsoft.com/en-us/product/office/WA999999999", kind: "nomatch"},
	{cat: "link", text: "teams/plumm-health-ltd", kind: "summary", app: plumm},
	// Channel @mentions.
	{cat: "mention", channel: true, text: "<at>attestbot</at> plumm", kind: "summary", app: plumm},
	{cat: "mention", channel: true, text: "<at>attestbot</at> is plumm hipaa compliant?", kind: "claim", app: plumm, filters: "comp.hipaa=yes"},
	{cat: "mention", channel: true, text: "<at>attestbot</at> what permissions does Zoho Desk need", kind: "permissions", app: zohoDesk},
	{cat: "mention", channel: true, text: "<at>attestbot</at> thanks!", kind: "smalltalk"},
	{cat: "mention", channel: true, text: "<at>attestbot</at> apps that can read all mail", kind: "search"},
	{cat: "mention", channel: true, text: "<at>attestbot</at>&nbsp;compare plumm and saberr", kind: "compare"},
	{cat: "mention", channel: true, text: "<at>attestbot</at> slack", kind: "nomatch", contains: []string{"No app named “slack”"}},
	{cat: "mention", channel: true, text: "<at>attestbot</at>", kind: "help"},
	{cat: "mention", channel: true, text: "hey <at>attestbot</at> where does zoho desk store data?", kind: "storage", app: zohoDesk},
}

// chatRouter is the bot's router for messages and card actions wired to
// s, as cmd/attestbot wires it: the text the route reads is the turn's
// text without the bot's mention. The reply of the last turn is kept.
func chatRouter(s *Service, last *reply, u User) *bot.Router {
	r := bot.NewRouter()
	r.OnDefaultMessage(func(ctx context.Context, t *bot.Turn) error {
		*last = s.respond(ctx, u, t.Text(), nil)
		return nil
	})
	r.OnDefaultCardAction(func(ctx context.Context, t *bot.Turn, act schema.AdaptiveCardAction) (*schema.AdaptiveCardInvokeResponse, error) {
		d, err := cards.DecodeActionData(act.Data)
		if err != nil {
			return nil, err
		}
		*last = reply{card: s.Action(ctx, u, d), kind: "action"}
		return nil, nil
	})
	return r
}

const testBotID = "28:attestbot-id"

// messageActivity builds a Teams message: personal, or in a channel with
// the bot @mentioned.
func messageActivity(text string, channel bool) *schema.Activity {
	a := &schema.Activity{Type: schema.ActivityTypeMessage, Text: text, ChannelID: "msteams",
		From:      &schema.ChannelAccount{ID: "29:user", Name: "Alex"},
		Recipient: &schema.ChannelAccount{ID: testBotID, Name: "attestbot"}}
	if channel {
		a.Entities = []schema.Entity{{Type: "mention", Mentioned: &schema.ChannelAccount{ID: testBotID, Name: "attestbot"}, Text: "<at>attestbot</at>"}}
	}
	return a
}

func send(t *testing.T, r *bot.Router, text string, channel bool) {
	t.Helper()
	route, ok := r.Select(messageActivity(text, channel))
	require.True(t, ok, text)
	_, err := route.Handler(context.Background(), bot.NewTurn(messageActivity(text, channel), nil, nil))
	require.NoError(t, err)
}

func filterString(rp reply) string {
	var fs []string
	for _, f := range rp.filters {
		fs = append(fs, f.String())
	}
	return strings.Join(fs, " ")
}

func TestUtterances(t *testing.T) {
	cat := trapCatalog(t)
	b := cards.New()
	perCat := map[string]int{}
	for i, u := range utterances {
		perCat[u.cat]++
		t.Run(fmt.Sprintf("%03d %s", i, u.text), func(t *testing.T) {
			s := NewService(cat, b, WithSubscriptions(&memSubs{subs: map[string][]string{}}), WithAdmins([]string{"admin-1"}))
			var last reply
			r := chatRouter(s, &last, User{TenantID: "tenant-1", ID: "user-1", Locale: "en-US"})
			for _, pre := range u.setup {
				send(t, r, pre, false)
			}
			send(t, r, u.text, u.channel)
			got := cardJSON(t, last.card)
			require.Equal(t, u.kind, last.kind, "%s\n%s", u.text, got)
			if u.app != "" || last.kind == "claim" {
				require.Equal(t, u.app, last.app, u.text)
			}
			if u.filters != "" {
				require.Equal(t, u.filters, filterString(last), u.text)
			}
			for _, c := range u.contains {
				require.Contains(t, got, c, u.text)
			}
			require.Less(t, len(got), cards.MaxCardSize)
		})
	}
	require.GreaterOrEqual(t, len(utterances), 150)
	keys := make([]string, 0, len(perCat))
	for k := range perCat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-13s %3d utterances", k, perCat[k])
	}
	t.Logf("%-13s %3d utterances", "total", len(utterances))
}

// TestDidYouMeanAnswersInOneClick clicks the did-you-mean button: the
// question is answered about the app picked, through the card action
// route.
func TestDidYouMeanAnswersInOneClick(t *testing.T) {
	s := NewService(trapCatalog(t), cards.New(), WithSubscriptions(&memSubs{subs: map[string][]string{}}))
	var last reply
	u := User{TenantID: "tenant-1", ID: "user-1", Locale: "en-US"}
	r := chatRouter(s, &last, u)
	send(t, r, "is smartshet hipaa compliant", false)
	require.Equal(t, "confirm", last.kind)
	d := firstAsk(t, last.card)
	require.Equal(t, "smartsheet", d.Slug)
	require.Equal(t, "is smartshet hipaa compliant", d.Query)
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	inv := &schema.Activity{Type: schema.ActivityTypeInvoke, Name: "adaptiveCard/action",
		Value: json.RawMessage(`{"action":{"type":"Action.Execute","verb":"ask","data":` + string(raw) + `}}`)}
	route, ok := r.Select(inv)
	require.True(t, ok)
	_, err = route.Handler(context.Background(), bot.NewTurn(inv, nil, nil))
	require.NoError(t, err)
	got := cardJSON(t, last.card)
	require.Contains(t, got, "Smartsheet: ")
	require.Contains(t, got, "HIPAA")

	// A miss answered by a pick: "tell me about Slack" → the app picked.
	send(t, r, "subscribe to slack", false)
	require.Equal(t, "nomatch", last.kind)
	d = firstAsk(t, last.card)
	rp := s.respond(context.Background(), u, d.Query, mustApp(t, s, d.Kind, d.Slug))
	require.Equal(t, "subscribe", rp.kind)
	require.Equal(t, d.Kind+"/"+d.Slug, rp.app)
}

func mustApp(t *testing.T, s *Service, kind, slug string) *attestation.Result {
	t.Helper()
	res, ok := s.cat.App(kind, slug)
	require.True(t, ok)
	return &res
}

// firstAsk returns the data of the first VerbAsk button of a card.
func firstAsk(t *testing.T, c *cards.AdaptiveCard) cards.ActionData {
	t.Helper()
	raw := cardJSON(t, c)
	var doc any
	require.NoError(t, json.Unmarshal([]byte(raw), &doc))
	var found *cards.ActionData
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["type"] == "Action.Execute" && x["verb"] == "ask" && found == nil {
				b, _ := json.Marshal(x["data"])
				var d cards.ActionData
				require.NoError(t, json.Unmarshal(b, &d))
				found = &d
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(doc)
	require.NotNil(t, found, raw)
	return *found
}
