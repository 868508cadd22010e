package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSSRFGuard(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<rss/>"))
	}))
	defer srv.Close()
	ctx := context.Background()

	guarded := New(&http.Client{Transport: NewTransport(TransportOptions{})}, Options{})
	for _, u := range []string{
		srv.URL,                   // loopback
		"http://localhost:1/feed", // loopback by name, resolved first
		"http://169.254.169.254/", // cloud metadata (link-local)
		"http://10.0.0.1:8080/",   // private
		"http://100.64.0.1/",      // CGNAT
		"http://[::1]:1/",         // IPv6 loopback
		"http://224.0.0.1/",       // multicast
		"http://0.0.0.0:1/",       // unspecified
	} {
		_, err := guarded.Feed(ctx, u, Validators{})
		if err == nil || !strings.Contains(err.Error(), "prohibited") {
			t.Errorf("guarded Feed(%s) error = %v, want a prohibited-address error", u, err)
		}
	}

	open := New(&http.Client{Transport: NewTransport(TransportOptions{AllowPrivateNetworks: true})}, Options{})
	if _, err := open.Feed(ctx, srv.URL, Validators{}); err != nil {
		t.Errorf("Feed(%s) with private networks allowed: %v", srv.URL, err)
	}
}
