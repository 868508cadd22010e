package enrich

import (
	"fmt"
	"testing"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich/ner"
)

func TestCompleteForms(t *testing.T) {
	tc := func(name string, n int) taglines.TagCount {
		tag, _ := taglines.NewTag(name)
		return taglines.TagCount{Tag: tag, Count: n}
	}
	counts := []taglines.TagCount{
		tc("Putin", 5), tc("Vladimir Putin", 20),
		tc("Witkoff", 3), tc("Steve Witkoff", 2),
		tc("Korea", 3), tc("North Korea", 5), tc("South Korea", 4),
		tc("Russia", 50), tc("South Russia", 2),
		tc("Trump", 40), tc("Donald Trump", 3), // the long form is rare: no merge
		tc("Kremlin.ru", 2), tc("Kremlin", 30),
	}
	people := map[string]bool{"Vladimir Putin": true, "Steve Witkoff": true, "Donald Trump": true}
	got := fmt.Sprint(CompleteForms(append(counts, tc("Bank", 4), tc("World Bank", 10)), func(n string) bool { return people[n] }))
	if want := "[{merge Putin VladimirPutin} {merge Witkoff SteveWitkoff}]"; got != want {
		t.Errorf("CompleteForms = %s, want %s", got, want)
	}
}

func TestPersonName(t *testing.T) {
	m, err := ner.Default()
	if err != nil {
		t.Fatal(err)
	}
	isPerson := PersonName(m)
	for name, want := range map[string]bool{"James Baker": true, "Steve Witkoff": true, "World Bank": false, "West Germany": false, "Interest Rates": false} {
		if got := isPerson(name); got != want {
			t.Errorf("PersonName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCamelWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"VladimirPutin", "[vladimir putin]"},
		{"NATO", "[nato]"},
		{"USDollar", "[usdollar]"},
		{"Kremlin.ru", "[kremlin.ru]"},
		{"Москва", "[москва]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(camelWords(tt.in)); got != tt.want {
			t.Errorf("camelWords(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
