package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// Outline is one subscription of an OPML document. Folder is the title of
// the enclosing outline, if any.
type Outline struct {
	Title   string
	FeedURL string
	SiteURL string
	Folder  string
}

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Children []opmlOutline `xml:"outline"`
}

// ParseOPML reads the subscriptions of an OPML document, flattening nested
// folders into Outline.Folder.
func ParseOPML(data []byte) ([]Outline, error) {
	var doc opmlDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse opml: %w", err)
	}
	var out []Outline
	var walk func(os []opmlOutline, folder string)
	walk = func(os []opmlOutline, folder string) {
		for _, o := range os {
			title := strings.TrimSpace(o.Title)
			if title == "" {
				title = strings.TrimSpace(o.Text)
			}
			if u := strings.TrimSpace(o.XMLURL); u != "" {
				out = append(out, Outline{Title: title, FeedURL: u, SiteURL: strings.TrimSpace(o.HTMLURL), Folder: folder})
			}
			if len(o.Children) > 0 {
				walk(o.Children, title)
			}
		}
	}
	walk(doc.Body, "")
	return out, nil
}

// WriteOPML renders subscriptions as an OPML 2.0 document, grouping those
// with a Folder under one outline per folder.
func WriteOPML(title string, subs []Outline) ([]byte, error) {
	doc := opmlDoc{Version: "2.0", Title: title}
	folders := map[string]int{}
	for _, s := range subs {
		o := opmlOutline{Text: s.Title, Title: s.Title, Type: "rss", XMLURL: s.FeedURL, HTMLURL: s.SiteURL}
		if o.Text == "" {
			o.Text = s.FeedURL
		}
		if s.Folder == "" {
			doc.Body = append(doc.Body, o)
			continue
		}
		i, ok := folders[s.Folder]
		if !ok {
			i = len(doc.Body)
			folders[s.Folder] = i
			doc.Body = append(doc.Body, opmlOutline{Text: s.Folder, Title: s.Folder})
		}
		doc.Body[i].Children = append(doc.Body[i].Children, o)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write opml: %w", err)
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}
