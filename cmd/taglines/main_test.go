package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/taglines/taglines/testpub"
)

// clock is a settable clock for Main.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness runs the real command line in-process against one database.
type harness struct {
	t     *testing.T
	db    string
	clock *clock
	hc    *http.Client
}

func (h *harness) main(stdout, stderr io.Writer) *Main {
	return &Main{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr, Now: h.clock.Now, HTTPClient: h.hc,
		Exit: func(code int) { h.t.Fatalf("exit(%d)", code) }}
}

// run runs one command and returns its standard output; it fails the test
// on error.
func (h *harness) run(args ...string) string {
	h.t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"--db", h.db, "--log-level", "warn"}, fetching(args)...)
	if err := h.main(&out, &errOut).Run(context.Background(), args); err != nil {
		h.t.Fatalf("taglines %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// fetching adds, to the commands that fetch, the politeness limits of a
// test: testpub is on loopback, and the defaults would only slow it.
func fetching(args []string) []string {
	n := 0
	switch {
	case len(args) > 0 && (args[0] == "poll" || args[0] == "reextract"):
		n = 1
	case len(args) > 1 && args[0] == "sources" && args[1] == "add":
		n = 2
	default:
		return args
	}
	return append(append(append([]string(nil), args[:n]...), "--host-rate", "1000", "--host-concurrency", "8"), args[n:]...)
}

func TestEndToEnd(t *testing.T) {
	const nPubs, nItems = 20, 30
	now := time.Now().UTC().Add(time.Minute) // TEMP
	clk := &clock{t: now}
	// Two more publishers than the healthy ones: one serves malformed XML,
	// one answers 500.
	pubs := testpub.Synthetic(nPubs+2, nItems, now)
	network, err := testpub.Start(pubs, testpub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer network.Close()
	h := &harness{t: t, db: filepath.Join(t.TempDir(), "e2e.db"), clock: clk, hc: network.Client()}
	for _, p := range pubs {
		h.run("sources", "add", network.FeedURL(p))
	}
	// The faults start after subscribing, as they do in life.
	broken, failing := pubs[nPubs], pubs[nPubs+1]
	if err := network.SetFault(broken, testpub.Fault{Kind: testpub.FaultMalformed}); err != nil {
		t.Fatal(err)
	}
	if err := network.SetFault(failing, testpub.Fault{Kind: testpub.FaultStatus, Status: 500}); err != nil {
		t.Fatal(err)
	}
	network.ResetRequests()

	// Round one: every healthy article stored once, with its page's text.
	start := time.Now()
	var round struct {
		Sources, OK, Failed int
		New                 int `json:"new_articles"`
	}
	decode(t, h.run("poll", "--once"), &round)
	elapsed := time.Since(start)
	t.Logf("round one: %d articles in %s (%.0f articles/s)", round.New, elapsed.Round(time.Millisecond), float64(round.New)/elapsed.Seconds())
	if round.Sources != nPubs+2 || round.OK != nPubs || round.Failed != 2 || round.New != nPubs*nItems {
		t.Fatalf("round one = %+v, want %d sources, %d ok, 2 failed, %d new", round, nPubs+2, nPubs, nPubs*nItems)
	}
	var stats struct {
		Sources, Articles, Tags int
		Failing                 int `json:"failing_sources"`
	}
	decode(t, h.run("stats"), &stats)
	if stats.Articles != nPubs*nItems || stats.Sources != nPubs+2 || stats.Failing != 2 || stats.Tags == 0 {
		t.Fatalf("stats after round one = %+v", stats)
	}
	reqs := network.Requests()
	if reqs.PageOK != nPubs*nItems {
		t.Errorf("round one fetched %d pages, want %d", reqs.PageOK, nPubs*nItems)
	}

	// Failing sources are visible with their errors; the others are healthy.
	var list []sourceJSON
	decode(t, h.run("sources", "list", "--json"), &list)
	for _, s := range list {
		switch s.URL {
		case network.FeedURL(broken):
			if s.Status != "failing" || s.HTTPStatus != 200 || s.Error == "" || s.Articles != 0 {
				t.Errorf("malformed-XML source = %+v, want failing with a parse error", s)
			}
		case network.FeedURL(failing):
			if s.Status != "failing" || s.HTTPStatus != 500 || !strings.Contains(s.Error, "500") {
				t.Errorf("HTTP 500 source = %+v, want failing with HTTP 500", s)
			}
		default:
			if s.Status != "ok" || s.Articles != nItems || s.LastSuccessAt == nil {
				t.Errorf("healthy source = %+v, want ok with %d articles", s, nItems)
			}
		}
	}
	table := h.run("sources", "list")
	if !strings.Contains(table, "failing") || !strings.Contains(table, "500") {
		t.Errorf("sources list table lacks the failing sources:\n%s", table)
	}

	// Round two, after the interval: only conditional requests, all 304,
	// nothing written.
	network.ResetRequests()
	clk.Add(25 * time.Hour) // past the interval and the failing sources' backoff
	decode(t, h.run("poll", "--once"), &round)
	reqs = network.Requests()
	if round.New != 0 || reqs.FeedNotModified != nPubs || reqs.FeedOK != 0 || reqs.PageOK != 0 {
		t.Errorf("round two: %+v, requests %+v; want 0 new, %d feeds 304, no 200s", round, reqs, nPubs)
	}
	decode(t, h.run("stats"), &stats)
	if stats.Articles != nPubs*nItems {
		t.Errorf("articles after round two = %d, want %d", stats.Articles, nPubs*nItems)
	}

	// The pages: newest first, with relative times against the fixed clock.
	clk.Add(-25 * time.Hour)
	base := h.serve(t)
	var api struct {
		Articles []struct {
			Title     string
			Published time.Time
			Text      string
			Tags      []struct{ Name, Slug string }
		}
	}
	getJSON(t, base+"/api/v1/articles?limit=200", &api)
	// Text responses are compressed for a client that asks.
	for _, path := range []string{"/", "/api/v1/articles?limit=20", "/static/style.css"} {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s with Accept-Encoding gzip = %d, Content-Encoding %q", path, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
	}
	if len(api.Articles) != 200 {
		t.Fatalf("api returned %d articles, want 200", len(api.Articles))
	}
	for i := 1; i < len(api.Articles); i++ {
		if api.Articles[i].Published.After(api.Articles[i-1].Published) {
			t.Fatalf("articles not newest first at %d: %v after %v", i, api.Articles[i].Published, api.Articles[i-1].Published)
		}
	}
	for _, a := range api.Articles {
		if len(a.Text) < 200 {
			t.Errorf("article %q has %d bytes of text, want the extracted page", a.Title, len(a.Text))
		}
		// Promos that every page of a publisher carries are learnt and
		// dropped, whatever their wording.
		for _, junk := range []string{"top stories in your inbox", testpub.BoilerNewsletter, testpub.BoilerCookies, "Advertisement"} {
			if strings.Contains(a.Text, junk) {
				t.Errorf("article %q still contains boilerplate %q", a.Title, junk)
			}
		}
	}
	var tag struct{ Name, Slug string }
	for _, a := range api.Articles {
		if len(a.Tags) > 0 {
			tag = a.Tags[0]
			break
		}
	}
	if tag.Slug == "" {
		t.Fatal("no article of the 200 newest has a tag")
	}
	page := get(t, base+"/tag/"+strings.ToUpper(tag.Slug))
	if !strings.Contains(page, "Latest news with #"+tag.Name) {
		t.Errorf("tag page lacks its heading %q", "Latest news with #"+tag.Name)
	}
	times := regexp.MustCompile(`>(a few seconds ago|a minute ago|\d+ minutes ago|an hour ago|\d+ hours ago|a day ago|\d days ago|\d\d-\d\d-\d{4})</time>`).FindAllStringSubmatch(page, -1)
	if len(times) == 0 {
		t.Fatalf("tag page shows no relative times:\n%s", page)
	}
	wantFirst := relTimeOf(api.Articles, tag.Slug, now)
	if times[0][1] != wantFirst {
		t.Errorf("first entry's time = %q, want %q", times[0][1], wantFirst)
	}
}

// relTimeOf is the expected display of the newest article with tag.
func relTimeOf(articles []struct {
	Title     string
	Published time.Time
	Text      string
	Tags      []struct{ Name, Slug string }
}, slug string, now time.Time) string {
	for _, a := range articles {
		for _, t := range a.Tags {
			if t.Slug == slug {
				d := now.Sub(a.Published)
				switch {
				case d < 45*time.Second:
					return "a few seconds ago"
				case d < 90*time.Second:
					return "a minute ago"
				case d < 45*time.Minute:
					return fmt.Sprintf("%d minutes ago", int(d.Minutes()+0.5))
				case d < 90*time.Minute:
					return "an hour ago"
				case d < 22*time.Hour:
					return fmt.Sprintf("%d hours ago", int(d.Hours()+0.5))
				}
				return ""
			}
		}
	}
	return ""
}

// serve starts `taglines serve` on a free port and returns its base URL;
// the server stops when the test ends.
func (h *harness) serve(t *testing.T, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var errOut bytes.Buffer
	m := h.main(io.Discard, &errOut)
	m.Ready = func(addr string) { ready <- addr }
	go func() {
		args := append([]string{"--db", h.db, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0", "--interval", "1h",
			// Operators change tags and sources from other processes here and
			// expect the pages at once; the cache has its own tests.
			"--no-read-cache"}, extra...)
		done <- m.Run(ctx, args)
	}()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v\n%s", err, errOut.String())
			}
		})
		return "http://" + addr
	case err := <-done:
		t.Fatalf("serve exited: %v\n%s", err, errOut.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	return ""
}

// status is the HTTP status of a GET.
func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d\n%s", url, resp.StatusCode, body)
	}
	return string(body)
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	decode(t, get(t, url), v)
}

// TestReferenceArticlesClean serves the reference pages' own articles
// through testpub, in page boilerplate, and checks that what taglines shows
// has none of the junk the reference aggregator left in.
func TestReferenceArticlesClean(t *testing.T) {
	now := time.Now().UTC()
	var refs []*testpub.Publisher
	for _, p := range testpub.Demo(now) {
		switch p.Name {
		case "Russia Today", "South China Morning Post", "Memri", "ABC News", "Yahoo":
			refs = append(refs, p)
		}
	}
	if len(refs) != 5 {
		t.Fatalf("found %d reference publishers in the demo, want 5", len(refs))
	}
	network, err := testpub.Start(refs, testpub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer network.Close()
	h := &harness{t: t, db: filepath.Join(t.TempDir(), "ref.db"), clock: &clock{t: now}, hc: network.Client()}
	for _, p := range refs {
		h.run("sources", "add", network.FeedURL(p))
	}
	var round struct {
		New int `json:"new_articles"`
	}
	decode(t, h.run("poll", "--once"), &round)
	if round.New < 10 {
		t.Fatalf("stored %d reference articles, want at least 10", round.New)
	}
	base := h.serve(t)
	var api struct {
		Articles []struct{ Title, Excerpt, Text string }
	}
	getJSON(t, base+"/api/v1/articles?limit=200", &api)
	junk := []string{"Advertisement", "Credit:", "Try The Telegraph", "free for 1 month", "( AP Photo )", "( Reuters", "TO FOLLOW", "Sign up", "Read more"}
	for _, a := range api.Articles {
		for _, j := range junk {
			if strings.Contains(a.Excerpt, j) || strings.Contains(a.Text, j) {
				t.Errorf("article %q contains %q", a.Title, j)
			}
		}
		if len(a.Text) < 400 {
			t.Errorf("article %q has only %d bytes of text", a.Title, len(a.Text))
		}
	}
	page := get(t, base+"/")
	for _, j := range junk {
		if strings.Contains(page, j) {
			t.Errorf("front page contains %q", j)
		}
	}

	// The tagger finds the reference pages' people, places and topics, and
	// the pages follow aliases, as the reference's #Kremlin.ru page did.
	for _, tag := range []string{"VladimirPutin", "SergeyLavrov", "DonaldTrump", "Russia", "Ukraine", "Kremlin", "UkrainianConflict"} {
		if p := get(t, base+"/tag/"+tag); !strings.Contains(p, "Latest news with #"+tag) {
			t.Errorf("tag page /tag/%s lacks its heading", tag)
		}
	}
	// The reference page's two duplicate pairs are one entry each, with a
	// link to their versions; the Putin-Erdogan call stays apart.
	front := get(t, base+"/api/v1/articles?limit=200")
	for _, title := range []string{"influence EU", "killed in car explosion near Moscow"} {
		if n := strings.Count(front, title); n != 1 {
			t.Errorf("the listing shows %q %d times, want once", title, n)
		}
	}
	if !strings.Contains(front, "Putin and Erdogan discuss Ukraine and Syria") {
		t.Error("the Putin-Erdogan story was folded into another")
	}
	if all := get(t, base+"/api/v1/articles?limit=200&versions=all"); strings.Count(all, "influence EU") != 2 {
		t.Error("?versions=all does not list both RT versions")
	}
	// An operator blocks a tag: stored articles are retagged at once; the
	// block lifted, the tag comes back from the text.
	tagged := func(slug string) int {
		if status(t, base+"/api/v1/tags/"+slug+"/articles") == http.StatusNotFound {
			return 0
		}
		var page struct{ Articles []struct{ ID int64 } }
		getJSON(t, base+"/api/v1/tags/"+slug+"/articles?limit=200", &page)
		return len(page.Articles)
	}
	before := tagged("kremlin")
	if before == 0 {
		t.Fatal("no article carries #Kremlin")
	}
	h.run("tags", "block", "Kremlin")
	if n := tagged("kremlin"); n != 0 {
		t.Errorf("after blocking #Kremlin, %d articles carry it, want 0", n)
	}
	h.run("tags", "drop", "block", "Kremlin")
	if n := tagged("kremlin"); n != before {
		t.Errorf("after unblocking #Kremlin, %d articles carry it, want %d again", n, before)
	}
	lavrov := tagged("sergeylavrov")
	h.run("tags", "merge", "Sergey Lavrov", "Lavrov")
	if n := tagged("lavrov"); n != lavrov {
		t.Errorf("after the merge, #Lavrov has %d articles, want %d", n, lavrov)
	}
	// The old name leads to the merged tag.
	var merged struct{ Tag struct{ Name string } }
	getJSON(t, base+"/api/v1/tags/sergeylavrov/articles", &merged)
	if merged.Tag.Name != "Lavrov" {
		t.Errorf("/api/v1/tags/sergeylavrov shows #%s, want #Lavrov", merged.Tag.Name)
	}

	// An operator defines a topic: a malformed rule is refused with its
	// position and changes nothing; a good one tags stored articles.
	var tout, terr bytes.Buffer
	err = h.main(&tout, &terr).Run(context.Background(), []string{"--db", h.db, "tags", "topic", "Car Bombs", `car AND (bomb OR explosion`})
	if err == nil || !regexp.MustCompile(`at \d+`).MatchString(err.Error()) {
		t.Errorf("tags topic with a malformed rule = %v, want an error giving the position", err)
	}
	if n := tagged("carbombs"); n != 0 {
		t.Errorf("a refused topic tagged %d articles", n)
	}
	h.run("tags", "topic", "Car Bombs", `car NEAR/3 bomb OR car NEAR/3 explosion`)
	if n := tagged("carbombs"); n == 0 {
		t.Error("the new topic #CarBombs tags no stored article (the ABC story is one)")
	}

	// Across the corpus the most complete frequent form wins: a bare
	// surname that the articles also give in full is merged into it.
	if out := h.run("tags", "learn", "--dry-run"); strings.Contains(out, "merge #Russia") {
		t.Errorf("tags learn proposes merging a country into a longer name:\n%s", out)
	}

	// An operator gives a source rules, previews nothing here, and
	// re-applies them to what is stored.
	var srcs []sourceJSON
	decode(t, h.run("sources", "list", "--json"), &srcs)
	var memri int64
	for _, s := range srcs {
		if strings.Contains(s.URL, "memri") {
			memri = s.ID
		}
	}
	rulesFile := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(rulesFile, []byte(`{"strip":["(?i)the moscow times"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rulesFile+".bad", []byte(`{"drop":["div[["]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := h.main(&out, &errOut).Run(context.Background(), []string{"--db", h.db, "sources", "set", fmt.Sprint(memri), "--rules", rulesFile + ".bad"}); err == nil {
		t.Error("sources set accepted a broken selector")
	}
	h.run("sources", "set", fmt.Sprint(memri), "--rules", rulesFile, "--folder", "Middle East")
	h.run("reextract", "--source", fmt.Sprint(memri))
	var memriArts struct{ Articles []struct{ Text string } }
	getJSON(t, base+"/api/v1/articles?limit=200", &memriArts)
	for _, a := range memriArts.Articles {
		if strings.Contains(strings.ToLower(a.Text), "the moscow times") {
			t.Error("after reextract with a strip rule, an article still contains the stripped words")
		}
	}
	if opml := h.run("sources", "export"); !strings.Contains(opml, `text="Middle East"`) {
		t.Error("the export lacks the source's folder")
	}

	// An operator undoes the merge: both versions are listed again.
	var versions struct {
		Articles []struct {
			ID          int64
			Title       string
			DuplicateOf *int64 `json:"duplicate_of"`
		}
	}
	getJSON(t, base+"/api/v1/articles?limit=200&versions=all", &versions)
	var dup int64
	for _, a := range versions.Articles {
		if a.DuplicateOf != nil && strings.Contains(a.Title, "influence EU") {
			dup = a.ID
		}
	}
	if dup == 0 {
		t.Fatal("no RT article is marked as a version")
	}
	h.run("split", fmt.Sprint(dup))
	if n := strings.Count(get(t, base+"/api/v1/articles?limit=200"), "influence EU"); n != 2 {
		t.Errorf("after split, the listing shows the RT story %d times, want 2", n)
	}
	for alias, canonical := range map[string]string{"Kremlin.ru": "Kremlin", "kiev": "Kyiv", "KYIV": "Kyiv"} {
		if p := get(t, base+"/tag/"+alias); !strings.Contains(p, "Latest news with #"+canonical) {
			t.Errorf("/tag/%s does not show #%s", alias, canonical)
		}
	}
}
