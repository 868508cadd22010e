package main

import (
	"os"
	"regexp"
	"strings"
)

// labelOverrides name the codes whose description is missing, awkward or
// less familiar than a short form.
var labelOverrides = map[string]map[string]string{
	"topics": {
		"alum": "Aluminium", "iron-steel": "Iron and Steel", "veg-oil": "Vegetable Oil",
		"f-cattle": "Feeder Cattle", "l-cattle": "Live Cattle", "pork-belly": "Pork Bellies",
		"strategic-metal": "Strategic Metals", "meal-feed": "Animal Feed", "acq": "Mergers and Acquisitions",
		"earn": "Earnings", "money-fx": "Foreign Exchange", "dlr": "US Dollar", "ship": "Shipping",
		"gnp": "Economic Growth", "cpi": "Inflation", "jobs": "Unemployment", "bop": "Balance of Payments",
		"nat-gas": "Natural Gas", "crude": "Oil", "pet-chem": "Petrochemicals", "trade": "Trade",
	},
	"places": {
		"usa": "United States", "uk": "United Kingdom", "ussr": "Soviet Union", "uae": "United Arab Emirates",
		"trinidad-tobago": "Trinidad and Tobago", "yemen-arab-republic": "North Yemen",
		"yemen-demo-republic": "South Yemen", "guinea-bissau": "Guinea-Bissau",
		"us-virgin-islands": "US Virgin Islands", "ivory-coast": "Ivory Coast",
	},
	"orgs": {
		"ec": "European Community", "opec": "OPEC", "imf": "IMF", "gatt": "GATT", "oecd": "OECD",
		"un": "United Nations", "worldbank": "World Bank", "unctad": "UNCTAD", "iea": "IEA",
		"ico-coffee": "International Coffee Organization", "icco": "International Cocoa Organization",
	},
}

var (
	reNamed  = regexp.MustCompile(`^\s*(.+?)\s*\(([A-Z][A-Z0-9-]*)\)\s*(?:@\*)?\s*$`)
	reCode   = regexp.MustCompile(`\(([A-Z][A-Z0-9-]*)\)`)
	reParens = regexp.MustCompile(`\([^()]*\)`)
)

// readLabels reads Reuters' category descriptions into kind → code → label
// for the kinds topics, orgs and people; places are title-cased codes.
func readLabels(name string) (map[string]map[string]string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	text := string(b)
	labels := map[string]map[string]string{"topics": {}, "orgs": {}, "places": {}, "people": {}}
	section := func(from, to string) string {
		i := strings.Index(text, from)
		if i < 0 {
			return ""
		}
		s := text[i:]
		if j := strings.Index(s, to); j >= 0 {
			s = s[:j]
		}
		return s
	}
	for _, kind := range []struct{ name, from, to string }{
		{"topics", "****Subject Codes", "@heading[Organization Codes"},
		{"orgs", "@heading[Organization Codes", "@heading[Exchange Codes"},
	} {
		// Entries may wrap over lines; join until a line ends with a code.
		var acc string
		for _, l := range strings.Split(section(kind.from, kind.to), "\n") {
			acc = strings.TrimSpace(acc + " " + strings.TrimSpace(l))
			if m := reNamed.FindStringSubmatch(acc); m != nil {
				name := strings.TrimSpace(reParens.ReplaceAllString(m[1], ""))
				name = strings.Join(strings.Fields(strings.ReplaceAll(name, "[", "(")), " ")
				if i := strings.Index(name, " ("); i > 0 {
					name = name[:i]
				}
				labels[kind.name][strings.ToLower(m[2])] = name
				acc = ""
			} else if !strings.HasSuffix(acc, "and") && (l == "" || strings.HasPrefix(strings.TrimSpace(l), "*") || strings.HasPrefix(strings.TrimSpace(l), "@")) {
				acc = ""
			}
		}
	}
	readPeople(section("@heading[People Codes", "\x00"), labels["people"])
	for kind, m := range labelOverrides {
		for code, l := range m {
			labels[kind][code] = l
		}
	}
	return labels, nil
}

// titleWords end the search backwards for a person's name in an entry like
// "Chairman of Federal Reserve Board Alan Greenspan (GREENSPAN)".
var titleWords = map[string]bool{
	"President": true, "Minister": true, "Governor": true, "Chancellor": true, "Secretary": true,
	"Premier": true, "Statesman": true, "Treasurer": true, "Chairman": true, "Mrs": true, "Dr": true,
	"General": true, "Leader": true, "Ayatollah": true, "Hojatoleslam": true, "Sheikh": true,
	"Commissioner": true, "Director": true, "Director-General": true, "Secretary-General": true,
	"Speaker": true, "Major-General": true, "Board": true, "Bank": true, "Office": true,
	"Agency": true, "Party": true, "Policy": true, "Negotiations": true, "Staff": true,
	"Exchequer": true, "Mr": true, "Head": true, "Council": true, "of": true, "and": true,
	"Forestry": true, "Food": true, "Affairs": true, "State": true, "Pemex": true, "Privatisation": true,
}

var particles = map[string]bool{"de": true, "la": true, "du": true, "von": true, "van": true, "del": true}

func readPeople(text string, out map[string]string) {
	// Each person entry ends with its code; the name is the run of
	// capitalised words right before it, or the text before a comma.
	start := 0
	for _, loc := range reCode.FindAllStringSubmatchIndex(text, -1) {
		entry := text[start:loc[0]]
		code := strings.ToLower(text[loc[2]:loc[3]])
		start = loc[1]
		if i := strings.LastIndex(entry, "\n\n"); i >= 0 {
			entry = entry[i:]
		}
		if i := strings.LastIndex(entry, "@begin[itemize]"); i >= 0 {
			entry = entry[i+len("@begin[itemize]"):]
		}
		entry = strings.Join(strings.Fields(reParens.ReplaceAllString(entry, "")), " ")
		// "Fidel Castro, President of Cuba": the name comes first; in
		// "Economy, Trade and Finance Minister Carlos Solchaga" it is last.
		if i := strings.Index(entry, ","); i >= 0 {
			if head := strings.Fields(entry[:i]); len(head) >= 2 && len(head) <= 4 && !hasTitleWord(head) {
				entry = entry[:i]
			} else {
				entry = entry[strings.LastIndex(entry, ",")+1:]
			}
		}
		toks := strings.Fields(entry)
		j := len(toks)
		for j > 0 && len(toks)-j < 4 {
			t := toks[j-1]
			if titleWords[t] || !(startsUpper(t) || particles[t] || strings.HasPrefix(t, "al-")) {
				break
			}
			j--
		}
		if name := strings.Join(toks[j:], " "); name != "" && !strings.HasPrefix(code, "begin") {
			out[code] = name
		}
	}
}

func hasTitleWord(toks []string) bool {
	for _, t := range toks {
		if titleWords[t] {
			return true
		}
	}
	return false
}

func startsUpper(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }
