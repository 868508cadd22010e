package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/taglines/taglines/bench"
	"github.com/taglines/taglines/dedup"
)

type dedupCmd struct {
	File        string        `arg:"" help:"JSONL file of articles (id and text required; title, url, source, published, tags and names (the people and organisations among the tags) used when present), or - for standard input."`
	Window      time.Duration `default:"72h" help:"How far apart in time articles of one story may be."`
	RefineEvery time.Duration `default:"1h" help:"Revisit the stories of the window each time publication times advance this much, and once at the end, as the poller does every --refine-interval (0: decide each article once, as it comes)."`
}

// maxDedupLine bounds one input line; longer lines are an error, not a
// reason to read without limit.
const maxDedupLine = 64 << 20

// dedupIn is one input line of `taglines dedup`.
type dedupIn struct {
	ID        json.RawMessage `json:"id"`
	Text      *string         `json:"text"`
	Title     string          `json:"title"`
	URL       string          `json:"url"`
	Source    string          `json:"source"`
	Published string          `json:"published"`
	Tags      []string        `json:"tags"`
	Names     []string        `json:"names"` // the people and organisations among the tags
}

// dedupOut is one output line of `taglines dedup`, a public interface:
// ids are echoed in their input JSON type.
type dedupOut struct {
	ID          json.RawMessage `json:"id"`
	DuplicateOf json.RawMessage `json:"duplicate_of"`
	Cluster     json.RawMessage `json:"cluster"`
}

// dedupEpoch stands in for the publication time of articles before the first
// that has one, so a run does not depend on the wall clock.
var dedupEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func (c *dedupCmd) Run(ctx context.Context, m *Main) error {
	var r io.Reader = m.Stdin
	name := "standard input"
	if c.File != "-" {
		f, err := os.Open(c.File)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, c.File
	}
	return runDedup(ctx, r, m.Stdout, name, dedup.Options{Window: c.Window}, c.RefineEvery)
}

// runDedup processes the articles of r in order and, once all are
// decided, writes one line per input line to w with where the article
// ended. An article without a publication time gets the latest one seen
// before it.
func runDedup(ctx context.Context, r io.Reader, w io.Writer, name string, opts dedup.Options, refineEvery time.Duration) error {
	s := bench.NewDedupStream(opts, refineEvery, dedupEpoch)

	ids := []json.RawMessage{nil} // internal id → the input's id; 0 unused
	byKey := map[string]int64{}
	var lines []int64 // internal id of each input line

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxDedupLine)
	for line := 1; sc.Scan(); line++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		in, err := parseDedupLine(raw)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		doc := dedup.Document{Title: in.Title, Text: *in.Text, URL: in.URL, Source: in.Source, Tags: in.Tags, Names: in.Names}
		if in.Published != "" {
			if doc.Published, err = parseDedupTime(in.Published); err != nil {
				return fmt.Errorf("%s:%d: published: %w", name, line, err)
			}
		}
		key := string(in.ID)
		id, ok := byKey[key]
		if !ok {
			id = int64(len(ids))
			ids = append(ids, in.ID)
			byKey[key] = id
		}
		doc.ID = id
		if err := s.Add(ctx, doc); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
		lines = append(lines, id)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("%s: a line is longer than %d bytes: %w", name, maxDedupLine, err)
		}
		return fmt.Errorf("read %s: %w", name, err)
	}
	if err := s.Finish(ctx); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, id := range lines {
		dup, cluster := s.Result(id)
		out := dedupOut{ID: ids[id], DuplicateOf: json.RawMessage("null"), Cluster: ids[cluster]}
		if dup != 0 {
			out.DuplicateOf = ids[dup]
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// parseDedupLine decodes one article and checks its id (a JSON string or
// number, kept in compact form) and text.
func parseDedupLine(raw []byte) (*dedupIn, error) {
	var in dedupIn
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("not a JSON article object: %w", err)
	}
	if len(in.ID) == 0 || string(in.ID) == "null" {
		return nil, errors.New(`"id" is required`)
	}
	var id any
	dec := json.NewDecoder(bytes.NewReader(in.ID))
	dec.UseNumber()
	if err := dec.Decode(&id); err != nil {
		return nil, fmt.Errorf("id: %w", err)
	}
	switch id.(type) {
	case string, json.Number:
	default:
		return nil, fmt.Errorf("id %s: want a JSON string or number", in.ID)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, in.ID); err != nil {
		return nil, fmt.Errorf("id: %w", err)
	}
	in.ID = compact.Bytes()
	if in.Text == nil {
		return nil, errors.New(`"text" is required`)
	}
	return &in, nil
}

// parseDedupTime accepts RFC 3339 times and plain dates.
func parseDedupTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time or a date", s)
}
