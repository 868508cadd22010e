package section

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"strings"
)

// The corpora below are headlines (and short descriptions) from many
// publishers; with the BBC's full articles they teach the classifier the
// sections a newsroom uses. Each reader splits its corpus into a training
// and a held-out part the same way every time.

// uciSections maps the UCI News Aggregator's categories. Its "t" is
// "science and technology"; most of it is technology news.
var uciSections = map[string]string{"b": "Business", "t": "Technology", "e": "Entertainment", "m": "Health"}

// ReadUCI reads the UCI News Aggregator data set (newsCorpora.csv: tab
// separated ID, TITLE, URL, PUBLISHER, CATEGORY, STORY, HOSTNAME,
// TIMESTAMP) and splits it by publisher: the headlines of one publisher in
// ten (by a hash of its name) are held out, so that the test part comes
// from publishers the model never saw. Lines that are not eight fields are
// skipped and counted in skipped.
func ReadUCI(r io.Reader) (train, test []Doc, skipped int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 8 {
			skipped++
			continue
		}
		name, ok := uciSections[f[4]]
		if !ok || strings.TrimSpace(f[1]) == "" {
			skipped++
			continue
		}
		d := Doc{Section: name, Text: f[1], Name: "uci:" + f[0] + ":" + f[3]}
		if name == "Technology" {
			d.Accept = []string{"Science"}
		}
		if heldOutPublisher(f[3]) {
			test = append(test, d)
		} else {
			train = append(train, d)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, skipped, fmt.Errorf("read uci: %w", err)
	}
	return train, test, skipped, nil
}

// heldOutPublisher reports whether a publisher's headlines are held out.
func heldOutPublisher(name string) bool {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(strings.TrimSpace(name))))
	return h.Sum32()%10 == 0
}

// huffSections maps the News Category Dataset's categories onto sections;
// the rest (U.S. NEWS, CRIME, COMEDY, the VOICES, ...) are no section of
// their own and are left out.
var huffSections = map[string]string{
	"WORLD NEWS": "World", "THE WORLDPOST": "World", "WORLDPOST": "World",
	"POLITICS": "Politics",
	"BUSINESS": "Business", "MONEY": "Business",
	"TECH":    "Technology",
	"SCIENCE": "Science", "ENVIRONMENT": "Science", "GREEN": "Science",
	"WELLNESS": "Health", "HEALTHY LIVING": "Health",
	"SPORTS":        "Sports",
	"ENTERTAINMENT": "Entertainment", "ARTS": "Entertainment", "ARTS & CULTURE": "Entertainment", "CULTURE & ARTS": "Entertainment",
}

// ReadHuffPost reads the News Category Dataset (HuffPost; one JSON object
// a line with category, headline and short_description) and splits it:
// every tenth mapped line is held out. Lines that do not parse are skipped
// and counted.
func ReadHuffPost(r io.Reader) (train, test []Doc, skipped int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var rec struct {
			Category, Headline, Link string
			Desc                     string `json:"short_description"`
		}
		if json.Unmarshal([]byte(line), &rec) != nil {
			skipped++
			continue
		}
		name, ok := huffSections[rec.Category]
		if !ok || strings.TrimSpace(rec.Headline) == "" {
			continue
		}
		d := Doc{Section: name, Text: rec.Headline + "\n\n" + rec.Desc, Name: "huffpost:" + rec.Link}
		if n%10 == 9 {
			test = append(test, d)
		} else {
			train = append(train, d)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return nil, nil, skipped, fmt.Errorf("read huffpost: %w", err)
	}
	return train, test, skipped, nil
}
