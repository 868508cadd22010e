package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ServeTargets are the tags the serve benchmark reads. The zero value
// takes the generator's: its most frequent pseudo-tag, one of mid
// frequency and one of the long tail (see Fill).
type ServeTargets struct {
	Popular, Mid, Rare string
	Section            string // default Business
	DeepPage           int    // the tag page reached by cursor; default 50
	PageSize           int    // the web's articles per page; default 20
}

// Tags of the generated store: with a Zipf(1.1) draw over 20,000
// pseudo-tags, the first carries about one article in seven, the 300th
// about one in 2,000, the 15,000th a handful in a million.
func (t *ServeTargets) defaults() {
	if t.Popular == "" {
		t.Popular = PseudoWord(0)
	}
	if t.Mid == "" {
		t.Mid = PseudoWord(300)
	}
	if t.Rare == "" {
		t.Rare = PseudoWord(15000)
	}
	if t.Section == "" {
		t.Section = "Business"
	}
	if t.DeepPage <= 0 {
		t.DeepPage = 50
	}
	if t.PageSize <= 0 {
		t.PageSize = 20
	}
}

// ServeRoutes asks the server at base (loopback) for what the routes
// need (an article, its story and source; the cursor of the popular tag's
// deep page, found by paging the API as a reader pages the site) and
// returns every page, feed and API route a reader or a client uses.
func ServeRoutes(ctx context.Context, base string, t ServeTargets) ([]Route, error) {
	if err := CheckLoopback(base); err != nil {
		return nil, err
	}
	t.defaults()
	c := &http.Client{Timeout: time.Minute}
	var list struct {
		Articles []struct {
			ID     int64 `json:"id"`
			Story  int64 `json:"story"`
			Source struct {
				ID int64 `json:"id"`
			} `json:"source"`
			StorySources int `json:"story_sources"`
		} `json:"articles"`
		NextCursor *string `json:"next_cursor"`
	}
	if err := getJSON(ctx, c, base+"/api/v1/articles?limit=100", &list); err != nil {
		return nil, err
	}
	if len(list.Articles) == 0 {
		return nil, fmt.Errorf("bench serve: the store has no articles (fill it with bench fill)")
	}
	art := list.Articles[0]
	story := art.Story
	for _, a := range list.Articles {
		if a.StorySources > 1 { // a story with several sources, as a reader opens it
			story = a.Story
			break
		}
	}
	if story == 0 {
		story = art.ID
	}
	for _, tag := range []string{t.Popular, t.Mid, t.Rare} {
		var probe struct{}
		if err := getJSON(ctx, c, base+"/api/v1/tags/"+url.PathEscape(tag)+"/articles?limit=1", &probe); err != nil {
			return nil, fmt.Errorf("bench serve: tag %s: %w (name the store's tags with --tags)", tag, err)
		}
	}
	// The deep page's cursor: the one after article (DeepPage-1)*PageSize.
	cursor, err := "", error(nil)
	for range t.DeepPage - 1 {
		u := base + "/api/v1/tags/" + url.PathEscape(t.Popular) + "/articles?limit=" + strconv.Itoa(t.PageSize)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		list.NextCursor = nil
		if err = getJSON(ctx, c, u, &list); err != nil {
			return nil, err
		}
		if list.NextCursor == nil {
			return nil, fmt.Errorf("bench serve: tag %s has fewer than %d pages", t.Popular, t.DeepPage)
		}
		cursor = *list.NextCursor
	}
	tag := func(s string) string { return "/tag/" + url.PathEscape(s) }
	q := url.QueryEscape
	return []Route{
		{Name: "front page", Path: "/"},
		{Name: "tag page, popular", Path: tag(t.Popular)},
		{Name: "tag page, mid", Path: tag(t.Mid)},
		{Name: "tag page, rare", Path: tag(t.Rare)},
		{Name: fmt.Sprintf("tag page, popular, page %d", t.DeepPage), Path: tag(t.Popular) + "?before=" + q(cursor)},
		{Name: "section page", Path: "/section/" + url.PathEscape(t.Section)},
		{Name: "source page", Path: "/source/" + strconv.FormatInt(art.Source.ID, 10)},
		{Name: "article page", Path: "/article/" + strconv.FormatInt(art.ID, 10)},
		{Name: "story page", Path: "/story/" + strconv.FormatInt(story, 10)},
		{Name: "tags page", Path: "/tags"},
		{Name: "search, common word", Path: "/search?q=said"},
		{Name: "search, rare word", Path: "/search?q=" + q(PseudoWord(20000))},
		{Name: "search, phrase", Path: "/search?q=" + q(`"prime minister"`)},
		{Name: "feed, tag, RSS", Path: tag(t.Popular) + ".rss"},
		{Name: "feed, tag, Atom", Path: tag(t.Popular) + ".atom"},
		{Name: "feed, tag, JSON", Path: tag(t.Popular) + ".json"},
		{Name: "feed, search, RSS", Path: "/search.rss?q=Russia"},
		{Name: "API, articles", Path: "/api/v1/articles?limit=20"},
		{Name: "API, tag articles", Path: "/api/v1/tags/" + url.PathEscape(t.Popular) + "/articles?limit=20"},
		{Name: "API, top tags", Path: "/api/v1/tags"},
		{Name: "API, trending tags", Path: "/api/v1/tags/trending"},
		{Name: "API, related tags", Path: "/api/v1/tags/" + url.PathEscape(t.Popular) + "/related"},
	}, nil
}

func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
