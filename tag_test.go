package taglines_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqlite"
)

func TestNewTag(t *testing.T) {
	tests := []struct{ in, name, slug string }{
		{"Ukrainian conflict", "UkrainianConflict", "ukrainianconflict"},
		{"#Vladimir Putin", "VladimirPutin", "vladimirputin"},
		{"Kremlin.ru", "Kremlin.ru", "kremlin.ru"},
		{"U.S.", "US", "us"},
		{"iPhone", "IPhone", "iphone"},
		{"Women's rights", "WomensRights", "womensrights"},
		{"Москва", "Москва", "москва"},
		{"Türkiye", "Türkiye", "türkiye"},
	}
	for _, tt := range tests {
		got, ok := taglines.NewTag(tt.in)
		if !ok || got.Name != tt.name || got.Slug != tt.slug {
			t.Errorf("NewTag(%q) = %+v, %v; want %s / %s", tt.in, got, ok, tt.name, tt.slug)
		}
	}
	for _, bad := range []string{"", "  ", "#", "...", string(make([]byte, 300))} {
		if got, ok := taglines.NewTag(bad); ok {
			t.Errorf("NewTag(%q) = %+v, want no tag", bad, got)
		}
	}
}

func TestLookupTag(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tags.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := &taglines.Source{URL: "https://e.example/feed"}
	if err := st.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	kremlin, _ := taglines.NewTag("Kremlin")
	kyiv, _ := taglines.NewTag("Kyiv")
	if _, err := st.AddArticles(ctx, []*taglines.Article{{SourceID: src.ID, URL: "https://e.example/1", Title: "t", Tags: []taglines.Tag{kremlin, kyiv}}}); err != nil {
		t.Fatal(err)
	}
	aliases := map[string]string{"kremlin.ru": "Kremlin", "kiev": "Kyiv"}
	canonical := func(name string) (string, bool) {
		c, ok := aliases[taglines.TagSlug(name)]
		return c, ok
	}
	tests := []struct{ in, want string }{
		{"Kremlin.ru", "Kremlin"}, {"kremlin.ru", "Kremlin"}, {"#Kiev", "Kyiv"}, {"KYIV", "Kyiv"}, {"kremlin", "Kremlin"},
	}
	for _, tt := range tests {
		got, err := taglines.LookupTag(ctx, st, tt.in, canonical)
		if err != nil || got.Name != tt.want {
			t.Errorf("LookupTag(%q) = %+v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	if _, err := taglines.LookupTag(ctx, st, "Moscow", canonical); err == nil {
		t.Error("LookupTag(unknown) succeeded")
	}
	if got, err := taglines.LookupTag(ctx, st, "kyiv", nil); err != nil || got.Name != "Kyiv" {
		t.Errorf("LookupTag without aliases = %+v, %v", got, err)
	}
}
