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
// publication meta tags that name it, schema.org microdata, <time pubdate>,
// a date in the URL, any <time datetime>, a date in the page's date and
// byline elements, the visible date nearest the headline, the generic date
// meta tags, the WebPage's JSON-LD, any visible date, one in comments or
// sidebars, and finally the modification date. Visible dates labelled as the time of an update or
// as the current time are passed over.
func (m *meta) published(base *url.URL) time.Time {
	return m.localise(m.publishedCandidate(base))
}

func (m *meta) publishedCandidate(base *url.URL) time.Time {
	if t := firstDate(m.ldPublished); !t.IsZero() {
		return t
	}
	if t := m.metaDate(1, 2); !t.IsZero() {
		return t
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
		if t := visibleDate(s); !t.IsZero() {
			return t
		}
	}
	if t := m.nearHeadline(); !t.IsZero() {
		return t
	}
	// The generic date tags often hold the time of the last change.
	if t := m.metaDate(3, 4); !t.IsZero() {
		return t
	}
	if t := parseDate(m.ldPageDate); !t.IsZero() {
		return t
	}
	for _, s := range m.textDates {
		if t := visibleDate(s); !t.IsZero() {
			return t
		}
	}
	for _, s := range m.asideDates {
		if t := visibleDate(s); !t.IsZero() {
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

// metaDate is the first publication meta tag of a rank from lo to hi that
// parses, best rank first.
func (m *meta) metaDate(lo, hi int) time.Time {
	for rank := lo; rank <= hi; rank++ {
		for _, kv := range m.metaPublished {
			k, v, _ := strings.Cut(kv, "\x00")
			if publishedMeta[k] == rank {
				if t := parseDate(v); !t.IsZero() {
					return t
				}
			}
		}
	}
	return time.Time{}
}

// nearHeadline is the visible date closest to the first <h1>: the first
// after it, else the last before it, and so on outwards, within 20 dates.
func (m *meta) nearHeadline() time.Time {
	if m.afterH1 < 0 {
		return time.Time{}
	}
	for d := 0; d < 20; d++ {
		if i := m.afterH1 + d; i < len(m.textDates) {
			if t := visibleDate(m.textDates[i]); !t.IsZero() {
				return t
			}
		}
		if i := m.afterH1 - 1 - d; i >= 0 && i < len(m.textDates) {
			if t := visibleDate(m.textDates[i]); !t.IsZero() {
				return t
			}
		}
	}
	return time.Time{}
}

var (
	// updatedLabel marks a visible date as the time of the last change.
	updatedLabel = lazyRegexp(`(?i)(updated|last modified|modified|aktualisiert|geändert|letzte änderung|zuletzt|mis à jour|modifié|actualizad[oa]|aggiornat[oa]|atualizad[oa]|zaktualizowano)`)
	// nowLabel marks a visible date as the time the page was served.
	nowLabel = lazyRegexp(`(?i)(aktuelle zeit|aktuelles datum|current (date|time)|heute ist|today is|it is currently|es ist jetzt)`)
)

// visibleDate is the date in a visible text, unless the text labels it
// the time of an update or the current time: of "Written: X / Updated:
// Y" it reads X, of "Updated: Y" nothing.
func visibleDate(s string) time.Time {
	if nowLabel().MatchString(s) {
		return time.Time{}
	}
	if loc := updatedLabel().FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	if t := textDate(s); !t.IsZero() {
		return t
	}
	return shortTextDate(s)
}

// shortDate is a day-first date with a two-digit year, as bylines and
// forum posts write it: "23.09.22", "26/10/13, 03:48 pm".
var shortDate = lazyRegexp(`(?:^|[\s(])(\d{1,2})([./])(\d{1,2})([./])(\d{2})(?:$|[\s,)])`)

// shortTextDate reads a shortDate in a short text, where it is a date and
// not a version or a score.
func shortTextDate(s string) time.Time {
	if len(s) > 80 {
		return time.Time{}
	}
	m := shortDate().FindStringSubmatch(s)
	if m == nil || m[2] != m[4] {
		return time.Time{}
	}
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[3])
	y, _ := strconv.Atoi(m[5])
	if m[2] == "/" && mo > 12 && d <= 12 {
		d, mo = mo, d
	}
	if mo < 1 || mo > 12 || d < 1 {
		return time.Time{}
	}
	t := time.Date(2000+y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.After(time.Now().AddDate(0, 0, 2)) {
		return time.Time{}
	}
	return t
}

// localise gives a time written in UTC the page's own offset when another
// candidate writes the same instant with one, and reads a UTC time at
// exactly 22:00 or 23:00 as the local midnight of a zone east of UTC that
// a CMS converted: otherwise the day is off by one.
func (m *meta) localise(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	if _, off := t.Zone(); off != 0 {
		return t
	}
	for _, l := range [][]string{m.timeAny, m.ldPublished, m.itemPublished} {
		for _, s := range l {
			if o := parseDate(s); o.Equal(t) {
				if _, off := o.Zone(); off != 0 {
					return o
				}
			}
		}
	}
	if (t.Hour() == 22 || t.Hour() == 23) && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.In(time.FixedZone("", (24-t.Hour())*3600))
	}
	return t
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
	isoInText = lazyRegexp(`\b((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?`)
	// dd.mm.yyyy, dd/mm/yyyy, dd-mm-yyyy, and the same with a two-digit year after a dot.
	dmyInText = lazyRegexp(`\b(\d{1,2})([./-])\s?(\d{1,2})([./-])\s?((?:19|20)\d{2})\b`)
	ymdInText = lazyRegexp(`\b((?:19|20)\d{2})[./](\d{1,2})[./](\d{1,2})\b`)
	// "16. Juli 2025", "16 July 2025", "16 de julio de 2025", "July 16, 2025", "July 16th 2025".
	dayMonthYear = lazyRegexp(`(?i)\b(\d{1,2})(?:\.|er|st|nd|rd|th)?\s*(?:de\s+)?([\p{L}]{3,12})\.?,?\s*(?:de\s+|del\s+)?((?:19|20)\d{2})\b`)
	monthDayYear = lazyRegexp(`(?i)\b([\p{L}]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b`)
	// Japanese and Chinese: 2025年7月16日.
	cjkDate = lazyRegexp(`((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
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
	if m := isoInText().FindStringSubmatchIndex(s); m != nil {
		y, mo, d := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
		try(m[0], y, mo, d)
		if best.at == m[0] && m[8] >= 0 {
			best.t = best.t.Add(time.Duration(atoi(s[m[8]:m[9]]))*time.Hour + time.Duration(atoi(s[m[10]:m[11]]))*time.Minute)
		}
	}
	if m := ymdInText().FindStringSubmatchIndex(s); m != nil {
		try(m[0], atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]]))
	}
	if m := dmyInText().FindStringSubmatchIndex(s); m != nil && s[m[4]:m[5]] == s[m[8]:m[9]] {
		a, b := atoi(s[m[2]:m[3]]), atoi(s[m[6]:m[7]])
		if s[m[4]:m[5]] == "/" && b > 12 && a <= 12 {
			a, b = b, a // US month/day/year
		}
		try(m[0], atoi(s[m[10]:m[11]]), b, a)
	}
	for _, m := range dayMonthYear().FindAllStringSubmatchIndex(s, 4) {
		if mo, ok := months[strings.ToLower(s[m[4]:m[5]])]; ok {
			try(m[0], atoi(s[m[6]:m[7]]), int(mo), atoi(s[m[2]:m[3]]))
			break
		}
	}
	for _, m := range monthDayYear().FindAllStringSubmatchIndex(s, 4) {
		if mo, ok := months[strings.ToLower(s[m[2]:m[3]])]; ok {
			try(m[0], atoi(s[m[6]:m[7]]), int(mo), atoi(s[m[4]:m[5]]))
			break
		}
	}
	if m := cjkDate().FindStringSubmatchIndex(s); m != nil {
		try(m[0], atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]]))
	}
	return best.t
}

// urlDatePath matches /2025/07/16/, /2025-07-16, /20250716/ in a URL path.
var (
	urlDateSlash   = lazyRegexp(`/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[^\d])`)
	urlDateDash    = lazyRegexp(`(?:^|[/_-])((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)
	urlDateCompact = lazyRegexp(`/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|$|[_-])`)
)

// urlDate is the date written in a URL path, or the zero time.
func urlDate(path string) time.Time {
	for _, re := range []func() *regexp.Regexp{urlDateSlash, urlDateDash, urlDateCompact} {
		if m := re().FindStringSubmatch(path); m != nil {
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
