package attestation

import (
	_ "embed"
	"regexp"
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
	// scopeResources maps lower-case resource names (the part before the
	// first dot) to their spelling, for scopes missing from the list.
	scopeResources = func() map[string]string {
		m := map[string]string{}
		for _, s := range graphScopes {
			if i := strings.IndexByte(s, '.'); i > 0 {
				m[strings.ToLower(s[:i])] = s[:i]
			}
		}
		return m
	}()
	reScopeShape = regexp.MustCompile(`^[A-Za-z][A-Za-z-]*(\.[A-Za-z][A-Za-z]*)+$`)
)

// translatedScopes maps folded machine translations of scope names to the
// real names (corpus.md §2.5).
var translatedScopes = map[string]string{
	"profil": "profile", "perfil": "profile", "profilo": "profile", "프로필": "profile", "个人资料": "profile",
	"設定檔": "profile", "профиль": "profile", "プロファイル": "profile", "配置文件": "profile", "個人檔案": "profile",
	"correo electronico": "email", "メール": "email", "전자 메일": "email", "e mail": "email", "电子邮件": "email",
	"電子郵件": "email", "электронная почта": "email", "posta elettronica": "email", "courrier electronique": "email",
	"adresse e mail": "email", "eメール": "email", "이메일": "email", "e mail adresse": "email",
	"hors ligneaccess": "offline_access", "acces hors connexion": "offline_access", "offline access": "offline_access",
	"acceso sin conexion": "offline_access", "オフライン アクセス": "offline_access", "离线访问": "offline_access",
	"離線存取": "offline_access", "오프라인 액세스": "offline_access", "автономный доступ": "offline_access",
	"傳送郵件": "Mail.Send", "发送邮件": "Mail.Send", "readwrite 的行事曆": "Calendars.ReadWrite",
	"readbasic": "Chat.ReadBasic.All", "個人讀取": "User.Read", "用户 读取": "User.Read", "使用者 讀取": "User.Read",
	"teams créer": "Team.Create", "teams creer": "Team.Create",
}

// NormalizeScope restores a Microsoft Graph scope name that machine
// translation or the page changed: case (profil → profile), spaces for
// dots ("OnlineMeetings ReadWrite"), translated names (個人資料 → profile).
// ok is false when the result is not a known scope; the cleaned text is
// returned then.
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
	compact := strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '.' || r == '\u3002' || r == '\u00a0' }), ".")
	if v, ok := graphScopes[strings.ToLower(compact)]; ok {
		return v, true
	}
	if reScopeShape.MatchString(compact) {
		// A well-formed scope the list does not know: fix the resource's
		// case when the resource is known.
		i := strings.IndexByte(compact, '.')
		if res, ok := scopeResources[strings.ToLower(compact[:i])]; ok {
			return res + compact[i:], true
		}
		return compact, true
	}
	if s == "openid" || strings.EqualFold(s, "openid") {
		return "openid", true
	}
	return s, false
}
