package extract

import (
	"regexp"
	"strings"
)

// Boilerplate that survives page-level extraction because publishers put it
// inside the article body. These are patterns of kinds of junk, not of
// particular sites: ad slot labels, photo credits, subscription pitches,
// newsletter and "read more" prompts, wire-copy placeholders.
var (
	// junkParagraph matches a whole paragraph that is only boilerplate.
	junkParagraph = lazyBounded(`(?i)^(` +
		`advertisement|advertising|sponsored( content)?|ad|` +
		`(photo|image|picture)?\s*credit:.*|` +
		`\(?\s*(ap|afp|reuters|getty images|epa|ani|pti)\s*(photo|images)?\s*\)?|` +
		`(read|see) (more|also)\b.{0,120}|related( articles| stories)?:?.{0,200}|` +
		`(sign up|subscribe)\b.{0,200}(newsletter|subscription|free|inbox).{0,120}|` +
		`.{0,80}\b(try|get)\b.{0,60}\bfree for \d+ (day|week|month)s?\b.{0,200}|` +
		`(share|follow us)( on| this)?\b.{0,60}|` +
		`to follow\.?|(this|the) (story|article) (will be|is being) updated\.?|` +
		`(copyright|©).{0,120}(all rights reserved)?\.?` +
		`)$`)
	// junkInline matches boilerplate run into article sentences, as when an
	// ad label or a photo credit sits between two paragraphs of the source.
	junkInline = []struct {
		hint []string // one must occur for the pattern to be tried
		re   func() *regexp.Regexp
	}{
		{[]string{"Advertisement"}, lazyRegexp(`(^|[.!?'"’”]\s+)Advertisement\s+`)},
		// An ad label where a paragraph ended: "peace deal Advertisement".
		{[]string{"Advertisement"}, lazyRegexp(`(\s)Advertisement\s*$`)},
		{[]string{"TO FOLLOW"}, lazyRegexp(`(\s)TO FOLLOW\.?\s*$`)},
		{[]string{"AP", "AFP", "Reuters", "Getty", "EPA", "Bloomberg"}, lazyRegexp(`()\s*\(\s*(?:(?:Photo|Image|Picture)\s*:\s*)?(?:AP|AFP|Reuters|Getty Images|EPA|Bloomberg)\s*(?:Photo|Images|Pictures)?\s*(?:[:/][^()]{0,40})?\)`)},
		{[]string{"Credit:"}, lazyRegexp(`(^|[.!?'"’”]\s+)(Photo |Image )?Credit:\s*`)},
		// A promotion sentence pitching a free trial or a newsletter.
		{[]string{"free for", "newsletter", "unlimited access"}, lazyRegexp(`(^|[.!?'"’”]\s+)([A-Z][^.!?]{0,120}\b(journalism|reporting|subscribers?)\b[^.!?]{0,40}[.!?]\s+)?(Try|Get|Sign up|Subscribe)\b[^.!?]{0,120}\b(free for \d+ (day|week|month)s?|newsletter|unlimited access)\b[^.!?]*[.!?]`)},
	}
)

// maxJunkParagraph is longer than any paragraph junkParagraph can match.
const maxJunkParagraph = 600

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// Clean drops boilerplate paragraphs, strips boilerplate run into sentences,
// and joins the paragraphs with blank lines.
func Clean(paras []string) string {
	out := make([]string, 0, len(paras))
	for _, p := range paras {
		p = strings.TrimSpace(p)
		if p == "" || len(p) < maxJunkParagraph && junkParagraph.MatchString(p) {
			continue
		}
		for _, j := range junkInline {
			if containsAny(p, j.hint) {
				p = j.re().ReplaceAllString(p, "$1")
			}
		}
		p = strings.Join(strings.Fields(p), " ")
		if p == "" || len(p) < maxJunkParagraph && junkParagraph.MatchString(p) {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, "\n\n")
}
