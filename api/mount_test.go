package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/api"
	"github.com/taglines/taglines/web"
)

// TestMountedWithWeb mounts the API beside the web pages as cmd/taglines
// does and checks that each keeps its own paths, including its own 404s.
func TestMountedWithWeb(t *testing.T) { forEachStore(t, testMountedWithWeb) }

func testMountedWithWeb(t *testing.T, open func(testing.TB) taglines.Store) {
	store := fill(t, open, reference())
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(store, api.Options{Now: now}))
	mux.Handle("/", web.New(store, web.Options{Now: now}))
	for _, tt := range []struct {
		path, contentType string
		code              int
	}{
		{"/api/v1/articles", "application/json", 200},
		{"/api/v1/tags/kremlin.ru/articles", "application/json", 200},
		{"/api/nope", "application/json", 404},
		{"/", "text/html; charset=utf-8", 200},
		{"/tag/kremlin.ru", "text/html; charset=utf-8", 200},
		{"/nope", "text/html; charset=utf-8", 404},
		{"/healthz", "text/plain; charset=utf-8", 200},
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequestWithContext(context.Background(), "GET", tt.path, nil))
		if rec.Code != tt.code || rec.Header().Get("Content-Type") != tt.contentType {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, rec.Code, rec.Header().Get("Content-Type"), tt.code, tt.contentType)
		}
		if strings.HasPrefix(tt.path, "/api/") && strings.Contains(rec.Body.String(), "<html") {
			t.Errorf("GET %s answered with HTML", tt.path)
		}
	}
}
