package extract

import (
	"bytes"

	"golang.org/x/net/html"
)

// flatten re-serialises page without the tags that open deeper than depth,
// keeping their text: linear work, and a tree the parser accepts.
func flatten(page []byte, depth int) []byte {
	var out bytes.Buffer
	out.Grow(len(page))
	z := html.NewTokenizer(bytes.NewReader(page))
	d := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.Bytes()
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElements[string(name)] {
				break
			}
			d++
			if d > depth {
				continue
			}
		case html.EndTagToken:
			d--
			if d >= depth {
				continue
			}
			d = max(d, 0)
		}
		out.Write(z.Raw())
	}
}

var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

// bound caps the parsed tree at maxNodes nodes, detaching whatever comes
// after in document order, so later stages do bounded work.
func bound(doc *html.Node) {
	n := 0
	var walk func(*html.Node) bool
	walk = func(p *html.Node) bool {
		for c := p.FirstChild; c != nil; {
			n++
			if n > maxNodes {
				for c != nil {
					next := c.NextSibling
					p.RemoveChild(c)
					c = next
				}
				return false
			}
			if !walk(c) {
				// Cut the siblings that follow too.
				for s := c.NextSibling; s != nil; {
					next := s.NextSibling
					p.RemoveChild(s)
					s = next
				}
				return false
			}
			c = c.NextSibling
		}
		return true
	}
	walk(doc)
}

// cloneNode returns a deep copy of n, detached from its tree.
func cloneNode(n *html.Node, depth int) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	if len(n.Attr) > 0 {
		c.Attr = append([]html.Attribute(nil), n.Attr...)
	}
	if depth > maxDepth*2 {
		return c
	}
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.AppendChild(cloneNode(k, depth+1))
	}
	return c
}
