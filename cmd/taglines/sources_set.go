package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/extract"
)

type sourcesSetCmd struct {
	Source     string `arg:"" help:"Source ID or feed URL."`
	Title      string `help:"Display name."`
	Folder     string `help:"OPML folder."`
	Rules      string `help:"Extraction rules as a JSON file ({\"keep\":[...],\"drop\":[...],\"strip\":[...]}); 'none' removes them. Preview with: taglines extract --url PAGE --rules FILE page.html" type:"string"`
	PreferFeed *bool  `help:"Use the feed's full text instead of fetching pages (--prefer-feed=false to fetch again)."`
	Sections   string `help:"Section map: comma-separated label=Section pairs renaming the source's feed categories or the sections it is given (Footie=Sports,Politics=UK politics), or *=Section for all its articles; 'none' removes it. Applies to new articles; 'taglines retag --source ID' redoes stored ones."`
}

// Run changes a source's operator settings; rules are validated first.
func (c *sourcesSetCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		src, err := sourceByRef(ctx, store, c.Source)
		if err != nil {
			return err
		}
		if c.Title != "" {
			src.Title = c.Title
		}
		if c.Folder != "" {
			src.Folder = c.Folder
		}
		switch c.Rules {
		case "":
		case "none":
			src.Rules = ""
		default:
			data, err := os.ReadFile(c.Rules)
			if err != nil {
				return err
			}
			if _, err := extract.ParseRules(data); err != nil {
				return fmt.Errorf("%s: %w", c.Rules, err)
			}
			src.Rules = string(data)
		}
		if c.PreferFeed != nil {
			src.PreferFeed = *c.PreferFeed
		}
		switch c.Sections {
		case "":
		case "none":
			src.Sections = ""
		default:
			if _, err := enrich.ParseSectionMap(c.Sections); err != nil {
				return fmt.Errorf("--sections: %w", err)
			}
			src.Sections = c.Sections
		}
		if err := store.UpdateSource(ctx, src); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "source %d: title %q, folder %q, rules %d bytes, prefer feed %v, sections %q\n",
			src.ID, src.Title, src.Folder, len(src.Rules), src.PreferFeed, src.Sections)
		return nil
	})
}

// sourceByRef finds a source by ID or feed URL.
func sourceByRef(ctx context.Context, store taglines.Store, ref string) (*taglines.Source, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		s, err := store.Source(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("source %d: %w", id, err)
		}
		return s, nil
	}
	s, err := store.SourceByURL(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", ref, err)
	}
	return s, nil
}
