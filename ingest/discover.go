package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/taglines/taglines/feed"
	"github.com/taglines/taglines/fetch"
)

// ErrNoFeed is returned by Discover when a URL is neither a feed nor a
// page that leads to one.
var ErrNoFeed = errors.New("no feed found")

// Discover turns what an operator typed into a feed URL: the URL itself if
// it is a feed or a sitemap, else a feed the page announces with
// <link rel="alternate">, else a feed at one of the common paths of its
// site. It returns the feed URL and the parsed feed.
func Discover(ctx context.Context, fc *fetch.Client, rawURL string) (string, *feed.Feed, error) {
	resp, err := fc.Feed(ctx, rawURL, fetch.Validators{})
	if err != nil {
		return "", nil, err
	}
	if f, err := feed.Parse(resp.Body, resp.URL, resp.ContentType); err == nil && (len(f.Items) > 0 || len(f.Sitemaps) > 0 || f.Title != "") {
		return resp.URL, f, nil
	}
	candidates := feed.Discover(resp.Body, resp.URL)
	if site, err := url.Parse(resp.URL); err == nil {
		for _, p := range feed.CommonPaths {
			candidates = append(candidates, (&url.URL{Scheme: site.Scheme, Host: site.Host, Path: p}).String())
		}
	}
	for _, c := range candidates {
		if err := ctx.Err(); err != nil {
			return "", nil, err
		}
		r, err := fc.Feed(ctx, c, fetch.Validators{})
		if err != nil {
			continue
		}
		if f, err := feed.Parse(r.Body, r.URL, r.ContentType); err == nil && len(f.Items)+len(f.Sitemaps) > 0 {
			return r.URL, f, nil
		}
	}
	return "", nil, fmt.Errorf("%s: %w (no <link rel=\"alternate\"> feed, nothing at the common paths)", rawURL, ErrNoFeed)
}
