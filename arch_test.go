package taglines_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// imports returns the imports of the non-test Go files directly in dir
// (or below it, with recursive), by file.
func imports(t *testing.T, dir string, recursive bool) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && (!recursive || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			out[path] = append(out[path], strings.Trim(imp.Path.Value, `"`))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestArchitecture guards the layout STYLE.md describes: the domain
// package uses the standard library only; the pipeline's stages and the
// serving layers reach storage only through taglines.Store, never a
// database driver; only cmd/taglines chooses a database; the measuring
// code in bench/ serves the commands alone.
func TestArchitecture(t *testing.T) {
	for file, imps := range imports(t, ".", false) {
		for _, imp := range imps {
			if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
				t.Errorf("%s imports %s: the domain package uses the standard library only", file, imp)
			}
		}
	}
	forbidden := []string{"database/sql", "modernc.org/sqlite", "github.com/jackc/pgx",
		"github.com/taglines/taglines/sqlite", "github.com/taglines/taglines/postgres"}
	for _, stage := range []string{"fetch", "feed", "extract", "enrich", "query", "dedup", "ingest", "poll", "web", "api", "testpub"} {
		if _, err := os.Stat(stage); err != nil {
			t.Errorf("stage %s/ is missing: %v", stage, err)
			continue
		}
		for file, imps := range imports(t, stage, true) {
			for _, imp := range imps {
				for _, f := range forbidden {
					if imp == f || strings.HasPrefix(imp, f+"/") {
						t.Errorf("%s imports %s: stages reach storage through taglines.Store", file, imp)
					}
				}
			}
		}
	}
	const benchPkg = "github.com/taglines/taglines/bench"
	for file, imps := range imports(t, ".", true) {
		if strings.HasPrefix(file, "cmd"+string(filepath.Separator)) || strings.HasPrefix(file, "bench"+string(filepath.Separator)) {
			continue
		}
		for _, imp := range imps {
			if imp == benchPkg || strings.HasPrefix(imp, benchPkg+"/") {
				t.Errorf("%s imports %s: only the commands use the measuring code", file, imp)
			}
		}
	}
}

// TestProjectStructure: the README's "Project structure" names every
// package of the tree, so that a newcomer finds each room on the map.
func TestProjectStructure(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Project structure")
	if !ok {
		t.Fatal("README.md has no Project structure section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	listed := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasSuffix(f[0], "/") {
			listed[strings.TrimSuffix(f[0], "/")] = true
		}
	}
	for dir := range imports(t, ".", true) {
		pkg := filepath.ToSlash(filepath.Dir(dir))
		if pkg == "." || listed[pkg] {
			continue
		}
		t.Errorf("package %s/ is missing from the README's Project structure", pkg)
		listed[pkg] = true // once
	}
}
