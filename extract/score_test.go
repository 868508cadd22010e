package extract

import (
	"net/url"
	"strings"
	"testing"
)

// TestPageBlockChoice guards, one real page each, the choice of the main
// block by its prose and the trimming of its edges (testdata/README.md).
func TestPageBlockChoice(t *testing.T) {
	tests := []struct {
		name, file, url string
		with, without   []string
	}{
		{
			name: "signatory list loses to the letter by prose",
			file: "edf8e004e8de9dec4566.html.gz", url: "https://harpers.org/a-letter-on-justice-and-open-debate/",
			with: []string{"Our cultural institutions are facing a moment of trial", "The free exchange of information and ideas, the"},
		},
		{
			name: "soft hyphens removed",
			file: "2ab023f939773b5de2e9.html.gz", url: "https://www.weinkenner.de/st-magdalener-rotweine-mit-eleganz-und-charakter/",
			with: []string{"Italiens, neben Barolo und Barbaresco", "St. Magdalener überzeugen mit zarter Frucht"},
		},
		{
			name: "ruby readings skipped",
			file: "7a08943aa46494470722.html.gz", url: "https://www3.nhk.or.jp/news/easy/k10011959621000/k10011959621000.html",
			with: []string{"法律では虐待をした親に専門家が子どもの育て方を"},
		},
		{
			name: "trailing chrome line trimmed",
			file: "b12415c57b249dcfbb19.html.gz", url: "http://www.jovelstefan.de/2011/09/11/gefallt-mir/",
			with:    []string{"Manchmal überrascht einen", "kein Meisterwerk war!"},
			without: []string{"Kommentare geschlossen"},
		},
		{
			name: "trailing pull quote in a heading kept",
			file: "4d4b651c2afe87d6d761.html.gz", url: "https://www.spiegel.de/spiegel/print/d-161500790.html",
			with:    []string{"Wie konnte es dazu kommen?", "Es stützt seine Version."},
			without: []string{"Die digitale Welt der Nachrichten."},
		},
		{
			name: "leading linked heading kept",
			file: "a146dfba278ca17f395f.html.gz", url: "https://uk.trustpilot.com/reviews/581cf1892ae760087cadbf17",
			with: []string{"Gousto has changed my life", "What a fantastic idea!"},
		},
		{
			name: "long paragraphs styled as headings kept at the end",
			file: "2799807830f8cd572a8d.html.gz", url: "https://seglerblog.stössenseer.de/haltet-unsere-gewaesser-sauber/",
			with:    []string{"Gestalte ein Plakat unter dem", "Der Plakatwettbewerb für Kinder"},
			without: []string{"Post Views"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.url)
			r, err := Page(readPage(t, tt.file), "text/html", u)
			if err != nil {
				t.Fatalf("Page(%s) error %v", tt.url, err)
			}
			text := norm(r.Text)
			for _, s := range tt.with {
				if !strings.Contains(text, norm(s)) {
					t.Errorf("Page(%s) text misses %q", tt.url, s)
				}
			}
			for _, s := range tt.without {
				if strings.Contains(text, norm(s)) {
					t.Errorf("Page(%s) text keeps %q", tt.url, s)
				}
			}
		})
	}
}

func TestTrimEdges(t *testing.T) {
	prose := para{text: "The council voted on Tuesday to close the old bridge to cars from next spring.", tag: "p"}
	tests := []struct {
		name string
		in   []para
		want int // paragraphs kept
	}{
		{"prose kept", []para{prose, prose}, 2},
		{"leading section name", []para{{text: "Politics", tag: "p"}, prose}, 1},
		{"leading heading kept", []para{{text: "Bridge to close", tag: "h1"}, prose}, 2},
		{"leading linked heading kept", []para{{text: "Bridge to close", tag: "h2", links: 15}, prose}, 2},
		{"trailing link line", []para{prose, {text: "Share on Mastodon", tag: "p", links: 17}}, 1},
		{"trailing heading of a list cut off", []para{prose, {text: "Latest articles", tag: "h2"}}, 1},
		{"trailing pull quote kept", []para{prose, {text: "It backs his version.", tag: "h4"}}, 2},
		{"short line between prose kept", []para{prose, {text: "Why now", tag: "p"}, prose}, 3},
		{"trailing label and heading", []para{prose, {text: "Related", tag: "h3"}, {text: "Views: 22", tag: "p"}}, 1},
	}
	for _, tt := range tests {
		if got := trimEdges(append([]para(nil), tt.in...)); len(got) != tt.want {
			t.Errorf("trimEdges(%s) kept %d paragraphs, want %d", tt.name, len(got), tt.want)
		}
	}
}

func TestProseLen(t *testing.T) {
	tests := []struct {
		name string
		p    para
		want bool // counts as prose
	}{
		{"sentence", para{text: "The council voted on Tuesday to close the old bridge to cars from next spring."}, true},
		{"list of names", para{text: "Elliot Ackerman Saladin Ambar, Rutgers University Martin Amis Anne Applebaum Marie Arana, Author."}, false},
		{"links", para{text: "Read the full report of the council on the bridge and its history.", links: 60}, false},
		{"no punctuation", para{text: "Home News Sport Weather Business Culture Travel"}, false},
		{"CJK sentence", para{text: "子どもへの虐待をなくすための法律ができて、親が子どもを教育するために体罰を禁止することになりました。"}, true},
	}
	for _, tt := range tests {
		if got := proseLen(tt.p) > 0; got != tt.want {
			t.Errorf("proseLen(%s) > 0 = %v, want %v", tt.name, got, tt.want)
		}
	}
}
