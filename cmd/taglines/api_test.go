package main

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/taglines/taglines/testpub"
)

// TestWriteAPI drives the operators' endpoints of a running server: off
// without a token, refused with a wrong one, and, with the right one,
// source rules validated, tag rules applied to stored articles in the
// background, and a wrong merge undone.
func TestWriteAPI(t *testing.T) {
	now := time.Now().UTC()
	var refs []*testpub.Publisher
	for _, p := range testpub.Demo(now) {
		if p.Name == "Russia Today" || p.Name == "ABC News" {
			refs = append(refs, p)
		}
	}
	network, err := testpub.Start(refs, testpub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer network.Close()
	h := &harness{t: t, db: filepath.Join(t.TempDir(), "api.db"), clock: &clock{t: now}, hc: network.Client()}
	for _, p := range refs {
		h.run("sources", "add", network.FeedURL(p))
	}
	h.run("poll", "--once")
	base := h.serve(t, "--api-token", "s3cret")

	call := func(method, path, token, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := call(http.MethodPut, "/api/v1/tag-rules", "", `{"kind":"block","name":"Kremlin"}`); code != http.StatusUnauthorized {
		t.Errorf("PUT tag-rules without a token = %d, want 401", code)
	}
	if code, _ := call(http.MethodPut, "/api/v1/tag-rules", "wrong", `{"kind":"block","name":"Kremlin"}`); code != http.StatusUnauthorized {
		t.Errorf("PUT tag-rules with a wrong token = %d, want 401", code)
	}
	if code, body := call(http.MethodPut, "/api/v1/tag-rules", "s3cret", `{"kind":"rename","name":"a"}`); code != http.StatusBadRequest {
		t.Errorf("PUT an invalid tag rule = %d %s, want 400", code, body)
	}
	if code, body := call(http.MethodPut, "/api/v1/sources/1", "s3cret", `{"rules":"{\"drop\":[\"div[[\"]}"}`); code != http.StatusBadRequest || !strings.Contains(body, "div[[") {
		t.Errorf("PUT broken source rules = %d %s, want 400 naming the selector", code, body)
	}
	if code, body := call(http.MethodPut, "/api/v1/sources/1", "s3cret", `{"folder":"Russia","prefer_feed":false}`); code != http.StatusOK {
		t.Errorf("PUT source settings = %d %s, want 200", code, body)
	}
	if code, body := call(http.MethodPut, "/api/v1/tag-rules", "s3cret", `{"kind":"block","name":"Kremlin"}`); code != http.StatusOK {
		t.Fatalf("PUT tag rule = %d %s", code, body)
	}
	// The retag runs in the background: wait for it, bounded.
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body := call(http.MethodGet, "/api/v1/tags/kremlin/articles", "", "")
		if code == http.StatusNotFound || strings.Contains(body, `"articles":[]`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stored articles still carry #Kremlin 10 s after the block")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, body := call(http.MethodGet, "/api/v1/tag-rules", "", ""); code != http.StatusOK || !strings.Contains(body, `"kind":"block","name":"Kremlin"`) {
		t.Errorf("GET tag-rules = %d %s", code, body)
	}

	// Undo the RT merge through the API.
	var all struct {
		Articles []struct {
			ID          int64
			DuplicateOf *int64 `json:"duplicate_of"`
		}
	}
	getJSON(t, base+"/api/v1/articles?versions=all&limit=200", &all)
	var dup int64
	for _, a := range all.Articles {
		if a.DuplicateOf != nil {
			dup = a.ID
		}
	}
	if dup == 0 {
		t.Fatal("no article is a version of another")
	}
	if code, body := call(http.MethodPost, fmt.Sprintf("/api/v1/articles/%d/split", dup), "s3cret", ""); code != http.StatusOK || !strings.Contains(body, `"duplicate_of":0`) {
		t.Errorf("POST split = %d %s", code, body)
	}
	if code, _ := call(http.MethodPost, "/api/v1/articles/999999/split", "s3cret", ""); code != http.StatusNotFound {
		t.Errorf("POST split of an unknown article = %d, want 404", code)
	}
}

// TestWriteAPIOff: without --api-token the write endpoints are off.
func TestWriteAPIOff(t *testing.T) {
	h := &harness{t: t, db: filepath.Join(t.TempDir(), "off.db"), clock: &clock{t: time.Now()}}
	base := h.serve(t)
	req, _ := http.NewRequest(http.MethodPut, base+"/api/v1/tag-rules", strings.NewReader(`{"kind":"block","name":"x"}`))
	req.Header.Set("Authorization", "Bearer ")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("PUT tag-rules with the write API off = %d, want 403", resp.StatusCode)
	}
}

func TestProgressBar(t *testing.T) {
	tests := []struct {
		done, total int
		want        string
	}{
		{0, 10, "[>                             ]   0% 0/10"},
		{5, 10, "[===============>              ]  50% 5/10"},
		{10, 10, "[==============================] 100% 10/10"},
		{12, 10, "[==============================] 100% 10/10"},
		{7, 0, "7"},
	}
	for _, tt := range tests {
		if got := progressBar(tt.done, tt.total); got != tt.want {
			t.Errorf("progressBar(%d, %d) = %q, want %q", tt.done, tt.total, got, tt.want)
		}
	}
}
