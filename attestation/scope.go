package attestation

import (
	_ "embed"
	"strings"
)

//go:embed graph_permissions.txt
var graphPermissionsTxt string

var (
	// graphScopes maps lower-case scope names to their real spelling.
	graphScopes = func() map[string]string {
		m := map[string]string{}
		for _, l := range strings.Split(graphPermissionsTxt, "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			m[strings.ToLower(l)] = l
		}
		return m
	}()
)

// translatedScopes maps folded machine translations of whole scope names
// to the real names (corpus.md §2.5 and the zh-TW pages of issue 13).
// Every value must be in graph_permissions.txt (TestScopeTables checks).
var translatedScopes = map[string]string{
	"profil": "profile", "perfil": "profile", "profilo": "profile", "프로필": "profile", "个人资料": "profile",
	"設定檔": "profile", "профиль": "profile", "プロファイル": "profile", "配置文件": "profile", "個人檔案": "profile",
	"correo electronico": "email", "メール": "email", "전자 메일": "email", "e mail": "email", "电子邮件": "email",
	"電子郵件": "email", "электронная почта": "email", "posta elettronica": "email", "courrier electronique": "email",
	"adresse e mail": "email", "eメール": "email", "이메일": "email", "e mail adresse": "email",
	"hors ligneaccess": "offline_access", "acces hors connexion": "offline_access", "offline access": "offline_access",
	"offlineaccess": "offline_access", "acceso sin conexion": "offline_access", "オフライン アクセス": "offline_access",
	"离线访问": "offline_access", "離線存取": "offline_access", "오프라인 액세스": "offline_access", "автономный доступ": "offline_access",
	"傳送郵件": "Mail.Send", "发送邮件": "Mail.Send", "readwrite 的行事曆": "Calendars.ReadWrite",
	"readwrite 共用的行事曆": "Calendars.ReadWrite.Shared", "read 共用的行事曆": "Calendars.Read.Shared",
	"readbasic": "Chat.ReadBasic.All",
	// 個人 is "person": People.Read, not User.Read (which is 使用者).
	"個人讀取": "People.Read", "个人读取": "People.Read", "使用者 讀取": "User.Read", "用户 读取": "User.Read",
	"連絡人 readwrite": "Contacts.ReadWrite", "連絡人 read": "Contacts.Read", "联系人 readwrite": "Contacts.ReadWrite",
	"已讀取組織 全部": "Organization.Read.All", "讀取組織 全部": "Organization.Read.All", "读取组织 全部": "Organization.Read.All",
}

// scopeVerbs maps folded translations of the operation part of a scope name
// (Teams. Erstellen, Teams.Crear) to the English operation.
var scopeVerbs = map[string]string{
	"erstellen": "Create", "crear": "Create", "criar": "Create", "creer": "Create", "creare": "Create", "создать": "Create",
	"作成": "Create", "만들기": "Create", "创建": "Create", "建立": "Create",
	"lesen": "Read", "leer": "Read", "ler": "Read", "lire": "Read", "leggere": "Read", "чтение": "Read", "讀取": "Read", "读取": "Read",
	"senden": "Send", "enviar": "Send", "envoyer": "Send", "inviare": "Send", "отправить": "Send", "傳送": "Send", "发送": "Send",
}

// NormalizeScope restores a Microsoft Graph scope name that machine
// translation or the page changed: case (profil → profile), spaces for
// dots ("OnlineMeetings ReadWrite"), translated names (個人讀取 →
// People.Read), translated operations (Teams. Erstellen → Team.Create) and
// a dropped ".All" (GroupMember ReadWrite。 → GroupMember.ReadWrite.All).
// A restored name is always a real permission of graph_permissions.txt; ok
// is false otherwise, and the cleaned text is returned as written.
func NormalizeScope(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	s = strings.Trim(s, "`*\"' 。.,;")
	if s == "" {
		return "", false
	}
	if v, ok := graphScopes[strings.ToLower(s)]; ok {
		return v, true
	}
	if v, ok := translatedScopes[labelFold(s)]; ok {
		return v, true
	}
	// "OnlineMeetings ReadWrite", "Teams. Créer", "User. Read. All"
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '.' || r == '\u3002' || r == '\u00a0' || r == '\uff0e'
	})
	if v, ok := realScope(parts); ok {
		return v, true
	}
	// A translated operation: Teams. Erstellen → Team(s).Create.
	if len(parts) >= 2 {
		if verb, ok := scopeVerbs[labelFold(parts[1])]; ok {
			tr := append([]string{parts[0], verb}, parts[2:]...)
			if v, ok := realScope(tr); ok {
				return v, true
			}
		}
	}
	return s, false
}

// realScope joins parts with dots and returns the real permission it names:
// as written, with the resource's plural or singular form (Teams.Create →
// Team.Create), or with ".All" appended when that is the only real
// completion.
func realScope(parts []string) (string, bool) {
	if len(parts) == 0 {
		return "", false
	}
	name := strings.Join(parts, ".")
	if v, ok := graphScopes[strings.ToLower(name)]; ok {
		return v, true
	}
	res := parts[0]
	var alt string
	switch {
	case strings.HasSuffix(res, "s"):
		alt = strings.TrimSuffix(res, "s")
	default:
		alt = res + "s"
	}
	if len(parts) > 1 {
		altName := alt + "." + strings.Join(parts[1:], ".")
		if v, ok := graphScopes[strings.ToLower(altName)]; ok {
			return v, true
		}
		if v, ok := graphScopes[strings.ToLower(name+".all")]; ok && !strings.HasSuffix(strings.ToLower(name), ".all") {
			return v, true
		}
	}
	return "", false
}
