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
	root := fragmentRoot(fragment)
	if root == nil {
		return Clean([]string{fragment})
	}
	return Clean(texts(dropBoilerplateLines(walkParas(root, false))))
}

// fragmentRoot parses an HTML fragment under a <div>, or returns nil.
func fragmentRoot(fragment string) *html.Node {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), ctx)
	if err != nil {
		nodes, err = html.ParseFragment(strings.NewReader(string(flatten([]byte(fragment), maxDepth))), ctx)
		if err != nil {
			return nil
		}
	}
	root := &html.Node{Type: html.ElementNode, Data: "div"}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	bound(root)
	return root
}
