package testpub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Boilerplate strings of article pages, exported so tests elsewhere can
// assert that extraction removes them.
const (
	BoilerAdvertisement = "Advertisement"
	BoilerTelegraph     = "Broaden your horizons with award-winning British journalism. Try The Telegraph free for 1 month with unlimited access to our award-winning website, exclusive app, money-saving offers and more."
	BoilerNewsletter    = "Sign up to our newsletter"
	BoilerCookies       = "We use cookies to improve your experience, personalise content and ads, and analyse our traffic."
	BoilerReadMore      = "Read more"
)

var navSections = []string{"World", "Politics", "Business", "Technology", "Science", "Sport", "Entertainment", "Opinion"}

var photographers = []string{"Anna Petrova", "James Holt", "Maria Lopez", "Tom Nguyen", "Sara Klein", "David Osei"}

// caption returns the figure caption of a, in one of the credit styles
// that leak into extracted text.
func caption(p *Publisher, a *Article) string {
	h := hash64(p.Host, a.Path)
	who := photographers[h%uint64(len(photographers))]
	desc := []string{"File photo", "A general view", "Archive picture", "Illustration picture"}[(h>>8)%4]
	switch (h >> 16) % 4 {
	case 0:
		return desc + ". ( AP Photo )"
	case 1:
		return desc + ". Credit: Reuters/" + who
	case 2:
		return desc + ". (Photo by " + who + "/AFP via Getty Images)"
	}
	return desc + ". Photo: " + who + "/" + p.Name
}

// pageData is what every layout needs for one article page.
type pageData struct {
	n       *Network
	p       *Publisher
	a       *Article
	url     string
	image   string
	caption string
	related []*Article
	summary string
}

func (n *Network) renderPage(s *site, i int) []byte {
	a := s.items[i]
	d := &pageData{n: n, p: s.pub, a: a, url: n.ArticleURL(s.pub, a), caption: caption(s.pub, a), summary: a.Summary()}
	d.image = n.base(s.pub) + "/images/" + slug(a.ID, 4) + ".jpg"
	// Related links: the neighbours in time, skipping a itself.
	for _, k := range []int{i + 1, i - 1, i + 2, i + 3, i - 2} {
		if k >= 0 && k < len(s.items) && len(d.related) < 4 {
			d.related = append(d.related, s.items[k])
		}
	}
	var b bytes.Buffer
	b.Grow(8192 + 2*len(strings.Join(a.Paragraphs, "")))
	d.head(&b)
	switch s.pub.Layout {
	case LayoutMagazine:
		d.magazine(&b)
	case LayoutWire:
		d.wire(&b)
	default:
		d.newsroom(&b)
	}
	return b.Bytes()
}

func (d *pageData) jsonLD() string {
	type thing struct {
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url,omitempty"`
	}
	author := thing{Type: "Organization", Name: d.p.Name, URL: d.n.HomeURL(d.p)}
	if d.a.Author != "" {
		author = thing{Type: "Person", Name: d.a.Author}
	}
	ts := d.a.Published.UTC().Format(time.RFC3339)
	doc := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         d.a.Title,
		"description":      d.summary,
		"datePublished":    ts,
		"dateModified":     ts,
		"author":           []thing{author},
		"publisher":        thing{Type: "Organization", Name: d.p.Name, URL: d.n.HomeURL(d.p)},
		"image":            []string{d.image},
		"mainEntityOfPage": d.url,
		"articleSection":   d.a.Section,
		"keywords":         d.a.Categories,
		"inLanguage":       "en",
	}
	b, err := json.Marshal(doc) // escapes <, > and & so </script> cannot occur
	if err != nil {
		panic(err)
	}
	return string(b)
}

func (d *pageData) head(b *bytes.Buffer) {
	a, p := d.a, d.p
	ts := a.Published.UTC().Format(time.RFC3339)
	if p.Layout == LayoutWire {
		b.WriteString("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n")
	} else {
		b.WriteString("<!DOCTYPE html>\n")
	}
	b.WriteString("<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(b, "<title>%s | %s</title>\n", escape(a.Title), escape(p.Name))
	fmt.Fprintf(b, "<meta name=\"description\" content=\"%s\">\n<link rel=\"canonical\" href=\"%s\">\n", escape(cut(d.summary, 200)), escape(d.url))
	fmt.Fprintf(b, "<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"%s\">\n<meta property=\"og:site_name\" content=\"%s\">\n<meta property=\"og:url\" content=\"%s\">\n<meta property=\"og:image\" content=\"%s\">\n<meta property=\"og:description\" content=\"%s\">\n",
		escape(a.Title), escape(p.Name), escape(d.url), escape(d.image), escape(cut(d.summary, 200)))
	fmt.Fprintf(b, "<meta property=\"article:published_time\" content=\"%s\">\n<meta property=\"article:modified_time\" content=\"%s\">\n<meta property=\"article:section\" content=\"%s\">\n",
		ts, ts, escape(a.Section))
	for _, c := range a.Categories {
		fmt.Fprintf(b, "<meta property=\"article:tag\" content=\"%s\">\n", escape(c))
	}
	if a.Author != "" {
		fmt.Fprintf(b, "<meta name=\"author\" content=\"%s\">\n", escape(a.Author))
	}
	fmt.Fprintf(b, "<link rel=\"alternate\" type=\"%s\" title=\"%s\" href=\"%s\">\n",
		strings.SplitN(p.Format.ContentType(), ";", 2)[0], escape(p.Name), escape(d.n.FeedURL(p)))
	fmt.Fprintf(b, "<script type=\"application/ld+json\">%s</script>\n", d.jsonLD())
	b.WriteString("<style>body{font-family:Georgia,serif;margin:0}.ad{background:#eee;text-align:center;font:12px sans-serif}.cookie-banner{position:fixed;bottom:0}</style>\n")
	b.WriteString("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());</script>\n")
	b.WriteString("</head>\n")
}

func (d *pageData) byline() string {
	return d.a.Published.UTC().Format("2 January 2006, 15:04 UTC")
}

// adAfter reports whether an advertisement follows paragraph i.
func adAfter(i, n int) bool { return i < n-1 && i%3 == 1 }

func (d *pageData) newsroom(b *bytes.Buffer) {
	a, p := d.a, d.p
	b.WriteString("<body class=\"article-page\">\n")
	fmt.Fprintf(b, "<div id=\"cookie-banner\" class=\"cookie-banner\" role=\"dialog\"><p>%s By clicking \"Accept all\" you agree to our use of cookies. <a href=\"/cookies\">Cookie policy</a></p><button type=\"button\">Accept all</button> <button type=\"button\">Manage preferences</button></div>\n", BoilerCookies)
	fmt.Fprintf(b, "<header class=\"site-header\"><a class=\"logo\" href=\"/\">%s</a>\n<nav class=\"main-nav\" aria-label=\"Main\"><ul><li><a href=\"/\">Home</a></li>", escape(p.Name))
	for _, s := range navSections {
		fmt.Fprintf(b, "<li><a href=\"/%s/\">%s</a></li>", slug(s, 1), s)
	}
	b.WriteString("</ul></nav>\n<a class=\"subscribe\" href=\"/subscribe\">Subscribe</a> <a class=\"login\" href=\"/login\">Sign in</a></header>\n")
	b.WriteString("<main id=\"main\">\n<article class=\"story\">\n<header class=\"story-header\">\n")
	fmt.Fprintf(b, "<a class=\"kicker\" href=\"/%s/\">%s</a>\n<h1 class=\"headline\">%s</h1>\n", slug(a.Section, 3), escape(a.Section), escape(a.Title))
	if a.Author != "" {
		fmt.Fprintf(b, "<p class=\"byline\">By <a rel=\"author\" href=\"/authors/%s\">%s</a></p>\n", slug(a.Author, 4), escape(a.Author))
	}
	fmt.Fprintf(b, "<p class=\"dateline\"><time datetime=\"%s\">%s</time></p>\n", a.Published.UTC().Format(time.RFC3339), d.byline())
	d.share(b, "share-bar")
	b.WriteString("</header>\n")
	fmt.Fprintf(b, "<figure class=\"lead-image\"><img src=\"%s\" alt=\"%s\" width=\"1200\" height=\"675\"><figcaption>%s</figcaption></figure>\n",
		escape(d.image), escape(a.Title), escape(d.caption))
	b.WriteString("<div class=\"story-body\">\n")
	for i, para := range a.Paragraphs {
		fmt.Fprintf(b, "<p>%s</p>\n", escape(para))
		if adAfter(i, len(a.Paragraphs)) {
			fmt.Fprintf(b, "<div class=\"ad ad-inline\" aria-hidden=\"true\"><span class=\"ad-label\">%s</span><div id=\"ad-slot-%d\"></div></div>\n", BoilerAdvertisement, i)
		}
		if i == len(a.Paragraphs)/2 {
			fmt.Fprintf(b, "<aside class=\"promo promo-subscribe\"><p>%s</p><a href=\"/subscribe\">Start your free trial</a></aside>\n", BoilerTelegraph)
		}
	}
	b.WriteString("</div>\n<p class=\"topics\">Topics: ")
	for i, c := range a.Categories {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "<a href=\"/topics/%s\">%s</a>", slug(c, 4), escape(c))
	}
	b.WriteString("</p>\n")
	fmt.Fprintf(b, "<section class=\"related\"><h2>%s</h2><ul>\n", BoilerReadMore)
	d.links(b)
	b.WriteString("</ul></section>\n</article>\n")
	b.WriteString("<aside class=\"sidebar\"><section class=\"most-read\"><h2>Most read</h2><ol>\n")
	d.links(b)
	fmt.Fprintf(b, "</ol></section>\n<div class=\"ad ad-sidebar\">%s</div>\n", BoilerAdvertisement)
	fmt.Fprintf(b, "<section class=\"newsletter\"><h2>%s</h2><p>The day's top stories, every morning.</p><form action=\"/newsletter\" method=\"post\"><input type=\"email\" name=\"email\" placeholder=\"Email address\"><button>Sign up</button></form></section>\n</aside>\n</main>\n", BoilerNewsletter)
	d.footer(b, "site-footer")
	b.WriteString("</body>\n</html>\n")
}

func (d *pageData) magazine(b *bytes.Buffer) {
	a, p := d.a, d.p
	fmt.Fprintf(b, "<body class=\"post-template-default single single-post postid-%d single-format-standard\">\n", hash64(a.Path)%90000+10000)
	fmt.Fprintf(b, "<div id=\"cookie-notice\" class=\"gdpr-notice\"><span>%s</span> <a href=\"#\" class=\"cn-accept\">Accept</a> <a href=\"#\" class=\"cn-reject\">Reject</a> <a href=\"/privacy-policy/\">Privacy policy</a></div>\n", BoilerCookies)
	fmt.Fprintf(b, "<div id=\"page\" class=\"site\"><a class=\"skip-link screen-reader-text\" href=\"#content\">Skip to content</a>\n<header id=\"masthead\" class=\"site-header\"><div class=\"site-branding\"><p class=\"site-title\"><a href=\"/\" rel=\"home\">%s</a></p><p class=\"site-description\">News, analysis and opinion</p></div>\n", escape(p.Name))
	b.WriteString("<nav id=\"site-navigation\" class=\"main-navigation\"><button class=\"menu-toggle\" aria-controls=\"primary-menu\" aria-expanded=\"false\">Menu</button><ul id=\"primary-menu\" class=\"menu\">")
	for _, s := range navSections {
		fmt.Fprintf(b, "<li class=\"menu-item\"><a href=\"/category/%s/\">%s</a></li>", slug(s, 1), s)
	}
	b.WriteString("</ul></nav></header>\n<div id=\"content\" class=\"site-content\"><div id=\"primary\" class=\"content-area\"><main id=\"main\" class=\"site-main\">\n")
	fmt.Fprintf(b, "<article class=\"post type-post status-publish format-standard has-post-thumbnail category-%s\">\n<header class=\"entry-header\"><span class=\"cat-links\"><a href=\"/category/%s/\" rel=\"category tag\">%s</a></span>\n<h1 class=\"entry-title\">%s</h1>\n",
		slug(a.Section, 3), slug(a.Section, 3), escape(a.Section), escape(a.Title))
	fmt.Fprintf(b, "<div class=\"entry-meta\"><span class=\"posted-on\">Posted on <a href=\"%s\" rel=\"bookmark\"><time class=\"entry-date published\" datetime=\"%s\">%s</time></a></span>",
		escape(d.url), a.Published.UTC().Format(time.RFC3339), a.Published.UTC().Format("January 2, 2006"))
	if a.Author != "" {
		fmt.Fprintf(b, " <span class=\"byline\">by <span class=\"author vcard\"><a class=\"url fn n\" href=\"/author/%s/\">%s</a></span></span>", slug(a.Author, 4), escape(a.Author))
	}
	b.WriteString("</div></header>\n")
	fmt.Fprintf(b, "<div class=\"post-thumbnail\"><figure class=\"wp-block-image size-large\"><img src=\"%s\" alt=\"\" class=\"wp-post-image\" loading=\"lazy\"><figcaption class=\"wp-element-caption\">%s</figcaption></figure></div>\n",
		escape(d.image), escape(d.caption))
	b.WriteString("<div class=\"entry-content\">\n")
	for i, para := range a.Paragraphs {
		fmt.Fprintf(b, "<p>%s</p>\n", escape(para))
		if adAfter(i, len(a.Paragraphs)) {
			fmt.Fprintf(b, "<div class=\"code-block code-block-%d\" style=\"margin: 8px auto; text-align: center;\"><p class=\"ad-label\">%s</p><ins class=\"adsbygoogle\" data-ad-slot=\"%d\"></ins></div>\n", i, BoilerAdvertisement, 1000+i)
		}
		if i == 0 {
			fmt.Fprintf(b, "<div class=\"newsletter-signup\"><h3>%s</h3><p>Get the day's top stories in your inbox every morning.</p><form action=\"/subscribe\" method=\"post\"><input type=\"email\" name=\"email\" placeholder=\"Your email address\"><button type=\"submit\">Subscribe</button></form></div>\n", BoilerNewsletter)
		}
	}
	b.WriteString("</div>\n<footer class=\"entry-footer\"><span class=\"tags-links\">Tagged ")
	for i, c := range a.Categories {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "<a href=\"/tag/%s/\" rel=\"tag\">%s</a>", slug(c, 4), escape(c))
	}
	b.WriteString("</span></footer>\n")
	b.WriteString("<div class=\"sharedaddy sd-sharing-enabled\"><h3 class=\"sd-title\">Share this:</h3><ul>")
	for _, s := range []string{"Twitter", "Facebook", "LinkedIn", "Email", "Print"} {
		fmt.Fprintf(b, "<li><a class=\"share-%s sd-button\" href=\"/share/%s\" rel=\"nofollow noopener\"><span>%s</span></a></li>", slug(s, 1), slug(s, 1), s)
	}
	fmt.Fprintf(b, "</ul></div>\n<div id=\"jp-relatedposts\" class=\"jp-relatedposts\"><h3 class=\"jp-relatedposts-headline\"><em>%s</em></h3><ul>\n", BoilerReadMore)
	d.links(b)
	b.WriteString("</ul></div>\n</article>\n")
	b.WriteString("<div id=\"comments\" class=\"comments-area\"><h2 class=\"comments-title\">Leave a Reply</h2><p class=\"must-log-in\">You must be <a href=\"/wp-login.php\">logged in</a> to post a comment.</p></div>\n")
	b.WriteString("</main></div>\n<aside id=\"secondary\" class=\"widget-area\"><section class=\"widget widget_recent_entries\"><h2 class=\"widget-title\">Recent Posts</h2><ul>\n")
	d.links(b)
	fmt.Fprintf(b, "</ul></section>\n<section class=\"widget widget_text\"><div class=\"advert\">%s</div></section>\n<section class=\"widget widget_text\"><p>%s</p></section></aside></div>\n", BoilerAdvertisement, BoilerTelegraph)
	fmt.Fprintf(b, "<footer id=\"colophon\" class=\"site-footer\"><div class=\"site-info\">Copyright © %d %s | Powered by WordPress | <a href=\"/privacy-policy/\">Privacy policy</a></div></footer>\n</div>\n</body>\n</html>\n",
		a.Published.Year(), escape(p.Name))
}

func (d *pageData) wire(b *bytes.Buffer) {
	a, p := d.a, d.p
	b.WriteString("<body bgcolor=\"#ffffff\" topmargin=\"0\">\n")
	fmt.Fprintf(b, "<div id=\"cookieConsent\" class=\"cookie-bar\">%s <a href=\"/info/cookies.html\">More information</a> <input type=\"button\" value=\"OK\" onclick=\"acceptCookies()\"></div>\n", BoilerCookies)
	fmt.Fprintf(b, "<table width=\"100%%\" cellpadding=\"0\" cellspacing=\"0\" class=\"masthead\"><tr><td><a href=\"/\"><img src=\"/images/logo.jpg\" alt=\"%s\" border=\"0\"></a></td><td class=\"topnav\" align=\"right\"><a href=\"/\">Home</a>", escape(p.Name))
	for _, s := range navSections {
		fmt.Fprintf(b, " | <a href=\"/section/%s.html\">%s</a>", slug(s, 1), s)
	}
	b.WriteString("</td></tr></table>\n<table width=\"980\" cellpadding=\"4\" cellspacing=\"0\" class=\"layout\"><tr>\n<td class=\"leftcol\" width=\"180\" valign=\"top\"><div class=\"menu\"><b>Sections</b><ul>")
	for _, s := range navSections {
		fmt.Fprintf(b, "<li><a href=\"/section/%s.html\">%s</a></li>", slug(s, 1), s)
	}
	fmt.Fprintf(b, "</ul></div><div class=\"ad ad-left\">%s</div></td>\n<td class=\"maincol\" valign=\"top\">\n", BoilerAdvertisement)
	fmt.Fprintf(b, "<div class=\"breadcrumbs\"><a href=\"/\">Home</a> &gt; <a href=\"/section/%s.html\">%s</a></div>\n", slug(a.Section, 3), escape(a.Section))
	fmt.Fprintf(b, "<h1 class=\"title\">%s</h1>\n<div class=\"info\">", escape(a.Title))
	if a.Author != "" {
		fmt.Fprintf(b, "<span class=\"author\">By %s</span> | ", escape(a.Author))
	}
	fmt.Fprintf(b, "<time datetime=\"%s\">%s</time> | <a href=\"#comments\">0 comments</a></div>\n",
		a.Published.UTC().Format(time.RFC3339), a.Published.UTC().Format("02/01/2006 15:04"))
	d.share(b, "share")
	fmt.Fprintf(b, "<div class=\"photo\"><figure><img src=\"%s\" width=\"640\" alt=\"%s\"><figcaption><i>%s</i></figcaption></figure></div>\n",
		escape(d.image), escape(a.Title), escape(d.caption))
	b.WriteString("<div class=\"text\" id=\"article-text\">\n")
	for i, para := range a.Paragraphs {
		fmt.Fprintf(b, "<p>%s</p>\n", escape(para))
		if adAfter(i, len(a.Paragraphs)) {
			fmt.Fprintf(b, "<div class=\"inline-ad\"><small>%s</small><br><iframe src=\"about:blank\" width=\"300\" height=\"250\" frameborder=\"0\"></iframe></div>\n", BoilerAdvertisement)
		}
		if i == 0 && len(d.related) > 0 {
			r := d.related[0]
			fmt.Fprintf(b, "<p class=\"inline-related\"><strong>%s:</strong> <a href=\"%s\">%s</a></p>\n", BoilerReadMore, escape(d.n.ArticleURL(p, r)), escape(r.Title))
		}
	}
	fmt.Fprintf(b, "</div>\n<div class=\"promo\"><b>%s</b><br>%s</div>\n", BoilerNewsletter, BoilerTelegraph)
	fmt.Fprintf(b, "<div class=\"related\"><h3>%s</h3><ul>\n", BoilerReadMore)
	d.links(b)
	b.WriteString("</ul></div>\n<a name=\"comments\"></a><div class=\"comments\"><h3>Comments (0)</h3><p>Be the first to comment.</p></div>\n</td>\n")
	fmt.Fprintf(b, "<td class=\"rightcol\" width=\"200\" valign=\"top\"><div class=\"ad ad-right\">%s</div><div class=\"popular\"><b>Popular now</b><ul>\n", BoilerAdvertisement)
	d.links(b)
	b.WriteString("</ul></div></td>\n</tr></table>\n")
	d.footer(b, "footer")
	b.WriteString("</body>\n</html>\n")
}

func (d *pageData) share(b *bytes.Buffer, class string) {
	fmt.Fprintf(b, "<div class=\"%s\">Share: ", class)
	for _, s := range []string{"Facebook", "X", "WhatsApp", "Email"} {
		fmt.Fprintf(b, "<a class=\"share-%s\" href=\"/share/%s?url=%s\" rel=\"nofollow\">%s</a> ", slug(s, 1), slug(s, 1), escape(d.a.Path), s)
	}
	b.WriteString("<button type=\"button\" class=\"copy-link\">Copy link</button></div>\n")
}

func (d *pageData) links(b *bytes.Buffer) {
	for _, r := range d.related {
		fmt.Fprintf(b, "<li><a href=\"%s\">%s</a></li>\n", escape(d.n.ArticleURL(d.p, r)), escape(r.Title))
	}
}

func (d *pageData) footer(b *bytes.Buffer, class string) {
	fmt.Fprintf(b, "<footer class=\"%s\"><nav><a href=\"/about\">About us</a> | <a href=\"/contact\">Contact</a> | <a href=\"/privacy\">Privacy policy</a> | <a href=\"/terms\">Terms of use</a> | <a href=\"/cookies\">Cookie settings</a></nav><p>© %d %s. All rights reserved.</p></footer>\n",
		class, d.a.Published.Year(), escape(d.p.Name))
}

// renderHome renders s's home page: the latest headlines and a feed link
// for discovery.
func (n *Network) renderHome(s *site) []byte {
	p := s.pub
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	fmt.Fprintf(&b, "<title>%s | Latest news</title>\n<link rel=\"alternate\" type=\"%s\" title=\"%s\" href=\"%s\">\n</head>\n<body>\n<header><h1>%s</h1></header>\n<main><ul class=\"headlines\">\n",
		escape(p.Name), strings.SplitN(p.Format.ContentType(), ";", 2)[0], escape(p.Name), escape(n.FeedURL(p)), escape(p.Name))
	for _, a := range n.feedItems(s) {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a> <time datetime=\"%s\">%s</time></li>\n",
			escape(n.ArticleURL(p, a)), escape(a.Title), a.Published.UTC().Format(time.RFC3339), a.Published.UTC().Format("2 Jan 15:04"))
	}
	fmt.Fprintf(&b, "</ul></main>\n<footer><a href=\"%s\">Feed</a></footer>\n</body>\n</html>\n", escape(n.FeedURL(p)))
	return b.Bytes()
}
