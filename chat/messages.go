package chat

import (
	"strings"

	"github.com/attestbot/attestbot/l10n"
)

// chatMessages are the English texts of the conversation's answers that
// the l10n catalogs do not hold yet, in one place. msg reads a message
// from the catalog when it has the ID, so adding these IDs to
// l10n/locales translates them.
var chatMessages = map[string]string{
	"chat.not_stated":         "not stated in the record",
	"chat.not_following":      "You were not following {{.Name}}",
	"chat.not_following_text": "Nothing changed. Type my subscriptions to see what you follow.",
	"chat.perm_none_listed":   "{{.What}}: the record lists no Microsoft Graph permission",
	"chat.perm_none_matching": "{{.What}}: none; it requests {{.Permissions}}",
	"chat.perm_matching":      "{{.What}}: {{.Permissions}}",
	"chat.perm_what":          "Graph permissions",
	"chat.perm_what_typed":    "{{.Type}} permissions",
	"chat.perm_more":          "{{.List}} and {{.Count}} more",
	"chat.place_stored_in":    "Data stored in {{.Places}}",
	"chat.place_only_in":      "Data stored only in {{.Places}}",
	"chat.place_hq_in":        "Headquarters in {{.Places}}",
	"chat.place_or":           " or ",
	"chat.place_no_data":      "{{.What}}: the publisher says the app stores no Microsoft customer data",
	"chat.place_unstated":     "{{.What}}: the record does not say",
	"chat.place_answer":       "{{.What}}: {{.Verdict}}{{.Read}} (the publisher wrote \"{{.Text}}\", {{.Locale}})",
	"chat.certification":      "Certification: {{.Verdict}} (this record is {{.Certification}})",
	"chat.storage_title":      "{{.Name}}: where customer data is stored",
	"chat.storage_wrote":      "The publisher wrote \"{{.Text}}\" ({{.Locale}}).",
	"chat.storage_none":       "The publisher says the app does not store Microsoft customer data.",
	"chat.storage_unstated":   "The record does not say where customer data is stored.",
	"chat.storage_hq":         "Company headquarters: {{.Text}}.",
}

// msg returns a message of chatMessages, translated when the catalog has
// it.
func (s *Service) msg(id string, args l10n.Args) string {
	if s.loc != nil && s.loc.Has(id) {
		return s.loc.F(id, args)
	}
	out := chatMessages[id]
	for k, v := range args {
		if str, ok := v.(string); ok {
			out = strings.ReplaceAll(out, "{{."+k+"}}", str)
		}
	}
	return out
}
