// Package dedup decides when two articles are one: canonical URLs,
// near-duplicates (versions of one article: re-titled, updated, syndicated)
// and story clusters (articles from any source about one event).
//
// A Deduper processes articles once each, in arrival order, and keeps what
// it needs to compare later articles in an Index: MinHash signatures of
// word shingles with LSH band keys for near-duplicates, and tf-idf term
// vectors of title, lead, names and tags for stories. Every hash is
// stable (FNV-1a and fixed mixing constants), so an Index persisted by one
// process is valid in another. MemIndex keeps an Index in memory; the
// stores persist theirs.
package dedup

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that say how a reader arrived, not
// which page they read.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"igshid": true, "ref_src": true, "cmpid": true, "ito": true, "ocid": true, "xtor": true,
}

// CanonicalURL normalises an article URL so that the addresses publishers
// hand out for one page compare equal: lower-case scheme and host, no
// default port, no fragment, no tracking parameters (utm_* and the like),
// remaining parameters sorted. Path case and encoding are kept, since they
// can name different pages.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("canonical url %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
		return "", fmt.Errorf("canonical url %q: not an absolute http(s) URL", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		u.Host = u.Hostname()
	}
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[strings.ToLower(k)] {
				q.Del(k)
			}
		}
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			for _, v := range q[k] {
				if b.Len() > 0 {
					b.WriteByte('&')
				}
				b.WriteString(url.QueryEscape(k))
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
		u.RawQuery = b.String()
	}
	return u.String(), nil
}
