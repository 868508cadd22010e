package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// referenceDay is the day the reference pages were saved; their relative
// times ("a day ago") are counted back from it.
var referenceDay = time.Date(2025, 7, 15, 0, 0, 0, 0, time.UTC)

var (
	relTime = regexp.MustCompile(`^(?:(a|an|\d+) (minute|hour|day|week)s? ago)$`)
	absTime = regexp.MustCompile(`^(\d{2})-(\d{2})-(\d{4})$`)
)

// readReference parses the tag pages in dir. An entry is recognised by its
// four-line header (source, time, "- Section", "- Source"); blank lines
// between entries are irregular and ignored.
func readReference(dir string) ([]record, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []record
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		recs, err := parseReferencePage(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, recs...)
	}
	for i := range out {
		out[i].ID = fmt.Sprintf("ref-%02d", i+1)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no reference articles in %s", dir)
	}
	return out, nil
}

func parseReferencePage(text string) ([]record, error) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	isHeader := func(i int) bool {
		if i+4 >= len(lines) {
			return false
		}
		src := strings.TrimSpace(lines[i])
		t := strings.TrimSpace(lines[i+1])
		return src != "" &&
			(relTime.MatchString(t) || absTime.MatchString(t)) &&
			strings.HasPrefix(lines[i+2], "- ") &&
			strings.TrimSpace(lines[i+3]) == "- "+src
	}
	var recs []record
	prevAge := -1
	for i := 0; i < len(lines); i++ {
		if !isHeader(i) {
			continue
		}
		src := strings.TrimSpace(lines[i])
		age, err := parseAge(strings.TrimSpace(lines[i+1]))
		if err != nil {
			return nil, err
		}
		// The page lists newest first; two entries of the same day keep
		// that order an hour apart.
		if age <= prevAge {
			age = prevAge + 60
		}
		prevAge = age
		section := strings.TrimSpace(strings.TrimPrefix(lines[i+2], "- "))
		title := strings.TrimSpace(lines[i+4])
		var body []string
		j := i + 5
		for ; j < len(lines) && !isHeader(j); j++ {
			if s := strings.TrimSpace(lines[j]); s != "" {
				body = append(body, s)
			}
		}
		i = j - 1
		if title == "" || len(body) == 0 {
			return nil, fmt.Errorf("entry %q of %s has no title or body", title, src)
		}
		recs = append(recs, record{
			Origin:     "reference",
			Source:     src,
			Section:    section,
			Title:      title,
			Paragraphs: paragraphs(strings.Join(body, " ")),
			Categories: []string{section},
			AgeMinutes: age,
		})
	}
	return recs, nil
}

// parseAge returns the age in minutes of a page time relative to referenceDay.
func parseAge(s string) (int, error) {
	if m := relTime.FindStringSubmatch(s); m != nil {
		n := 1
		if m[1] != "a" && m[1] != "an" {
			n, _ = strconv.Atoi(m[1])
		}
		unit := map[string]int{"minute": 1, "hour": 60, "day": 1440, "week": 7 * 1440}[m[2]]
		return n * unit, nil
	}
	if m := absTime.FindStringSubmatch(s); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		return int(referenceDay.Sub(t) / time.Minute), nil
	}
	return 0, fmt.Errorf("unknown time %q", s)
}

// abbreviations end in a period without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true, "lt": true,
	"col": true, "sgt": true, "gov": true, "sen": true, "rep": true, "u.s": true, "u.k": true,
	"u.n": true, "no": true, "vs": true, "jan": true, "feb": true, "aug": true, "sept": true,
	"oct": true, "nov": true, "dec": true, "inc": true, "corp": true, "ltd": true, "co": true,
}

// sentences splits one line of prose at sentence ends: [.!?], optional
// closing quotes or brackets, a space, then a capital, digit or quote.
func sentences(text string) []string {
	var out []string
	rs := []rune(text)
	start := 0
	for i := 0; i < len(rs); i++ {
		if rs[i] != '.' && rs[i] != '!' && rs[i] != '?' {
			continue
		}
		j := i + 1
		for j < len(rs) && strings.ContainsRune(`'"’”)]`, rs[j]) {
			j++
		}
		if j >= len(rs) || rs[j] != ' ' {
			continue
		}
		k := j
		for k < len(rs) && rs[k] == ' ' {
			k++
		}
		if k >= len(rs) || !(isUpper(rs[k]) || isDigit(rs[k]) || strings.ContainsRune(`'"‘“(`, rs[k])) {
			continue
		}
		if rs[i] == '.' {
			w := i
			for w > start && rs[w-1] != ' ' {
				w--
			}
			word := strings.ToLower(strings.Trim(string(rs[w:i]), `'"‘“(`))
			if abbreviations[word] || (len([]rune(word)) == 1 && isLetter([]rune(word)[0])) {
				continue
			}
		}
		out = append(out, strings.TrimSpace(string(rs[start:j])))
		start = k
		i = k - 1
	}
	if rest := strings.TrimSpace(string(rs[start:])); rest != "" {
		out = append(out, rest)
	}
	return out
}

// paragraphs groups the sentences of one-line text into paragraphs of two
// to four sentences, closing one once it is long enough to read as such.
func paragraphs(text string) []string {
	var groups [][]string
	var cur []string
	n := 0
	for _, s := range sentences(text) {
		cur = append(cur, s)
		n += len(s)
		if len(cur) == 4 || (len(cur) >= 2 && n >= 300) {
			groups = append(groups, cur)
			cur, n = nil, 0
		}
	}
	// A lone last sentence joins the previous paragraph if that has room.
	if len(cur) == 1 && len(groups) > 0 && len(groups[len(groups)-1]) < 4 {
		groups[len(groups)-1] = append(groups[len(groups)-1], cur[0])
		cur = nil
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = strings.Join(g, " ")
	}
	return out
}

func isUpper(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'À' && r <= 'Þ' || r >= 'А' && r <= 'Я'
}
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
