package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/taglines/taglines/extract"
)

type extractCmd struct {
	URL   string `help:"The page's address, for resolving links."`
	HTML  bool   `name:"html" help:"Also print the main content as sanitised HTML."`
	Rules string `help:"JSON file of per-source rules ({\"keep\":[css],\"drop\":[css],\"strip\":[regexp]}) to preview."`
	File  string `arg:"" help:"HTML file, or - for standard input."`
}

// extractJSON is the output of `taglines extract`, a public interface:
// times in RFC 3339 with the page's own UTC offset, or null.
type extractJSON struct {
	*extract.Result
	Published *string  `json:"published"`
	Modified  *string  `json:"modified"`
	Authors   []string `json:"authors"`
}

func (c *extractCmd) Run(m *Main) error {
	var opts extract.Options
	if c.Rules != "" {
		b, err := os.ReadFile(c.Rules)
		if err != nil {
			return fmt.Errorf("--rules: %w", err)
		}
		if opts.Rules, err = extract.ParseRules(b); err != nil {
			return fmt.Errorf("--rules %s: %w", c.Rules, err)
		}
	}
	opts.HTML = c.HTML
	var r io.Reader = m.Stdin
	if c.File != "-" {
		f, err := os.Open(c.File)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	page, err := io.ReadAll(io.LimitReader(r, extract.MaxInput))
	if err != nil {
		return fmt.Errorf("read %s: %w", c.File, err)
	}
	var pageURL *url.URL
	if c.URL != "" {
		if pageURL, err = url.Parse(c.URL); err != nil {
			return fmt.Errorf("--url: %w", err)
		}
	}
	res, err := extract.PageWith(page, "", pageURL, opts)
	if err != nil && res == nil {
		return err
	}
	out := extractJSON{Result: res, Published: rfc3339(res.Published), Modified: rfc3339(res.Modified), Authors: res.Authors}
	if out.Authors == nil {
		out.Authors = []string{}
	}
	return writeJSON(m.Stdout, out)
}

func rfc3339(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.RFC3339)
	return &s
}
