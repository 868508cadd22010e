package extract

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRules(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string // substring of the error, "" for none
	}{
		{"valid", `{"keep":["article .body"],"drop":[".promo", "aside"],"strip":["(?i)read more\\.?"]}`, ""},
		{"bad selector", `{"drop":["div[["]}`, "drop[0]"},
		{"bad regexp", `{"strip":["(unclosed"]}`, "strip[0]"},
		{"empty-matching regexp", `{"strip":["x*"]}`, "empty string"},
		{"unknown field", `{"remove":[".x"]}`, "unknown field"},
		{"not json", `keep: .x`, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules([]byte(tt.in))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("ParseRules(%s) error %v", tt.in, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrInvalidRules)):
				t.Errorf("ParseRules(%s) error %v, want one about %q wrapping ErrInvalidRules", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestPageRules(t *testing.T) {
	const page = `<html><body><div class="story">
<p>The council approved the new budget on Tuesday after a debate that lasted well into the night, officials said.</p>
<div class="promo"><p>Get our app for the latest local news, traffic and weather updates every single morning.</p></div>
<p>The budget raises spending on schools and roads and cuts the fees for the town's swimming pools. Read more.</p>
</div><div class="other"><p>An unrelated block of text that is long enough to be considered as a possible article by readability.</p></div></body></html>`
	tests := []struct {
		name      string
		rules     string
		want, not []string
	}{
		{"none", `{}`, []string{"council approved", "swimming pools"}, nil},
		{"drop", `{"drop":[".promo"]}`, []string{"council approved"}, []string{"Get our app"}},
		{"keep", `{"keep":[".story"],"drop":[".promo"]}`, []string{"council approved", "swimming pools"}, []string{"unrelated block", "Get our app"}},
		{"strip", `{"strip":["\\s*Read more\\."]}`, []string{"swimming pools."}, []string{"Read more"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := ParseRules([]byte(tt.rules))
			if err != nil {
				t.Fatal(err)
			}
			r, err := PageWith([]byte(page), "", nil, Options{Rules: rules})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.Text, s) {
					t.Errorf("rules %s: text misses %q:\n%s", tt.rules, s, r.Text)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(r.Text, s) {
					t.Errorf("rules %s: text keeps %q:\n%s", tt.rules, s, r.Text)
				}
			}
		})
	}
	if _, err := PageWith([]byte(page), "", nil, Options{Rules: &Rules{Drop: []string{".x"}}}); !errors.Is(err, ErrInvalidRules) {
		t.Errorf("PageWith(uncompiled rules) error %v, want ErrInvalidRules", err)
	}
}

func TestChoose(t *testing.T) {
	long := strings.Repeat("Full text of the article. ", 40)
	tests := []struct {
		name             string
		feed, page       string
		preferFeed       bool
		wantText, wantBy string
	}{
		{"page only", "", long, false, long, SourcePage},
		{"feed only (page failed)", long, "", false, long, SourceFeed},
		{"teaser feed, full page", "A teaser.", long, false, long, SourcePage},
		{"full feed, truncated page (paywall)", long, "Subscribe to read.", false, long, SourceFeed},
		{"source prefers a full feed", long, long + "More.", true, long, SourceFeed},
		{"source prefers feed but it is a teaser", "A teaser.", long, true, long, SourcePage},
		{"nothing", "", "", false, "", SourcePage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Choose(tt.feed, tt.page, tt.preferFeed)
			if got.Text != tt.wantText || got.SourceUsed != tt.wantBy {
				t.Errorf("Choose(%d chars, %d chars, %v) = %d chars from %s, want %d chars from %s",
					len(tt.feed), len(tt.page), tt.preferFeed, len(got.Text), got.SourceUsed, len(tt.wantText), tt.wantBy)
			}
		})
	}
}
