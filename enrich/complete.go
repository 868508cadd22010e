package enrich

import (
	"slices"
	"strings"
	"unicode"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich/ner"
)

// CompleteForms proposes merge rules so that, across the corpus, the most
// complete frequent form of a person's name wins: a tag that is the last
// words of a longer tag ("Putin" of "VladimirPutin", "Witkoff" of
// "SteveWitkoff") is merged into it when the longer form names a person
// (isPerson, given the name in words: "Steve Witkoff"; surnames are what
// articles shorten, while "Bank" is not "World Bank"), is frequent (at
// least 2 articles and a quarter of the short form's) and dominant (three
// times any other longer form). counts are tags with their article counts;
// the result is sorted by name.
func CompleteForms(counts []taglines.TagCount, isPerson func(name string) bool) []taglines.TagRule {
	type candidate struct {
		tag   taglines.TagCount
		words []string
	}
	all := make([]candidate, 0, len(counts))
	for _, c := range counts {
		all = append(all, candidate{c, camelWords(c.Name)})
	}
	var rules []taglines.TagRule
	for _, short := range all {
		if len(short.words) == 0 {
			continue
		}
		var best, second int
		var bestTag taglines.TagCount
		for _, long := range all {
			if len(long.words) <= len(short.words) || !hasSuffixWords(long.words, short.words) {
				continue
			}
			switch n := long.tag.Count; {
			case n > best:
				second, best, bestTag = best, n, long.tag
			case n > second:
				second = n
			}
		}
		if best >= 2 && best*4 >= short.tag.Count && best >= 3*second && isPerson(strings.Join(splitCamel(bestTag.Name), " ")) {
			rules = append(rules, taglines.TagRule{Kind: taglines.TagMerge, Name: short.tag.Name, Target: bestTag.Name})
		}
	}
	slices.SortFunc(rules, func(a, b taglines.TagRule) int { return strings.Compare(a.Name, b.Name) })
	return rules
}

// camelWords splits a hashtag's display form into its words
// ("VladimirPutin" → vladimir, putin); a name with a dot (a domain) is one
// word.
func camelWords(name string) []string {
	if strings.Contains(name, ".") {
		return []string{strings.ToLower(name)}
	}
	words := splitCamel(name)
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return words
}

// splitCamel splits a hashtag's display form at its capitals, keeping
// their case ("SteveWitkoff" → Steve, Witkoff).
func splitCamel(name string) []string {
	var words []string
	start := 0
	runes := []rune(name)
	for i := 1; i <= len(runes); i++ {
		if i == len(runes) || unicode.IsUpper(runes[i]) && !unicode.IsUpper(runes[i-1]) {
			words = append(words, string(runes[start:i]))
			start = i
		}
	}
	return words
}

func hasSuffixWords(long, short []string) bool {
	off := len(long) - len(short)
	for i, w := range short {
		if long[off+i] != w {
			return false
		}
	}
	return true
}

// PersonName returns an isPerson for CompleteForms backed by the entity
// model: the name, in a neutral sentence, must come out as one person.
func PersonName(m *ner.Model) func(name string) bool {
	return func(name string) bool {
		text := name + " said on Monday."
		for _, e := range m.Entities(text) {
			if e.Start == 0 && e.End == len(name) && e.Type == ner.PER {
				return true
			}
		}
		return false
	}
}
