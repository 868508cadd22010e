//go:build browser

package web_test

// Browser tests: the pages in headless Chromium (Debian's chromium,
// driven by chromedp), on a real store, with the API mounted beside them
// as serve does. Run by `make browser-test`; CI installs chromium when it
// is missing. TAGLINES_AXE_JS names axe-core's axe.min.js (npm) for the
// accessibility check; without it the check is skipped with a note.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/taglines/taglines/api"
	"github.com/taglines/taglines/storetest/dbtest"
	"github.com/taglines/taglines/web"
)

func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium on PATH: apt-get install chromium")
	return ""
}

// browserPage is what one page load saw.
type browserPage struct {
	errors   []string // console errors, exceptions, CSP and other log errors
	offsite  []string // requests that left the test server
	requests int
}

func TestBrowser(t *testing.T) {
	st := newReadingStore(t, dbtest.SQLite)
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(st, api.Options{Now: now}))
	mux.Handle("/", web.New(st, web.Options{Now: now}))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	shots, err := os.MkdirTemp("", "taglines-screenshots-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	var (
		mu  sync.Mutex
		cur *browserPage
	)
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		if cur == nil {
			return
		}
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			cur.requests++
			if u := ev.Request.URL; !strings.HasPrefix(u, srv.URL+"/") && !strings.HasPrefix(u, "data:") {
				cur.offsite = append(cur.offsite, u)
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value))
				}
				cur.errors = append(cur.errors, "console: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			cur.errors = append(cur.errors, "exception: "+ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				cur.errors = append(cur.errors, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	for _, err := range []error{
		call(ctx, network.Enable, network.EnableParams{}),
		call(ctx, runtime.Enable, cdp.Empty{}),
		call(ctx, cdplog.Enable, cdp.Empty{}),
	} {
		if err != nil {
			t.Fatalf("enable events: %v", err)
		}
	}
	axe, _ := os.ReadFile(os.Getenv("TAGLINES_AXE_JS"))
	if len(axe) == 0 {
		t.Logf("TAGLINES_AXE_JS unset or unreadable: accessibility check skipped (make browser-test installs axe-core)")
	}
	scheme := func(v string) error {
		return call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}})
	}

	pages := []struct {
		name, path string
		want       []string // selectors that must match
	}{
		{"front", "/", []string{".entry .source", ".entry time[datetime]", ".entry .section", ".entry .title a", ".entry .excerpt", ".entry .tags a", "nav.sections a", "form.search input[name=q]"}},
		{"tag", "/tag/VladimirPutin", []string{"h1", ".entry .source", ".entry time[datetime]", ".entry .section", ".entry .title a", ".entry .excerpt", ".entry .tags a", "link[rel=alternate][type='application/atom+xml']"}},
		{"article", fmt.Sprintf("/article/%d", st.ids[1]), []string{"article.article h1", ".article .meta a.source", ".article time[datetime]", ".article .tags a", ".original a", ".versions"}},
		{"search", "/search?q=" + url.QueryEscape("Putin"), []string{".entry mark", "nav.sort", "#search-q"}},
		{"hostile", fmt.Sprintf("/article/%d", st.hostile.ID), []string{"article.article h1"}},
		{"russian", "/tag/VladimirPutin?lang=ru", []string{"html[lang=ru]", ".entry time[datetime]"}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			mu.Lock()
			cur = &browserPage{}
			mu.Unlock()
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s: %v", p.path, err)
				}
			}
			must(chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
			must(scheme("light"))
			must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+p.path), chromedp.Query("body")))
			missing, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(`+jsMissing+`)(`+jsList(p.want)+`)`))
			must(err)
			if len(missing) > 0 {
				t.Errorf("%s lacks %q", p.path, missing)
			}
			// The hostile strings must stay text: no element they could
			// have made, no script they could have run.
			xss, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__xss === 1 || document.querySelectorAll("img[onerror], script:not([src='/static/time.js']), b").length > 0`))
			must(err)
			if xss {
				t.Errorf("%s: a hostile string became markup in the DOM", p.path)
			}
			bg := `getComputedStyle(document.body).backgroundColor`
			bgLight, err := chromedp.Run(ctx, chromedp.Evaluate[string](bg))
			must(err)
			light, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must(err)
			must(scheme("dark"))
			bgDark, err := chromedp.Run(ctx, chromedp.Evaluate[string](bg))
			must(err)
			dark, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must(err)
			if bgLight == bgDark || bgDark == "" {
				t.Errorf("%s: background %q in light and %q in dark: the dark scheme does not apply", p.path, bgLight, bgDark)
			}
			must(scheme("light"))
			must(chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2))))
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
			must(err)
			if overflow {
				t.Errorf("%s scrolls sideways at 390 px", p.path)
			}
			narrow, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must(err)
			for name, b := range map[string][]byte{"light": light, "dark": dark, "390px": narrow} {
				must(os.WriteFile(filepath.Join(shots, p.name+"-"+name+".png"), b, 0o644))
			}
			if len(axe) > 0 {
				must(chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
				_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(axe)+"; true"))
				must(err)
				type violation struct {
					ID     string `json:"id"`
					Impact string `json:"impact"`
					Nodes  int    `json:"nodes"`
				}
				violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](
					`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length})))`,
					chromedp.EvalAwaitPromise))
				must(err)
				for _, v := range violations {
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Errorf("%s: accessibility violation %s (%s) on %d elements", p.path, v.ID, v.Impact, v.Nodes)
					} else {
						t.Logf("%s: minor accessibility finding %s (%s)", p.path, v.ID, v.Impact)
					}
				}
				t.Logf("%s: axe-core: %d findings", p.path, len(violations))
			}
			mu.Lock()
			seen := *cur
			cur = nil
			mu.Unlock()
			if len(seen.errors) > 0 {
				t.Errorf("%s: console errors %q", p.path, seen.errors)
			}
			if len(seen.offsite) > 0 {
				t.Errorf("%s: requests left loopback: %q", p.path, seen.offsite)
			}
			if seen.requests == 0 {
				t.Errorf("%s: no request seen: the network listener is deaf", p.path)
			}
		})
	}

	// A feed link from a tag page: discovered and served.
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/tag/VladimirPutin")))
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(`link[rel=alternate][type='application/rss+xml']`, "href"))
	must(err)
	resp, err := http.Get(srv.URL + href.Value)
	must(err)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/rss+xml") {
		t.Errorf("feed link %q = %d %s", href.Value, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// call runs a protocol command whose result is empty.
func call[P any](ctx context.Context, cmd cdp.Command[P, cdp.Empty], params P) error {
	_, err := chromedp.Call(ctx, cmd, params)
	return err
}

// jsMissing returns the selectors that match nothing.
const jsMissing = `function (sels) { return sels.filter(s => !document.querySelector(s)); }`

func jsList(ss []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q", s)
	}
	b.WriteByte(']')
	return b.String()
}
