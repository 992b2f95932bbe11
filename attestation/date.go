package attestation

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// monthNames maps folded month names of every locale (nominative and
// genitive) to months. English names are accepted in every locale.
var monthNames = func() map[string]time.Month {
	m := map[string]time.Month{}
	add := func(names ...string) {
		for i, n := range names {
			m[labelFold(n)] = time.Month(i + 1)
		}
	}
	add("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
	add("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
	add("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
	add("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember")
	add("jänner", "feber", "maerz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember")
	add("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre")
	add("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "setiembre", "octubre", "noviembre", "diciembre")
	add("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre")
	add("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro")
	add("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря")
	add("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")
	return m
}()

var (
	// 2021 年 9 月 2 日, 2021년 9월 2일, 2022年3月17日
	reDateYMD = regexp.MustCompile(`(\d{4})\s*(?:年|년)\s*(\d{1,2})\s*(?:月|월)\s*(\d{1,2})\s*(?:日|일)?`)
	// 2021月14日: the month was lost in translation
	reDateLostMonth = regexp.MustCompile(`^(\d{4})\s*月\s*(\d{1,2})\s*日`)
	// 2 septembre 2021, 1er novembre 2021, 2 de septiembre de 2021, 2. September 2021, 2 сентября 2021 г.
	reDateDMY = regexp.MustCompile(`^(\d{1,2})\s*(?:er|°|º|ª)?\.?\s+(?:de\s+)?(\p{L}+)\.?\s+(?:de\s+)?(\d{4})`)
	// November 19, 2021
	reDateMDY = regexp.MustCompile(`^(\p{L}+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})`)
	// 2021-10-22, 2021/10/22
	reDateISO = regexp.MustCompile(`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`)
	// 22.10.2021, 22/10/2021, 10/22/2021
	reDateNumeric = regexp.MustCompile(`(\d{1,2})[./-](\d{1,2})[./-](\d{4})`)
)

func makeDate(y int, m time.Month, d int) (Date, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return Date{}, false
	}
	return Date{Year: y, Month: m, Day: d}, true
}

// ParseDate reads a date written in any of the page locales: day-month
// names in ten languages (ordinals 1er, 1°, 1º included), English
// month-first dates, CJK year-month-day, ISO and numeric dates. locale
// decides between day-first and month-first numeric dates when both
// parts are 12 or less (month-first only for en-US style sources).
func ParseDate(text, locale string) (Date, bool) {
	s := strings.TrimSpace(strings.ReplaceAll(text, "\u00a0", " "))
	s = strings.Trim(s, " .:：()（）")
	if s == "" {
		return Date{}, false
	}
	if m := reDateYMD.FindStringSubmatch(s); m != nil {
		return makeDate(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]))
	}
	if m := reDateDMY.FindStringSubmatch(s); m != nil {
		if mon, ok := monthNames[labelFold(m[2])]; ok {
			return makeDate(atoi(m[3]), mon, atoi(m[1]))
		}
	}
	if m := reDateMDY.FindStringSubmatch(s); m != nil {
		if mon, ok := monthNames[labelFold(m[1])]; ok {
			return makeDate(atoi(m[3]), mon, atoi(m[2]))
		}
	}
	if m := reDateISO.FindStringSubmatch(s); m != nil {
		return makeDate(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]))
	}
	if m := reDateNumeric.FindStringSubmatch(s); m != nil {
		a, b, y := atoi(m[1]), atoi(m[2]), atoi(m[3])
		switch {
		case a > 12:
			return makeDate(y, time.Month(b), a)
		case b > 12:
			return makeDate(y, time.Month(a), b)
		case locale == "en-US":
			return makeDate(y, time.Month(a), b)
		default:
			return makeDate(y, time.Month(b), a)
		}
	}
	return Date{}, false
}

// devDateText returns the date part of a "last updated by the developer"
// line: the text after the last colon, or after the label when there is
// no colon (corpus.md §2.3).
func devDateText(line string) string {
	s := strings.TrimSpace(line)
	if i := strings.LastIndexAny(s, ":："); i >= 0 {
		return strings.TrimSpace(s[i+len(string([]rune(s[i:])[0])):])
	}
	// No colon: the date starts at the first digit, or at an English month
	// name ("Última actualización del desarrollador el 2 de ...").
	for i, r := range s {
		if r >= '0' && r <= '9' {
			// A month-first English date starts before its day.
			if j := strings.LastIndexByte(s[:i], ' '); j > 0 {
				prev := s[:j]
				if k := strings.LastIndexByte(prev, ' '); k >= 0 {
					if _, ok := monthNames[labelFold(prev[k+1:])]; ok && labelFold(prev[k+1:]) != "" && isEnglishMonth(prev[k+1:]) {
						return strings.TrimSpace(s[k+1:])
					}
				}
			}
			return strings.TrimSpace(s[i:])
		}
	}
	return s
}

func isEnglishMonth(w string) bool {
	switch labelFold(w) {
	case "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december":
		return true
	}
	return false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
