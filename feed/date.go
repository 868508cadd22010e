package feed

import (
	"strings"
	"sync"
	"time"
)

// monthNames maps month names and abbreviations in the languages of the
// publishers taglines reads to the English abbreviation time.Parse knows.
// Keys are lower case, without a trailing dot.
var monthNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	add := func(month string, names ...string) {
		for _, n := range names {
			m[n] = month
		}
	}
	add("Jan", "january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari", "stycznia", "января", "янв", "январь", "січня")
	add("Feb", "february", "feb", "februar", "février", "févr", "fevrier", "febrero", "febbraio", "fevereiro", "fev", "februari", "lutego", "февраля", "фев", "февраль", "лютого")
	add("Mar", "march", "mar", "märz", "mär", "mars", "marzo", "março", "maart", "marca", "марта", "мар", "март", "березня")
	add("Apr", "april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "апреля", "апр", "апрель", "квітня")
	add("May", "may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maja", "мая", "май", "травня")
	add("Jun", "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "czerwca", "июня", "июн", "июнь", "червня")
	add("Jul", "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "lipca", "июля", "июл", "июль", "липня")
	add("Aug", "august", "aug", "août", "aout", "agosto", "ago", "augustus", "sierpnia", "августа", "авг", "август", "серпня")
	add("Sep", "september", "sep", "sept", "septembre", "septiembre", "settembre", "set", "setembro", "wrzesnia", "września", "сентября", "сен", "сент", "сентябрь", "вересня")
	add("Oct", "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out", "października", "октября", "окт", "октябрь", "жовтня")
	add("Nov", "november", "nov", "novembre", "noviembre", "novembro", "listopada", "ноября", "ноя", "нояб", "ноябрь", "листопада")
	add("Dec", "december", "dec", "dezember", "dez", "décembre", "déc", "decembre", "diciembre", "dic", "dicembre", "dezembro", "grudnia", "декабря", "дек", "декабрь", "грудня")
	return m
})

// The patterns compile on first use: most commands never read a date.
var (
	dateWord    = lazyRegexp(`[\p{L}]+\.?`)
	weekdayLead = lazyRegexp(`^\s*[\p{L}]{2,}\.?,\s*`)
	dayDot      = lazyRegexp(`\b(\d{1,2})\.\s`)
)

// dateLayouts are the forms publishers use that gofeed's parser misses,
// once month names are English and weekdays are gone.
var dateLayouts = []string{
	"2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04 -0700", "2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05", "2 Jan 2006 15:04", "2 Jan 2006, 15:04", "2 Jan 2006",
	"Jan 2, 2006 15:04:05 MST", "Jan 2, 2006 3:04 PM", "Jan 2, 2006 15:04", "Jan 2, 2006", "Jan 2 2006",
	"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	"02.01.2006 15:04", "02.01.2006", "2006/01/02 15:04:05", "2006/01/02",
}

// zoneOffsets are the named zones seen in feeds whose offsets time.Parse
// does not know (it only knows the local zone's names).
var zoneOffsets = map[string]string{
	"UT": "+0000", "UTC": "+0000", "GMT": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"BST": "+0100", "CET": "+0100", "CEST": "+0200", "EET": "+0200", "EEST": "+0300",
	"MSK": "+0300", "IST": "+0530", "JST": "+0900", "KST": "+0900", "HKT": "+0800",
	"AEST": "+1000", "AEDT": "+1100",
}

// ParseDate reads a publication date in the forms publishers really use,
// for the dates gofeed gives up on: localised month names (ru, uk, de, fr,
// es, it, pt, nl, pl), weekday prefixes, named zones, day numbers with dots.
// A date without a zone is taken as UTC. ok is false if nothing fits.
func ParseDate(s string) (t time.Time, ok bool) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || len(s) > 100 {
		return time.Time{}, false
	}
	s = weekdayLead().ReplaceAllString(s, "")
	s = dayDot().ReplaceAllString(s, "$1 ")
	s = dateWord().ReplaceAllStringFunc(s, func(w string) string {
		key := strings.ToLower(strings.TrimSuffix(w, "."))
		if m, ok := monthNames()[key]; ok {
			return m
		}
		if off, ok := zoneOffsets[strings.ToUpper(key)]; ok && len(key) >= 2 {
			return off
		}
		if key == "de" || key == "del" || key == "г" || key == "года" || key == "um" || key == "à" || key == "at" {
			return "" // "16 de julio de 2025", "16 июля 2025 г.", "um 11:26"
		}
		return w
	})
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, " ,", ",")), " ")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
