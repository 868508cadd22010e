package main

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// bbcSections maps the BBC set's folders to section names.
var bbcSections = map[string]string{
	"business":      "Business",
	"entertainment": "Entertainment",
	"politics":      "Politics",
	"sport":         "Sport",
	"tech":          "Technology",
}

// readBBC samples n articles from the BBC zip, the same number from each
// section, evenly spaced over each section's files in name order.
func readBBC(zipPath string, n int) ([]record, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	bySection := map[string][]*zip.File{}
	for _, f := range zr.File {
		dir := path.Base(path.Dir(f.Name))
		if _, ok := bbcSections[dir]; ok && strings.HasSuffix(f.Name, ".txt") {
			bySection[dir] = append(bySection[dir], f)
		}
	}
	dirs := make([]string, 0, len(bySection))
	for d := range bySection {
		dirs = append(dirs, d)
		sort.Slice(bySection[d], func(i, j int) bool { return bySection[d][i].Name < bySection[d][j].Name })
	}
	sort.Strings(dirs)
	if len(dirs) == 0 {
		return nil, fmt.Errorf("%s: no BBC sections", zipPath)
	}
	per := n / len(dirs)
	var out []record
	for _, d := range dirs {
		files := bySection[d]
		for k := 0; k < per && k < len(files); k++ {
			r, err := readBBCFile(files[k*len(files)/per], d)
			if err != nil {
				return nil, err
			}
			if r.Title != "" && len(r.Paragraphs) >= 2 {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func readBBCFile(f *zip.File, dir string) (record, error) {
	rc, err := f.Open()
	if err != nil {
		return record{}, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return record{}, fmt.Errorf("%s: %w", f.Name, err)
	}
	text := string(b)
	if !utf8.ValidString(text) {
		text = latin1(b)
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	title := strings.TrimSpace(lines[0])
	var paras []string
	var cur []string
	for _, l := range append(lines[1:], "") {
		if l = strings.TrimSpace(l); l != "" {
			cur = append(cur, l)
			continue
		}
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	section := bbcSections[dir]
	return record{
		ID:         "bbc-" + dir + "-" + strings.TrimSuffix(path.Base(f.Name), ".txt"),
		Origin:     "bbc",
		Source:     "BBC " + section,
		Section:    section,
		Title:      title,
		Paragraphs: paras,
		Categories: []string{section},
	}, nil
}

func latin1(b []byte) string {
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}
