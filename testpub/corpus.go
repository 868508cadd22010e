package testpub

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"
)

// The corpus is built by internal/mkcorpus from ../shared/data and
// ../shared/reference; see corpus/README.md.
//
//go:embed corpus/corpus.jsonl.gz
var corpusGz []byte

// Origins of corpus articles, the values of Article.Origin.
const (
	OriginReference = "reference" // the articles of the two reference tag pages
	OriginBBC       = "bbc"       // the BBC News data set (2004-2005)
	OriginReuters   = "reuters"   // Reuters-21578 (1987)
)

// Article is one news article: a corpus record, and once a constructor
// (Demo, Synthetic) or Start has placed it with a publisher, its Path and
// Published time.
//
// Paragraphs and Categories may be shared with other Articles built from
// the same corpus record: treat them as read-only.
type Article struct {
	ID         string   `json:"id"`     // corpus id, e.g. "bbc-tech-012", "reuters-00001", "ref-03"
	Origin     string   `json:"origin"` // OriginReference, OriginBBC or OriginReuters
	Source     string   `json:"source"` // the publisher's name, e.g. "Russia Today", "BBC Sport"
	Section    string   `json:"section"`
	Title      string   `json:"title"`
	Paragraphs []string `json:"paragraphs"` // the full text, at least one paragraph
	Author     string   `json:"author,omitempty"`
	Categories []string `json:"categories"` // human-readable labels, Section first

	// Age is how old a reference article was when its page was saved
	// (about 2025-07-15); zero for other origins.
	Age time.Duration `json:"-"`
	// Ordinal is the record's position in the corpus, a stable order for
	// spreading articles over time.
	Ordinal int `json:"ordinal"`

	// Path is the article page's path on its publisher's host, starting
	// with "/"; unique within a publisher. Empty in Corpus.
	Path string `json:"-"`
	// Published is the article's publication time. Zero in Corpus.
	Published time.Time `json:"-"`
}

// Summary returns the text a feed carries for a: the first paragraph, cut
// at a word boundary with "…" when longer than 600 bytes.
func (a *Article) Summary() string {
	if len(a.Paragraphs) == 0 {
		return ""
	}
	return cut(a.Paragraphs[0], 600)
}

var loadCorpus = sync.OnceValues(func() ([]Article, error) {
	zr, err := gzip.NewReader(bytes.NewReader(corpusGz))
	if err != nil {
		return nil, fmt.Errorf("testpub: corpus: %w", err)
	}
	var out []Article
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		var rec struct {
			Article
			AgeMinutes int `json:"age_minutes"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("testpub: corpus line %d: %w", len(out)+1, err)
		}
		rec.Article.Age = time.Duration(rec.AgeMinutes) * time.Minute
		out = append(out, rec.Article)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("testpub: corpus: %w", err)
	}
	return out, nil
})

// Corpus returns the embedded articles in corpus order: the reference
// articles (newest first as on their pages), then BBC, then Reuters. Each
// call returns a new slice; Path and Published are zero. It is safe for
// concurrent use. An error means the embedded file is corrupt.
func Corpus() ([]Article, error) {
	arts, err := loadCorpus()
	return slices.Clone(arts), err
}

// mustCorpus is for constructors whose corpus is checked by the tests.
func mustCorpus() []Article {
	arts, err := Corpus()
	if err != nil {
		panic(err)
	}
	return arts
}
