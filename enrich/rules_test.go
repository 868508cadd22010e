package enrich

import (
	"testing"

	"github.com/taglines/taglines"
)

func TestTagRules(t *testing.T) {
	aliases := NewAliases()
	r, err := NewTagRules([]taglines.TagRule{
		{Kind: taglines.TagMerge, Name: "Putin", Target: "Vladimir Putin"},
		{Kind: taglines.TagAlias, Name: "Kiev", Target: "Kyiv"},
		{Kind: taglines.TagBlock, Name: "Getty Images"},
	}, aliases)
	if err != nil {
		t.Fatal(err)
	}
	in := FeedTags([]string{"Putin", "Vladimir Putin", "Kiev", "Getty Images", "Ukraine"})
	var got []string
	for _, tg := range r.Apply(in) {
		got = append(got, tg.Name)
	}
	if want := "[VladimirPutin Kyiv Ukraine]"; fmtList(got) != want {
		t.Errorf("Apply = %v, want %s", got, want)
	}
	if c, ok := aliases.Canonical("kiev"); !ok || c != "Kyiv" {
		t.Errorf("aliases taught Kiev → %q, %v; want Kyiv", c, ok)
	}
	if !aliases.Blocked("Getty Images") {
		t.Error("aliases not taught the block")
	}
	if _, err := NewTagRules([]taglines.TagRule{{Kind: "rename", Name: "a", Target: "b"}}, nil); err == nil {
		t.Error("an unknown rule kind was accepted")
	}
	var none *TagRules
	if got := none.Apply(in); len(got) != len(in) {
		t.Errorf("nil rules changed the tags: %v", got)
	}
}

func fmtList(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}
