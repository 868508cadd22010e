package extract

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dates before minYear are not publication dates of web pages.
const minYear = 1995

// published chooses the publication date: the article's JSON-LD, then the
// publication meta tags by trust, schema.org microdata, <time pubdate>,
// a date in the URL, any <time datetime>, a date in the page's date and
// byline elements, the WebPage's JSON-LD, and finally the modification date.
func (m *meta) published(base *url.URL) time.Time {
	if t := firstDate(m.ldPublished); !t.IsZero() {
		return t
	}
	for rank := 1; rank <= 4; rank++ {
		for _, kv := range m.metaPublished {
			k, v, _ := strings.Cut(kv, "\x00")
			if publishedMeta[k] == rank {
				if t := parseDate(v); !t.IsZero() {
					return t
				}
			}
		}
	}
	if t := firstDate(m.itemPublished, m.timePublished); !t.IsZero() {
		return t
	}
	if base != nil {
		if t := urlDate(base.Path); !t.IsZero() {
			return t
		}
	}
	if t := firstDate(m.timeAny); !t.IsZero() {
		return t
	}
	for _, s := range append(m.dateText, m.bylines...) {
		if t := textDate(s); !t.IsZero() {
			return t
		}
	}
	// Visible dates: the first near the headline, after it, then before.
	if m.afterH1 >= 0 {
		after := m.textDates[m.afterH1:]
		for _, s := range after[:min(len(after), 20)] {
			if t := textDate(s); !t.IsZero() {
				return t
			}
		}
	}
	if t := parseDate(m.ldPageDate); !t.IsZero() {
		return t
	}
	for _, s := range m.textDates {
		if t := textDate(s); !t.IsZero() {
			return t
		}
	}
	if t := firstDate(m.ldModified, m.metaModified, m.itemModified); !t.IsZero() {
		return t
	}
	for _, s := range []string{m.titleTag, m.ogTitle, m.ogDescription, m.description} {
		if t := textDate(s); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// firstDate returns the first candidate that parses.
func firstDate(lists ...[]string) time.Time {
	for _, l := range lists {
		for _, s := range l {
			if t := parseDate(s); !t.IsZero() {
				return t
			}
		}
	}
	return time.Time{}
}

// machineLayouts are the forms of dates in metadata, most common first. A
// time without a zone is read as UTC.
var machineLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"20060102",
	"2006/01/02",
	"2006/01/02 15:04:05",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan _2 15:04:05 MST 2006",
	time.RFC822Z,
	time.RFC822,
	"January 2, 2006",
	"Jan 2, 2006",
	"2 January 2006",
	"02.01.2006",
	"2.1.2006",
	"02.01.2006 15:04",
}

// parseDate parses a machine-readable date, or failing that a date in
// text. Returns the zero time if s holds none in a plausible range.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return time.Time{}
	}
	for _, l := range machineLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return plausible(t)
		}
	}
	// Unix seconds or milliseconds.
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 9 {
		if len(s) >= 12 {
			n /= 1000
		}
		return plausible(time.Unix(n, 0).UTC())
	}
	return textDate(s)
}

func plausible(t time.Time) time.Time {
	if t.Year() < minYear || t.Year() > 2100 {
		return time.Time{}
	}
	return t
}

var (
	isoInText = regexp.MustCompile(`\b((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?`)
	// dd.mm.yyyy, dd/mm/yyyy, dd-mm-yyyy, and the same with a two-digit year after a dot.
	dmyInText = regexp.MustCompile(`\b(\d{1,2})([./-])\s?(\d{1,2})([./-])\s?((?:19|20)\d{2})\b`)
	ymdInText = regexp.MustCompile(`\b((?:19|20)\d{2})[./](\d{1,2})[./](\d{1,2})\b`)
	// "16. Juli 2025", "16 July 2025", "16 de julio de 2025", "July 16, 2025", "July 16th 2025".
	dayMonthYear = regexp.MustCompile(`(?i)\b(\d{1,2})(?:\.|er|st|nd|rd|th)?\s*(?:de\s+)?([\p{L}]{3,12})\.?,?\s*(?:de\s+|del\s+)?((?:19|20)\d{2})\b`)
	monthDayYear = regexp.MustCompile(`(?i)\b([\p{L}]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b`)
	// Japanese and Chinese: 2025年7月16日.
	cjkDate = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
)

// months maps month names and abbreviations in the languages of most news
// sites to their number.
var months = func() map[string]time.Month {
	m := map[string]time.Month{}
	add := func(month time.Month, names ...string) {
		for _, n := range names {
			m[n] = month
		}
	}
	add(1, "january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari", "stycznia", "styczeń", "ocak", "январь", "января", "ianuarie", "leden", "ledna", "tammikuuta")
	add(2, "february", "feb", "februar", "feber", "février", "févr", "fevrier", "febrero", "febbraio", "fevereiro", "fev", "februari", "lutego", "luty", "şubat", "февраль", "февраля", "februarie", "únor", "února", "helmikuuta")
	add(3, "march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "marca", "marzec", "mart", "март", "марта", "martie", "březen", "března", "maaliskuuta", "mrz")
	add(4, "april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "kwiecień", "nisan", "апрель", "апреля", "aprilie", "duben", "dubna", "huhtikuuta")
	add(5, "may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maja", "maj", "mayıs", "май", "мая", "květen", "května", "toukokuuta")
	add(6, "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "czerwca", "czerwiec", "haziran", "июнь", "июня", "iunie", "červen", "června", "kesäkuuta")
	add(7, "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "lipca", "lipiec", "temmuz", "июль", "июля", "iulie", "červenec", "července", "heinäkuuta")
	add(8, "august", "aug", "août", "aout", "agosto", "ago", "augustus", "sierpnia", "sierpień", "ağustos", "август", "августа", "srpen", "srpna", "elokuuta")
	add(9, "september", "sep", "sept", "septembre", "septiembre", "settembre", "set", "setembro", "września", "wrzesień", "eylül", "сентябрь", "сентября", "septembrie", "září", "syyskuuta")
	add(10, "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out", "października", "październik", "ekim", "октябрь", "октября", "octombrie", "říjen", "října", "lokakuuta")
	add(11, "november", "nov", "novembre", "noviembre", "novembro", "listopada", "listopad", "kasım", "ноябрь", "ноября", "noiembrie", "listopadu", "marraskuuta")
	add(12, "december", "dec", "dezember", "dez", "décembre", "decembre", "diciembre", "dic", "dicembre", "dezembro", "grudnia", "grudzień", "aralık", "декабрь", "декабря", "decembrie", "prosinec", "prosince", "joulukuuta")
	return m
}()

// textDate finds the first date written in s, in the forms of the
// languages in months, numeric day-first forms, ISO dates and CJK dates.
// The date is at midnight UTC unless an ISO time follows it.
func textDate(s string) time.Time {
	if len(s) > 4000 {
		s = s[:4000]
	}
	type hit struct {
		at int
		t  time.Time
	}
	best := hit{at: len(s) + 1}
	try := func(at int, y, mo, d int) {
		if at >= best.at || mo < 1 || mo > 12 || d < 1 || d > 31 {
			return
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d || plausible(t).IsZero() {
			return
		}
		best = hit{at, t}
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m := isoInText.FindStringSubmatchIndex(s); m != nil {
		y, mo, d := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		try(m[0], y, mo, d)
		if best.at == m[0] && m[8] >= 0 {
			best.t = best.t.Add(time.Duration(atoi(s[m[8]:m[9]]))*time.Hour + time.Duration(atoi(s[m[10]:m[11]]))*time.Minute)
		}
	}
	if m := ymdInText.FindStringSubmatchIndex(s); m != nil {
		try(m[0], atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]]))
	}
	if m := dmyInText.FindStringSubmatchIndex(s); m != nil && s[m[4]:m[5]] == s[m[8]:m[9]] {
		a, b := atoi(s[m[2]:m[3]]), atoi(s[m[6]:m[7]])
		if s[m[4]:m[5]] == "/" && b > 12 && a <= 12 {
			a, b = b, a // US month/day/year
		}
		try(m[0], atoi(s[m[10]:m[11]]), b, a)
	}
	for _, m := range dayMonthYear.FindAllStringSubmatchIndex(s, 4) {
		if mo, ok := months[strings.ToLower(s[m[4]:m[5]])]; ok {
			try(m[0], atoi(s[m[6]:m[7]]), int(mo), atoi(s[m[2]:m[3]]))
			break
		}
	}
	for _, m := range monthDayYear.FindAllStringSubmatchIndex(s, 4) {
		if mo, ok := months[strings.ToLower(s[m[2]:m[3]])]; ok {
			try(m[0], atoi(s[m[6]:m[7]]), int(mo), atoi(s[m[4]:m[5]]))
			break
		}
	}
	if m := cjkDate.FindStringSubmatchIndex(s); m != nil {
		try(m[0], atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]]))
	}
	return best.t
}

// urlDatePath matches /2025/07/16/, /2025-07-16, /20250716/ in a URL path.
var (
	urlDateSlash   = regexp.MustCompile(`/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[^\d])`)
	urlDateDash    = regexp.MustCompile(`(?:^|[/_-])((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)
	urlDateCompact = regexp.MustCompile(`/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$|[_-])`)
)

// urlDate is the date written in a URL path, or the zero time.
func urlDate(path string) time.Time {
	for _, re := range []*regexp.Regexp{urlDateSlash, urlDateDash, urlDateCompact} {
		if m := re.FindStringSubmatch(path); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d {
				return plausible(t)
			}
		}
	}
	return time.Time{}
}
