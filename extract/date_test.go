package extract

import (
	"net/url"
	"testing"
	"time"
)

// TestPublishedRealPages guards the choice of the publication date on
// real pages, one per heuristic; testdata/README.md notes their source.
func TestPublishedRealPages(t *testing.T) {
	tests := []struct {
		name, file, url, want string
	}{
		{"dates of comments passed over", "bc8d681f6646378ddaf5.html.gz",
			"http://www.regards.fr/politique/article/deux-ans-et-demi-en-macronie-9-mises-en-examen-10-enquetes-en-cours-et-2", "2018-09-30"},
		{"UTC time given the offset of the same instant on the page", "ad9b2e8ecf7e62433b86.html.gz",
			"https://24ora.com/minister-president-presente-ne-trashion-fashion-show-di-international-school/", "2022-05-03"},
		{"UTC 23:00 read as local midnight", "6979f36e9e06f201a9e6.html.gz",
			"https://www.kas.de/de/laenderberichte/detail/-/content/kommunalwahlen-in-nordmazedonien", "2021-11-05"},
		{"current time of a forum passed over, two-digit year", "20c5b16762e51e9bb45d.html.gz",
			"https://foren.myoos.de/viewtopic.php?f=4&t=167", "2009-01-21"},
		{"date nearest the headline, before it", "60730e73c1b343a23869.html.gz",
			"https://web.archive.org/web/20120216182711/http://www.stol.it/Artikel/Politik-im-Ueberblick/Politik/Verfassungsgericht-Berlusconis-Sex-Prozess-geht-weiter", "2012-02-14"},
		{"written, not updated", "ddafee58cec6c7c3a3f6.html.gz",
			"https://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=181595", "2023-11-07"},
		{"itemprop datePublished over a generic date meta", "4bc4e431fd78221f0fea.html.gz",
			"https://www.martinruetter.com/service/aktuelles/aktuelles/schneefloeckchen-weissroeckchen-mit-hund-im-winter/", "2022-01-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, _ := url.Parse(tt.url)
			r, _ := Page(readPage(t, tt.file), "", u)
			if r == nil {
				t.Fatalf("Page(%s) = nil", tt.file)
			}
			if got := r.Published.Format("2006-01-02"); got != tt.want {
				t.Errorf("Page(%s) published = %s, want %s", tt.file, got, tt.want)
			}
		})
	}
}

func TestVisibleDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Written: 2023-11-07 15:03:30 / Updated: 2023-11-07 15:30:46", "2023-11-07"},
		{"Veröffentlicht am 16. Juli 2025, aktualisiert am 17. Juli 2025", "2025-07-16"},
		{"Updated Mar 12, 2020 @ 10:42 am", ""},
		{"Letzte Änderung: 31.10.2023 - 14:49:39", ""},
		{"Aktuelle Zeit: 14.10.2020, 12:18", ""},
		{"Aktuelles Datum und Uhrzeit: 11/02/20, 07:22 pm", ""},
		{"23.09.22", "2022-09-23"},
		{"von lupa am 26/10/13, 03:48 pm", "2013-10-26"},
		{"Version 1.2.3 released", ""},
		{"Erschienen am: 01.11.2023", "2023-11-01"},
	}
	for _, tt := range tests {
		got := visibleDate(tt.in)
		s := ""
		if !got.IsZero() {
			s = got.Format("2006-01-02")
		}
		if s != tt.want {
			t.Errorf("visibleDate(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
}

func TestLocalise(t *testing.T) {
	tests := []struct {
		name string
		m    meta
		in   string
		want string
	}{
		{"same instant with an offset", meta{timeAny: []string{"2022-05-03T23:37:37-04:00"}}, "2022-05-04T03:37:37Z", "2022-05-03T23:37:37-04:00"},
		{"23:00 UTC is midnight at +01:00", meta{}, "2021-11-04T23:00:00Z", "2021-11-05T00:00:00+01:00"},
		{"22:00 UTC is midnight at +02:00", meta{}, "2022-06-01T22:00:00Z", "2022-06-02T00:00:00+02:00"},
		{"an evening time stays", meta{}, "2021-11-04T23:12:00Z", "2021-11-04T23:12:00Z"},
		{"an offset stays", meta{}, "2021-11-04T23:00:00-05:00", "2021-11-04T23:00:00-05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, _ := time.Parse(time.RFC3339, tt.in)
			if got := tt.m.localise(in).Format(time.RFC3339); got != tt.want {
				t.Errorf("localise(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestLabelLine(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Kontakt:", true},
		{"Release Date:", true},
		{"Von:", true},
		{"Für den Mürbeteig:", false},
		{"Leitsätze des Gerichts:", false},
		{"The minister said:", false},
	}
	for _, tt := range tests {
		if got := labelLine(tt.in); got != tt.want {
			t.Errorf("labelLine(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
