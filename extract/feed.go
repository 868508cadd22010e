package extract

import "unicode/utf8"

// Choice is what Choose decided.
type Choice struct {
	Text       string
	SourceUsed string // SourcePage or SourceFeed
}

// Choose picks the text of an article from its feed's content (plain text,
// as from Fragment) and its page's extraction (pageText; "" when the page
// was not fetched or yielded nothing). A feed that carries the full text is
// used when the source prefers feeds (preferFeed); otherwise the page is
// used unless it is much shorter than the feed's text (less than half: a
// paywall, a consent wall, or an extraction that missed the body), in which
// case the fuller feed text wins. It is pure: no I/O, no clock.
func Choose(feedText, pageText string, preferFeed bool) Choice {
	f, p := utf8.RuneCountInString(feedText), utf8.RuneCountInString(pageText)
	switch {
	case p == 0 && f == 0:
		return Choice{SourceUsed: SourcePage}
	case p == 0:
		return Choice{Text: feedText, SourceUsed: SourceFeed}
	case f == 0:
		return Choice{Text: pageText, SourceUsed: SourcePage}
	case preferFeed && f >= fullFeed:
		return Choice{Text: feedText, SourceUsed: SourceFeed}
	case p*2 < f:
		return Choice{Text: feedText, SourceUsed: SourceFeed}
	}
	return Choice{Text: pageText, SourceUsed: SourcePage}
}

// fullFeed is the length in characters from which a feed item's content
// is taken to be the article rather than a teaser.
const fullFeed = 500
