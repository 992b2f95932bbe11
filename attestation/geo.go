package attestation

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// This file reads places: the countries and regions named in the storage
// location and headquarters answers (machine-translated country names in
// every locale, such as "États-Unis d’Amérique, d’Irlande, des Pays-Bas
// (the)" or "米国 オブ アメリカ"), and the places admins name in a question
// ("store data in the EU").

// place is one country (ISO 3166 alpha-2 code) or region (a lower-case
// word) and its names in the catalog's languages (Russian names in the
// case forms the pages use).
type place struct {
	code    string
	regions string // space-separated region codes the country belongs to
	names   string // "|"-separated names, any language, any case or accents
}

// Region codes. A record that names a region ("EU", "Europe") is in that
// region without naming a country.
const (
	RegionEU           = "eu"
	RegionEEA          = "eea"
	RegionEurope       = "europe"
	RegionNorthAmerica = "north-america"
	RegionLatinAmerica = "latin-america"
	RegionAsiaPacific  = "asia-pacific"
	RegionMiddleEast   = "middle-east"
	RegionAfrica       = "africa"
)

const euEEA = "eu eea europe"

// places lists the countries and regions read from answers and questions.
// Names are folded (Fold) before use, so accents and case do not matter.
var places = []place{
	// Regions.
	{RegionEU, "", "EU|E.U.|European Union|Union européenne|UE|Europäische Union|Unión Europea|União Europeia|Unione Europea|ЕС|Евросоюз|Европейский союз|Европейского союза|欧州連合|欧盟|歐盟|유럽 연합|유럽연합"},
	{RegionEEA, "", "EEA|European Economic Area|EWR|EEE|Espace économique européen"},
	{RegionEurope, "", "Europe|European|Europa|Европа|Европе|ヨーロッパ|欧州|欧洲|歐洲|유럽"},
	{RegionNorthAmerica, "", "North America|Amérique du Nord|Nordamerika|América del Norte|América do Norte|Nord America|Северная Америка|北米|北美|북미"},
	{RegionLatinAmerica, "", "Latin America|South America|LATAM|Amérique latine|Amérique du Sud|Lateinamerika|América Latina|Südamerika|Sudamérica|América do Sul"},
	{RegionAsiaPacific, "", "APAC|Asia Pacific|Asia-Pacific|Asie-Pacifique|Asien-Pazifik|Asia|Asie|Asien|Азия|アジア|亚洲|亞洲|아시아"},
	{RegionMiddleEast, "", "Middle East|Moyen-Orient|Naher Osten|Oriente Medio|Medio Oriente|Ближний Восток|中東|中东|중동"},
	{RegionAfrica, "", "Africa|Afrique|Afrika|África|Африка|アフリカ|非洲|아프리카"},
	// North America.
	{"US", RegionNorthAmerica, "United States|United States of America|USA|U.S.A.|US|U.S.|America|Amérique|Amerika|Amerikas|États-Unis|Etats Unis|Vereinigte Staaten|Estados Unidos|Stati Uniti|США|Соединенные Штаты|Соединённые Штаты|米国|アメリカ|美国|美國|미국"},
	{"CA", RegionNorthAmerica, "Canada|Kanada|Canadá|Канада|Канаде|カナダ|加拿大|캐나다"},
	{"MX", RegionNorthAmerica + " " + RegionLatinAmerica, "Mexico|Mexique|Mexiko|México|Messico|Мексика|メキシコ|墨西哥|멕시코"},
	{"BR", RegionLatinAmerica, "Brazil|Brésil|Brasilien|Brasil|Brasile|Бразилия|ブラジル|巴西|브라질"},
	{"AR", RegionLatinAmerica, "Argentina|Argentine|Argentinien|Аргентина|アルゼンチン|阿根廷|아르헨티나"},
	{"CL", RegionLatinAmerica, "Chile|Chili|Чили|チリ|智利|칠레"},
	{"CO", RegionLatinAmerica, "Colombia|Colombie|Kolumbien|Колумбия|コロンビア|哥伦比亚|콜롬비아"},
	// Europe: the EU.
	{"IE", euEEA, "Ireland|Republic of Ireland|Irlande|Irland|Irlanda|Ирландия|Ирландии|アイルランド|爱尔兰|愛爾蘭|아일랜드"},
	{"FR", euEEA, "France|Frankreich|Francia|França|Франция|Франции|フランス|法国|法國|프랑스"},
	{"DE", euEEA, "Germany|Allemagne|Deutschland|Alemania|Alemanha|Germania|Германия|Германии|ドイツ|德国|德國|독일"},
	{"NL", euEEA, "Netherlands|The Netherlands|Holland|Pays-Bas|Niederlande|Países Bajos|Países Baixos|Paesi Bassi|Нидерланды|Нидерландах|オランダ|荷兰|荷蘭|네덜란드"},
	{"BE", euEEA, "Belgium|Belgique|Belgien|Bélgica|Belgio|Бельгия|ベルギー|比利时|比利時|벨기에"},
	{"LU", euEEA, "Luxembourg|Luxemburg|Luxemburgo|Lussemburgo|Люксембург|ルクセンブルク|卢森堡|盧森堡|룩셈부르크"},
	{"AT", euEEA, "Austria|Autriche|Österreich|Áustria|Австрия|オーストリア|奥地利|奧地利|오스트리아"},
	{"IT", euEEA, "Italy|Italie|Italien|Italia|Itália|Италия|イタリア|意大利|義大利|이탈리아"},
	{"ES", euEEA, "Spain|Espagne|Spanien|España|Espanha|Spagna|Испания|スペイン|西班牙|스페인"},
	{"PT", euEEA, "Portugal|Portogallo|Португалия|ポルトガル|葡萄牙|포르투갈"},
	{"SE", euEEA, "Sweden|Suède|Schweden|Suecia|Suécia|Svezia|Швеция|スウェーデン|瑞典|스웨덴"},
	{"DK", euEEA, "Denmark|Danemark|Dänemark|Dinamarca|Danimarca|Дания|デンマーク|丹麦|丹麥|덴마크"},
	{"FI", euEEA, "Finland|Finlande|Finnland|Finlandia|Finlândia|Финляндия|フィンランド|芬兰|芬蘭|핀란드"},
	{"PL", euEEA, "Poland|Pologne|Polen|Polonia|Polônia|Польша|ポーランド|波兰|波蘭|폴란드"},
	{"CZ", euEEA, "Czechia|Czech Republic|Tchéquie|République tchèque|Tschechien|Chequia|República Checa|Repubblica Ceca|Чехия|チェコ|捷克|체코"},
	{"SK", euEEA, "Slovakia|Slovaquie|Slowakei|Eslovaquia|Slovacchia|Словакия|スロバキア|斯洛伐克|슬로바키아"},
	{"SI", euEEA, "Slovenia|Slovénie|Slowenien|Eslovenia|Словения|スロベニア|斯洛文尼亚|슬로베니아"},
	{"HU", euEEA, "Hungary|Hongrie|Ungarn|Hungría|Hungria|Ungheria|Венгрия|ハンガリー|匈牙利|헝가리"},
	{"RO", euEEA, "Romania|Roumanie|Rumänien|Rumania|Romênia|Румыния|ルーマニア|罗马尼亚|루마니아"},
	{"BG", euEEA, "Bulgaria|Bulgarie|Bulgarien|Болгария|ブルガリア|保加利亚|불가리아"},
	{"GR", euEEA, "Greece|Grèce|Griechenland|Grecia|Grécia|Греция|ギリシャ|希腊|希臘|그리스"},
	{"HR", euEEA, "Croatia|Croatie|Kroatien|Croacia|Croazia|Хорватия|クロアチア|克罗地亚|크로아티아"},
	{"CY", euEEA, "Cyprus|Chypre|Zypern|Chipre|Cipro|Кипр|キプロス|塞浦路斯|키프로스"},
	{"MT", euEEA, "Malta|Malte|Мальта|マルタ|马耳他|몰타"},
	{"EE", euEEA, "Estonia|Estonie|Estland|Эстония|エストニア|爱沙尼亚|에스토니아"},
	{"LV", euEEA, "Latvia|Lettonie|Lettland|Letonia|Латвия|ラトビア|拉脱维亚|라트비아"},
	{"LT", euEEA, "Lithuania|Lituanie|Litauen|Lituania|Литва|リトアニア|立陶宛|리투아니아"},
	// Europe outside the EU.
	{"NO", "eea europe", "Norway|Norvège|Norwegen|Noruega|Norvegia|Норвегия|ノルウェー|挪威|노르웨이"},
	{"IS", "eea europe", "Iceland|Islande|Island|Islandia|Islanda|Исландия|アイスランド|冰岛|아이슬란드"},
	{"LI", "eea europe", "Liechtenstein|Лихтенштейн|リヒテンシュタイン|列支敦士登|리히텐슈타인"},
	{"CH", RegionEurope, "Switzerland|Suisse|Schweiz|Suiza|Suíça|Svizzera|Швейцария|スイス|瑞士|스위스"},
	{"GB", RegionEurope, "United Kingdom|UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|Royaume-Uni|Irlande du Nord|Grande-Bretagne|Angleterre|Vereinigtes Königreich|Großbritannien|Nordirland|Reino Unido|Irlanda del Norte|Irlanda do Norte|Gran Bretaña|Regno Unito|Irlanda del Nord|Великобритания|Великобритании|Соединенное Королевство|Соединённое Королевство|Северной Ирландии|英国|イギリス|北アイルランド|大不列颠|北爱尔兰|英國|北愛爾蘭|영국|북아일랜드"},
	{"UA", RegionEurope, "Ukraine|Ucrania|Ucraina|Украина|ウクライナ|乌克兰|우크라이나"},
	{"RS", RegionEurope, "Serbia|Serbie|Serbien|Сербия|セルビア|塞尔维亚|세르비아"},
	{"TR", RegionEurope + " " + RegionMiddleEast, "Turkey|Türkiye|Turquie|Türkei|Turquía|Turchia|Турция|トルコ|土耳其|튀르키예|터키"},
	{"RU", RegionEurope, "Russia|Russian Federation|Russie|Russland|Rusia|Rússia|Russia|Россия|России|ロシア|俄罗斯|俄羅斯|러시아"},
	// Asia Pacific.
	{"JP", RegionAsiaPacific, "Japan|Japon|Japón|Japão|Giappone|Япония|Японии|日本|일본"},
	{"CN", RegionAsiaPacific, "China|Chine|Cina|Китай|Китае|中国|中國|중국"},
	{"HK", RegionAsiaPacific, "Hong Kong|Hongkong|香港|Гонконг|홍콩"},
	{"TW", RegionAsiaPacific, "Taiwan|Taïwan|Taiwán|Тайвань|台湾|台灣|臺灣|대만"},
	{"KR", RegionAsiaPacific, "South Korea|Korea|Republic of Korea|Corée du Sud|Corée|Südkorea|Corea del Sur|Coreia do Sul|Corea del Sud|Южная Корея|韓国|韩国|韓國|대한민국|한국"},
	{"IN", RegionAsiaPacific, "India|Inde|Indien|Índia|Индия|Индии|インド|印度|인도"},
	{"SG", RegionAsiaPacific, "Singapore|Singapour|Singapur|Cingapura|Сингапур|シンガポール|新加坡|싱가포르"},
	{"AU", RegionAsiaPacific, "Australia|Australie|Australien|Austrália|Австралия|Австралии|オーストラリア|澳大利亚|澳洲|澳大利亞|오스트레일리아|호주"},
	{"NZ", RegionAsiaPacific, "New Zealand|Nouvelle-Zélande|Neuseeland|Nueva Zelanda|Nova Zelândia|Nuova Zelanda|Новая Зеландия|ニュージーランド|新西兰|紐西蘭|뉴질랜드"},
	{"ID", RegionAsiaPacific, "Indonesia|Indonésie|Indonesien|Индонезия|インドネシア|印度尼西亚|인도네시아"},
	{"MY", RegionAsiaPacific, "Malaysia|Malaisie|Malasia|Малайзия|マレーシア|马来西亚|말레이시아"},
	{"PH", RegionAsiaPacific, "Philippines|Philippinen|Filipinas|Filippine|Филиппины|フィリピン|菲律宾|필리핀"},
	{"TH", RegionAsiaPacific, "Thailand|Thaïlande|Tailandia|Tailândia|Таиланд|タイ王国|泰国|태국"},
	{"VN", RegionAsiaPacific, "Vietnam|Viet Nam|Viêt Nam|Вьетнам|ベトナム|越南|베트남"},
	// Middle East and Africa.
	{"AE", RegionMiddleEast, "United Arab Emirates|UAE|Émirats arabes unis|Vereinigte Arabische Emirate|Emiratos Árabes Unidos|ОАЭ|アラブ首長国連邦|阿联酋|아랍에미리트"},
	{"SA", RegionMiddleEast, "Saudi Arabia|Arabie saoudite|Saudi-Arabien|Arabia Saudita|Саудовская Аравия|サウジアラビア|沙特阿拉伯|사우디아라비아"},
	{"IL", RegionMiddleEast, "Israel|Israël|Израиль|イスラエル|以色列|이스라엘"},
	{"QA", RegionMiddleEast, "Qatar|Katar|Катар|カタール|卡塔尔|카타르"},
	{"ZA", RegionAfrica, "South Africa|Afrique du Sud|Südafrika|Sudáfrica|África do Sul|Sudafrica|Южная Африка|ЮАР|南アフリカ|南非|남아프리카"},
	{"NG", RegionAfrica, "Nigeria|Nigéria|Нигерия|ナイジェリア|尼日利亚|나이지리아"},
	{"KE", RegionAfrica, "Kenya|Kenia|Quênia|Кения|ケニア|肯尼亚|케냐"},
	{"EG", RegionAfrica + " " + RegionMiddleEast, "Egypt|Égypte|Ägypten|Egipto|Egito|Egitto|Египет|エジプト|埃及|이집트"},
}

// geoTable is places folded for matching, built once.
type geoTable struct {
	latin   map[string]int  // folded name (words joined by a space) → place index
	first   map[string]bool // the first words of latin names
	cjk     []geoName       // names without spaces in CJK or Hangul script, longest first
	maxWord int             // the most words in a latin name
	codes   map[string]int  // lower-case code → place index
	members map[string][]int
}

type geoName struct {
	name  string
	place int
}

var (
	geoOnce sync.Once
	geo     *geoTable
)

func geoIndex() *geoTable {
	geoOnce.Do(func() {
		t := &geoTable{latin: map[string]int{}, first: map[string]bool{}, codes: map[string]int{}, members: map[string][]int{}}
		for i, p := range places {
			t.codes[strings.ToLower(p.code)] = i
			for _, region := range strings.Fields(p.regions) {
				t.members[region] = append(t.members[region], i)
			}
			for _, n := range strings.Split(p.names, "|") {
				f := Fold(n)
				if f == "" {
					continue
				}
				r, _ := utf8.DecodeRuneInString(f)
				if isCJK(r) || isHangul(r) {
					t.cjk = append(t.cjk, geoName{f, i})
					continue
				}
				if _, dup := t.latin[f]; !dup {
					t.latin[f] = i
				}
				w, _, _ := strings.Cut(f, " ")
				t.first[w] = true
				t.maxWord = max(t.maxWord, strings.Count(f, " ")+1)
			}
		}
		slices.SortStableFunc(t.cjk, func(a, b geoName) int { return len(b.name) - len(a.name) })
		geo = t
	})
	return geo
}

func isHangul(r rune) bool {
	return r >= 0xAC00 && r <= 0xD7A3 || r >= 0x1100 && r <= 0x11FF || r >= 0x3130 && r <= 0x318F
}

// Places returns the codes of the countries (upper case, such as "IE") and
// regions (lower case, such as "eu") named in a text, sorted, without
// duplicates. The longest name wins: "Irlande du Nord"
// is the United Kingdom, not Ireland.
func Places(text string) []string {
	t := geoIndex()
	// Elided articles ("d’Irlande", "dell'Irlanda") must not glue to the
	// name, as Fold would.
	f := Fold(apostrophes.Replace(text))
	if f == "" {
		return nil
	}
	var found []int
	add := func(i int) {
		if !slices.Contains(found, i) {
			found = append(found, i)
		}
	}
	// CJK and Hangul names are matched inside runs of script (no spaces
	// between words); a matched span is blanked so a shorter name inside
	// it is not matched again.
	if hasWideScript(f) {
		b := []byte(f)
		for _, n := range t.cjk {
			for {
				j := bytes.Index(b, []byte(n.name))
				if j < 0 {
					break
				}
				add(n.place)
				for k := j; k < j+len(n.name); k++ {
					b[k] = ' '
				}
			}
		}
		f = string(b)
	}
	words := strings.Fields(f)
	for i := 0; i < len(words); {
		if p, n := t.latinAt(words, i); n > 0 {
			add(p)
			i += n
			continue
		}
		i++
	}
	out := make([]string, len(found))
	for i, p := range found {
		out[i] = places[p].code
	}
	slices.Sort(out)
	return out
}

var apostrophes = strings.NewReplacer("'", " ", "’", " ", "‘", " ", "ʼ", " ", "`", " ")

func hasWideScript(s string) bool {
	for _, r := range s {
		if isCJK(r) || isHangul(r) {
			return true
		}
	}
	return false
}

// latinAt returns the place named by the longest run of words starting at
// words[i], and the number of words it takes (0 when none).
func (t *geoTable) latinAt(words []string, i int) (int, int) {
	if !t.first[words[i]] {
		return 0, 0
	}
	for n := min(t.maxWord, len(words)-i); n >= 1; n-- {
		if n == 1 {
			if p, ok := t.latin[words[i]]; ok {
				return p, 1
			}
			continue
		}
		if p, ok := t.latin[strings.Join(words[i:i+n], " ")]; ok {
			return p, n
		}
	}
	return 0, 0
}

// PlaceAt reads a place named at words[i] of a folded question: a code
// ("eu", "us", "de") or a name, in any language of the table. It returns
// the place code and the number of words used, or n == 0.
func PlaceAt(words []string, i int) (code string, n int) {
	t := geoIndex()
	if p, n := t.latinAt(words, i); n > 0 {
		return places[p].code, n
	}
	if p, ok := t.codes[words[i]]; ok && len(words[i]) > 2 {
		return places[p].code, 1
	}
	for _, n := range t.cjk {
		if n.name == words[i] {
			return places[n.place].code, 1
		}
	}
	return "", 0
}

// cjkPlaceIn reports whether a folded word contains a place name written
// in CJK or Hangul script.
func cjkPlaceIn(w string) bool {
	for _, n := range geoIndex().cjk {
		if strings.Contains(w, n.name) {
			return true
		}
	}
	return false
}

// LookupPlace returns the canonical code of a place written as a code or
// a name ("EU", "eu", "Germany", "de"), or false.
func LookupPlace(s string) (string, bool) {
	t := geoIndex()
	f := Fold(s)
	if p, ok := t.codes[strings.ReplaceAll(f, " ", "-")]; ok {
		return places[p].code, true
	}
	if p, ok := t.latin[f]; ok {
		return places[p].code, true
	}
	for _, n := range t.cjk {
		if n.name == f {
			return places[n.place].code, true
		}
	}
	return "", false
}

// PlaceName returns the English name of a place code.
func PlaceName(code string) string {
	t := geoIndex()
	if p, ok := t.codes[strings.ToLower(code)]; ok {
		name, _, _ := strings.Cut(places[p].names, "|")
		if places[p].code == RegionEU {
			return "the EU"
		}
		return name
	}
	return code
}

// placeSatisfies reports whether a record naming the places have (codes
// as Places returns them) stores data in the wanted place: the place
// itself, a country of a wanted region, or for a wanted region a record
// naming a narrower region inside it (a record saying "EU" is in Europe).
func placeSatisfies(have []string, want string) bool {
	t := geoIndex()
	want = strings.ToLower(want)
	for _, h := range have {
		lh := strings.ToLower(h)
		if lh == want {
			return true
		}
		p, ok := t.codes[lh]
		if !ok {
			continue
		}
		if strings.Contains(" "+places[p].regions+" ", " "+want+" ") {
			return true
		}
		// A record naming a region: the EU and EEA are in Europe.
		if want == RegionEurope && (lh == RegionEU || lh == RegionEEA) {
			return true
		}
	}
	return false
}
