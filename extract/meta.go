package extract

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
	"golang.org/x/net/html"
)

// meta is what one walk over the document learnt of its metadata, read
// before readability mutates the tree. Candidates are kept in document
// order; fill chooses among them.
type meta struct {
	titleTag, ogTitle, twTitle, ldHeadline, itemHeadline string
	h1                                                   []string
	siteName, appName, ldPublisher                       string
	description, ogDescription, ldDescription            string
	image, ldImage                                       string
	canonical, ogURL                                     string
	lang, ogLocale, httpLang                             string

	// published and modified date candidates, best source first.
	ldPublished, metaPublished, itemPublished, timePublished []string
	ldModified, metaModified, itemModified                   []string
	timeAny, dateText                                        []string
	// textDates are short text nodes with a year in them, in document
	// order; afterH1 counts those after the first <h1>.
	textDates []string
	// asideDates are the same in comments, related articles and
	// sidebars: a last resort.
	asideDates []string
	afterH1    int
	ldPageDate string
	// aside counts the open elements that hold comments, related
	// articles or sidebars: their dates and bylines are other posts'.
	aside int

	ldAuthors, metaAuthors, itemAuthors, relAuthors, bylines []string
}

// Meta names and properties of the publication date, in the order of trust.
var (
	publishedMeta = map[string]int{
		"article:published_time": 1, "og:published_time": 1, "og:article:published_time": 1,
		"datepublished": 1, "article.published": 2, "published_time": 2, "publish-date": 2,
		"publish_date": 2, "publishdate": 2, "pubdate": 2, "parsely-pub-date": 2, "sailthru.date": 3,
		"dc.date.issued": 2, "dcterms.issued": 2, "dc.date.created": 3, "dcterms.created": 3,
		"dc.date": 3, "dcterms.date": 3, "date": 3, "citation_publication_date": 2,
		"citation_date": 3, "cxenseparse:recs:publishtime": 3, "article:published": 2,
		"og:pubdate": 2, "originalpublicationdate": 2, "release_date": 3, "created": 4,
		"article_date_original": 2, "dc:date": 3, "datecreated": 3, "displaydate": 3,
	}
	modifiedMeta = map[string]bool{
		"article:modified_time": true, "og:updated_time": true, "og:modified_time": true,
		"datemodified": true, "dc.date.modified": true, "dcterms.modified": true,
		"last-modified": true, "lastmod": true, "article.updated": true, "revised": true,
	}
	authorMeta = map[string]bool{
		"author": true, "article:author": true, "parsely-author": true, "sailthru.author": true,
		"dc.creator": true, "dcterms.creator": true, "byl": true, "citation_author": true,
		"og:article:author": true, "twitter:creator": false, "dc:creator": true,
	}
	bylineWords = wordSet("byline", "author", "autor", "auteur", "authors", "writer", "vcard", "authorname", "creator")
	dateWords   = wordSet("date", "datum", "time", "published", "pubdate", "posted", "postdate", "entrydate",
		"dateline", "timestamp", "metadate", "fecha", "data", "datetime", "publishdate", "updated")
)

// readMeta walks doc once and collects the metadata candidates.
func readMeta(doc *html.Node, base *url.URL) *meta {
	m := &meta{afterH1: -1}
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth*2 {
			return
		}
		if n.Type == html.TextNode && len(m.textDates) < 60 {
			if t := strings.TrimSpace(n.Data); len(t) >= 6 && len(t) <= 160 && (hasYear(t) || shortDate().MatchString(t)) {
				if m.aside == 0 {
					m.textDates = append(m.textDates, t)
				} else if len(m.asideDates) < 20 {
					m.asideDates = append(m.asideDates, t)
				}
			}
			return
		}
		if n.Type == html.ElementNode && n.Data == "h1" && m.afterH1 < 0 {
			m.afterH1 = len(m.textDates)
		}
		aside := n.Type == html.ElementNode && asideContainer(n)
		if aside {
			m.aside++
			defer func() { m.aside-- }()
		}
		if n.Type == html.ElementNode {
			if !m.element(n) {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return m
}

// asideWords are words of the class or id of containers of comments,
// related articles and sidebars.
var asideWords = wordSet("comment", "comments", "commentlist", "respond", "related", "sidebar", "recirc")

// asideContainer reports whether n holds other posts than the article:
// comments, related articles, sidebars. A footer is not one: blogs put
// the post's date and author there.
func asideContainer(n *html.Node) bool {
	switch n.Data {
	case "aside":
		return true
	case "body", "html", "article", "main":
		return false
	}
	return hasWord(attr(n, "class"), asideWords) || hasWord(attr(n, "id"), asideWords)
}

// element reads one element; it returns false if its children hold
// nothing more to read.
func (m *meta) element(n *html.Node) bool {
	switch n.Data {
	case "html":
		if m.lang == "" {
			m.lang = attr(n, "lang")
			if m.lang == "" {
				m.lang = attr(n, "xml:lang")
			}
		}
	case "title":
		if m.titleTag == "" && n.Parent != nil && n.Parent.Data != "svg" {
			m.titleTag = innerText(n, 400)
		}
		return false
	case "meta":
		m.metaTag(n)
		return false
	case "link":
		rel := strings.ToLower(attr(n, "rel"))
		switch {
		case rel == "canonical" && m.canonical == "":
			m.canonical = attr(n, "href")
		case rel == "image_src" && m.image == "":
			m.image = attr(n, "href")
		}
		return false
	case "script":
		if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
			m.jsonLD(n.FirstChild.Data)
		}
		return false
	case "style", "noscript", "template", "svg":
		return false
	case "h1":
		if len(m.h1) < 4 {
			if t := innerText(n, 400); t != "" {
				m.h1 = append(m.h1, t)
			}
		}
	case "time":
		if m.aside > 0 {
			break
		}
		if dt := attr(n, "datetime"); dt != "" {
			m.timeAny = append(m.timeAny, dt)
			cls := strings.ToLower(attr(n, "class") + " " + attr(n, "itemprop"))
			_, pub := getAttr(n, "pubdate")
			if pub || strings.Contains(cls, "publish") || strings.Contains(cls, "datepublished") {
				m.timePublished = append(m.timePublished, dt)
			}
		} else if t := innerText(n, 100); t != "" {
			m.dateText = append(m.dateText, t)
		}
	}
	if ip := attr(n, "itemprop"); ip != "" {
		val := attr(n, "content")
		if val == "" {
			val = attr(n, "datetime")
		}
		switch strings.ToLower(ip) {
		case "datepublished":
			if val == "" {
				val = innerText(n, 100)
			}
			m.itemPublished = append(m.itemPublished, val)
		case "datemodified":
			if val == "" {
				val = innerText(n, 100)
			}
			m.itemModified = append(m.itemModified, val)
		case "headline":
			if m.itemHeadline == "" && n.Data != "meta" {
				m.itemHeadline = innerText(n, 400)
			}
		case "author", "creator":
			if name := itemName(n); name != "" {
				m.itemAuthors = append(m.itemAuthors, name)
			}
		}
	}
	if n.Data == "a" && strings.Contains(strings.ToLower(attr(n, "rel")), "author") {
		if t := innerText(n, 100); t != "" {
			m.relAuthors = append(m.relAuthors, t)
		}
	}
	cls := attr(n, "class") + " " + attr(n, "id")
	if len(cls) > 1 && m.aside == 0 && n.Data != "body" && n.Data != "html" && n.Data != "article" {
		if len(m.bylines) < 4 && hasWord(cls, bylineWords) {
			if t := innerText(n, 200); t != "" && utf8.RuneCountInString(t) < 120 {
				m.bylines = append(m.bylines, t)
			}
		}
		if len(m.dateText) < 8 && hasWord(cls, dateWords) {
			if t := attr(n, "title"); t != "" && hasYear(t) {
				m.dateText = append(m.dateText, t)
			}
			if t := innerText(n, 200); t != "" && utf8.RuneCountInString(t) < 120 {
				m.dateText = append(m.dateText, t)
			}
		}
	}
	return true
}

// hasYear reports whether s holds a four-digit year from 1995 to 2099 as
// a word of its own.
func hasYear(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) &&
			(i == 0 || !isDigit(s[i-1])) && (i+4 == len(s) || !isDigit(s[i+4])) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func getAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// itemName is the name of a schema.org author element: its itemprop=name
// descendant, its content attribute, or its text.
func itemName(n *html.Node) string {
	if c := attr(n, "content"); c != "" {
		return c
	}
	var found string
	var walk func(*html.Node)
	walk = func(k *html.Node) {
		if found != "" {
			return
		}
		if k.Type == html.ElementNode && attr(k, "itemprop") == "name" {
			if found = attr(k, "content"); found == "" {
				found = innerText(k, 120)
			}
			return
		}
		for c := k.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	if found == "" {
		found = innerText(n, 120)
	}
	return found
}

func (m *meta) metaTag(n *html.Node) {
	key := attr(n, "property")
	if key == "" {
		key = attr(n, "name")
	}
	if key == "" {
		key = attr(n, "itemprop")
	}
	content := strings.TrimSpace(attr(n, "content"))
	if he := strings.ToLower(attr(n, "http-equiv")); he == "content-language" && m.httpLang == "" {
		m.httpLang = content
		return
	}
	if key == "" || content == "" {
		return
	}
	key = strings.ToLower(strings.TrimSpace(key))
	setOnce := func(p *string) {
		if *p == "" {
			*p = content
		}
	}
	switch key {
	case "og:title":
		setOnce(&m.ogTitle)
	case "twitter:title":
		setOnce(&m.twTitle)
	case "og:site_name":
		setOnce(&m.siteName)
	case "application-name":
		setOnce(&m.appName)
	case "description":
		setOnce(&m.description)
	case "og:description", "twitter:description":
		setOnce(&m.ogDescription)
	case "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src":
		setOnce(&m.image)
	case "og:url":
		setOnce(&m.ogURL)
	case "og:locale":
		setOnce(&m.ogLocale)
	case "language", "dc.language", "content-language":
		setOnce(&m.httpLang)
	}
	if _, ok := publishedMeta[key]; ok {
		m.metaPublished = append(m.metaPublished, key+"\x00"+content)
	}
	if modifiedMeta[key] {
		m.metaModified = append(m.metaModified, content)
	}
	if authorMeta[key] && !strings.Contains(content, "://") {
		m.metaAuthors = append(m.metaAuthors, content)
	}
}

// articleType matches the schema.org types of an article.
var articleType = lazyRegexp(`(?i)^(Article|NewsArticle|AnalysisNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|BackgroundNewsArticle|BlogPosting|LiveBlogPosting|SocialMediaPosting|DiscussionForumPosting|TechArticle|ScholarlyArticle|Report|SatiricalArticle|Review|Recipe|HowTo|Posting|Blog|VideoObject|PodcastEpisode|Event|Product|CreativeWork)$`)

// jsonLD reads the schema.org objects of one ld+json script: articles
// first, a WebPage's dates as a weaker hint.
func (m *meta) jsonLD(src string) {
	src = strings.TrimSpace(src)
	src = strings.TrimPrefix(src, "<!--")
	src = strings.TrimSuffix(src, "-->")
	src = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(src), "//<![CDATA["), "//]]>"))
	var v any
	if err := json.Unmarshal([]byte(src), &v); err != nil {
		return
	}
	m.ldValue(v, 0)
}

func (m *meta) ldValue(v any, depth int) {
	if depth > 6 {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			m.ldValue(e, depth+1)
		}
	case map[string]any:
		if g, ok := v["@graph"]; ok {
			m.ldValue(g, depth+1)
		}
		types := ldTypes(v["@type"])
		isArticle, isPage := false, false
		for _, t := range types {
			if articleType().MatchString(t) {
				isArticle = true
			}
			if strings.HasSuffix(t, "WebPage") || t == "WebSite" {
				isPage = true
			}
		}
		if isArticle {
			if s := ldString(v["headline"]); s != "" && m.ldHeadline == "" {
				m.ldHeadline = s
			} else if s := ldString(v["name"]); s != "" && m.ldHeadline == "" && len(types) > 0 && types[0] != "Product" {
				m.ldHeadline = s
			}
			if s := firstOf(ldString(v["datePublished"]), ldString(v["dateCreated"]), ldString(v["uploadDate"])); s != "" {
				m.ldPublished = append(m.ldPublished, s)
			}
			if s := ldString(v["dateModified"]); s != "" {
				m.ldModified = append(m.ldModified, s)
			}
			if m.ldAuthors == nil {
				m.ldAuthors = ldNames(v["author"], 0)
				if m.ldAuthors == nil {
					m.ldAuthors = ldNames(v["creator"], 0)
				}
			}
			if m.ldPublisher == "" {
				if n := ldNames(v["publisher"], 0); len(n) > 0 {
					m.ldPublisher = n[0]
				}
			}
			if m.ldImage == "" {
				m.ldImage = ldURL(v["image"], 0)
			}
			if m.ldDescription == "" {
				m.ldDescription = ldString(v["description"])
			}
			if mep, ok := v["mainEntityOfPage"].(map[string]any); ok {
				m.ldValue(mep, depth+1)
			}
		} else if isPage {
			if s := ldString(v["datePublished"]); s != "" && m.ldPageDate == "" {
				m.ldPageDate = s
			}
			if m.ldPublisher == "" {
				if n := ldNames(v["publisher"], 0); len(n) > 0 {
					m.ldPublisher = n[0]
				}
			}
		}
	}
}

func ldTypes(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func ldString(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(html.UnescapeString(v))
	case []any:
		if len(v) > 0 {
			return ldString(v[0])
		}
	}
	return ""
}

// ldNames returns the names of a schema.org Person, Organization, or a list
// of them, or plain strings.
func ldNames(v any, depth int) []string {
	if depth > 3 {
		return nil
	}
	var out []string
	switch v := v.(type) {
	case string:
		if s := strings.TrimSpace(v); s != "" && !strings.Contains(s, "://") {
			out = append(out, s)
		}
	case []any:
		for _, e := range v {
			out = append(out, ldNames(e, depth+1)...)
		}
	case map[string]any:
		if s := ldString(v["name"]); s != "" {
			out = append(out, s)
		} else if s := ldString(v["givenName"]); s != "" {
			out = append(out, strings.TrimSpace(s+" "+ldString(v["familyName"])))
		}
	}
	return out
}

func ldURL(v any, depth int) string {
	if depth > 3 {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			return ldURL(v[0], depth+1)
		}
	case map[string]any:
		if s := ldString(v["url"]); s != "" {
			return s
		}
		return ldString(v["contentUrl"])
	}
	return ""
}

// innerText is n's whitespace-normalised text, up to limit bytes.
func innerText(n *html.Node, limit int) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(k *html.Node) {
		if b.Len() > limit {
			return
		}
		switch k.Type {
		case html.TextNode:
			b.WriteString(k.Data)
			return
		case html.ElementNode:
			if skipped[k.Data] && k.Data != "title" {
				return
			}
			if k.Data == "br" || blocks[k.Data] {
				b.WriteByte(' ')
			}
		}
		for c := k.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	s := strings.Join(strings.Fields(b.String()), " ")
	if len(s) > limit {
		s = strings.ToValidUTF8(s[:limit], "")
	}
	return s
}

// fill chooses among the candidates and sets r's metadata. text is the
// extracted article text, used for the language when the page declares
// none.
func (m *meta) fill(r *Result, byline string, text string, base *url.URL) {
	r.SiteName = firstOf(m.siteName, m.ldPublisher, m.appName)
	r.Title = m.title(r.SiteName, base)
	if r.SiteName == "" && base != nil {
		r.SiteName = strings.TrimPrefix(base.Hostname(), "www.")
	}
	r.Description = norm(firstOf(m.ogDescription, m.description, m.ldDescription))
	r.Image = absURL(base, firstOf(m.image, m.ldImage))
	r.CanonicalURL = absURL(base, firstOf(m.canonical, m.ogURL))
	r.Language = m.language(text)
	r.Published = m.published(base)
	r.Modified = firstDate(m.ldModified, m.metaModified, m.itemModified)
	if !r.Modified.IsZero() && !r.Published.IsZero() && r.Modified.Before(r.Published) {
		r.Modified = time.Time{}
	}
	r.Authors = m.authors(byline, r.SiteName, base)
	if len(r.Authors) > 0 {
		r.Author = r.Authors[0]
	}
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

// absURL resolves ref against base; it returns "" for a ref that is not
// an http(s) URL once resolved.
func absURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.IsAbs() && u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	if !u.IsAbs() && base != nil {
		return ""
	}
	return u.String()
}

// language is the page's declared language as an ISO 639-1 code, else the
// one whatlanggo detects in text when it is reliable.
func (m *meta) language(text string) string {
	for _, l := range []string{m.lang, m.httpLang, m.ogLocale} {
		l = strings.ToLower(strings.TrimSpace(l))
		if i := strings.IndexAny(l, "-_,; "); i > 0 {
			l = l[:i]
		}
		if len(l) >= 2 && len(l) <= 3 && isLetters(l) {
			return l
		}
	}
	if len(text) < 40 {
		return ""
	}
	sample := text[:min(len(text), 2000)]
	info := whatlanggo.Detect(strings.ToValidUTF8(sample, ""))
	if info.IsReliable() {
		return info.Lang.Iso6391()
	}
	return ""
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}
