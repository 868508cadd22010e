package enrich

import (
	"reflect"
	"testing"
)

func TestFeedTags(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{[]string{"Politics", "Ukrainian conflict", "Kremlin.ru", "ukrainian Conflict", "Sergey Lavrov"}, []string{"UkrainianConflict", "Kremlin.ru", "SergeyLavrov"}},
		{[]string{"#Vladimir Putin", "  ", "U.S."}, []string{"VladimirPutin", "US"}},
		{[]string{"Москва", "Türkiye"}, []string{"Москва", "Türkiye"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tag := range FeedTags(tt.in) {
			got = append(got, tag.Name)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FeedTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	many := make([]string, 30)
	for i := range many {
		many[i] = string(rune('a'+i%26)) + "topic" + string(rune('a'+i/26))
	}
	if n := len(FeedTags(many)); n != MaxTags {
		t.Errorf("FeedTags(30 labels) kept %d, want %d", n, MaxTags)
	}
}

func TestSection(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"Russia", "Politics"}, "Politics"},
		{[]string{"tech"}, "Technology"},
		{[]string{"Sport"}, "Sports"},
		{[]string{"Russia"}, ""},
	}
	for _, tt := range tests {
		if got := Section(tt.in); got != tt.want {
			t.Errorf("Section(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestURLSection(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/sport/football/68511234", "Sports"},
		{"/news/world-europe-68500000", "World"},
		{"/news/uk-politics-68400000", "Politics"},
		{"/news/science-environment-68300000", "Science"},
		{"/world/2024/dec/08/story", "World"},
		{"/film/2024/dec/08/review", "Entertainment"},
		{"/money/2024/jan/01/savings", "Business"},
		{"/news/world-us-canada-68500001", "World"},
		{"/news/world-cup-2026-68500002", ""},
		{"/news/articles/c0000", ""},
		{"/2024/12/08/some-story-about-football-12345", ""}, // a headline's words are not a folder
		{"", ""},
	}
	for _, tt := range tests {
		if got := URLSection(tt.path); got != tt.want {
			t.Errorf("URLSection(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
