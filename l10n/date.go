package l10n

import (
	"time"
)

// Date formats a calendar date the way the locale writes a short date:
// "18 Aug 2021", "18 août 2021", "18.08.2021", "2021年8月18日". A month
// outside 1-12 or a zero year gives the catalog's "unknown".
func (l *Localizer) Date(year int, month time.Month, day int) string {
	if year == 0 || month < time.January || month > time.December {
		return l.T("date.unknown")
	}
	return l.F("date.format", Args{
		"Day":   day,
		"Month": l.T(monthIDs[month-1]),
		"MM":    twoDigits(int(month)),
		"DD":    twoDigits(day),
		"Year":  year,
	})
}

var monthIDs = [12]string{
	"date.month_jan", "date.month_feb", "date.month_mar", "date.month_apr", "date.month_may", "date.month_jun",
	"date.month_jul", "date.month_aug", "date.month_sep", "date.month_oct", "date.month_nov", "date.month_dec",
}

func twoDigits(n int) string {
	if n < 10 && n >= 0 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// Age tells how long ago then was relative to now: "today", "5 days ago",
// "3 months ago", "2 years 1 month ago" in English, with the locale's
// plural rules in the others. then after now is "today".
func (l *Localizer) Age(then, now time.Time) string {
	now = now.UTC()
	if !then.Before(now) {
		return l.T("age.today")
	}
	days := int(now.Sub(then).Hours() / 24)
	if days == 0 {
		return l.T("age.today")
	}
	months := (now.Year()-then.Year())*12 + int(now.Month()) - int(then.Month())
	if now.Day() < then.Day() {
		months--
	}
	// The text depends only on the days (under a month) or the months:
	// each is written once (every summary card shows an age).
	k := ageKey(days, months)
	if k < maxAgeCache {
		if s, ok := l.ages.Load(k); ok {
			return s.(string)
		}
	}
	s := l.age(days, months)
	if k < maxAgeCache {
		l.ages.Store(k, s)
	}
	return s
}

// ageKey numbers the texts of Age: the days under a month (at most 31),
// else 32 plus the months.
func ageKey(days, months int) int {
	if months < 1 {
		return days
	}
	return 32 + months
}

// maxAgeCache bounds the ages Localizer.ages keeps: about a hundred years,
// so at most 1,232 texts a language.
const maxAgeCache = 32 + 1200

// age writes Age's text for days, under a month, else months.
func (l *Localizer) age(days, months int) string {
	var span string
	switch {
	case months < 1:
		span = l.N("age.days", days, nil)
	case months < 12:
		span = l.N("age.months", months, nil)
	default:
		y, m := months/12, months%12
		span = l.N("age.years", y, nil)
		if m > 0 {
			span = l.F("age.years_months", Args{"Years": span, "Months": l.N("age.months", m, nil)})
		}
	}
	return l.F("age.ago", Args{"Span": span})
}

// Since tells how long ago t was, for times of the last days: "just
// now", "5 minutes ago", "2 hours ago", "3 days ago".
func (l *Localizer) Since(t, now time.Time) string {
	d := now.Sub(t)
	var span string
	switch {
	case d < time.Minute:
		return l.T("age.just_now")
	case d < time.Hour:
		span = l.N("age.minutes", int(d/time.Minute), nil)
	case d < 48*time.Hour:
		span = l.N("age.hours", int(d/time.Hour), nil)
	default:
		span = l.N("age.days", int(d/(24*time.Hour)), nil)
	}
	return l.F("age.ago", Args{"Span": span})
}
