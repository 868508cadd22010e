package extract

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// titleSep splits a page title into the headline and the site's name.
var titleSep = lazyRegexp(`\s+[|–—·•»/:-]+\s+|\s+::\s+|\s*\|\s*`)

// title chooses the headline: the page's <h1> when the declared titles
// contain it (it has the headline's own case and no site suffix), else the
// declared title (OpenGraph, JSON-LD, <title>) without the site part.
func (m *meta) title(site string, base *url.URL) string {
	declared := norm(firstOf(m.ogTitle, m.ldHeadline, m.twTitle, m.itemHeadline, m.titleTag))
	stripped := stripSite(declared, site, base)
	tag := stripSite(norm(m.titleTag), site, base)
	for _, h := range m.h1 {
		h = norm(h)
		if h == "" || sameName(h, site) || isHost(h, base) {
			continue
		}
		k := fold(h)
		for _, d := range []string{declared, norm(m.titleTag), norm(m.ldHeadline), norm(m.itemHeadline)} {
			if d != "" && strings.Contains(fold(d), k) && len(k)*3 >= len(fold(stripSite(d, site, base)))*2 {
				return h
			}
		}
	}
	if stripped == "" {
		stripped = tag
	}
	if stripped == "" && len(m.h1) > 0 {
		stripped = norm(m.h1[0])
	}
	return stripped
}

// stripSite removes a site name prefix or suffix from a title: a part set
// off by a separator that names the site (its og:site_name or its host),
// or, failing that, a short final part after " | ".
func stripSite(t, site string, base *url.URL) string {
	if t == "" {
		return ""
	}
	locs := titleSep().FindAllStringIndex(t, -1)
	if len(locs) == 0 {
		return t
	}
	// A part that names the site, at either end.
	last := locs[len(locs)-1]
	if tail := t[last[1]:]; sameName(tail, site) || isHost(tail, base) {
		return stripSite(strings.TrimSpace(t[:last[0]]), site, base)
	}
	first := locs[0]
	if head := t[:first[0]]; sameName(head, site) || isHost(head, base) {
		return stripSite(strings.TrimSpace(t[first[1]:]), site, base)
	}
	// Without a known site name: a short tail after a pipe or a dash is
	// almost always the site; a colon is part of headlines.
	sep := strings.TrimSpace(t[last[0]:last[1]])
	tail := t[last[1]:]
	if sep == ":" {
		return t
	}
	words := len(strings.Fields(tail))
	headWords := len(strings.Fields(t[:last[0]]))
	r, _ := utf8.DecodeRuneInString(tail)
	named := unicode.IsUpper(r) || unicode.IsDigit(r) || strings.Contains(tail, ".")
	if named && words <= 4 && headWords >= 2 && headWords > words && (sep == "|" || sep == "–" || sep == "—" || sep == "-" || sep == "»" || sep == "·" || sep == "•" || sep == "::") {
		return strings.TrimSpace(t[:last[0]])
	}
	return t
}

// fold is s lower-cased with only letters and digits, for comparing names.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// sameName reports whether a and b name the same thing, loosely.
func sameName(a, b string) bool {
	fa, fb := fold(a), fold(b)
	if fa == "" || fb == "" {
		return false
	}
	return fa == fb || (len(fb) >= 4 && strings.Contains(fa, fb) && len(fa) <= len(fb)+12) ||
		(len(fa) >= 4 && strings.Contains(fb, fa) && len(fb) <= len(fa)+12)
}

// isHost reports whether s names base's host ("example.com", "Example").
func isHost(s string, base *url.URL) bool {
	if base == nil {
		return false
	}
	h := strings.TrimPrefix(strings.ToLower(base.Hostname()), "www.")
	if h == "" {
		return false
	}
	fs := fold(s)
	if fs == "" || utf8.RuneCountInString(s) > 60 {
		return false
	}
	if fs == fold(h) {
		return true
	}
	// The registrable label: "nytimes" of "www.nytimes.com".
	labels := strings.Split(h, ".")
	if len(labels) >= 2 {
		name := fold(labels[len(labels)-2])
		if len(name) >= 3 && (fs == name || strings.HasPrefix(fs, name) && len(fs) <= len(name)+8) {
			return true
		}
	}
	return false
}
