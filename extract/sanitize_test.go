package extract

import (
	"bufio"
	"net/url"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func xssVectors(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/xss.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestSanitizeXSS(t *testing.T) {
	base, _ := url.Parse("https://news.example/story")
	vectors := xssVectors(t)
	if len(vectors) < 50 {
		t.Fatalf("testdata/xss.txt has %d vectors, want the list", len(vectors))
	}
	for _, v := range vectors {
		got := Sanitize(v, base)
		if bad := unsafeHTML(got); bad != "" {
			t.Errorf("Sanitize(%q) = %q: %s", v, got, bad)
		}
	}
}

// allowedOut are the elements sanitised HTML may hold.
var allowedOut = wordSet("p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
	"strong", "em", "b", "i", "u", "s", "sub", "sup", "small", "mark", "q", "cite", "abbr", "del", "ins",
	"figure", "figcaption", "hr", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
	"caption", "a", "img", "iframe", "html", "head", "body")

// unsafeHTML parses s as a browser would and describes the first thing in
// it that could run script, or returns "".
func unsafeHTML(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return err.Error()
	}
	var bad string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if bad != "" {
			return
		}
		if n.Type == html.ElementNode {
			if !allowedOut[n.Data] {
				bad = "element " + n.Data
				return
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"), k == "style", k == "srcdoc", k == "formaction", k == "background":
					bad = "attribute " + k
				case k == "href" || k == "src":
					u, err := url.Parse(strings.TrimSpace(a.Val))
					if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
						bad = "URL " + a.Val
					}
					if n.Data == "iframe" && !allowedIframe().MatchString(a.Val) {
						bad = "iframe " + a.Val
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return bad
}

func TestSanitize(t *testing.T) {
	base, _ := url.Parse("https://news.example/2025/story")
	tests := []struct {
		name, in, want string
	}{
		{"relative link made absolute with rel", `<p><a href="/about" onclick="x()">About</a></p>`,
			`<p><a href="https://news.example/about" rel="noopener noreferrer">About</a></p>`},
		{"tracking pixel dropped", `<p>Text<img src="https://news.example/p.gif" width="1" height="1"></p>`, `<p>Text</p>`},
		{"beacon host dropped", `<p>Text<img src="https://pixel.wp.com/g.gif?x=1"></p>`, `<p>Text</p>`},
		{"image kept absolute", `<figure><img src="img/a.jpg" alt="A"></figure>`, `<figure><img src="https://news.example/2025/img/a.jpg" alt="A"/></figure>`},
		{"lazy image", `<img src="data:image/gif;base64,R0lG" data-src="/a.jpg">`, `<img src="https://news.example/a.jpg"/>`},
		{"youtube-nocookie kept", `<iframe src="https://www.youtube-nocookie.com/embed/abc123" onload="x()"></iframe>`,
			`<iframe src="https://www.youtube-nocookie.com/embed/abc123"></iframe>`},
		{"other iframe dropped", `<p>a</p><iframe src="https://ads.example/frame"></iframe>`, `<p>a</p>`},
		{"styles and classes dropped", `<p class="x" style="color:red" id="y">Hi</p>`, `<p>Hi</p>`},
		{"h1 becomes h2", `<h1>Title</h1>`, `<h2>Title</h2>`},
		{"table basics", `<table><tr><td colspan="2">a</td></tr></table>`, `<table><tbody><tr><td colspan="2">a</td></tr></tbody></table>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in, base); got != tt.want {
				t.Errorf("Sanitize(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzSanitize(f *testing.F) {
	for _, v := range xssVectors(f) {
		f.Add(v)
	}
	base, _ := url.Parse("https://news.example/")
	f.Fuzz(func(t *testing.T, in string) {
		got := Sanitize(in, base)
		if bad := unsafeHTML(got); bad != "" {
			t.Errorf("Sanitize(%q) = %q: %s", in, got, bad)
		}
	})
}
