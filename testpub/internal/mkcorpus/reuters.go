package main

import (
	"compress/gzip"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// desks assigns a Reuters story to a publisher desk by its first topic.
var desks = []struct {
	section string
	topics  []string
}{
	{"Business", []string{"earn", "acq"}},
	{"Markets", []string{"money-fx", "interest", "dlr", "money-supply", "reserves", "yen", "dmk", "stg", "austdlr", "can", "hk", "sfr", "ffr", "lit", "nzdlr", "singdlr", "rand", "peseta", "escudo", "drachma", "bfr", "dfl", "dkr", "nkr", "skr", "mexpeso", "cruzado", "austral", "saudriyal", "rupiah", "ringgit"}},
	{"Economy", []string{"trade", "gnp", "bop", "cpi", "wpi", "jobs", "ipi", "cpu", "lei", "housing", "income", "inventories", "instal-debt", "retail"}},
	// Everything else is a commodity or energy story.
	{"Commodities", nil},
}

func deskOf(topics []string) string {
	if len(topics) == 0 {
		return ""
	}
	for _, d := range desks {
		for _, t := range d.topics {
			if t == topics[0] {
				return d.section
			}
		}
	}
	return desks[len(desks)-1].section
}

// story is one parsed <REUTERS> element.
type story struct {
	newID                        int
	title, author, body          string
	topics, places, people, orgs []string
}

var (
	reStory  = regexp.MustCompile(`(?s)<REUTERS [^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>`)
	reD      = regexp.MustCompile(`<D>(.*?)</D>`)
	reReuter = regexp.MustCompile(`(?s)\s*Reuter\s*(?:&#3;)?\s*$`)
	reCtl    = regexp.MustCompile(`&#\d+;`)
	reAngle  = regexp.MustCompile(`<([^<>\n]{1,80})>`)
	reParaSp = regexp.MustCompile(`\n(?:[ \t]{2,}|[ \t]*\n)`)
	reSpaces = regexp.MustCompile(`\s+`)
	reTable  = regexp.MustCompile(`\S {3,}\S|\.\.\.\.|\bvs\b|\bShr\b|\bcts\b`)
)

func inner(s, tag string) string {
	i := strings.Index(s, "<"+tag+">")
	if i < 0 {
		return ""
	}
	s = s[i+len(tag)+2:]
	j := strings.Index(s, "</"+tag+">")
	if j < 0 {
		return ""
	}
	return s[:j]
}

func codes(s, tag string) []string {
	var out []string
	for _, m := range reD.FindAllStringSubmatch(inner(s, tag), -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}

func parseSGML(text string) []story {
	var out []story
	for _, m := range reStory.FindAllStringSubmatch(text, -1) {
		id, _ := strconv.Atoi(m[1])
		s := m[2]
		out = append(out, story{
			newID:  id,
			title:  inner(s, "TITLE"),
			author: inner(s, "AUTHOR"),
			body:   inner(s, "BODY"),
			topics: codes(s, "TOPICS"),
			places: codes(s, "PLACES"),
			people: codes(s, "PEOPLE"),
			orgs:   codes(s, "ORGS"),
		})
	}
	return out
}

// readReuters samples n prose stories from the Reuters-21578 files in dir,
// the same number from each desk, evenly spaced in NEWID order.
func readReuters(dir string, n int) ([]record, error) {
	labels, err := readLabels(filepath.Join(dir, "cat-descriptions_120396.txt"))
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "reut2-*.sgm.gz"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	byDesk := map[string][]record{}
	seen := map[string]bool{}
	for _, f := range files {
		text, err := readGzip(f)
		if err != nil {
			return nil, err
		}
		for _, st := range parseSGML(text) {
			r, ok := reutersRecord(st, labels)
			if !ok || seen[r.Title] {
				continue
			}
			seen[r.Title] = true
			byDesk[r.Section] = append(byDesk[r.Section], r)
		}
	}
	per := n / len(desks)
	var out []record
	for _, d := range desks {
		cands := byDesk[d.section]
		if len(cands) < per {
			return nil, fmt.Errorf("reuters desk %s: only %d usable stories", d.section, len(cands))
		}
		for k := 0; k < per; k++ {
			out = append(out, cands[k*len(cands)/per])
		}
	}
	return out, nil
}

func readGzip(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return string(b), nil
}

// reutersRecord turns a story into a record, or reports false when it is
// not decent prose: no title or topic, too short or long, tables.
func reutersRecord(st story, labels map[string]map[string]string) (record, bool) {
	if st.title == "" || len(st.topics) == 0 || !utf8.ValidString(st.body) {
		return record{}, false
	}
	body := reReuter.ReplaceAllString(st.body, "")
	if len(body) < 700 || len(body) > 4500 || len(reTable.FindAllString(body, -1)) > 0 {
		return record{}, false
	}
	var paras []string
	for _, p := range reParaSp.Split(body, -1) {
		p = cleanText(p)
		if p != "" {
			paras = append(paras, p)
		}
	}
	if len(paras) < 3 {
		return record{}, false
	}
	for _, p := range paras {
		if last := p[len(p)-1]; last != '.' && last != '"' && last != ')' {
			return record{}, false
		}
	}
	section := deskOf(st.topics)
	cats := []string{section}
	add := func(kind string, cs []string) {
		for _, c := range cs {
			l := labels[kind][c]
			if l == "" {
				l = titleCode(c)
			}
			dup := false
			for _, x := range cats {
				dup = dup || x == l
			}
			if !dup && len(cats) < 8 {
				cats = append(cats, l)
			}
		}
	}
	add("topics", st.topics)
	add("places", st.places)
	add("people", st.people)
	add("orgs", st.orgs)
	author := cleanText(st.author)
	author = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(author, "by "), "By "))
	author = strings.TrimSuffix(author, ", Reuters")
	if author == strings.ToUpper(author) {
		author = titleCode(strings.ToLower(author))
	}
	return record{
		ID:         fmt.Sprintf("reuters-%05d", st.newID),
		Origin:     "reuters",
		Source:     "Reuters " + section,
		Section:    section,
		Title:      titleCase(cleanText(st.title), strings.Join(paras, " ")),
		Paragraphs: paras,
		Author:     author,
		Categories: cats,
	}, true
}

// cleanText decodes entities, drops control characters and the angle
// brackets Reuters puts round company names, and collapses white space.
func cleanText(s string) string {
	s = reCtl.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	s = reAngle.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("<", "", ">", "").Replace(s)
	return strings.TrimSpace(reSpaces.ReplaceAllString(s, " "))
}

var smallWords = map[string]bool{
	"a": true, "an": true, "and": true, "as": true, "at": true, "but": true, "by": true,
	"for": true, "from": true, "in": true, "into": true, "of": true, "on": true, "or": true,
	"the": true, "to": true, "with": true, "vs": true,
}

// titleCase rewrites an upper-case wire headline in headline case, taking
// each word's spelling from the body when the body has it (so "U.S.",
// "OPEC" and "McDonald's" survive) and capitalising it otherwise.
func titleCase(title, body string) string {
	forms := map[string]string{}
	for _, w := range strings.Fields(body) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' })
		w = strings.TrimRight(w, ".")
		if w == "" {
			continue
		}
		u := strings.ToUpper(w)
		// Prefer a form seen mid-sentence (not capitalised only by position).
		if f, ok := forms[u]; !ok || (f != strings.ToLower(f) && w == strings.ToLower(w)) {
			forms[u] = w
		}
	}
	words := strings.Fields(title)
	for i, tok := range words {
		start := strings.IndexFunc(tok, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		if start < 0 {
			continue
		}
		end := strings.LastIndexFunc(tok, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' }) + 1
		core := tok[start:end]
		lower := strings.ToLower(core)
		var w string
		switch f, ok := forms[strings.TrimRight(core, ".")]; {
		case i > 0 && smallWords[lower]:
			w = lower
		case ok && f != strings.ToLower(f) && len(f) > 1:
			w = f + core[len(strings.TrimRight(core, ".")):]
		default:
			w = capitalize(lower)
		}
		words[i] = tok[:start] + w + tok[end:]
	}
	return strings.Join(words, " ")
}

func capitalize(s string) string {
	parts := strings.Split(s, "-")
	for i, p := range parts {
		r, n := utf8.DecodeRuneInString(p)
		if n > 0 {
			parts[i] = string(unicode.ToUpper(r)) + p[n:]
		}
	}
	return strings.Join(parts, "-")
}

// titleCode makes a readable label of a category code with no description.
func titleCode(c string) string {
	words := strings.Fields(strings.ReplaceAll(c, "-", " "))
	for i, w := range words {
		if i == 0 || !smallWords[w] {
			words[i] = capitalize(w)
		}
	}
	return strings.Join(words, " ")
}
