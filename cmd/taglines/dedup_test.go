package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

const dedupText = "Moscow hopes the reasonable position on the Ukrainian conflict displayed by US President Donald Trump will have an impact on the stance of the EU, Russian Foreign Minister Sergey Lavrov has said. Speaking during a press conference in Moscow following talks with his Mozambican counterpart, Russia's top diplomat expressed hopes the EU will, at some point, show a willingness to engage in meaningful dialogue. While the US president had repeatedly promised to end the hostilities between Moscow and Kiev, he admitted last month that the task had proven to be more difficult than people would have any idea."

func runDedupCmd(t *testing.T, input string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(input), Stdout: &out, Stderr: &errOut, Exit: func(code int) { t.Fatalf("exit(%d)", code) }}
	err := m.Run(context.Background(), []string{"dedup", "-"})
	return out.String(), err
}

func TestDedupCommand(t *testing.T) {
	text, _ := json.Marshal(dedupText)
	input := strings.Join([]string{
		`{"id": "a1", "title": "Moscow hopes 'reasonable' Trump will influence EU", "text": ` + string(text) + `, "published": "2025-07-14T10:00:00Z", "source": "RT"}`,
		``,
		`{"id": 7, "title": "Moscow hopes Trump's 'reasonable' position will influence EU", "text": ` + string(text) + `, "published": "2025-07-15T10:00:00Z"}`,
		`{"id": 8.5, "text": ""}`,
		`{"id": "a1", "text": "seen before"}`,
	}, "\n")
	out, err := runDedupCmd(t, input)
	if err != nil {
		t.Fatalf("taglines dedup: %v", err)
	}
	want := `{"id":"a1","duplicate_of":null,"cluster":"a1"}
{"id":7,"duplicate_of":"a1","cluster":"a1"}
{"id":8.5,"duplicate_of":null,"cluster":8.5}
{"id":"a1","duplicate_of":null,"cluster":"a1"}
`
	if out != want {
		t.Errorf("taglines dedup output:\n%s\nwant:\n%s", out, want)
	}
}

func TestDedupCommandErrors(t *testing.T) {
	good := `{"id": 1, "text": "fine"}` + "\n"
	tests := []struct {
		name, input, want string
	}{
		{"not json", good + "{nope\n", "standard input:2: not a JSON article object"},
		{"no id", good + good + `{"text": "x"}`, `standard input:3: "id" is required`},
		{"null id", `{"id": null, "text": "x"}`, `standard input:1: "id" is required`},
		{"object id", `{"id": {"a": 1}, "text": "x"}`, `standard input:1: id {"a": 1}: want a JSON string or number`},
		{"no text", `{"id": 2}`, `standard input:1: "text" is required`},
		{"bad time", `{"id": 2, "text": "x", "published": "yesterday"}`, `standard input:1: published: "yesterday" is not an RFC 3339 time or a date`},
		{"array", `[1, 2]`, "standard input:1: not a JSON article object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runDedupCmd(t, tt.input)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("taglines dedup on %q: error %v, want one containing %q", tt.input, err, tt.want)
			}
		})
	}
}

// An article decided early joins the only story there is; once its own
// story has formed, refinement moves it there, and the output gives where
// it ended, not where it started.
func TestDedupCommandRefines(t *testing.T) {
	a := "alpha bravo charlie delta echo foxtrot"
	b := "golf hotel india juliet kilo lima"
	var lines []string
	add := func(id, text string, minute int) {
		lines = append(lines, fmt.Sprintf(`{"id": %q, "text": %q, "published": "2026-11-01T00:%02d:00Z"}`, id, text, minute))
	}
	for i := range 50 {
		add(fmt.Sprint("filler", i), fmt.Sprintf("filler%d other%d", i, i), 0)
	}
	for i := range 10 {
		add(fmt.Sprint("a", i), a, 1+i)
	}
	add("early", "alpha bravo charlie "+b, 30)
	for i := range 3 {
		add(fmt.Sprint("b", i), "golf hotel india juliet kilo", 31+i)
	}
	input := strings.Join(lines, "\n")
	for _, tt := range []struct {
		refine, want string
	}{
		{"0", `{"id":"early","duplicate_of":null,"cluster":"a0"}`},
		{"1h", `{"id":"early","duplicate_of":null,"cluster":"b0"}`},
	} {
		var out bytes.Buffer
		m := &Main{Stdin: strings.NewReader(input), Stdout: &out, Exit: func(code int) { t.Fatalf("exit(%d)", code) }}
		if err := m.Run(context.Background(), []string{"dedup", "--refine-every", tt.refine, "-"}); err != nil {
			t.Fatalf("taglines dedup --refine-every %s: %v", tt.refine, err)
		}
		got := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(got) != len(lines) {
			t.Fatalf("--refine-every %s: %d lines out for %d in", tt.refine, len(got), len(lines))
		}
		if got[60] != tt.want {
			t.Errorf("--refine-every %s: %s, want %s", tt.refine, got[60], tt.want)
		}
	}
}
