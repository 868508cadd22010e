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
	URL  string `help:"The page's address, for resolving links."`
	File string `arg:"" help:"HTML file, or - for standard input."`
}

// extractJSON is the output of `taglines extract`, a public interface.
type extractJSON struct {
	*extract.Result
	Published *string `json:"published"`
}

func (c *extractCmd) Run(m *Main) error {
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
	res, err := extract.Page(page, "", pageURL)
	if err != nil && res == nil {
		return err
	}
	out := extractJSON{Result: res}
	if !res.Published.IsZero() {
		p := res.Published.Format(time.RFC3339)
		out.Published = &p
	}
	return writeJSON(m.Stdout, out)
}
