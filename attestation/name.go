package attestation

import (
	"strings"
	"unicode/utf8"

	"github.com/attestbot/attestbot/internal/logtext"
)

// nameBoilerplate holds the words machine translation wraps around an app
// name in page headings and titles, per language: "Información de la
// aplicación para …", "Visão geral do …", "… のアプリケーション情報". They
// are matched case-insensitively with straight apostrophes.
var nameBoilerplate = struct{ prefixes, suffixes []string }{
	prefixes: []string{
		// en
		"app information for ", "application information for ", "overview of ", "app info for ",
		// fr
		"informations sur l'application pour ", "informations sur l'application ", "informations d'application pour ",
		"informations d'application ", "informations de l'application pour ", "informations de l'application ", "vue d'ensemble de ",
		// de
		"app-informationen für ", "app-informationen zu ", "anwendungsinformationen für ", "anwendungsinformationen zu ",
		"informationen zur app ", "übersicht über ",
		// es
		"información de la aplicación para ", "información de la aplicación de ", "información de la aplicación ",
		"información de aplicación para ", "información de aplicaciones para ", "introducción a ", "información general de ",
		// it
		"informazioni sull'app per ", "informazioni sull'app ", "informazioni sull'applicazione per ", "informazioni sull'applicazione ",
		"informazioni sulle app per ", "panoramica di ",
		// pt
		"informações do aplicativo para ", "informações do aplicativo ", "informações de aplicativo para ", "informações sobre o aplicativo ",
		"visão geral do ", "visão geral da ", "visão geral de ",
		// ru
		"сведения о приложении для ", "сведения о приложении ", "информация о приложении для ", "информация о приложении ", "обзор ",
	},
	suffixes: []string{
		" application information", " app information", " overview",
		"のアプリケーション情報", " のアプリケーション情報", "アプリケーション情報", "の概要",
		"에 대한 애플리케이션 정보", "에 대한 앱 정보", " 애플리케이션 정보", "애플리케이션 정보", " 개요",
		"的应用程序信息", " 的应用程序信息", "应用程序信息", "概述",
		"的應用程式資訊", " 的應用程式資訊", "應用程式資訊", "概觀",
		" - übersicht", "-übersicht", " – übersicht",
	},
}

// byWords introduce the publisher after the app name in headings and
// titles ("… par officeatwork").
var byWords = []string{" by ", " par ", " von ", " por ", " di ", " от ", " fornecido por ", " fournies par ", " bereitgestellt von "}

// stripNameBoilerplate removes the translated "app information for …"
// words around an app name, and a trailing "by <publisher>" when the
// publisher is known. It returns s unchanged when nothing matched.
func stripNameBoilerplate(s, publisher string) string {
	name := strings.TrimSpace(s)
	low := strings.ToLower(strings.NewReplacer("’", "'", "‘", "'").Replace(name))
	for _, p := range nameBoilerplate.prefixes {
		if strings.HasPrefix(low, p) && len(low) > len(p) {
			name, low = cutBytes(name, low, len(p), len(low)), low[len(p):]
			break
		}
	}
	for _, suf := range nameBoilerplate.suffixes {
		if strings.HasSuffix(low, suf) && len(low) > len(suf) {
			name, low = cutBytes(name, low, 0, len(low)-len(suf)), low[:len(low)-len(suf)]
			break
		}
	}
	if pf := Fold(publisher); pf != "" {
		for _, by := range byWords {
			if i := strings.LastIndex(low, by); i > 0 && Fold(low[i+len(by):]) == pf {
				name = cutBytes(name, low, 0, i)
				break
			}
		}
	}
	return strings.TrimSpace(name)
}

// cutBytes returns the part of orig that matches low[from:to], where low is
// orig lower-cased with curly apostrophes made straight: the two differ in
// byte length, so the cut is made rune by rune.
func cutBytes(orig, low string, from, to int) string {
	start, end := -1, len(orig)
	li, oi := 0, 0
	for oi <= len(orig) {
		if li == from && start < 0 {
			start = oi
		}
		if li == to {
			end = oi
			break
		}
		if oi == len(orig) || li >= len(low) {
			break
		}
		_, on := utf8.DecodeRuneInString(orig[oi:])
		_, ln := utf8.DecodeRuneInString(low[li:])
		oi += on
		li += ln
	}
	if start < 0 {
		return orig
	}
	return orig[start:end]
}

// displayName picks the name to show: the page's own app-name row when it
// was read with confidence, else the heading (then the title) with the
// boilerplate removed. fromRow tells which was used.
func (p *pageParser) displayName() (name string, fromRow bool) {
	r := p.rec
	if a, ok := r.Answer("gen.app_name"); ok && a.Value == ValueText {
		if t := strings.TrimSpace(strings.SplitN(a.Text, "\n", 2)[0]); t != "" {
			return logtext.Runes(t, 201), true
		}
	}
	if h := stripNameBoilerplate(cleanText(p.h1Text), r.Publisher); h != "" {
		return h, false
	}
	return stripNameBoilerplate(r.Meta.Title, r.Publisher), false
}
