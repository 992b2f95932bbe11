package chat

import (
	"slices"
	"strings"
	"sync"

	"github.com/attestbot/attestbot/attestation"
	"github.com/attestbot/attestbot/cards"
)

// The grammars of the ten languages of Microsoft's localized App
// Compliance pages, beside english (grammar.go). They share the matcher and
// the pattern syntax; the filter words (claims, permissions, places) are
// the attestation package's lexicons, so a claim question falls through
// to the same filter reading in every language. Chinese, Japanese and
// Korean messages are spaced out by l10n.Segment first (cleanMessage),
// so their patterns list particles and verb endings as words.

func init() {
	for _, lang := range []string{"fr", "de", "es", "it", "pt", "ru", "ja", "ko", "zh"} {
		grammars[lang] = l10nGrammars[lang]
		grammarOrder = append(grammarOrder, lang)
	}
}

var l10nGrammars = map[string]*grammar{
	"fr": &french, "de": &german, "es": &spanish, "it": &italian, "pt": &portuguese,
	"ru": &russian, "ja": &japanese, "ko": &korean, "zh": &chinese,
}

var (
	mergedOnce sync.Once
	merged     *compiled
)

// mergedGrammar is the first grammar (English) with the list separators
// and filler words of every grammar, for the steps that read a message
// before knowing its language: splitting a compare list ("plumm et
// reach", "Plumm と Reach") and dropping fillers ("bonjour, …").
func mergedGrammar() *compiled {
	mergedOnce.Do(func() {
		all := grammarsCompiled()
		m := *all[0]
		m.seps, m.lead, m.tail = map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, g := range all {
			for _, set := range [][2]map[string]bool{{m.seps, g.seps}, {m.lead, g.lead}, {m.tail, g.tail}} {
				for w := range set[1] {
					set[0][w] = true
				}
			}
		}
		merged = &m
	})
	return merged
}

// sectionWords builds a section table from one list of words a section.
func sectionWords(general, data, security, compliance, privacy, zerotrust, identity, certification string) map[string]attestation.Section {
	out := map[string]attestation.Section{}
	for s, words := range map[attestation.Section]string{
		attestation.SectionGeneral: general, attestation.SectionData: data, attestation.SectionSecurity: security,
		attestation.SectionCompliance: compliance, attestation.SectionPrivacy: privacy, attestation.SectionZeroTrust: zerotrust,
		attestation.SectionIdentity: identity, attestation.SectionCertification: certification,
	} {
		for _, w := range strings.Split(words, ",") {
			if w = strings.TrimSpace(w); w != "" {
				out[w] = s
			}
		}
	}
	return out
}

func smallTalk(thanks, hello, bye, ack string) map[string]string {
	out := map[string]string{}
	for kind, words := range map[string]string{cards.SmallTalkThanks: thanks, cards.SmallTalkHello: hello, cards.SmallTalkBye: bye, cards.SmallTalkAck: ack} {
		for _, w := range strings.Fields(words) {
			out[w] = kind
		}
	}
	return out
}

var french = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{
			"aide", "aidez-moi", "à|a l'aide", "que sais-tu|savez-vous faire", "que peux-tu|pouvez-vous faire",
			"qu'est-ce que je peux demander", "comment ça|ca marche", "exemples", "commandes",
		}},
		{intent: IntentSubscriptions, patterns: []string{
			"mes abonnements", "mes alertes", "liste|afficher mes abonnements", "quelles applications|apps je suis|suis-je",
			"à|a quoi suis-je abonné|abonnée",
		}},
		{intent: IntentUnsubscribe, patterns: []string{
			"se? désabonner|desabonner de|d'? {app}", "désabonne|desabonne-moi de|d'? {app}", "ne plus suivre {app}",
			"arrêter|arreter les? alertes|notifications pour|sur|de {app}", "plus d'alertes pour|sur {app}",
		}},
		{intent: IntentSubscribe, patterns: []string{
			"s'abonner|abonner à|a? {app}", "abonne-moi à|a {app}", "m'abonner à|a {app}", "suivre {app}",
			"préviens-moi|previens-moi|prévenez-moi|prevenez-moi|alerte-moi|alertez-moi quand|si {app} change",
			"alertes|alerte|notifications pour|sur {app}",
		}},
		{intent: IntentChanges, patterns: []string{
			"qu'est-ce qui a changé|change pour|dans|sur? {app}", "quoi de neuf pour|sur|dans {app}",
			"modifications|changements|historique de|du|des|pour {app}", "qu'a changé {app}", "{app} a-t-il|a-t-elle changé|change",
		}},
		{intent: IntentCompare, patterns: []string{
			"comparer|compare|comparez {app}", "comparer|compare|comparez {app} avec|et|à|a {app2}",
			"différences|differences|différence|difference entre {app}", "{app} ou {app2} lequel|laquelle est le|la? plus sûr|sur|sûre|sure",
		}},
		{intent: IntentPermissions, patterns: []string{
			"quelles autorisations demande|utilise|nécessite|necessite {app}",
			"quelles autorisations {app} demande|utilise|nécessite|necessite-t-elle|t-il?",
			"de quelles autorisations {app} a-t-elle|a-t-il besoin", "de quelles autorisations a besoin {app}",
			"autorisations de|d'|pour {app}", "{app} autorisations",
			"afficher|montrer|liste|montre-moi|affiche-moi|montrez-moi les? autorisations de|d'|pour {app}", "à|a quoi {app} accède|peut-il accéder",
		}},
		{intent: IntentStorage, patterns: []string{
			"où|ou {app} stocke|stocke-t-il|stocke-t-elle|héberge|héberge-t-il|héberge-t-elle|garde ses|les|leurs? données|donnees",
			"où|ou sont stockées|stockees|hébergées|hebergees les données|donnees de|d' {app}",
			"où|ou {app} stocke-t-il|stocke-t-elle les? données|donnees", "emplacement des données|donnees de|d' {app}",
		}},
		{intent: IntentSection, patterns: []string{
			"afficher|montrer|voir|montre|affiche? {app} {section}", "afficher|montrer|voir|montre|affiche? la? section? {section} de|d'|pour {app}",
			"{section} de|d' {app}",
		}},
		{intent: IntentLookup, patterns: []string{
			"parle-moi|parlez-moi de|d' {app}", "infos|informations|détails|details|résumé|resume sur|de|pour|d' {app}",
			"afficher|montrer|voir|ouvrir|chercher|trouver|montre|affiche|ouvre|cherche|trouve l'app|l'application? {app}",
			"{app} est-il|est-elle sûr|sur|sûre|sure|fiable", "est-ce que {app} est sûr|sur|sûre|sure|fiable",
			"peut-on autoriser|utiliser|installer {app}", "que sais-tu|savez-vous de|sur|d' {app}",
		}},
	},
	sections: sectionWords(
		"général,general,générales,generales,informations générales,informations",
		"données,donnees,gestion des données,gestion des donnees,traitement des données",
		"sécurité,securite", "conformité,conformite", "confidentialité,confidentialite,vie privée,vie privee",
		"confiance zéro,confiance zero,zero trust", "identité,identite", "certification"),
	claimStarts:    strings.Fields("est-ce est-il est-elle est a-t-il a-t-elle respecte respecte-t-il respecte-t-elle"),
	listStarts:     strings.Fields("quelles quels quelle quel qui lister liste trouver chercher applications apps"),
	questionWords:  strings.Fields("comment quoi où ou quand pourquoi qui quel quelle quels quelles"),
	mentionTrim:    strings.Fields("le la les l' l'app l'application application app de du des d' un une s'il vous plaît"),
	possessives:    nil,
	listSeparators: []string{",", "et", "&", "avec", "ou"},
	everything:     append(strings.Fields("tout toutes tous"), "toutes les applications", "toutes les apps", "toutes applications"),
	tenant:         []string{"locataire", "mon locataire", "notre locataire", "les applications du locataire", "mes applications"},
	leadFillers:    strings.Fields("salut bonjour ok alors dis svp stp"),
	tailFillers:    strings.Fields("svp stp merci"),
	smallTalkWords: smallTalk("merci beaucoup", "bonjour salut bonsoir coucou", "revoir au bientôt bientot ciao",
		"ok d'accord parfait super génial genial top bien très tres cool"),
}

var german = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{
			"hilfe", "hilf mir", "was kannst du", "was kann ich fragen", "wie funktioniert das", "beispiele", "befehle",
		}},
		{intent: IntentSubscriptions, patterns: []string{
			"meine abonnements|abos|benachrichtigungen", "zeige|liste meine abonnements|abos", "was abonniere|verfolge ich",
		}},
		{intent: IntentUnsubscribe, patterns: []string{
			"abbestellen {app}", "{app} abbestellen", "abonnement für|von {app} beenden|kündigen", "nicht mehr benachrichtigen über|zu {app}",
			"keine benachrichtigungen mehr für|zu {app}", "{app} nicht mehr folgen|verfolgen",
		}},
		{intent: IntentSubscribe, patterns: []string{
			"abonniere|abonnieren {app}", "{app} abonnieren", "folge|folgen {app}", "{app} folgen|verfolgen",
			"benachrichtige mich|benachrichtigen sie mich wenn|bei änderungen an|von? {app} sich? ändert?",
			"benachrichtigungen für|zu {app}",
		}},
		{intent: IntentChanges, patterns: []string{
			"was hat sich bei|an|für {app} geändert", "was ist neu bei|an|für {app}", "änderungen|verlauf|historie an|bei|von|für {app}",
			"{app} änderungen|verlauf", "hat sich {app} geändert",
		}},
		{intent: IntentCompare, patterns: []string{
			"vergleiche|vergleichen {app}", "vergleiche|vergleichen {app} mit|und {app2}", "{app} und {app2} vergleichen",
			"unterschied|unterschiede zwischen {app}", "{app} oder {app2} was|welche ist sicherer",
		}},
		{intent: IntentPermissions, patterns: []string{
			"welche berechtigungen braucht|benötigt|benotigt|verwendet|hat|nutzt {app}",
			"welche berechtigungen fordert {app} an?", "welche graph-berechtigungen braucht|benötigt|benotigt|fordert {app} an?",
			"berechtigungen von|für|fur {app}", "{app} berechtigungen", "zeige|zeig|liste mir? die? berechtigungen von|für|fur {app}",
			"worauf greift {app} zu", "auf was kann {app} zugreifen",
		}},
		{intent: IntentStorage, patterns: []string{
			"wo speichert {app} die|seine|ihre? daten", "wo werden die? daten von {app} gespeichert|gehostet",
			"wo ist {app} gehostet", "speicherort|datenstandort von {app}",
		}},
		{intent: IntentSection, patterns: []string{
			"zeige|zeig|öffne|oeffne? {app} {section}", "zeige|zeig|öffne? den? abschnitt? {section} von|für|fur {app}",
			"{section} von {app}",
		}},
		{intent: IntentLookup, patterns: []string{
			"erzähl|erzähle|erzahl mir? von|über|uber {app}", "infos|informationen|details|übersicht|ubersicht zu|über|uber|von|für|fur {app}",
			"zeige|zeig|öffne|finde|suche die? app? {app}", "ist {app} sicher|vertrauenswürdig|vertrauenswurdig",
			"können|konnen|dürfen|durfen wir {app} zulassen|erlauben|verwenden|installieren", "was weißt|weisst du über|uber {app}",
		}},
	},
	sections: sectionWords(
		"allgemein,allgemeines,allgemeine informationen,informationen",
		"daten,datenverarbeitung,datenhandhabung", "sicherheit", "compliance,konformität,konformitat",
		"datenschutz,privatsphäre", "zero trust,zero-trust", "identität,identitat", "zertifizierung"),
	claimStarts:    strings.Fields("ist sind hat haben erfüllt erfullt unterstützt unterstutzt verwendet nutzt gibt"),
	listStarts:     strings.Fields("welche welcher welches wer liste finde suche zeige alle apps"),
	questionWords:  strings.Fields("wie was wo wann warum wer welche welcher welches"),
	mentionTrim:    strings.Fields("die der das den dem app anwendung bitte"),
	listSeparators: []string{",", "und", "&", "mit", "oder"},
	everything:     append(strings.Fields("alle alles"), "alle apps", "alle anwendungen"),
	tenant:         []string{"mandant", "mein mandant", "unser mandant", "mandanten", "unsere apps", "meine apps"},
	leadFillers:    strings.Fields("hallo hi ok also bitte"),
	tailFillers:    strings.Fields("bitte danke"),
	smallTalkWords: smallTalk("danke vielen dank schön schon", "hallo guten tag morgen servus moin", "tschüss tschuss wiedersehen ciao",
		"ok okay gut super prima toll alles klar"),
}

var spanish = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{"ayuda", "ayúdame|ayudame", "qué|que puedes hacer", "qué|que puedo preguntar", "cómo|como funciona", "ejemplos", "comandos"}},
		{intent: IntentSubscriptions, patterns: []string{"mis suscripciones|alertas", "muestra|lista mis suscripciones", "qué|que sigo"}},
		{intent: IntentUnsubscribe, patterns: []string{"cancelar suscripción|suscripcion a|de {app}", "dejar de seguir {app}", "no más|mas alertas de|para|sobre {app}", "darme de baja de {app}"}},
		{intent: IntentSubscribe, patterns: []string{"suscribirme|suscribir|suscríbeme|suscribeme a? {app}", "seguir {app}", "avísame|avisame cuando|si {app} cambie|cambia", "alertas de|para|sobre {app}"}},
		{intent: IntentChanges, patterns: []string{"qué|que cambió|cambio en|de|para {app}", "qué|que hay de nuevo en|para {app}", "cambios|historial de|en|para {app}", "{app} cambios|historial"}},
		{intent: IntentCompare, patterns: []string{"comparar|compara {app}", "comparar|compara {app} con|y {app2}", "diferencias|diferencia entre {app}"}},
		{intent: IntentPermissions, patterns: []string{
			"qué|que permisos necesita|solicita|usa|tiene|requiere {app}", "permisos de|para {app}", "{app} permisos",
			"muestra|lista los? permisos de {app}", "a qué|que puede acceder {app}",
		}},
		{intent: IntentStorage, patterns: []string{"dónde|donde almacena|guarda|aloja {app} los? datos?", "dónde|donde están|estan los datos de {app}", "ubicación|ubicacion de los datos de {app}"}},
		{intent: IntentSection, patterns: []string{"muestra|muéstrame|muestrame|abre|ver? {app} {section}", "muestra|muéstrame|muestrame|abre|ver? la? sección|seccion? {section} de {app}", "{section} de {app}"}},
		{intent: IntentLookup, patterns: []string{
			"háblame|hablame de {app}", "información|informacion|detalles|resumen de|sobre {app}", "muestra|busca|abre|encuentra la? aplicación|aplicacion|app? {app}",
			"es {app} segura|seguro|fiable", "es segura|seguro {app}", "podemos permitir|usar|instalar {app}", "qué|que sabes de|sobre {app}",
		}},
	},
	sections: sectionWords("general,información general,informacion general,información,informacion", "datos,administración de datos,administracion de datos,tratamiento de datos",
		"seguridad", "cumplimiento", "privacidad", "confianza cero,zero trust", "identidad", "certificación,certificacion"),
	claimStarts:    strings.Fields("es está esta son cumple cumplen tiene tienen usa admite"),
	listStarts:     strings.Fields("qué que cuáles cuales quién quien quiénes quienes lista busca encuentra muestra aplicaciones apps"),
	questionWords:  strings.Fields("cómo como qué que dónde donde cuándo cuando por quién quien cuál cual"),
	mentionTrim:    strings.Fields("el la los las aplicación aplicacion app de del por favor"),
	listSeparators: []string{",", "y", "e", "&", "con", "o"},
	everything:     append(strings.Fields("todo todas todos"), "todas las aplicaciones", "todas las apps"),
	tenant:         []string{"inquilino", "mi inquilino", "nuestro inquilino", "mis aplicaciones", "nuestras aplicaciones"},
	leadFillers:    strings.Fields("hola vale bueno oye"),
	tailFillers:    strings.Fields("gracias"),
	smallTalkWords: smallTalk("gracias muchas", "hola buenos días dias buenas", "adiós adios chao hasta luego", "vale ok genial perfecto bien"),
}

var italian = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{"aiuto", "aiutami", "cosa sai fare", "cosa posso chiedere", "come funziona", "esempi", "comandi"}},
		{intent: IntentSubscriptions, patterns: []string{"le? mie iscrizioni", "i miei avvisi", "mostra|elenca le mie iscrizioni", "cosa seguo"}},
		{intent: IntentUnsubscribe, patterns: []string{"annulla l'? iscrizione a|da {app}", "smetti di seguire {app}", "non seguire più|piu {app}", "niente più|piu avvisi per|su {app}"}},
		{intent: IntentSubscribe, patterns: []string{"iscrivimi a {app}", "iscriviti a {app}", "segui {app}", "avvisami quando|se {app} cambia", "avvisi per|su {app}"}},
		{intent: IntentChanges, patterns: []string{"cosa è|e cambiato in|per|di {app}", "novità|novita di|per|su {app}", "modifiche|cronologia di|per|su {app}", "{app} modifiche|cronologia"}},
		{intent: IntentCompare, patterns: []string{"confronta|confrontare {app}", "confronta|confrontare {app} con|e {app2}", "differenze|differenza tra {app}"}},
		{intent: IntentPermissions, patterns: []string{
			"quali autorizzazioni richiede|usa|ha|chiede {app}", "di quali autorizzazioni ha bisogno {app}", "autorizzazioni di|per {app}",
			"{app} autorizzazioni", "mostra|elenca le? autorizzazioni di {app}", "a cosa accede {app}",
		}},
		{intent: IntentStorage, patterns: []string{"dove archivia|conserva|ospita i dati di? {app}", "dove archivia|conserva|ospita {app} i? dati?", "dove sono archiviati|ospitati i dati di {app}", "posizione dei dati di {app}"}},
		{intent: IntentSection, patterns: []string{"mostra|mostrami|apri|vedi? {app} {section}", "mostra|mostrami|apri? la? sezione? {section} di {app}", "{section} di {app}"}},
		{intent: IntentLookup, patterns: []string{
			"parlami di {app}", "informazioni|dettagli|riepilogo su|di|per {app}", "mostra|cerca|apri|trova l'app|l'applicazione|app? {app}",
			"{app} è|e sicura|sicuro|affidabile", "è|e sicura|sicuro {app}", "possiamo consentire|usare|installare {app}", "cosa sai di|su {app}",
		}},
	},
	sections: sectionWords("generale,generali,informazioni generali,informazioni", "dati,gestione dei dati,trattamento dei dati", "sicurezza",
		"conformità,conformita", "privacy,riservatezza", "zero trust", "identità,identita", "certificazione"),
	claimStarts:    strings.Fields("è e sono ha hanno rispetta supporta usa"),
	listStarts:     strings.Fields("quali quale chi elenca cerca trova mostra app applicazioni"),
	questionWords:  strings.Fields("come cosa dove quando perché perche chi quale quali"),
	mentionTrim:    strings.Fields("il lo la l' l'app app applicazione di del della per favore"),
	listSeparators: []string{",", "e", "ed", "&", "con", "o"},
	everything:     append(strings.Fields("tutto tutte tutti"), "tutte le", "tutte le app", "tutte le applicazioni"),
	tenant:         []string{"tenant", "il mio tenant", "il nostro tenant", "mio tenant", "nostro tenant", "le mie app", "le nostre app", "mie app"},
	leadFillers:    strings.Fields("ciao ok allora senti"),
	tailFillers:    strings.Fields("grazie"),
	smallTalkWords: smallTalk("grazie mille", "ciao buongiorno buonasera salve", "arrivederci addio", "ok va bene perfetto ottimo"),
}

var portuguese = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{"ajuda", "me ajude", "o que você|voce pode fazer", "o que posso perguntar", "como funciona", "exemplos", "comandos"}},
		{intent: IntentSubscriptions, patterns: []string{"minhas assinaturas|alertas", "mostrar|listar minhas assinaturas", "o que eu sigo|acompanho"}},
		{intent: IntentUnsubscribe, patterns: []string{"cancelar assinatura de {app}", "deixar de seguir|acompanhar {app}", "parar alertas de|para|sobre {app}"}},
		{intent: IntentSubscribe, patterns: []string{"assinar {app}", "seguir|acompanhar {app}", "me avise quando|se {app} mudar", "alertas de|para|sobre {app}"}},
		{intent: IntentChanges, patterns: []string{"o que mudou em|no|na|para {app}", "novidades de|do|da|em {app}", "mudanças|mudancas|histórico|historico de|do|da|para {app}", "{app} mudanças|mudancas|histórico|historico"}},
		{intent: IntentCompare, patterns: []string{"comparar|compare {app}", "comparar|compare {app} com|e {app2}", "diferenças|diferencas|diferença|diferenca entre {app}"}},
		{intent: IntentPermissions, patterns: []string{
			"quais permissões|permissoes o? {app} precisa|solicita|usa|tem|exige", "de quais permissões|permissoes o? {app} precisa",
			"permissões|permissoes de|do|da|para {app}", "{app} permissões|permissoes", "mostrar|listar as? permissões|permissoes de|do|da {app}",
		}},
		{intent: IntentStorage, patterns: []string{"onde o? {app} armazena|guarda|hospeda os? dados?", "onde ficam|estão|estao os dados do|da|de {app}", "local dos dados do|da|de {app}"}},
		{intent: IntentSection, patterns: []string{"mostrar|mostre|abrir|abra|ver? {app} {section}", "mostrar|mostre|abrir|abra|ver? a? seção|secao? {section} de|do|da {app}", "{section} de|do|da {app}"}},
		{intent: IntentLookup, patterns: []string{
			"fale sobre|de {app}", "informações|informacoes|detalhes|resumo sobre|de|do|da {app}", "mostrar|mostre|pesquisar|abrir|encontrar o? aplicativo|app? {app}",
			"o? {app} é|e seguro|confiável|confiavel", "podemos permitir|usar|instalar o? {app}", "o que você|voce sabe sobre {app}",
		}},
	},
	sections: sectionWords("geral,gerais,informações gerais,informacoes gerais,informações,informacoes", "dados,tratamento de dados,manipulação de dados",
		"segurança,seguranca", "conformidade", "privacidade", "confiança zero,confianca zero,zero trust", "identidade", "certificação,certificacao"),
	claimStarts:    strings.Fields("é e está esta são sao tem atende suporta usa"),
	listStarts:     strings.Fields("quais qual quem listar liste pesquisar encontre mostre aplicativos apps"),
	questionWords:  strings.Fields("como que onde quando por quem qual quais"),
	mentionTrim:    strings.Fields("o a os as aplicativo app de do da por favor"),
	listSeparators: []string{",", "e", "&", "com", "ou"},
	everything:     append(strings.Fields("tudo todos todas"), "todos os aplicativos", "todos os apps"),
	tenant:         []string{"locatário", "locatario", "meu locatário", "nosso locatário", "meus aplicativos", "nossos aplicativos"},
	leadFillers:    strings.Fields("oi olá ola ok então entao"),
	tailFillers:    strings.Fields("obrigado obrigada"),
	smallTalkWords: smallTalk("obrigado obrigada valeu muito", "oi olá ola bom dia boa tarde", "tchau até ate logo", "ok beleza ótimo otimo perfeito legal"),
}

var russian = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{"помощь", "справка", "помоги", "что ты умеешь", "что можно спросить", "как это работает", "примеры", "команды"}},
		{intent: IntentSubscriptions, patterns: []string{"мои подписки|оповещения", "покажи мои подписки", "на что я подписан|подписана"}},
		{intent: IntentUnsubscribe, patterns: []string{"отписаться от {app}", "отпиши меня от {app}", "отменить подписку на {app}", "не присылать оповещения о|по {app}"}},
		{intent: IntentSubscribe, patterns: []string{"подписаться на {app}", "подпиши меня на {app}", "следить за {app}", "сообщи|сообщай мне? когда|если {app} изменится", "оповещения о|по|для {app}"}},
		{intent: IntentChanges, patterns: []string{"что изменилось в|у|для {app}", "что нового в|у {app}", "изменения|история в|у|для {app}", "{app} изменения|история"}},
		{intent: IntentCompare, patterns: []string{"сравни|сравнить {app}", "сравни|сравнить {app} с|и {app2}", "разница|различия между {app}"}},
		{intent: IntentPermissions, patterns: []string{
			"какие разрешения нужны|требуются {app}", "какие разрешения запрашивает|использует|требует|имеет {app}",
			"разрешения для|у {app}", "{app} разрешения", "покажи разрешения {app}", "к чему имеет доступ {app}",
		}},
		{intent: IntentStorage, patterns: []string{"где {app} хранит данные", "где хранятся данные {app}", "где размещается {app}", "расположение данных {app}"}},
		{intent: IntentSection, patterns: []string{"покажи|открой? {app} {section}", "покажи|открой? раздел? {section} {app}", "{section} {app}"}},
		{intent: IntentLookup, patterns: []string{
			"расскажи о|про {app}", "информация|сведения|сводка о|по|про {app}", "покажи|найди|открой приложение? {app}",
			"безопасно ли {app}", "{app} безопасно|безопасен", "можно ли разрешить|использовать|установить {app}", "что ты знаешь о|про {app}",
		}},
	},
	sections: sectionWords("общие,общие сведения,сведения", "данные,обработка данных", "безопасность", "соответствие,соответствие требованиям",
		"конфиденциальность", "никому не доверяй,zero trust", "удостоверения,идентификация", "сертификация"),
	claimStarts:    strings.Fields("ли соответствует есть имеет поддерживает использует является"),
	listStarts:     strings.Fields("какие какое кто найди покажи список приложения"),
	questionWords:  strings.Fields("как что где когда почему кто какой какая какие"),
	mentionTrim:    strings.Fields("приложение приложения пожалуйста"),
	listSeparators: []string{",", "и", "&", "с", "или"},
	everything:     append(strings.Fields("все всё"), "все приложения"),
	tenant:         []string{"клиент", "мой клиент", "наш клиент", "мои приложения", "наши приложения"},
	leadFillers:    strings.Fields("привет здравствуйте ок итак"),
	tailFillers:    strings.Fields("пожалуйста спасибо"),
	smallTalkWords: smallTalk("спасибо большое", "привет здравствуйте добрый день", "пока до свидания", "ок хорошо отлично понятно ясно"),
}

var japanese = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{"ヘルプ", "助けて", "何ができますか", "何を聞けますか", "使い方", "例"}},
		{intent: IntentSubscriptions, patterns: []string{"フォロー一覧|フォロー中", "フォロー 中の? 一覧?", "自分の フォロー", "フォロー 一覧"}},
		{intent: IntentUnsubscribe, patterns: []string{"{app} の フォロー を 解除", "{app} の フォロー を 解除して", "{app} の 通知 を 停止"}},
		{intent: IntentSubscribe, patterns: []string{"{app} を フォロー", "{app} を フォロー して", "{app} をフォロー", "{app} が 変更されたら 通知して"}},
		{intent: IntentChanges, patterns: []string{"{app} の 変更内容|変更|履歴", "{app} の 変更内容を 表示", "{app} で 何が 変わりましたか"}},
		{intent: IntentCompare, patterns: []string{"{app} と {app2} を 比較|比較して", "{app} と {app2} の 比較", "比較 {app}"}},
		{intent: IntentPermissions, patterns: []string{
			"{app} の アクセス許可", "{app} の アクセス許可 は", "{app} に 必要な アクセス許可 は?", "{app} が 要求する アクセス許可 は?",
			"{app} は どの アクセス許可 を 要求しますか", "{app} の アクセス許可 を 表示",
		}},
		{intent: IntentStorage, patterns: []string{"{app} は データ を どこに 保存していますか|保存しますか", "{app} の データ の 保存場所",
			"{app} の データ はどこ|はどこですか", "{app} はどこに データ を 保存しますか|保存していますか|保存されていますか",
			"{app} の データ はどこに 保存されていますか|保存されますか|保存していますか", "{app} の データ の 保存場所 は どこ|どこですか"}},
		{intent: IntentSection, patterns: []string{"{app} の {section}", "{app} の {section} を 表示", "{app} {section}"}},
		{intent: IntentLookup, patterns: []string{"{app} について 教えて|教えてください", "{app} について", "{app} は 安全ですか", "{app} を 表示", "{app} の 概要"}},
	},
	sections: sectionWords("全般,一般,一般情報", "データ,データ の 処理,データの処理", "セキュリティ", "コンプライアンス", "プライバシー",
		"ゼロ トラスト,ゼロトラスト", "id,ID", "認定"),
	claimStarts:    nil,
	listStarts:     strings.Fields("どの どれ 誰 アプリ 一覧"),
	questionWords:  strings.Fields("どう 何 どこ いつ なぜ 誰 どの"),
	mentionTrim:    strings.Fields("アプリ は が を の"),
	listSeparators: []string{",", "、", "と", "&"},
	everything:     strings.Fields("すべて 全部 すべての すべてのアプリ 全部のアプリ 全アプリ"),
	tenant:         []string{"テナント", "テナント の アプリ"},
	tailFillers:    strings.Fields("ください お願い"),
	smallTalkWords: smallTalk("ありがとう ありがとうございます どうも", "こんにちは こんばんは おはよう", "さようなら またね", "了解 わかり まし た ok"),
}

var korean = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{"도움말", "도와줘", "도와 주세요", "무엇을 할 수 있나요", "사용법", "예제"}},
		{intent: IntentSubscriptions, patterns: []string{"내 구독", "내 구독 목록", "구독 목록"}},
		{intent: IntentUnsubscribe, patterns: []string{"{app} 구독 취소", "{app} 구독 을 취소", "{app} 알림 중지"}},
		{intent: IntentSubscribe, patterns: []string{"{app} 구독", "{app} 을|를 구독", "{app} 팔로우", "{app} 이|가 변경 되면 알려 줘"}},
		{intent: IntentChanges, patterns: []string{"{app} 변경 내용", "{app} 의 변경 내용", "{app} 에서 무엇이 변경 되었나요", "{app} 기록"}},
		{intent: IntentCompare, patterns: []string{"{app} 와|과 {app2} 비교", "{app} 와|과 {app2} 를|을 비교", "비교 {app}"}},
		{intent: IntentPermissions, patterns: []string{
			"{app} 사용 권한", "{app} 의 사용 권한", "{app} 에 필요한 사용 권한", "{app} 은|는 어떤 사용 권한 이|을 필요 합니까|한가요?",
			"{app} 은|는 어떤 권한 을 요청 하나요|합니까", "{app} 권한",
		}},
		{intent: IntentStorage, patterns: []string{"{app} 은|는 데이터 를 어디 에 저장 합니까|하나요", "{app} 데이터 저장 위치", "{app} 의 데이터 위치"}},
		{intent: IntentSection, patterns: []string{"{app} {section}", "{app} 의 {section}", "{app} {section} 표시"}},
		{intent: IntentLookup, patterns: []string{"{app} 에 대해 알려 줘|주세요", "{app} 정보", "{app} 은|는 안전 한가요|합니까", "{app} 표시", "{app} 요약"}},
	},
	sections:       sectionWords("일반,일반 정보", "데이터,데이터 처리", "보안", "규정 준수,규정준수", "개인 정보,개인정보", "제로 트러스트", "id,ID", "인증"),
	listStarts:     strings.Fields("어떤 누가 목록 앱"),
	questionWords:  strings.Fields("어떻게 무엇 어디 언제 왜 누가 어떤"),
	mentionTrim:    strings.Fields("앱 은 는 이 가 을 를 의 에 에서 필요한"),
	listSeparators: []string{",", "와", "과", "및", "&"},
	everything:     strings.Fields("모두 전체 모든 모든앱 전체앱"),
	tenant:         []string{"테넌트", "테넌트 앱"},
	tailFillers:    strings.Fields("주세요 부탁해요"),
	smallTalkWords: smallTalk("감사합니다 고마워요 고마워", "안녕하세요 안녕", "안녕히 잘가요", "네 좋아요 알겠습니다 확인"),
}

var chinese = grammar{
	rules: []rule{
		{intent: IntentHelp, patterns: []string{"帮助", "幫助", "说明", "說明", "你能做什么", "你能做什麼", "怎么用", "怎麼用", "示例", "範例"}},
		{intent: IntentSubscriptions, patterns: []string{"我的订阅", "我的訂閱", "订阅列表", "訂閱清單"}},
		{intent: IntentUnsubscribe, patterns: []string{"取消订阅|取消訂閱 {app}", "{app} 取消订阅|取消訂閱", "停止关注|停止追蹤 {app}"}},
		{intent: IntentSubscribe, patterns: []string{"订阅|訂閱 {app}", "关注|追蹤 {app}", "{app} 变更时通知我|變更時通知我"}},
		{intent: IntentChanges, patterns: []string{"{app} 的更改|的變更|有什么变化|有什麼變化|更改了什么|變更了什麼", "{app} 的历史记录|的歷程記錄", "{app} 更改|變更"}},
		{intent: IntentCompare, patterns: []string{"比较|比較 {app}", "比较|比較 {app} 和|与|與 {app2}", "{app} 和|与|與 {app2} 比较|比較"}},
		{intent: IntentPermissions, patterns: []string{
			"{app} 需要哪些权限|需要哪些權限|请求哪些权限|請求哪些權限|需要什么权限|需要什麼權限|的权限|的權限|权限|權限",
			"{app} 需要 哪些|什么|什麼 权限|權限", "显示|顯示 {app} 的权限|的權限",
		}},
		{intent: IntentStorage, patterns: []string{"{app} 的数据存储在哪里|的資料儲存在哪裡|数据存储在哪里|資料儲存在哪裡|把数据存在哪里", "{app} 的数据位置|的資料位置"}},
		{intent: IntentSection, patterns: []string{"{app} {section}", "{app} 的 {section}", "显示|顯示 {app} {section}"}},
		{intent: IntentLookup, patterns: []string{"介绍|介紹 {app}", "{app} 安全吗|安全嗎", "{app} 的摘要|的信息|的資訊", "显示|顯示 {app}"}},
	},
	sections: sectionWords("常规,常規,一般,一般信息,一般資訊", "数据,資料,数据处理,資料處理", "安全性,安全", "合规性,合規性,合规,合規",
		"隐私,隱私權,隱私", "零信任", "标识,身分識別,身份", "认证,認證"),
	listStarts:     strings.Fields("哪些 哪个 哪個 谁 誰 列出 搜索 搜尋"),
	questionWords:  strings.Fields("怎么 怎麼 什么 什麼 哪里 哪裡 何时 為什麼 为什么 谁 誰 哪些"),
	mentionTrim:    strings.Fields("应用 應用程式 的"),
	listSeparators: []string{",", "、", "和", "与", "與", "&"},
	everything:     strings.Fields("全部 所有 所有应用 全部应用 所有應用程式 全部應用程式"),
	tenant:         []string{"租户", "租用戶", "租户应用", "租用戶應用程式"},
	tailFillers:    strings.Fields("谢谢 謝謝 请 請"),
	smallTalkWords: smallTalk("谢谢 謝謝 多谢 多謝", "你好 您好 嗨", "再见 再見 拜拜", "好的 好 明白 了解 ok"),
}

// chineseTargetVerbs are the Chinese subscription verbs a message may glue
// to the tenant or "all" ("订阅租户", "取消訂閱全部"), longest first.
var chineseTargetVerbs = []string{"取消订阅", "取消訂閱", "停止关注", "停止追蹤", "订阅", "訂閱", "关注", "追蹤"}

// spaceChineseTargets spaces a Chinese subscription verb from the tenant
// or every-app word glued to it, which l10n.Segment cannot tell apart
// (both are Han): "订阅租户" reads as "订阅 租户". Other words are left
// whole (an app name is never split).
func spaceChineseTargets(text string) string {
	if !strings.ContainsAny(text, "订訂关關追取停") {
		return text
	}
	words := strings.Fields(text)
	changed := false
	for i, w := range words {
		for _, v := range chineseTargetVerbs {
			rest, ok := strings.CutPrefix(w, v)
			if ok && (slices.Contains(chinese.tenant, rest) || slices.Contains(chinese.everything, rest)) {
				words[i], changed = v+" "+rest, true
				break
			}
		}
	}
	if !changed {
		return text
	}
	return strings.Join(words, " ")
}
