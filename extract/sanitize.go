package extract

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// allowedIframe matches the embeds kept in sanitised HTML: privacy-friendly
// video players only.
var allowedIframe = lazyRegexp(`^https://(www\.youtube-nocookie\.com/embed/|player\.vimeo\.com/video/)[\w\-/?=&.%]*$`)

// trackerHost matches hosts of known tracking pixels and beacons.
var trackerHost = lazyRegexp(`(?i)(^|\.)(doubleclick\.net|google-analytics\.com|googletagmanager\.com|scorecardresearch\.com|quantserve\.com|facebook\.com|facebook\.net|pixel\.wp\.com|stats\.wp\.com|feeds\.feedburner\.com|feedsportal\.com|chartbeat\.net|parsely\.com|pixel\.[\w.-]+|beacon\.[\w.-]+|analytics\.[\w.-]+|mc\.yandex\.ru|bat\.bing\.com|ad\.[\w.-]+|ads\.[\w.-]+|t\.co|outbrain\.com|taboola\.com|amazon-adsystem\.com|adsrvr\.org|moatads\.com|newrelic\.com|nr-data\.net)$`)

// policy is the allowlist of sanitised HTML. bluemonday policies are safe
// for concurrent use once built; it is built on first use, not at start.
var policy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
		"strong", "em", "b", "i", "u", "s", "sub", "sup", "small", "mark", "q", "cite", "abbr", "del", "ins",
		"figure", "figcaption", "hr", "dl", "dt", "dd",
		"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src", "alt", "width", "height").OnElements("img")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^\d{1,3}$`)).OnElements("td", "th")
	p.AllowAttrs("src").Matching(allowedIframe()).OnElements("iframe")
	p.AllowAttrs("allowfullscreen").Matching(regexp.MustCompile(`^(|true|allowfullscreen)$`)).OnElements("iframe")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.RequireNoFollowOnLinks(false)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
})

// SanitizeNode renders n as sanitised HTML: only the allowlisted elements
// and attributes, links and images absolute against base (those that
// cannot be made absolute http(s) URLs are dropped), rel="noopener
// noreferrer" on links, iframes only from the allowlisted players, and
// tracking pixels (1×1 images, known beacon hosts) removed. n is not
// modified.
func SanitizeNode(n *html.Node, base *url.URL) string {
	c := cloneNode(n, 0)
	prepare(c, base)
	var buf bytes.Buffer
	if err := html.Render(&buf, c); err != nil {
		return ""
	}
	return finish(policy().SanitizeBytes(buf.Bytes()))
}

// Sanitize is SanitizeNode for an HTML fragment, such as a feed item's
// content.
func Sanitize(fragment string, base *url.URL) string {
	if len(fragment) > MaxInput {
		fragment = fragment[:MaxInput]
	}
	root := fragmentRoot(fragment)
	if root == nil {
		return ""
	}
	return SanitizeNode(root, base)
}

// finish adds rel="noopener noreferrer" to the links bluemonday kept
// (which only adds noreferrer).
func finish(b []byte) string {
	s := string(b)
	s = strings.ReplaceAll(s, `rel="noreferrer"`, `rel="noopener noreferrer"`)
	return strings.TrimSpace(s)
}

// prepare resolves URLs, unwraps lazy images and drops trackers and
// disallowed embeds before the allowlist runs.
func prepare(n *html.Node, base *url.URL) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch c.Data {
			case "img":
				lazySrc(c)
				if tracker(c, base) {
					n.RemoveChild(c)
					c = next
					continue
				}
				setURL(c, "src", base)
			case "a":
				setURL(c, "href", base)
			case "iframe":
				setURL(c, "src", base)
				if !allowedIframe().MatchString(attr(c, "src")) {
					n.RemoveChild(c)
					c = next
					continue
				}
			case "h1":
				c.Data = "h2"
			case "script", "style", "noscript", "template", "object", "embed", "form", "svg", "math":
				n.RemoveChild(c)
				c = next
				continue
			}
			prepare(c, base)
		}
		c = next
	}
}

// lazySrc takes a lazy-loading image's real address (data-src) when its
// src is a placeholder.
func lazySrc(n *html.Node) {
	src := attr(n, "src")
	if src != "" && !strings.HasPrefix(src, "data:") {
		return
	}
	for _, k := range []string{"data-src", "data-lazy-src", "data-original", "data-url"} {
		if v := attr(n, k); v != "" {
			setAttr(n, "src", v)
			return
		}
	}
}

// tracker reports whether img is a tracking pixel: 1×1 or 0×0, or served
// by a known beacon host.
func tracker(img *html.Node, base *url.URL) bool {
	w, h := attr(img, "width"), attr(img, "height")
	tiny := func(s string) bool { s = strings.TrimSuffix(s, "px"); return s == "0" || s == "1" }
	if tiny(w) && tiny(h) || tiny(w) && h == "" || tiny(h) && w == "" {
		return true
	}
	u, err := url.Parse(strings.TrimSpace(attr(img, "src")))
	if err != nil {
		return true
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return trackerHost().MatchString(u.Hostname())
}

func setURL(n *html.Node, key string, base *url.URL) {
	v, ok := getAttr(n, key)
	if !ok {
		return
	}
	setAttr(n, key, absURL(base, v))
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}
