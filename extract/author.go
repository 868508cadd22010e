package extract

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// bylinePrefix is the "By" of a byline in common languages.
	bylinePrefix = lazyRegexp(`(?i)^\s*((written|posted|published|reported|text|story|words|photos?)\s+)?(by|von|par|por|di|da|door|av|af|autor(in)?|author|auteur|autore|text|von:|by:)\s*[:\-–]?\s+`)
	// bylineNoise is text that ends a byline: dates, times, places, roles.
	bylineNoise = lazyRegexp(`(?i)(\s+[|•·]\s+.*$|\s+(on|am|le|el|il|updated|aktualisiert|published|veröffentlicht|posted)\s+.*\d.*$|,?\s+\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}.*$|,?\s+\d{4}-\d{2}-\d{2}.*$|\s*\(?\b[\w.+-]+@[\w-]+\.[\w.]+\)?|\s+-\s+\d.*$)`)
	authorSplit = lazyRegexp(`\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|\be\b|&|\|)\s*`)
	notAName    = lazyRegexp(`(?i)^(admin|administrator|redaktion|editor|editors|staff|team|guest|anonymous|unknown author|wordpressadmin|user|webmaster|posted on|posted|by|von)$`)
)

// authors chooses the authors: JSON-LD, then meta tags, schema.org
// microdata, rel=author links, byline elements, and readability's byline.
// Names are cleaned of "By", dates and e-mail addresses; a candidate that
// is the site's name is only used when nothing else is found.
func (m *meta) authors(byline, site string, base *url.URL) []string {
	var siteOnly []string
	for _, cands := range [][]string{m.ldAuthors, m.metaAuthors, m.itemAuthors, m.relAuthors, m.bylines, {byline}} {
		var out []string
		seen := map[string]bool{}
		for _, c := range cands {
			for _, name := range cleanAuthors(c) {
				k := fold(name)
				if seen[k] {
					continue
				}
				seen[k] = true
				out = append(out, name)
			}
		}
		if len(out) == 0 {
			continue
		}
		if len(out) == 1 && (sameName(out[0], site) || isHost(out[0], base)) {
			if siteOnly == nil {
				siteOnly = out
			}
			continue
		}
		return out
	}
	return siteOnly
}

// cleanAuthors turns one author field or byline into names.
func cleanAuthors(s string) []string {
	s = norm(s)
	if s == "" || utf8.RuneCountInString(s) > 150 || strings.Contains(s, "://") {
		return nil
	}
	s = bylinePrefix().ReplaceAllString(s, "")
	s = bylineNoise().ReplaceAllString(s, "")
	// A pure list of several names keeps its order; a single name with a
	// comma-separated role ("Jane Doe, Reuters") is one name.
	var out []string
	parts := []string{s}
	if strings.ContainsAny(s, ",;&|") || strings.Contains(s, " and ") || strings.Contains(s, " und ") {
		parts = authorSplit().Split(s, -1)
	}
	for _, p := range parts {
		p = strings.Trim(p, " \t-–—:,.·|/()")
		p = bylinePrefix().ReplaceAllString(p, "")
		if p == "" || notAName().MatchString(p) || !looksLikeName(p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// looksLikeName rejects dates, numbers and sentences posing as authors.
func looksLikeName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 60 || len(strings.Fields(s)) > 6 {
		return false
	}
	letters, digits := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return letters >= 2 && digits*4 < letters
}
