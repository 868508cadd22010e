package extract

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// article builds the i-th article of a testpub-like source: its own
// paragraphs between the promos the source puts in every page.
func article(i int) []string {
	return []string{
		fmt.Sprintf("Story %d opens with news that nobody else reported on day %d of the month.", i, i),
		"Advertisement",
		"Try The Courier free for 1 month with unlimited access to our award-winning website.",
		fmt.Sprintf("The second paragraph of story %d has details. Sign up to our morning newsletter for the day's top stories. It ends here with quote %d.", i, i*7),
		"Credit: Courier Photo Desk",
		"Read more: the best of the Courier this week",
	}
}

func TestBoilerplate(t *testing.T) {
	b := NewBoilerplate(BoilerplateConfig{})
	fresh := article(99)
	if got := b.Filter(fresh); !slices.Equal(got, fresh) {
		t.Errorf("untrained Filter changed the article: %q", got)
	}
	for i := range 20 {
		b.Learn(article(i))
	}
	got := b.Clean(strings.Join(article(100), "\n\n"))
	for _, junk := range []string{"Advertisement", "Try The Courier", "Sign up to our morning newsletter", "Credit:", "Read more"} {
		if strings.Contains(got, junk) {
			t.Errorf("Clean kept %q:\n%s", junk, got)
		}
	}
	for _, own := range []string{"Story 100 opens", "The second paragraph of story 100 has details.", "quote 700"} {
		if !strings.Contains(got, own) {
			t.Errorf("Clean dropped the article's own %q:\n%s", own, got)
		}
	}

	// The state survives a round trip.
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	c := NewBoilerplate(BoilerplateConfig{})
	if err := c.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if again := c.Clean(strings.Join(article(100), "\n\n")); again != got {
		t.Errorf("after UnmarshalBinary Clean = %q, want %q", again, got)
	}
	if err := c.UnmarshalBinary(data[:len(data)-3]); err == nil {
		t.Errorf("UnmarshalBinary(truncated) = nil, want an error")
	}

	// A promo the source dropped is forgotten as counts decay.
	d := NewBoilerplate(BoilerplateConfig{HalfLife: 10})
	for i := range 10 {
		d.Learn(article(i))
	}
	for i := range 60 {
		d.Learn([]string{fmt.Sprintf("Only own text in article number %d of the new design.", i)})
	}
	if got := d.Filter([]string{"Credit: Courier Photo Desk"}); len(got) != 1 {
		t.Errorf("after decay Filter dropped a forgotten promo")
	}
}

func TestBoilerplateMinSupport(t *testing.T) {
	b := NewBoilerplate(BoilerplateConfig{MinSupport: 3})
	b.Learn([]string{"A line seen twice in the same article.", "A line seen twice in the same article."})
	b.Learn([]string{"A line seen twice in the same article."})
	if got := b.Filter([]string{"A line seen twice in the same article."}); len(got) != 1 {
		t.Errorf("a line in 2 articles was dropped with MinSupport 3")
	}
}
