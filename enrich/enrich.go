// Package enrich gives articles their hashtags and section. For now the
// tags come from what the publisher's feed says (categories, keywords);
// the entity tagger and topic rules deepen this stage.
package enrich

import (
	"slices"
	"strings"

	"github.com/taglines/taglines"
)

// MaxTags is the most tags an article keeps: precision over recall.
const MaxTags = 10

// SureSection is the section classifier's probability below which it is
// unsure of an article's section: ingest asks the source's usual section
// then.
const SureSection = 0.6

// sections maps the lower-cased labels publishers use for their sections to
// the section names taglines shows.
var sections = map[string]string{
	"politics": "Politics", "world": "World", "world news": "World", "international": "World",
	"business": "Business", "economy": "Business", "markets": "Business", "finance": "Business",
	"technology": "Technology", "tech": "Technology", "science": "Science",
	"health": "Health", "sport": "Sports", "sports": "Sports",
	"entertainment": "Entertainment", "culture": "Entertainment", "arts": "Entertainment",
	"opinion": "Opinion", "comment": "Opinion", "editorial": "Opinion",
}

// urlSections maps the folder names publishers file articles under in
// their URLs (/sport/football/..., /world/europe/..., /film/...) to
// sections, besides the labels of sections. Unlike a feed's categories
// they are not tags, so names of subjects (football, film) can be here.
var urlSections = map[string]string{
	"news-world": "World", "world-news": "World", "worldnews": "World", "global": "World",
	"europe": "World", "asia": "World", "africa": "World", "americas": "World", "middle-east": "World",
	"middleeast": "World", "asia-pacific": "World", "australia-news": "World",
	"uk-politics": "Politics", "us-politics": "Politics", "elections": "Politics", "election": "Politics",
	"money": "Business", "companies": "Business", "industry": "Business", "business-news": "Business",
	"science-environment": "Science", "environment": "Science", "climate": "Science", "space": "Science",
	"wellness": "Health", "health-news": "Health",
	"gadgets": "Technology", "tech-news": "Technology", "technology-news": "Technology",
	"football": "Sports", "soccer": "Sports", "cricket": "Sports", "rugby-union": "Sports",
	"rugby-league": "Sports", "rugby": "Sports", "tennis": "Sports", "golf": "Sports", "formula1": "Sports",
	"motorsport": "Sports", "athletics": "Sports", "boxing": "Sports", "cycling": "Sports", "nba": "Sports",
	"nfl": "Sports", "mlb": "Sports", "nhl": "Sports",
	"film": "Entertainment", "movies": "Entertainment", "music": "Entertainment", "tv": "Entertainment",
	"tv-and-radio": "Entertainment", "television": "Entertainment", "books": "Entertainment",
	"celebrity": "Entertainment", "showbiz": "Entertainment", "entertainment-arts": "Entertainment",
	"stage": "Entertainment", "theatre": "Entertainment", "lifestyle": "Entertainment",
}

// URLSection returns the section an article's URL path files it under:
// the first folder that is a section's label or a publisher's folder for
// one (see urlSections), or "". A BBC-style slug ("world-europe-12345")
// counts by its words before the number.
func URLSection(path string) string {
	folder := func(name string) string {
		if s, ok := sections[name]; ok {
			return s
		}
		return urlSections[name]
	}
	for _, seg := range strings.Split(strings.ToLower(path), "/") {
		if s := folder(seg); s != "" {
			return s
		}
		// "world-europe-68500000": the slug's words, longest first.
		if i := strings.LastIndexByte(seg, '-'); i > 0 && isDigits(seg[i+1:]) {
			// A desk is a word or three ("world-us-canada"); more, or a
			// number among them, is a headline's slug.
			words := strings.Split(seg[:i], "-")
			if len(words) > 3 || slices.ContainsFunc(words, isDigits) {
				continue
			}
			for n := len(words); n > 0; n-- {
				if s := folder(strings.Join(words[:n], "-")); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Section returns the section named by the first category that is a known
// section label, or "" if none is.
func Section(categories []string) string {
	for _, c := range categories {
		if s, ok := sections[strings.ToLower(strings.TrimSpace(c))]; ok {
			return s
		}
	}
	return ""
}

// FeedTags turns a feed item's categories into hashtags, in the feed's
// order, without duplicates (case-insensitively) and without the labels
// that name a section, which is shown apart from tags.
func FeedTags(categories []string) []taglines.Tag {
	var tags []taglines.Tag
	seen := map[string]bool{}
	for _, c := range categories {
		if _, isSection := sections[strings.ToLower(strings.TrimSpace(c))]; isSection {
			continue
		}
		t, ok := taglines.NewTag(c)
		if !ok || seen[t.Slug] {
			continue
		}
		seen[t.Slug] = true
		tags = append(tags, t)
		if len(tags) == MaxTags {
			break
		}
	}
	return tags
}
