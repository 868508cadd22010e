package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// para is one paragraph of extracted text with what the walk learnt of it.
type para struct {
	text  string
	tag   string // the block element that holds it: p, h2, li, ...
	links int    // bytes of the text that are inside links
}

// blocks are the elements whose text forms a paragraph of its own.
var blocks = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "blockquote": true, "pre": true, "dt": true, "dd": true, "figcaption": true,
	"tr": true, "div": true, "section": true, "article": true, "ul": true, "ol": true, "dl": true,
	"table": true, "figure": true, "header": true, "footer": true, "aside": true, "main": true,
	"address": true, "center": true, "details": true, "summary": true, "caption": true,
	"hr": true, "nav": true, "form": true, "fieldset": true, "td": false, "th": false,
}

// skipped are elements whose text is never article text.
var skipped = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true, "button": true,
	"select": true, "option": true, "textarea": true, "input": true, "iframe": true, "object": true,
	"embed": true, "canvas": true, "math": true, "head": true, "title": true, "meta": true, "link": true,
	// Ruby annotations are readings of the base text (furigana), which
	// would otherwise run into it.
	"rt": true, "rp": true,
	// Captions are credits and descriptions of photos, not article text.
	"figcaption": true,
}

// skippedInRaw are elements skipped when walking a subtree readability has
// not cleaned (the fallback, a rule's Keep match): page chrome.
var skippedInRaw = map[string]bool{
	"nav": true, "aside": true, "footer": true, "form": true, "header": false,
}

// junkWords are words of class and id values of page chrome inside
// article containers: share bars, related links, comments, newsletter
// boxes, ads.
var junkWords = wordSet("share", "sharing", "social", "sharedaddy", "related", "comment", "comments",
	"commentlist", "respond", "newsletter", "subscribe", "subscription", "promo", "advert", "ad", "ads",
	"adslot", "sponsor", "sponsored", "cookie", "consent", "breadcrumb", "breadcrumbs", "pagination", "pager",
	"tags", "tagcloud", "taglist", "authorbio", "byline", "postmeta", "entrymeta", "widget", "sidebar",
	"toolbar", "print", "skip", "hidden", "modal", "popup", "paywall", "recirc", "outbrain", "taboola",
	"navigation", "navbar", "menu", "footer")

// wordSet builds a set of lower-case words.
func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// hasWord reports whether one of the words of an attribute value (split at
// spaces, hyphens and underscores, lower-cased) is in set.
func hasWord(val string, set map[string]bool) bool {
	start := -1
	var buf [32]byte
	for i := 0; i <= len(val); i++ {
		var c byte = ' '
		if i < len(val) {
			c = val[i]
		}
		if c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\n' {
			if start >= 0 && i-start <= len(buf) {
				w := buf[:0]
				for _, b := range []byte(val[start:i]) {
					if 'A' <= b && b <= 'Z' {
						b += 'a' - 'A'
					}
					w = append(w, b)
				}
				if set[string(w)] {
					return true
				}
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	return false
}

// paragraphs flattens n into paragraphs of plain text: each block element
// ends the paragraph being built, so nested blocks never run together, and
// inline text is joined with single spaces. raw says that n was not
// cleaned by readability, so page chrome is skipped here.
func paragraphs(n *html.Node) []para {
	return walkParas(n, false)
}

func walkParas(n *html.Node, raw bool) []para {
	if n == nil {
		return nil
	}
	var out []para
	var cur strings.Builder
	links, tag := 0, ""
	flush := func() {
		s := cur.String()
		if strings.Contains(s, "\u00ad") {
			// Soft hyphens mark where a word may break; they are not text.
			s = strings.ReplaceAll(s, "\u00ad", "")
		}
		if p := strings.Join(strings.Fields(s), " "); p != "" {
			out = append(out, para{text: p, tag: tag, links: min(links, len(p))})
		}
		cur.Reset()
		links, tag = 0, ""
	}
	inLink := 0
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		switch n.Type {
		case html.TextNode:
			if inLink > 0 {
				links += len(strings.TrimSpace(n.Data)) + 1
			}
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped[n.Data] || hidden(n) {
				return
			}
			if raw && depth > 0 && (skippedInRaw[n.Data] || chrome(n)) {
				return
			}
			switch n.Data {
			case "br":
				cur.WriteByte(' ')
				return
			case "a":
				inLink++
				defer func() { inLink-- }()
			}
		case html.CommentNode, html.DoctypeNode:
			return
		}
		if depth > maxDepth*2 {
			return
		}
		isBlock := n.Type == html.ElementNode && blocks[n.Data]
		if isBlock {
			flush()
			tag = n.Data
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
			if isBlock && tag == "" {
				// A nested block flushed; the rest is still ours.
				tag = n.Data
			}
		}
		if isBlock {
			flush()
		}
	}
	walk(n, 0)
	flush()
	return out
}

// hidden reports whether the page hides n from readers.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			s := strings.ToLower(a.Val)
			if strings.Contains(s, "display:none") || strings.Contains(s, "display: none") ||
				strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

// chrome reports whether n's class, id or role names page chrome.
func chrome(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "class", "id":
			if hasWord(a.Val, junkWords) {
				return true
			}
		case "role":
			switch a.Val {
			case "navigation", "complementary", "banner", "contentinfo", "dialog", "alert":
				return true
			}
		case "itemprop":
			if a.Val == "articleBody" {
				return false
			}
		}
	}
	return false
}

// bestFallback returns the element most likely to hold the article when
// readability misses it: the schema.org articleBody, else the <article>
// (or <main>) with the most paragraph text, else the element with the most
// text in direct paragraph children. Returns nil if the page has no such
// element.
func bestFallback(doc *html.Node) *html.Node {
	var body, best, article *html.Node
	bestScore, articleScore := 0, 0
	var walk func(*html.Node, int) int
	// walk returns the text bytes of the <p> elements under n, and scores
	// each element by the text of its direct <p> children.
	walk = func(n *html.Node, depth int) int {
		if n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return 0
		}
		if n.Type == html.ElementNode && (skipped[n.Data] || n.Data == "nav" || n.Data == "footer") {
			return 0
		}
		if depth > maxDepth*2 {
			return 0
		}
		if n.Type == html.ElementNode && body == nil && attr(n, "itemprop") == "articleBody" {
			body = n
		}
		total, direct := 0, 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == "p" {
				l := textLen(c)
				direct += l
				total += l
				continue
			}
			total += walk(c, depth+1)
		}
		if direct > bestScore {
			best, bestScore = n, direct
		}
		if n.Type == html.ElementNode && (n.Data == "article" || n.Data == "main") && total > articleScore {
			article, articleScore = n, total
		}
		return total
	}
	walk(doc, 0)
	switch {
	case body != nil:
		return body
	case article != nil && articleScore >= bestScore:
		return article
	}
	return best
}

// textLen is the length of n's text, skipping scripts and styles.
func textLen(n *html.Node) int {
	l := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			l += len(strings.TrimSpace(n.Data))
			return
		}
		if n.Type == html.ElementNode && skipped[n.Data] {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return l
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the whitespace-normalised text of paragraphs.
func textLenOf(ps []para) int {
	l := 0
	for _, p := range ps {
		l += len(p.text) - p.links
	}
	return l
}

// better reports whether the fallback's paragraphs fb should replace
// readability's rd: when readability found much less text outside links,
// or much less prose (see proseLen).
func better(fb, rd []para) bool {
	f, r := textLenOf(fb), textLenOf(rd)
	if f > 0 && r*2 < f {
		return true
	}
	// Readability's block may be long but not prose (a list of names, a
	// row of teasers): a clear margin of running text decides.
	pf, pr := prose(fb), prose(rd)
	return pf >= 200 && pr*3 < pf*2
}

// Promotional, sharing and navigation lines that sit inside article bodies
// in many languages. They must match the whole paragraph.
var junkLine = lazyBounded(`(?i)^(` +
	`(share|teilen|partager|compartir|condividi)( (this|on|via|article|artikel|story|post))?.{0,40}|` +
	`(like|follow) us on .{0,60}|` +
	`(subscribe|sign up|register|log in|login)( now| today| here)?( to| for)?.{0,120}|` +
	`(jetzt )?(abonnieren|anmelden|registrieren).{0,80}|` +
	`.{0,60}(newsletter).{0,60}(abonnieren|subscribe|sign up|anmelden|inscri).{0,60}|` +
	`.{0,40}\b(cookies?)\b.{0,40}\b(accept|akzeptier|consent|zustimm|privacy|datenschutz).{0,120}|` +
	`(tags?|schlagwörter|schlagworte|stichworte|themen|filed under|categories|kategorien?|posted in|abgelegt unter)\s*:.{0,200}|` +
	`(this entry was posted|dieser eintrag wurde).{0,200}|` +
	`(leave a (comment|reply)|kommentar (schreiben|hinterlassen)|kommentare? (geschlossen|deaktiviert)|comments? (are )?closed|no comments( yet)?|keine kommentare).{0,40}|` +
	`(\d+ )?(comments?|kommentare?|replies|antworten)\s*:?|` +
	`(previous|next) (post|article|story)\b.{0,120}|(vorheriger|nächster) (beitrag|artikel)\b.{0,120}|` +
	`(auch|mehr|more|also) (auf|on|from|bei) [\w.-]+\.\w{2,}.{0,40}|` +
	`(zum|zur) (artikel|startseite|übersicht).{0,40}|zur person|` +
	`(mehr|weiterlesen|lesen sie (auch|mehr)|read (more|next|also)|continue reading|leer más|lire (aussi|la suite)|le puede interesar|te puede interesar|también te puede interesar|à lire aussi|lesen sie auch)\b.{0,160}|` +
	`(print|drucken|e-?mail|mail|whatsapp|facebook|twitter|linkedin|pinterest|xing|telegram|reddit|flipboard)( |$|,|\|)*` +
	`)$`)

var (
	// tailMarker is a heading that starts the list of other articles after
	// the article: what follows it is not the article.
	tailMarker = lazyRegexp(`(?i)^(related( articles| stories| posts| content)?|more (from|stories|on this|articles|news)\b.{0,40}|read (more|next)|recommended( for you)?|you (may|might) (also )?like|most (read|popular)|trending|latest (news|stories|articles)|neueste (artikel|beiträge)|auch interessant|das (könnte|dürfte) sie( auch)? interessieren|schon gelesen|weitere (artikel|beiträge|nachrichten|news)|mehr (zum thema|aus|zu)\b.{0,40}|zum weiterlesen|meistgelesen|meist-?(gelesen|diskutiert)|ähnliche (artikel|beiträge)|lesen sie (auch|mehr)|te puede interesar|también te puede interesar|noticias relacionadas|à lire aussi|sur le même sujet|leggi anche|zobacz (też|także)|czytaj (też|także|więcej)|comments?|kommentare|\d+ (comments?|kommentare)|über (den|die) autor(in)?|about the authors?|weitere beiträge\b.{0,40}|neueste (artikel|beiträge|nachrichten)|das könnte dich( auch)? interessieren)\s*[:?!.]*$`)
	// dateLine is a paragraph that is only a date or a time.
	dateLine = lazyRegexp(`(?i)^[\p{L}]{0,12},?\s*[\d\s.:/,-]{2,30}\s*(am|pm|uhr|h|horas?)?\s*$|^\d{1,2}:\d{2}(\s*(am|pm|uhr))?$`)
	// bylineLine is a paragraph that is only a byline.
	bylineLine = lazyRegexp(`(?i)^(by|von|par|por|di|door|av|autor:?|author:?|text:?)\s+\p{Lu}[\p{L}.'’-]*(\s+(\p{Lu}[\p{L}.'’-]*|de|da|van|von|der|la|le)){0,4}\.?$`)
	// creditLine is a paragraph that credits a photo or names a source.
	creditLine = lazyRegexp(`(?i)^[(\[]?\s*(fotos?|photos?|bilder?|images?|crédito|credits?|quellen?|sources?|źródło|fuente|fonte|foto ?credit|bildquelle)\s*(:|via\b|\|)`)
)

// dropBoilerplateLines removes the paragraphs that are boilerplate by their
// form: share, subscribe and cookie lines; short lines that are mostly
// links (navigation, related-article lists); lines of one word or date that
// repeat the page's chrome.
func dropBoilerplateLines(ps []para) []para {
	out := ps[:0]
	total := len(ps)
	for i, p := range ps {
		n := utf8.RuneCountInString(p.text)
		if n <= 80 && i*2 >= total && i >= 2 && tailMarker().MatchString(p.text) {
			break
		}
		if n <= 200 && junkLine.MatchString(p.text) {
			continue
		}
		if n <= 60 && (dateLine().MatchString(p.text) || bylineLine().MatchString(p.text)) {
			continue
		}
		if n <= 150 && creditLine().MatchString(p.text) {
			continue
		}
		if n <= 30 && labelLine(p.text) {
			continue
		}
		if p.links > 0 && float64(p.links) > 0.6*float64(len(p.text)) && n < 120 && !isHeading(p.tag) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// labelLine reports whether p is a label of a few words ending in a
// colon ("Kontakt:", "Release Date:", "Von:"): what it introduced, a
// form field or a metadata value, is not in the paragraph.
func labelLine(p string) bool {
	return strings.HasSuffix(p, ":") && len(strings.Fields(p)) <= 2
}

func isHeading(tag string) bool {
	return len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'
}

// texts returns the paragraphs' text.
func texts(ps []para) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.text
	}
	return out
}
