package enrich

import (
	"errors"
	"testing"
)

func TestParseSectionMap(t *testing.T) {
	m, err := ParseSectionMap(" Footie = Sports , culture=Entertainment,Politics=UK politics")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.FromCategories([]string{"News", "FOOTIE"}); got != "Sports" {
		t.Errorf("FromCategories(News, FOOTIE) = %q, want Sports", got)
	}
	if got := m.FromCategories([]string{"News"}); got != "" {
		t.Errorf("FromCategories(News) = %q, want none", got)
	}
	if got := m.Rename("Politics"); got != "UK politics" {
		t.Errorf("Rename(Politics) = %q, want UK politics", got)
	}
	if got := m.Rename("World"); got != "World" {
		t.Errorf("Rename(World) = %q, want World", got)
	}
	if m.All() != "" {
		t.Errorf("All() = %q, want none", m.All())
	}
	m, err = ParseSectionMap("*=Sports")
	if err != nil || m.All() != "Sports" {
		t.Errorf(`ParseSectionMap("*=Sports") = %+v, %v`, m, err)
	}
	if m, err := ParseSectionMap("  "); err != nil || m.All() != "" || m.Rename("X") != "X" {
		t.Errorf("empty map = %+v, %v", m, err)
	}
	for _, bad := range []string{"Sports", "=Sports", "Footie=", "a=b,,c=d", "x=" + string(make([]byte, 100))} {
		if _, err := ParseSectionMap(bad); !errors.Is(err, ErrInvalidSectionMap) {
			t.Errorf("ParseSectionMap(%q) error = %v, want ErrInvalidSectionMap", bad, err)
		}
	}
}
