package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/taglines/taglines/enrich"
)

type tagCmd struct {
	JSONL bool   `name:"jsonl" help:"Read one article per line ({id, title, text}) and print one result per line."`
	File  string `arg:"" help:"Article as JSON from 'taglines extract' (title, text), plain text, or - for standard input."`
}

// tagArticleJSON is an article as 'taglines tag' reads it: the output of
// 'taglines extract', or one line of --jsonl input.
type tagArticleJSON struct {
	ID       json.RawMessage `json:"id,omitempty"`
	Title    string          `json:"title"`
	Text     string          `json:"text"`
	URL      string          `json:"url"`
	Language string          `json:"language"`
	Lang     string          `json:"lang"`
	Source   string          `json:"source"`
	SiteName string          `json:"site_name"`
}

// tagJSON is the output of 'taglines tag', a public interface.
type tagJSON struct {
	ID       json.RawMessage `json:"id,omitempty"`
	Tags     []tagOut        `json:"tags"`
	Entities []enrich.Entity `json:"entities"`
	Section  sectionOut      `json:"section"`
	Lang     string          `json:"lang,omitempty"`
	Note     string          `json:"note,omitempty"`
	Error    string          `json:"error,omitempty"`
}

type tagOut struct {
	Tag   string            `json:"tag"`
	Name  string            `json:"name"`
	Type  enrich.EntityType `json:"type"`
	Score float64           `json:"score"`
}

type sectionOut struct {
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence"`
}

func toTagJSON(r enrich.Result) tagJSON {
	out := tagJSON{Tags: []tagOut{}, Entities: r.Entities, Section: sectionOut(r.Section), Lang: r.Lang, Note: r.Note}
	if out.Entities == nil {
		out.Entities = []enrich.Entity{}
	}
	for _, t := range r.Tags {
		out.Tags = append(out.Tags, tagOut{Tag: t.Tag.String(), Name: t.Name, Type: t.Type, Score: t.Score})
	}
	return out
}

func (a tagArticleJSON) article() enrich.Article {
	lang := a.Lang
	if lang == "" {
		lang = a.Language
	}
	src := a.Source
	if src == "" {
		src = a.SiteName
	}
	return enrich.Article{Title: a.Title, Text: a.Text, URL: a.URL, Lang: lang, Source: src}
}

func (c *tagCmd) Run(m *Main) error {
	var r io.Reader = m.Stdin
	if c.File != "-" {
		f, err := os.Open(c.File)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	tagger, err := enrich.NewTagger(enrich.Options{})
	if err != nil {
		return err
	}
	if c.JSONL {
		return c.jsonl(m, r, tagger)
	}
	raw, err := io.ReadAll(io.LimitReader(r, 4*enrich.MaxInput))
	if err != nil {
		return fmt.Errorf("read %s: %w", c.File, err)
	}
	a := enrich.Article{Text: string(raw), Plain: true}
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '{' {
		var in tagArticleJSON
		if err := json.Unmarshal(trimmed, &in); err == nil {
			a = in.article()
		}
	}
	return writeJSON(m.Stdout, toTagJSON(tagger.Tag(a)))
}

// jsonl tags one article per line; a line that is not JSON gets an error
// object with the line number and the run goes on.
func (c *tagCmd) jsonl(m *Main, r io.Reader, tagger *enrich.Tagger) error {
	br := bufio.NewReaderSize(r, 1<<20)
	enc := json.NewEncoder(m.Stdout)
	enc.SetEscapeHTML(false)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var in tagArticleJSON
			var out tagJSON
			if jerr := json.Unmarshal(line, &in); jerr != nil {
				out = tagJSON{Tags: []tagOut{}, Entities: []enrich.Entity{}, Error: fmt.Sprintf("line %d: %v", n, jerr)}
			} else {
				out = toTagJSON(tagger.Tag(in.article()))
				out.ID = in.ID
			}
			if werr := enc.Encode(out); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", c.File, err)
		}
	}
}
