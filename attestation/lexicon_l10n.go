package attestation

import "strings"

// The query vocabulary of the ten languages of Microsoft's localized App
// Compliance pages, beside englishLexicon. Words are written as admins
// spell them; FoldWord removes case, accents and full-width forms.
// Chinese, Japanese and Korean requests are spaced out by l10n.Segment
// before they are read (particles and verb endings become words), so
// their tables list those words.

func init() {
	for lang, l := range map[string]*Lexicon{
		"fr": &frenchLexicon, "de": &germanLexicon, "es": &spanishLexicon, "it": &italianLexicon,
		"pt": &portugueseLexicon, "ru": &russianLexicon, "ja": &japaneseLexicon, "ko": &koreanLexicon,
		"zh": &chineseLexicon,
	} {
		Lexicons[lang] = l
	}
}

var frenchLexicon = Lexicon{
	Phrases: [][2]string{
		{"en dehors de l'", " hors "}, {"en dehors de la", " hors "}, {"en dehors de", " hors "}, {"en dehors du", " hors "},
		{"certifiees microsoft 365", "certified"}, {"certifiee microsoft 365", "certified"}, {"certifies microsoft 365", "certified"}, {"certifie microsoft 365", "certified"}, {"certification microsoft 365", "certified"},
		{"plan de reponse aux incidents", "incidentresponseplan"}, {"processus de reponse aux incidents", "incidentresponseplan"}, {"politique de conservation des donnees", "retentionpolicy"},
		{"rgpd", "gdpr"}, {"test d'intrusion", "pentest"}, {"tests d'intrusion", "pentest"}, {"test d’intrusion", "pentest"},
		{"plan de reprise d'activite", "dr"}, {"plan de reprise", "dr"}, {"reprise apres sinistre", "dr"},
		{"authentification multifacteur", "mfa"}, {"authentification multi-facteur", "mfa"}, {"acces conditionnel", "conditionalaccess"},
		{"autorisations d'application", "application-permission"}, {"autorisation d'application", "application-permission"},
		{"autorisations deleguees", "delegated-permission"}, {"autorisation deleguee", "delegated-permission"},
		{"parties tierces", "thirdpartysharing"},
		{"des tiers", "thirdpartysharing"},
		{"notification des violations", "breachnotification"},
		{"violations de donnees", "breachnotification"},
		{"violation de donnees", "breachnotification"},
		{"72 heures", "breachnotification"},
		{"plan de reponse aux incidents", "incidentresponseplan"},
		{"reponse aux incidents", "incidentresponseplan"},
		{"gestion des incidents", "incidentresponseplan"},
		{"politique de conservation", "retentionpolicy"},
		{"conservation des donnees", "retentionpolicy"},
		{"duree de conservation", "retentionpolicy"},
		{"analyse des vulnerabilites", "vulnerabilityscans"},
		{"analyses de vulnerabilites", "vulnerabilityscans"},
		{"scan de vulnerabilites", "vulnerabilityscans"},
		{"analyse de vulnerabilites", "vulnerabilityscans"},
		{"journaux d'evenements", "eventlogging"},
		{"journal des evenements", "eventlogging"},
		{"chiffrement en transit", "tlsintransit"},
		{"chiffre les donnees en transit", "tlsintransit"},
	},
	Claims: [][2]string{{"tiers", "thirdpartysharing"}, {"sous-traitants", "thirdpartysharing"}, {"sous-traitant", "thirdpartysharing"}, {"journalisation", "eventlogging"}},
	StopWords: strings.Fields(`est-ce que qu' est-il est-elle il elle est sont l' la le les un une des de du d' et ou
		conforme conformes conformite certifie certifiee application applications app apps complement complements
		quelles quels quelle quel qui avec pour sur a au aux en dans son sa ses leur leurs mon ma mes nos notre vous je
		montre montrer affiche afficher liste lister cherche chercher trouve trouver demande demandent demander
		utilise utilisent autorisation autorisations donnees respecte respectent-elles respectent-ils respecte-t-elle
		respecte-t-il possede possedent dispose disposent il-y-a y-a-t-il ont a-t-elle a-t-il fait font
		transfere transferent transfere-t-il transfere-t-elle partage partagent partage-t-il partage-t-elle partager transferer chiffre chiffre-t-il chiffre-t-elle notifie notifie-t-il effectue effectue-t-il realise realise-t-il a-t-il fait-il plan processus prend prend-il prend-elle charge integre integre-t-il norme normes standard publie`),
	Negations:             strings.Fields(`sans pas non aucun aucune jamais`),
	PermissionCues:        strings.Fields(`demande demandent demandant autorisation autorisations etendue etendues utilise utilisent acces lire lit ecrire envoyer`),
	PublisherCues:         []string{"par"},
	HostNouns:             strings.Fields(`application applications app apps complement complements`),
	Certified:             strings.Fields(`certifiee certifiees certifie certifies`),
	Attested:              strings.Fields(`attestee attestees atteste attestes`),
	Uncertified:           strings.Fields(`non-certifiee non-certifiees`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "deleguee", "deleguees"},
	PlacePrepositions:     []string{"en", "dans", "au", "aux"},
	Articles:              []string{"l'", "la", "le", "les"},
	StorageCues:           strings.Fields(`stocke stockent stockees stockes stockage heberge hebergent hebergees hebergement donnees serveurs centre region`),
	HQCues:                strings.Fields(`siege base basee editeur editeurs`),
	OnlyWords:             strings.Fields(`uniquement seulement exclusivement`),
	OutsideWords:          strings.Fields(`hors`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "lire tous les courriers", Scopes: scopesAllMail, Type: Application},
		{Words: "tous les courriers", Scopes: scopesAllMail, Type: Application},
		{Words: "toutes les boites aux lettres", Scopes: scopesAllMail, Type: Application},
		{Words: "courrier", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "messagerie", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "tous les fichiers", Scopes: scopesAllFiles},
		{Words: "fichiers", Scopes: scopesFiles, NeedsCue: true},
		{Words: "calendriers", Scopes: scopesCalendars, NeedsCue: true},
		{Words: "tous les utilisateurs", Scopes: scopesDirectory},
		{Words: "annuaire", Scopes: scopesDirectory, NeedsCue: true},
	},
}

var germanLexicon = Lexicon{
	Phrases: [][2]string{
		{"microsoft 365-zertifizierte", "certified"}, {"microsoft 365-zertifiziert", "certified"}, {"microsoft 365 zertifizierte", "certified"}, {"microsoft 365 zertifiziert", "certified"}, {"microsoft 365-zertifizierung", "certified"},
		{"verschlusselung bei der ubertragung", "tlsintransit"}, {"verschlusselung wahrend der ubertragung", "tlsintransit"}, {"bei der ubertragung", "tlsintransit"}, {"wahrend der ubertragung", "tlsintransit"},
		{"-konform", " konform"}, {"-zertifiziert", " zertifiziert"}, {"-compliant", " compliant"},
		{"dsgvo", "gdpr"}, {"penetrationstest", "pentest"}, {"penetrationstests", "pentest"},
		{"notfallwiederherstellungsplan", "dr"}, {"notfallwiederherstellung", "dr"}, {"notfallplan", "dr"},
		{"mehrstufige authentifizierung", "mfa"}, {"multi-faktor-authentifizierung", "mfa"}, {"bedingter zugriff", "conditionalaccess"},
		{"anwendungsberechtigungen", "application-permission"}, {"anwendungsberechtigung", "application-permission"},
		{"delegierte berechtigungen", "delegated-permission"}, {"delegierte berechtigung", "delegated-permission"},
		{"72 stunden", "breachnotification"},
		{"reaktion auf sicherheitsvorfalle", "incidentresponseplan"},
		{"reaktion auf vorfalle", "incidentresponseplan"},

		{"verschlusselung bei der ubertragung", "tlsintransit"},
		{"verschlusselung wahrend der ubertragung", "tlsintransit"},
	},
	Claims: [][2]string{{"drittanbieter", "thirdpartysharing"}, {"dritte", "thirdpartysharing"}, {"dritten", "thirdpartysharing"}, {"drittparteien", "thirdpartysharing"}, {"unterauftragsverarbeiter", "thirdpartysharing"}, {"auftragsverarbeiter", "thirdpartysharing"}, {"datenschutzverletzungen", "breachnotification"}, {"datenschutzverletzung", "breachnotification"}, {"schwachstellenscans", "vulnerabilityscans"}, {"schwachstellenscan", "vulnerabilityscans"}, {"schwachstellenprufungen", "vulnerabilityscans"}, {"ereignisprotokollierung", "eventlogging"}, {"protokollierung", "eventlogging"}, {"aufbewahrungsrichtlinie", "retentionpolicy"}, {"datenaufbewahrung", "retentionpolicy"}, {"aufbewahrungsfristen", "retentionpolicy"}, {"aufbewahrung", "retentionpolicy"}, {"vorfallreaktion", "incidentresponseplan"}, {"transportverschlusselung", "tlsintransit"}},
	StopWords: strings.Fields(`ist sind die der das den dem des ein eine einen einem einer und oder mit fur von zu
		konform konforme compliant zertifiziert app apps anwendung anwendungen add-in add-ins welche welcher welches wer
		was zeige zeig zeigen liste suche finde braucht benotigt benotigen brauchen fordert fordern an verwendet
		verwenden berechtigung berechtigungen daten erfullt erfullen unterstutzt unterstutzen hat haben gibt es mir
		bitte alle
		teilt teilen ubermittelt ubermitteln weiter gibt geben verschlusselt verschlusseln meldet melden fuhrt durch macht plan prozess richtlinie einen eine integriert`),
	Negations:             strings.Fields(`ohne nicht kein keine keinen nie`),
	PermissionCues:        strings.Fields(`braucht benotigt fordert berechtigung berechtigungen bereich bereiche verwendet zugriff lesen liest schreiben senden`),
	PublisherCues:         []string{"von"},
	HostNouns:             strings.Fields(`app apps add-in add-ins anwendung anwendungen`),
	Certified:             strings.Fields(`zertifiziert zertifizierte zertifizierten`),
	Attested:              strings.Fields(`bestatigt bestatigte bestatigten`),
	Uncertified:           strings.Fields(`unzertifiziert unzertifizierte`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "delegiert", "delegierte"},
	PlacePrepositions:     []string{"in", "im", "innerhalb"},
	Articles:              []string{"der", "die", "den", "dem"},
	StorageCues:           strings.Fields(`speichert speichern gespeichert speicherort hostet gehostet hosting daten server rechenzentrum rechenzentren region`),
	HQCues:                strings.Fields(`sitz hauptsitz ansassig herausgeber`),
	OnlyWords:             strings.Fields(`nur ausschliesslich ausschließlich`),
	OutsideWords:          strings.Fields(`außerhalb ausserhalb`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "alle e-mails lesen", Scopes: scopesAllMail, Type: Application},
		{Words: "alle e-mails", Scopes: scopesAllMail, Type: Application},
		{Words: "alle postfacher", Scopes: scopesAllMail, Type: Application},
		{Words: "e-mails", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "e-mail", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "postfach", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "alle dateien", Scopes: scopesAllFiles},
		{Words: "dateien", Scopes: scopesFiles, NeedsCue: true},
		{Words: "kalender", Scopes: scopesCalendars, NeedsCue: true},
		{Words: "alle benutzer", Scopes: scopesDirectory},
		{Words: "verzeichnis", Scopes: scopesDirectory, NeedsCue: true},
	},
}

var spanishLexicon = Lexicon{
	Phrases: [][2]string{
		{"certificadas por microsoft 365", "certified"}, {"certificada por microsoft 365", "certified"}, {"certificados por microsoft 365", "certified"}, {"certificado por microsoft 365", "certified"}, {"certificacion de microsoft 365", "certified"},
		{"plan de respuesta a incidentes", "incidentresponseplan"}, {"politica de retencion de datos", "retentionpolicy"},
		{"rgpd", "gdpr"}, {"prueba de penetracion", "pentest"}, {"pruebas de penetracion", "pentest"},
		{"recuperacion ante desastres", "dr"}, {"autenticacion multifactor", "mfa"}, {"acceso condicional", "conditionalaccess"},
		{"permisos de aplicacion", "application-permission"}, {"permiso de aplicacion", "application-permission"},
		{"permisos delegados", "delegated-permission"}, {"permiso delegado", "delegated-permission"},
		{"72 horas", "breachnotification"},
		{"notificacion de infracciones", "breachnotification"},
		{"notificacion de brechas", "breachnotification"},
		{"brechas de datos", "breachnotification"},
		{"brecha de datos", "breachnotification"},
		{"infracciones de datos", "breachnotification"},
		{"respuesta a incidentes", "incidentresponseplan"},
		{"retencion de datos", "retentionpolicy"},
		{"politica de retencion", "retentionpolicy"},
		{"analisis de vulnerabilidades", "vulnerabilityscans"},
		{"escaneo de vulnerabilidades", "vulnerabilityscans"},
		{"examen de vulnerabilidades", "vulnerabilityscans"},
		{"registro de eventos", "eventlogging"},
		{"cifrado en transito", "tlsintransit"},
	},
	Claims: [][2]string{{"terceros", "thirdpartysharing"}, {"subencargados", "thirdpartysharing"}, {"subprocesadores", "thirdpartysharing"}, {"subcontratistas", "thirdpartysharing"}},
	StopWords: strings.Fields(`es son el la los las un una unos unas de del y o con para por que cumple cumplen
		conforme compatible certificado certificada aplicacion aplicaciones app apps complemento complementos cuales
		cual quien quienes muestra mostrar lista listar busca buscar encuentra encontrar necesita necesitan solicita
		solicitan usa usan permiso permisos datos tiene tienen hay me mi mis su sus
		comparte comparten compartir transfiere transfieren transferir cifra cifran notifica notifican realiza realizan hace hacen a al plan proceso politica admite integra norma`),
	Negations:             strings.Fields(`sin no ningun ninguna nunca`),
	PermissionCues:        strings.Fields(`necesita necesitan solicita solicitan permiso permisos ambito usa acceso leer escribir enviar`),
	PublisherCues:         []string{"por"},
	HostNouns:             strings.Fields(`aplicacion aplicaciones app apps complemento complementos`),
	Certified:             strings.Fields(`certificada certificadas certificado certificados`),
	Attested:              strings.Fields(`atestada atestadas`),
	Uncertified:           strings.Fields(`no-certificada`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "delegado", "delegados"},
	PlacePrepositions:     []string{"en", "dentro"},
	Articles:              []string{"el", "la", "los", "las"},
	StorageCues:           strings.Fields(`almacena almacenan almacenados almacenamiento hospeda hospedados datos servidores region`),
	HQCues:                strings.Fields(`sede editor`),
	OnlyWords:             strings.Fields(`solo solamente unicamente`),
	OutsideWords:          strings.Fields(`fuera`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "leer todo el correo", Scopes: scopesAllMail, Type: Application},
		{Words: "todo el correo", Scopes: scopesAllMail, Type: Application},
		{Words: "correo", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "todos los archivos", Scopes: scopesAllFiles},
		{Words: "archivos", Scopes: scopesFiles, NeedsCue: true},
		{Words: "calendarios", Scopes: scopesCalendars, NeedsCue: true},
		{Words: "todos los usuarios", Scopes: scopesDirectory},
	},
}

var italianLexicon = Lexicon{
	Phrases: [][2]string{
		{"certificazione microsoft 365", "certified"}, {"certificate microsoft 365", "certified"}, {"certificata microsoft 365", "certified"}, {"certificati microsoft 365", "certified"},
		{"piano di risposta agli incidenti", "incidentresponseplan"}, {"processo di risposta agli incidenti", "incidentresponseplan"},
		{"penetration test", "pentest"}, {"test di penetrazione", "pentest"}, {"ripristino di emergenza", "dr"},
		{"autenticazione a piu fattori", "mfa"}, {"autenticazione multifattore", "mfa"}, {"accesso condizionale", "conditionalaccess"},
		{"autorizzazioni applicazione", "application-permission"}, {"autorizzazione applicazione", "application-permission"},
		{"autorizzazioni delegate", "delegated-permission"}, {"autorizzazione delegata", "delegated-permission"},
		{"terze parti", "thirdpartysharing"},
		{"72 ore", "breachnotification"},
		{"violazione dei dati", "breachnotification"},
		{"violazioni dei dati", "breachnotification"},
		{"notifica delle violazioni", "breachnotification"},
		{"risposta agli incidenti", "incidentresponseplan"},
		{"conservazione dei dati", "retentionpolicy"},
		{"criteri di conservazione", "retentionpolicy"},
		{"scansione delle vulnerabilita", "vulnerabilityscans"},
		{"analisi delle vulnerabilita", "vulnerabilityscans"},
		{"analisi di vulnerabilita", "vulnerabilityscans"},
		{"registrazione degli eventi", "eventlogging"},
		{"crittografia in transito", "tlsintransit"},
	},
	Claims: [][2]string{{"terzi", "thirdpartysharing"}, {"subresponsabili", "thirdpartysharing"}, {"sub-responsabili", "thirdpartysharing"}, {"subfornitori", "thirdpartysharing"}},
	StopWords: strings.Fields(`e sono il lo la i gli le un uno una di del della dei delle e o con per che conforme
		conformi certificata certificato app applicazione applicazioni componente componenti quali quale chi mostra
		mostrami elenca cerca trova richiede richiedono usa usano autorizzazione autorizzazioni dati ha hanno ci mi
		condivide condividono condividere trasferisce trasferiscono trasferire crittografa notifica esegue eseguono effettua a ai alle agli piano processo supporta integra norma standard`),
	Negations:             strings.Fields(`senza non nessun nessuna mai`),
	PermissionCues:        strings.Fields(`richiede richiedono autorizzazione autorizzazioni ambito usa accesso leggere scrivere inviare`),
	PublisherCues:         []string{"da"},
	HostNouns:             strings.Fields(`app applicazione applicazioni componente componenti`),
	Certified:             strings.Fields(`certificata certificate certificato certificati`),
	Attested:              strings.Fields(`attestata attestate`),
	Uncertified:           strings.Fields(`non-certificata`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "delegata", "delegate"},
	PlacePrepositions:     []string{"in", "nel", "nella", "nell'"},
	Articles:              []string{"il", "la", "l'"},
	StorageCues:           strings.Fields(`archivia archiviano archiviati archiviazione ospita ospitati dati server area`),
	HQCues:                strings.Fields(`sede editore`),
	OnlyWords:             strings.Fields(`solo soltanto esclusivamente`),
	OutsideWords:          strings.Fields(`fuori`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "leggere tutta la posta", Scopes: scopesAllMail, Type: Application},
		{Words: "tutta la posta", Scopes: scopesAllMail, Type: Application},
		{Words: "posta", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "tutti i file", Scopes: scopesAllFiles},
		{Words: "calendari", Scopes: scopesCalendars, NeedsCue: true},
		{Words: "tutti gli utenti", Scopes: scopesDirectory},
	},
}

var portugueseLexicon = Lexicon{
	Phrases: [][2]string{
		{"certificados pelo microsoft 365", "certified"}, {"certificado pelo microsoft 365", "certified"}, {"certificacao do microsoft 365", "certified"}, {"certificacao microsoft 365", "certified"},
		{"plano de resposta a incidentes", "incidentresponseplan"}, {"politica de retencao de dados", "retentionpolicy"},
		{"lgpd", "gdpr"}, {"teste de penetracao", "pentest"}, {"testes de penetracao", "pentest"},
		{"recuperacao de desastres", "dr"}, {"autenticacao multifator", "mfa"}, {"acesso condicional", "conditionalaccess"},
		{"permissoes de aplicativo", "application-permission"}, {"permissao de aplicativo", "application-permission"},
		{"permissoes delegadas", "delegated-permission"}, {"permissao delegada", "delegated-permission"},
		{"72 horas", "breachnotification"},
		{"violacao de dados", "breachnotification"},
		{"violacoes de dados", "breachnotification"},
		{"notificacao de violacao", "breachnotification"},
		{"resposta a incidentes", "incidentresponseplan"},
		{"retencao de dados", "retentionpolicy"},
		{"politica de retencao", "retentionpolicy"},
		{"verificacao de vulnerabilidades", "vulnerabilityscans"},
		{"varredura de vulnerabilidades", "vulnerabilityscans"},
		{"verificacoes de vulnerabilidade", "vulnerabilityscans"},
		{"registro de eventos", "eventlogging"},
		{"log de eventos", "eventlogging"},
		{"criptografia em transito", "tlsintransit"},
	},
	Claims: [][2]string{{"terceiros", "thirdpartysharing"}, {"suboperadores", "thirdpartysharing"}, {"subprocessadores", "thirdpartysharing"}},
	StopWords: strings.Fields(`e sao o a os as um uma de do da dos das com para por que esta estao conforme
		compativel certificado certificada aplicativo aplicativos app apps suplemento suplementos quais qual quem
		mostre mostrar liste listar pesquise pesquisar encontre encontrar precisa precisam solicita solicitam usa
		usam permissao permissoes dados tem ha me meu minha
		compartilha compartilham compartilhar transfere transferem transferir criptografa notifica realiza realizam faz fazem a ao aos plano processo politica suporta integra norma`),
	Negations:             strings.Fields(`sem nao nenhum nenhuma nunca`),
	PermissionCues:        strings.Fields(`precisa precisam solicita solicitam permissao permissoes escopo usa acesso ler escrever enviar`),
	PublisherCues:         []string{"por"},
	HostNouns:             strings.Fields(`aplicativo aplicativos app apps suplemento suplementos`),
	Certified:             strings.Fields(`certificado certificados certificada certificadas`),
	Attested:              strings.Fields(`atestado atestados`),
	Uncertified:           strings.Fields(`nao-certificado`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "delegada", "delegadas"},
	PlacePrepositions:     []string{"em", "no", "na", "nos", "nas"},
	Articles:              []string{"o", "a", "os", "as"},
	StorageCues:           strings.Fields(`armazena armazenam armazenados armazenamento hospeda hospedados dados servidores regiao`),
	HQCues:                strings.Fields(`sede editor`),
	OnlyWords:             strings.Fields(`somente apenas exclusivamente`),
	OutsideWords:          strings.Fields(`fora`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "ler todos os emails", Scopes: scopesAllMail, Type: Application},
		{Words: "todos os emails", Scopes: scopesAllMail, Type: Application},
		{Words: "email", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "todos os arquivos", Scopes: scopesAllFiles},
		{Words: "arquivos", Scopes: scopesFiles, NeedsCue: true},
		{Words: "todos os usuarios", Scopes: scopesDirectory},
	},
}

var russianLexicon = Lexicon{
	Phrases: [][2]string{
		{"за пределами", " вне "},
		{"сертифицированные microsoft 365", "certified"}, {"сертификация microsoft 365", "certified"}, {"сертифицированы microsoft 365", "certified"},
		{"план реагирования на инциденты", "incidentresponseplan"},
		{"тест на проникновение", "pentest"}, {"тестирование на проникновение", "pentest"},
		{"аварийного восстановления", "dr"}, {"аварийное восстановление", "dr"},
		{"многофакторная проверка подлинности", "mfa"}, {"многофакторная аутентификация", "mfa"}, {"условный доступ", "conditionalaccess"},
		{"разрешения приложения", "application-permission"}, {"разрешение приложения", "application-permission"},
		{"делегированные разрешения", "delegated-permission"}, {"делегированное разрешение", "delegated-permission"},
		{"третьим лицам", "thirdpartysharing"},
		{"третьи лица", "thirdpartysharing"},
		{"третьих лиц", "thirdpartysharing"},
		{"72 часов", "breachnotification"},
		{"72 часа", "breachnotification"},
		{"утечке данных", "breachnotification"},
		{"утечки данных", "breachnotification"},
		{"утечках данных", "breachnotification"},
		{"реагирования на инциденты", "incidentresponseplan"},
		{"реагирование на инциденты", "incidentresponseplan"},
		{"политика хранения", "retentionpolicy"},
		{"срок хранения", "retentionpolicy"},
		{"политики хранения", "retentionpolicy"},
		{"сканирование уязвимостей", "vulnerabilityscans"},
		{"сканирования уязвимостей", "vulnerabilityscans"}, {"сканированием уязвимостей", "vulnerabilityscans"}, {"планом реагирования на инциденты", "incidentresponseplan"},
		{"журналирование событий", "eventlogging"},
		{"журналы событий", "eventlogging"},
		{"ведение журналов", "eventlogging"},
		{"шифрование при передаче", "tlsintransit"},
		{"шифрует данные при передаче", "tlsintransit"},
	},
	Claims: [][2]string{{"субподрядчикам", "thirdpartysharing"}, {"субподрядчики", "thirdpartysharing"}, {"субобработчикам", "thirdpartysharing"}, {"субобработчики", "thirdpartysharing"}},
	StopWords: strings.Fields(`ли соответствует соответствуют требованиям стандарту стандарта приложение приложения
		приложений надстройка надстройки какие какое какой кто что покажи показать список найди найти с и или для
		в на по у его их мне это есть имеет имеют требует требуют запрашивает запрашивают использует используют
		разрешение разрешения разрешений данные сертифицировано сертифицированы
		передает передают передаёт делится делятся уведомляет шифрует проводит проводят выполняет ли план политика есть у со которые которых планом поддерживает стандарту каких каком приложениях`),
	Negations:             strings.Fields(`без не нет никогда`),
	PermissionCues:        strings.Fields(`требует требуют запрашивает запрашивают разрешение разрешения разрешений использует доступ читать писать отправлять`),
	PublisherCues:         []string{"от"},
	HostNouns:             strings.Fields(`приложение приложения приложений надстройка надстройки`),
	Certified:             strings.Fields(`сертифицированные сертифицированное сертифицированы`),
	Attested:              strings.Fields(`аттестованные аттестованы`),
	Uncertified:           strings.Fields(`несертифицированные`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "делегированные"},
	PlacePrepositions:     []string{"в", "во"},
	StorageCues:           strings.Fields(`хранит хранят хранятся хранение размещает данные серверы регион`),
	HQCues:                strings.Fields(`штаб-квартира издатель`),
	OnlyWords:             strings.Fields(`только исключительно`),
	OutsideWords:          strings.Fields(`вне`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "всю почту", Scopes: scopesAllMail, Type: Application},
		{Words: "читать всю почту", Scopes: scopesAllMail, Type: Application},
		{Words: "почту", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "почта", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "все файлы", Scopes: scopesAllFiles},
		{Words: "файлы", Scopes: scopesFiles, NeedsCue: true},
		{Words: "всех пользователей", Scopes: scopesDirectory},
	},
}

var japaneseLexicon = Lexicon{
	Phrases: [][2]string{
		{"microsoft 365 認定", "certified"},
		{"インシデント対応計画", "incidentresponseplan"}, {"転送中 の 暗号化", "tlsintransit"},
		{"ペネトレーション テスト", "pentest"}, {"ペネトレーションテスト", "pentest"}, {"侵入テスト", "pentest"},
		{"ディザスター リカバリー", "dr"}, {"ディザスターリカバリー", "dr"}, {"多要素認証", "mfa"}, {"条件付きアクセス", "conditionalaccess"},
		{"アプリケーションのアクセス許可", "application-permission"}, {"委任されたアクセス許可", "delegated-permission"},
		{"72 時間", "breachnotification"},
		{"72時間", "breachnotification"},
		{"侵害通知", "breachnotification"},
		{"データ侵害", "breachnotification"},
		{"インシデント対応", "incidentresponseplan"},
		{"データ保持", "retentionpolicy"},
		{"保持ポリシー", "retentionpolicy"},
		{"保持期間", "retentionpolicy"},
		{"脆弱性スキャン", "vulnerabilityscans"},
		{"イベント ログ", "eventlogging"},
		{"イベントログ", "eventlogging"},
		{"転送中の暗号化", "tlsintransit"},
	},
	Claims: [][2]string{{"第三者", "thirdpartysharing"}, {"サブプロセッサ", "thirdpartysharing"}, {"サブプロセッサー", "thirdpartysharing"}, {"委託先", "thirdpartysharing"}},
	StopWords: strings.Fields(`は が を に の と で も か ですか ますか ますか? ですか? していますか している してる
		準拠していますか 準拠している 準拠した 準拠 準拠しています 対応していますか 対応している
		必要な 教えて 教えてください 要求していますか 要求している 使用していますか した して
		準拠 準拠した 準拠している 対応 対応している 対応していますか 認定 されていますか されている ある あります
		ありますか する します しますか アプリ アプリケーション アドイン どの どれ どんな 誰 何 表示 一覧 検索
		探す 必要 必要な アクセス許可 要求 要求する 要求している 使用 データ な い て た だ よ ね を教えて 教えて
		ください
		共有 共有していますか 共有している 共有しますか 提供 提供していますか 転送 転送していますか 実施 実施していますか 行っていますか 暗号化していますか 通知しますか ありますか と へ 計画 計画がありますか 記録していますか サポート サポートしていますか していますか 対応していますか`),
	Negations:             strings.Fields(`ない ず なし 未`),
	PermissionCues:        strings.Fields(`アクセス許可 要求 要求する 要求している 必要 使用 アクセス 読み取り 書き込み 送信`),
	HostNouns:             strings.Fields(`アプリ アプリケーション アドイン`),
	Certified:             strings.Fields(`認定済み 認定された 認定されていますか 認定されている 認定を受けていますか`),
	Attested:              strings.Fields(`構成証明済み`),
	Uncertified:           strings.Fields(`未認定`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "委任"},
	StorageCues:           strings.Fields(`保存 保存している 保存する ホスト データ サーバー リージョン 場所`),
	OnlyWords:             strings.Fields(`のみ だけ`),
	OutsideWords:          strings.Fields(`以外`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "すべてのメール", Scopes: scopesAllMail, Type: Application},
		{Words: "メール", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "すべてのファイル", Scopes: scopesAllFiles},
		{Words: "ファイル", Scopes: scopesFiles, NeedsCue: true},
		{Words: "予定表", Scopes: scopesCalendars, NeedsCue: true},
		{Words: "すべてのユーザー", Scopes: scopesDirectory},
	},
}

var koreanLexicon = Lexicon{
	Phrases: [][2]string{
		{"microsoft 365 인증", "certified"},
		{"제 3 자", "thirdpartysharing"}, {"데이터 보존 정책", "retentionpolicy"},
		{"침투 테스트", "pentest"}, {"재해 복구", "dr"}, {"다단계 인증", "mfa"}, {"조건부 액세스", "conditionalaccess"},
		{"애플리케이션 사용 권한", "application-permission"}, {"위임된 사용 권한", "delegated-permission"},
		{"제 3자", "thirdpartysharing"},
		{"하위 처리자", "thirdpartysharing"},
		{"72시간", "breachnotification"},
		{"72 시간", "breachnotification"},
		{"침해 통지", "breachnotification"},
		{"데이터 침해", "breachnotification"},
		{"인시던트 대응", "incidentresponseplan"},
		{"사고 대응", "incidentresponseplan"},
		{"데이터 보존", "retentionpolicy"},
		{"보존 정책", "retentionpolicy"},
		{"취약성 검사", "vulnerabilityscans"},
		{"취약점 스캔", "vulnerabilityscans"},
		{"취약성 스캔", "vulnerabilityscans"},
		{"이벤트 로깅", "eventlogging"},
		{"전송 중 암호화", "tlsintransit"},
	},
	Claims: [][2]string{{"제3자", "thirdpartysharing"}, {"하위처리자", "thirdpartysharing"}},
	StopWords: strings.Fields(`은 는 이 가 을 를 의 에 와 과 도 및 으로 로 준수 준수합니까 준수하나요 준수해 준수하는
		인증 인증됨 인증된 있나요 있습니까 합니까 하나요 앱 애플리케이션 추가 기능 어떤 무엇 누가 표시 목록 검색
		찾기 필요 필요한 사용 권한 권한을 권한이 요청 요청하는 요청합니까 데이터 데이터를 데이터가 데이터는 데이터의 에서
		보여 줘 주세요 알려
		공유 공유합니까 공유하나요 공유하는 전송 전송합니까 제공 제공합니까 수행 수행합니까 있나요 에게 와 정책 정책이 정책을 있습니까 계획 계획이 지원합니까 지원하나요`),
	Negations:             strings.Fields(`없는 없이 않는 안`),
	PermissionCues:        strings.Fields(`권한 권한을 요청 요청하는 필요 필요한 사용 액세스 읽기 쓰기 보내기`),
	HostNouns:             strings.Fields(`앱 애플리케이션`),
	Certified:             strings.Fields(`인증됨 인증된`),
	Attested:              strings.Fields(`증명됨 증명된`),
	Uncertified:           strings.Fields(`미인증`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "위임됨"},
	StorageCues:           strings.Fields(`저장 저장하는 저장합니까 호스팅 데이터 서버 지역`),
	OnlyWords:             strings.Fields(`만 오직`),
	OutsideWords:          strings.Fields(`외부`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "모든 메일", Scopes: scopesAllMail, Type: Application},
		{Words: "메일", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "모든 파일", Scopes: scopesAllFiles},
		{Words: "파일", Scopes: scopesFiles, NeedsCue: true},
		{Words: "모든 사용자", Scopes: scopesDirectory},
	},
}

// chineseLexicon covers Simplified and Traditional Chinese (both map to
// the primary tag zh).
var chineseLexicon = Lexicon{
	Phrases: [][2]string{
		{"microsoft 365 认证", "certified"}, {"microsoft 365 認證", "certified"},
		{"渗透测试", "pentest"}, {"滲透測試", "pentest"}, {"灾难恢复", "dr"}, {"災害復原", "dr"},
		{"多重身份验证", "mfa"}, {"多重要素驗證", "mfa"}, {"条件访问", "conditionalaccess"}, {"條件式存取", "conditionalaccess"},
		{"应用程序权限", "application-permission"}, {"應用程式權限", "application-permission"},
		{"委托权限", "delegated-permission"}, {"委派權限", "delegated-permission"},
		{"72 小时", "breachnotification"},
		{"72小时", "breachnotification"},
		{"72 小時", "breachnotification"},
		{"72小時", "breachnotification"},
		{"数据泄露", "breachnotification"},
		{"資料外洩", "breachnotification"},
		{"违规通知", "breachnotification"},
		{"違規通知", "breachnotification"},
		{"事件响应", "incidentresponseplan"},
		{"事件回應", "incidentresponseplan"},
		{"数据保留", "retentionpolicy"},
		{"資料保留", "retentionpolicy"},
		{"保留政策", "retentionpolicy"},
		{"漏洞扫描", "vulnerabilityscans"},
		{"弱點掃描", "vulnerabilityscans"},
		{"漏洞掃描", "vulnerabilityscans"},
		{"事件日志", "eventlogging"},
		{"事件記錄", "eventlogging"},
		{"传输中加密", "tlsintransit"},
		{"傳輸中加密", "tlsintransit"},
	},
	Claims: [][2]string{{"第三方", "thirdpartysharing"}, {"子处理者", "thirdpartysharing"}, {"子處理者", "thirdpartysharing"}, {"分包商", "thirdpartysharing"}},
	StopWords: strings.Fields(`的应用 的應用程式 的应用程序 的应用程式 的 吗 嗎 是否 是 否 符合 符合吗 合规 合規 认证 認證 通过 通過 了 的 和 与 與 或 应用 應用程式 应用程序
		应用程式 哪些 哪个 哪個 什么 什麼 谁 誰 显示 顯示 列出 搜索 搜尋 查找 尋找 需要 请求 請求 要求 使用 权限 權限
		数据 資料 有 没有 請 请 支持 支援 在 于 於
		共享 分享 传输 傳輸 提供 进行 進行 执行 執行 加密 通知 吗 嗎 与 與 给 給`),
	PlacePrepositions:     []string{"在", "于", "於"},
	Negations:             strings.Fields(`不 没有 沒有 无 無 未`),
	PermissionCues:        strings.Fields(`权限 權限 请求 請求 要求 需要 使用 访问 存取 读取 讀取 写入 寫入 发送 傳送`),
	HostNouns:             strings.Fields(`应用 应用程序 應用程式`),
	Certified:             strings.Fields(`已认证 已認證 已通过认证 已通過認證 通过认证 通過認證`),
	Attested:              strings.Fields(`已证明 已證明`),
	Uncertified:           strings.Fields(`未认证 未認證`),
	ApplicationPermission: []string{"application-permission"},
	DelegatedPermission:   []string{"delegated-permission", "委托", "委派"},
	StorageCues:           strings.Fields(`存储 儲存 托管 裝載 数据 資料 服务器 伺服器 区域 區域`),
	OnlyWords:             strings.Fields(`仅 僅 只`),
	OutsideWords:          strings.Fields(`以外 之外 境外`),
	PermissionPhrases: []PermissionPhrase{
		{Words: "所有邮件", Scopes: scopesAllMail, Type: Application},
		{Words: "所有郵件", Scopes: scopesAllMail, Type: Application},
		{Words: "邮件", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "郵件", Scopes: scopesMailRead, NeedsCue: true},
		{Words: "所有文件", Scopes: scopesAllFiles},
		{Words: "所有檔案", Scopes: scopesAllFiles},
		{Words: "所有用户", Scopes: scopesDirectory},
		{Words: "所有使用者", Scopes: scopesDirectory},
	},
}
