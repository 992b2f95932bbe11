// Package l10n holds attestbot's message catalogs and the Localizer every
// card and reply is written with.
//
// # Catalogs
//
// One TOML file a language under locales/ (en-US.toml is the source; the
// others are de-DE, es-ES, fr-FR, it-IT, ja-JP, ko-KR, pt-BR, ru-RU, zh-CN
// and zh-TW), in the format of github.com/nicksnyder/go-i18n/v2: a message
// is a key with a string, or a table of CLDR plural forms (zero, one, two,
// few, many, other) for messages that count something. Tables group the
// messages of one card ("[summary]" gives summary.title...). Placeholders
// are written {{.Name}}; nothing else of text/template is allowed, so a
// translator cannot break a card. The files are embedded in the binary.
// TestCatalogsComplete fails when a language lacks a key, has a key
// English does not, or changes a message's placeholders.
//
// # Matching
//
// For maps a Teams client locale (fr-CA, de-CH, zh-HK, pt-PT, en-GB...) to
// the best catalog with golang.org/x/text/language matching; anything it
// cannot place gets English. PickLocale chooses, among the locales an
// app's page exists in, the one to quote: the admin's own language when the
// page exists in it, otherwise one fixed fallback order (English first),
// so every card of an answer quotes the same locale.
//
// # Formatting
//
// A Localizer formats dates ("18 Aug 2021", "18 août 2021",
// "2021年8月18日") and ages ("3 months ago", "il y a 3 mois",
// "vor 3 Monaten") from its catalog, with the plural rules of its
// language. Localizers are built once per language and shared; they are
// safe for concurrent use.
package l10n
