package enrich

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// refArticle is one entry of a saved reference tag page.
type refArticle struct {
	Source, Section, Title, Text string
}

var refTime = regexp.MustCompile(`^(?:\d+ \w+ ago|a \w+ ago|an \w+ ago|\d{2}-\d{2}-\d{4})$`)

// readReference parses the entries of a reference page: a source line, a
// time line, "- section", "- source", the title and the text up to the
// next entry.
func readReference(t *testing.T, path string) []refArticle {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var starts []int
	for i := 0; i+4 < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" && refTime.MatchString(strings.TrimSpace(lines[i+1])) &&
			strings.HasPrefix(lines[i+2], "- ") && strings.HasPrefix(lines[i+3], "- ") {
			starts = append(starts, i)
		}
	}
	var out []refArticle
	for k, s := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		var paras []string
		for _, l := range lines[s+5 : end] {
			if l = strings.TrimSpace(l); l != "" {
				paras = append(paras, l)
			}
		}
		out = append(out, refArticle{
			Source: strings.TrimSpace(lines[s]), Section: strings.TrimPrefix(lines[s+2], "- "),
			Title: strings.TrimSpace(lines[s+4]), Text: strings.Join(paras, "\n\n"),
		})
	}
	return out
}

func TestReferenceArticles(t *testing.T) {
	tagger := testTagger(t)
	files, _ := filepath.Glob("testdata/reference/*.txt")
	var arts []refArticle
	for _, f := range files {
		arts = append(arts, readReference(t, f)...)
	}
	if len(arts) < 10 {
		t.Fatalf("parsed %d reference articles, want at least 10", len(arts))
	}
	all := map[string]int{}
	for _, a := range arts {
		res := tagger.Tag(Article{Title: a.Title, Text: a.Text, Source: a.Source})
		var names []string
		for _, tg := range res.Tags {
			all[tg.Tag.Slug]++
			names = append(names, tg.Tag.String())
		}
		t.Logf("%s: %q → %s %v", a.Source, a.Title, res.Section.Name, names)
		if len(res.Tags) > MaxTags {
			t.Errorf("%q: %d tags, want at most %d", a.Title, len(res.Tags), MaxTags)
		}
		for _, tg := range res.Tags {
			switch tg.Tag.Slug {
			case "kiev", "kremlin.ru", "gettyimages", "associatedpress", "ap", "apphoto", "afp", "credit", "photo":
				t.Errorf("%q: tag %s comes from a spelling variant or a credit", a.Title, tg.Tag)
			}
		}
	}
	for _, want := range []string{"vladimirputin", "sergeylavrov", "donaldtrump", "russia", "ukraine", "kremlin", "ukrainianconflict", "kyiv"} {
		if all[want] == 0 {
			t.Errorf("no reference article is tagged #%s; tags: %v", want, all)
		}
	}
}
