package feed

import (
	"testing"
	"time"
)

// TestFormatsAndEncodings parses the fixtures of odd but real feeds: each
// must yield its title, items, links and dates as a browser-grade reader
// would read them.
func TestFormatsAndEncodings(t *testing.T) {
	ruTitle := "RT на русском"
	ruFirst := "Путин и Эрдоган обсудили Украину и Сирию"
	tests := []struct {
		file      string
		title     string
		items     int
		first     string // first item's title
		firstURL  string
		published string // first item's date, RFC 3339; empty: not checked
		image     string
	}{
		{"ru-windows-1251.xml", ruTitle, 2, ruFirst, "https://russian.rt.com/world/news/1-putin-erdogan", "2025-07-16T11:26:10+03:00", ""},
		{"ru-koi8-r.xml", ruTitle, 2, ruFirst, "", "2025-07-16T11:26:10+03:00", ""},
		{"ru-1251-declared-utf8.xml", ruTitle, 2, ruFirst, "", "", ""},
		{"ru-utf8-declared-1251.xml", ruTitle, 2, ruFirst, "", "", ""},
		{"fr-latin1-undeclared.xml", "Le Monde.fr - Économie", 1, "Ça déménage : l'économie française à l'épreuve", "", "2025-07-16T11:26:10+02:00", ""},
		{"utf16le-bom.xml", "Türkiye Haberleri", 1, "Ça déménage : l'économie française à l'épreuve", "", "", ""},
		{"bare-ampersands.xml", "M&S News", 1, "Tom & Jerry return été © 2025", "https://e.com/a?x=1&y=2", "2025-07-16T11:26:10Z", ""},
		{"junk-before-declaration.xml", "Junk", 1, "After the junk", "https://e.com/after", "", ""},
		{"truncated-mid-item.xml", "Cut off", 2, "One", "https://e.com/1", "", ""},
		{"atom-0.3.xml", "Old Atom", 1, "Entry", "https://feeds.example.net/2004/01/entry.html", "2004-01-01T10:00:00+01:00", ""},
		{"rss-0.91.xml", "Netscape-era News", 1, "An item", "https://old.example.com/item1.html", "", ""},
		{"media-rss.xml", "Pictures", 1, "With media", "", "2025-07-16T11:26:10+03:00", "https://img.example.com/a.jpg"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := Parse(readFile(t, tt.file), "https://feeds.example.net/feed", "")
			if err != nil {
				t.Fatalf("Parse(%s): %v", tt.file, err)
			}
			if f.Title != tt.title || len(f.Items) != tt.items {
				t.Fatalf("Parse(%s) = title %q, %d items; want %q, %d", tt.file, f.Title, len(f.Items), tt.title, tt.items)
			}
			it := f.Items[0]
			if it.Title != tt.first {
				t.Errorf("first title = %q, want %q", it.Title, tt.first)
			}
			if tt.firstURL != "" && it.URL != tt.firstURL {
				t.Errorf("first URL = %q, want %q", it.URL, tt.firstURL)
			}
			if tt.published != "" {
				want, _ := time.Parse(time.RFC3339, tt.published)
				if !it.Published.Equal(want) {
					t.Errorf("first published = %v, want %v", it.Published, want)
				}
			}
			if tt.image != "" && it.Image != tt.image {
				t.Errorf("first image = %q, want %q", it.Image, tt.image)
			}
		})
	}
}

func TestRelativeLinkAgainstSite(t *testing.T) {
	f, err := Parse(readFile(t, "ru-windows-1251.xml"), "https://feeds.example.net/rt.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	// The feed's own <link> is the base for its items, not the feed's URL.
	if got, want := f.Items[1].URL, "https://russian.rt.com/russia/2-lavrov"; got != want {
		t.Errorf("relative item link = %q, want %q", got, want)
	}
}
