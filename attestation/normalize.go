package attestation

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// labelFold folds text for label and value matching: lower case, Latin
// accents removed, full-width forms narrowed, punctuation turned into
// single spaces, trimmed. CJK and Cyrillic letters are kept as they are.
func labelFold(s string) string {
	// Labels are short: fold into a stack buffer and allocate the string
	// only.
	var buf [256]byte
	return string(appendLabelFold(buf[:0], s))
}

// appendLabelFold appends the labelFold form of s to b.
func appendLabelFold(b []byte, s string) []byte {
	space := true
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0 // full-width ASCII
		}
		if r < 0x80 {
			c := byte(r)
			switch {
			case c >= 'A' && c <= 'Z':
				b = append(b, c+32)
				space = false
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				b = append(b, c)
				space = false
			default:
				if !space {
					b = append(b, ' ')
					space = true
				}
			}
			continue
		}
		if r >= 0xC0 && r < 0x250 {
			if base, ok := latinBase[r]; ok {
				b = append(b, base...)
				space = false
				continue
			}
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b = utf8.AppendRune(b, unicode.ToLower(r))
			space = false
		case r >= 0x0300 && r <= 0x036f || unicode.Is(unicode.Mn, r) && r < 0x3000:
			// a combining accent: dropped
		default:
			if !space {
				b = append(b, ' ')
				space = true
			}
		}
	}
	if n := len(b); n > 0 && b[n-1] == ' ' {
		b = b[:n-1]
	}
	return b
}

// latinBase maps accented Latin letters to their lower-case base letters
// (é → e, ß → ss, Œ → oe).
var latinBase = func() map[rune]string {
	m := map[rune]string{}
	for r := rune(0xC0); r < 0x250; r++ {
		d := norm.NFD.String(string(r))
		base := []rune(d)[0]
		if base < 0x80 && unicode.IsLetter(base) {
			m[r] = strings.ToLower(string(base))
		}
	}
	m['ß'] = "ss"
	m['Æ'], m['æ'] = "ae", "ae"
	m['Œ'], m['œ'] = "oe", "oe"
	m['Ø'], m['ø'] = "o", "o"
	m['Đ'], m['đ'] = "d", "d"
	m['Ł'], m['ł'] = "l", "l"
	return m
}()

// yesNoValues maps folded yes/no-type answers of every locale to their
// class (corpus.md §3). Keys are labelFold outputs.
var yesNoValues = map[string]Value{
	// yes
	"yes": ValueYes, "oui": ValueYes, "ja": ValueYes, "si": ValueYes, "はい": ValueYes, "必要": ValueYes,
	"예": ValueYes, "sim": ValueYes, "да": ValueYes, "是": ValueYes, "可访问": ValueYes, "是的": ValueYes,
	"true": ValueYes, "verdadeiro": ValueYes, "真": ValueYes, "vero": ValueYes, "wahr": ValueYes, "vrai": ValueYes,
	"verdadero": ValueYes, "истина": ValueYes, "네": ValueYes,
	// no
	"no": ValueNo, "non": ValueNo, "nein": ValueNo, "nr": ValueNo, "いいえ": ValueNo, "不要": ValueNo,
	"x": ValueNo, "なし": ValueNo, "아니요": ValueNo, "아니오": ValueNo, "nao": ValueNo, "нет": ValueNo,
	"не": ValueNo, "否": ValueNo, "不支持": ValueNo, "false": ValueNo, "falso": ValueNo, "假": ValueNo,
	"faux": ValueNo, "ложь": ValueNo, "不": ValueNo,
	// not applicable
	"n a": ValueNotApplicable, "s o": ValueNotApplicable, "na": ValueNotApplicable,
	"not applicable": ValueNotApplicable, "nicht zutreffend": ValueNotApplicable, "n v": ValueNotApplicable,
	"n d": ValueNotApplicable, "no aplicable": ValueNotApplicable, "non applicable": ValueNotApplicable,
	"non applicabile": ValueNotApplicable, "nao aplicavel": ValueNotApplicable, "該当なし": ValueNotApplicable,
	"해당 없음": ValueNotApplicable, "해당없음": ValueNotApplicable, "недоступно": ValueNotApplicable,
	"н д": ValueNotApplicable, "неприменимо": ValueNotApplicable, "не применимо": ValueNotApplicable,
	"不适用": ValueNotApplicable, "无": ValueNotApplicable, "不適用": ValueNotApplicable, "無": ValueNotApplicable,
	"sans objet": ValueNotApplicable,
}

// certValues maps folded certification control results (corpus.md §2.2).
var certValues = map[string]Value{
	"in scope": ValueInScope, "dans l etendue": ValueInScope, "im bereich": ValueInScope, "スコープ内": ValueInScope,
	"在作用域中": ValueInScope, "en el ambito": ValueInScope, "en el ámbito": ValueInScope, "nell ambito": ValueInScope,
	"no escopo": ValueInScope, "в области": ValueInScope, "в области действия": ValueInScope, "범위 내": ValueInScope,
	"在範圍內": ValueInScope, "在范围内": ValueInScope, "dans l étendue": ValueInScope, "incluido": ValueInScope,
	"pass": ValuePass, "passer": ValuePass, "bestehen": ValuePass, "bestanden": ValuePass, "渡す": ValuePass,
	"合格": ValuePass, "通过": ValuePass, "通過": ValuePass, "superato": ValuePass, "passato": ValuePass,
	"aprobado": ValuePass, "pasar": ValuePass, "aprovado": ValuePass, "passar": ValuePass, "пройден": ValuePass,
	"пройти": ValuePass, "передать": ValuePass, "통과": ValuePass, "réussi": ValuePass, "reussi": ValuePass,
	"fail": ValueFail, "echec": ValueFail, "échec": ValueFail, "fehler": ValueFail, "失敗": ValueFail, "失败": ValueFail,
	"error": ValueFail, "errore": ValueFail, "falha": ValueFail, "сбой": ValueFail, "실패": ValueFail,
	"non superato": ValueFail, "nicht bestanden": ValueFail,
	"–": ValueNotApplicable, "-": ValueNotApplicable,
	// Seen on the full public corpus (issue 13): zh-TW, es-ES, it-IT, ko-KR.
	"在範圍中": ValueInScope, "在範圍内": ValueInScope, "en ambito": ValueInScope, "dentro del ambito": ValueInScope,
	"in ambito": ValueInScope, "범위": ValueInScope, "범위 안": ValueInScope,
	"no ambito": ValueInScope, "dentro do escopo": ValueInScope, "в пределах области": ValueInScope, "в области применения": ValueInScope,
	"passare": ValuePass, "passa": ValuePass, "superare": ValuePass, "전달": ValuePass, "통과됨": ValuePass, "pasa": ValuePass,
	"aprobar": ValuePass, "pase": ValuePass, "aprovar": ValuePass, "passe": ValuePass, "合格する": ValuePass,
	"해당 n a": ValueNotApplicable, "해당 없음 n a": ValueNotApplicable, "해당": ValueNotApplicable,
	"non pertinente": ValueNotApplicable, "nao se aplica": ValueNotApplicable, "не применяется": ValueNotApplicable,
}

// normalizeYesNoFolded classifies a yes/no-type answer, with
// labelFold(text) already computed (or "" to compute it). ok is false when
// the text is not empty and not recognized.
func normalizeYesNoFolded(text, f string) (Value, bool) {
	t := strings.TrimSpace(text)
	if t == "" {
		return ValueUnanswered, true
	}
	switch t {
	case "–", "—", "-":
		return ValueNotApplicable, true
	}
	if f == "" {
		f = labelFold(t)
	}
	if f == "" {
		return ValueUnanswered, true
	}
	if v, ok := yesNoValues[f]; ok {
		return v, true
	}
	// A broken table glues the next question's first word to the answer
	// ("Oui Votre", "Sí Cuando", "是，"): take the first word when it is a
	// known answer.
	if i := strings.IndexByte(f, ' '); i > 0 {
		if v, ok := yesNoValues[f[:i]]; ok && v != ValueNotApplicable {
			if _, whole := yesNoValues[f[:i]+" "+strings.SplitN(f[i+1:], " ", 2)[0]]; !whole {
				return v, true
			}
		}
	}
	return ValueUnknown, false
}

// normalizeCert classifies a certification control result.
func normalizeCert(text string) (Value, bool) {
	t := strings.TrimSpace(text)
	if t == "" {
		return ValueUnanswered, true
	}
	f := labelFold(t)
	if v, ok := certValues[f]; ok {
		return v, true
	}
	if v, ok := certValues[t]; ok {
		return v, true
	}
	if v, ok := yesNoValues[f]; ok && v == ValueNotApplicable {
		return v, true
	}
	return ValueUnknown, false
}

// permissionTypes maps folded permission type cells (corpus.md §2.5).
var permissionTypes = map[string]PermissionType{
	"delegated": Delegated, "delegue": Delegated, "deleguee": Delegated, "delegiert": Delegated,
	"abgeordnet": Delegated, "delegado": Delegated, "delegada": Delegated, "delegato": Delegated,
	"委任": Delegated, "위임": Delegated, "делегированные": Delegated, "делегирована": Delegated,
	"делегированное": Delegated, "委托": Delegated, "委託": Delegated, "delegate": Delegated,
	"application": Application, "anwendung": Application, "aplicacion": Application, "applicazione": Application,
	"アプリケーション": Application, "응용 프로그램": Application, "애플리케이션": Application, "aplicacao": Application,
	"aplicativo": Application, "приложение": Application, "应用程序": Application, "應用程式": Application,
	"app": Application, "应用": Application, "應用程序": Application,
	"both": Both, "beide": Both, "beides": Both, "ambos": Both, "ambas": Both, "les deux": Both,
	"entrambi": Both, "両方とも": Both, "両方": Both, "모두": Both, "둘 다": Both, "как": Both,
	"оба варианта": Both, "оба": Both, "两者": Both, "兩者": Both, "兩者皆是": Both, "包括": Both,
	"delegated application": Both, "application delegated": Both,
}

// normalizePermissionType classifies a permission type cell.
func normalizePermissionType(text string) (PermissionType, bool) {
	f := labelFold(text)
	if f == "" {
		return PermissionUnknown, true
	}
	if t, ok := permissionTypes[f]; ok {
		return t, true
	}
	// "Délégué/Application", "Delegated, Application"
	hasD, hasA := false, false
	for _, w := range strings.Fields(f) {
		switch permissionTypes[w] {
		case Delegated:
			hasD = true
		case Application:
			hasA = true
		case Both:
			return Both, true
		}
	}
	switch {
	case hasD && hasA:
		return Both, true
	case hasD:
		return Delegated, true
	case hasA:
		return Application, true
	}
	return PermissionUnknown, false
}
