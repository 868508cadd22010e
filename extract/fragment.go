package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Fragment returns the plain text of an HTML fragment, such as a feed
// item's description or content, in cleaned paragraphs.
func Fragment(fragment string) string {
	if len(fragment) > MaxInput {
		fragment = fragment[:MaxInput]
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return Clean([]string{fragment})
	}
	root := &html.Node{Type: html.ElementNode, Data: "div"}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return Clean(paragraphs(root))
}
