// Package enrich gives articles their hashtags and section. For now the
// tags come from what the publisher's feed says (categories, keywords);
// the entity tagger and topic rules deepen this stage.
package enrich

import (
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
