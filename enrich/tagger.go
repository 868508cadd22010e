package enrich

import (
	"fmt"
	"maps"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich/ner"
	"github.com/taglines/taglines/enrich/section"
	"github.com/taglines/taglines/enrich/token"
	"github.com/taglines/taglines/query"
)

// MaxInput is the most bytes of an article the Tagger reads; the rest is
// ignored and Result.Note says so.
const MaxInput = 256 << 10

// Options configure a Tagger. Nil fields take the shipped defaults.
type Options struct {
	NER      *ner.Model
	Sections *section.Classifier
	Aliases  *Aliases // shared: operators' changes apply to the next Tag call
	Topics   []Topic  // nil: DefaultTopics; empty non-nil: no topics
}

// Tagger gives articles entities, hashtags, topics and a section. It is
// safe for concurrent use.
type Tagger struct {
	ner      *ner.Model
	sections *section.Classifier
	aliases  *Aliases
	topics   []Topic
}

// NewTagger returns a Tagger; it loads the shipped models (once per
// process) for options left nil. Errors come from loading them.
func NewTagger(opts Options) (*Tagger, error) {
	t := &Tagger{ner: opts.NER, sections: opts.Sections, aliases: opts.Aliases, topics: opts.Topics}
	var err error
	if t.ner == nil {
		if t.ner, err = ner.Default(); err != nil {
			return nil, fmt.Errorf("enrich: %w", err)
		}
	}
	if t.sections == nil {
		if t.sections, err = section.Default(); err != nil {
			return nil, fmt.Errorf("enrich: %w", err)
		}
	}
	if t.aliases == nil {
		t.aliases = DefaultAliases()
	}
	if t.topics == nil {
		t.topics = DefaultTopics()
	}
	return t, nil
}

// WithTopics returns a Tagger like t whose topics are t's and extra (an
// operator's, replacing a shipped topic of the same tag). t is unchanged.
func (t *Tagger) WithTopics(extra []Topic) *Tagger {
	if len(extra) == 0 {
		return t
	}
	c := *t
	mine := map[string]bool{}
	for _, tp := range extra {
		mine[tp.Tag.Slug] = true
	}
	c.topics = make([]Topic, 0, len(t.topics)+len(extra))
	for _, tp := range t.topics {
		if !mine[tp.Tag.Slug] {
			c.topics = append(c.topics, tp)
		}
	}
	c.topics = append(c.topics, extra...)
	return &c
}

// Aliases returns the alias table the Tagger uses; changes to it apply to
// later Tag calls.
func (t *Tagger) Aliases() *Aliases { return t.aliases }

// Article is the input of Tag.
type Article struct {
	Title      string
	Text       string
	Source     string   // the source's name, for source: rules
	URL        string   // the article's address; its path can name the section
	Lang       string   // the language if known ("en", "ru"); "" detects it
	Categories []string // the feed's categories
	// Plain marks text that is not split into title and body: offsets
	// are then into Text alone and Title is ignored.
	Plain bool
}

// Document returns the text entity offsets refer to: Title + "\n\n" + Text
// (also when Title is empty), or Text alone for a Plain article.
func (a *Article) Document() string {
	if a.Plain {
		return a.Text
	}
	return a.Title + "\n\n" + a.Text
}

// Entity is a recognised name: Document()[Start:End], with its type and
// canonical name.
type Entity struct {
	Start     int        `json:"start"`
	End       int        `json:"end"`
	Text      string     `json:"text"`
	Type      EntityType `json:"type"`
	Canonical string     `json:"canonical"`
}

// ScoredTag is a hashtag of an article: Tag.Name is the display form,
// Name the canonical name it was made from, Score its salience in [0, 1].
type ScoredTag struct {
	Tag   taglines.Tag
	Name  string
	Type  EntityType
	Score float64
}

// Result is what Tag found. Tags hold at most MaxTags, topics first, then
// entities by falling score. Note explains an empty result (binary or
// non-English input) or a truncation.
type Result struct {
	Tags     []ScoredTag
	Entities []Entity
	Section  section.Result
	Lang     string
	Note     string
}

// Tag enriches one article. It never fails: bad input gives an empty
// result with a Note.
func (t *Tagger) Tag(a Article) Result {
	doc := a.Document()
	bodyStart := len(a.Title) + 2
	if a.Plain {
		bodyStart = 0
		// A first short line followed by a blank line is a title.
		if i := strings.Index(doc, "\n\n"); i > 0 && i < 300 && !strings.Contains(doc[:i], "\n") {
			bodyStart = i + 2
		}
	}
	var res Result
	res.Section = section.Result{Name: taglines.DefaultSection}
	if strings.TrimSpace(doc) == "" {
		res.Note = "empty input"
		return res
	}
	if len(doc) > MaxInput {
		cut := MaxInput
		for cut > 0 && !utf8.RuneStart(doc[cut]) {
			cut--
		}
		doc = doc[:cut]
		res.Note = fmt.Sprintf("input truncated to %d bytes", cut)
	}
	if isBinary(doc) {
		res.Note = "binary input: not tagged"
		return res
	}
	res.Lang = language(a.Lang, doc)
	if res.Lang != "en" {
		res.Note = fmt.Sprintf("language %q: only English is tagged", res.Lang)
		return res
	}
	title := doc[:min(max(bodyStart-2, 0), len(doc))]
	body := doc[min(bodyStart, len(doc)):]

	sents := token.Sentences(token.Tokenize(doc))
	masked := boilerplate(doc)
	found := t.ner.EntitiesOf(doc, sents)
	cands := t.resolve(doc, bodyStart, found, &res)
	res.Section = t.section(a, title, body)

	// Salience.
	var tags []ScoredTag
	lead := bodyStart + min(len(body), 400)
	// In a headline in Title Case capitals say nothing about names, so a
	// name seen only there ("Benetton Of Italy Sees Expansion") is not one.
	titleCase := isTitleCase(title) && len(body) > 0
	for _, c := range cands {
		var n, inTitle, inLead float64
		inBody := false
		parts := map[int]bool{}
		for _, m := range c.mentions {
			if overlaps(masked, m.Start, m.End) {
				continue
			}
			w := 1.0
			if m.demonym {
				w = 0.5
			}
			n += w
			if m.Start < bodyStart-1 {
				inTitle = 1
			} else {
				inBody = true
				if m.Start < lead {
					inLead = 1
				}
			}
			if len(body) > 0 {
				parts[min(4, (m.Start-bodyStart)*5/max(len(body), 1))] = true
			}
		}
		if n == 0 || titleCase && !inBody {
			continue
		}
		spread := float64(len(parts)) / 5
		score := 0.3*inTitle + 0.2*inLead + 0.35*(1-math.Exp(-n/2.5)) + 0.15*spread
		if c.typ == TypeOther {
			if _, known := t.aliases.lookup(c.name); adjective(c.name) && !known {
				continue // "European", "Western": a word of description, not a subject
			}
			score *= 0.6
		}
		// One passing mention deep in a long article is not what it is about.
		if n < 2 && inTitle == 0 && inLead == 0 {
			continue
		}
		if score < 0.35 {
			continue
		}
		if generic[c.name] {
			continue // "the Department", "the Council": which one, the name does not say
		}
		tag, ok := taglines.NewTag(c.name)
		if !ok || t.aliases.Blocked(c.name) {
			continue
		}
		tags = append(tags, ScoredTag{Tag: tag, Name: c.name, Type: c.typ, Score: math.Round(score*100) / 100})
	}
	slices.SortStableFunc(tags, func(x, y ScoredTag) int {
		if x.Score != y.Score {
			if x.Score > y.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Tag.Slug, y.Tag.Slug)
	})
	// "#DVDs" beside "#DVD": one subject, kept once, as the higher scored
	// (the tags are in score order).
	stems := map[string]bool{}
	tags = slices.DeleteFunc(tags, func(tg ScoredTag) bool {
		stem := strings.TrimSuffix(tg.Tag.Slug, "s")
		if stems[stem] {
			return true
		}
		stems[stem] = true
		return false
	})

	// Topics, over the text without boilerplate. A topic is what an
	// article is about: its rule must match the headline, or both halves
	// of the body, not one passing word (a film in a trade story, a
	// tsunami fundraiser in the charts).
	text := maskText(body, masked, bodyStart)
	mid := len(text) / 2
	if i := strings.LastIndexAny(text[:mid], " \n"); i > 0 {
		mid = i
	}
	qd := &query.Doc{Title: title, Text: text, Source: a.Source, Section: res.Section.Name, Lang: res.Lang}
	halves := [2]*query.Doc{}
	for i, part := range [2]string{text[:mid], text[mid:]} {
		d := *qd
		d.Title, d.Text = "", part
		halves[i] = &d
	}
	headline := *qd
	headline.Text = ""
	for _, tg := range tags {
		qd.Tags = append(qd.Tags, tg.Name)
	}
	qd.Tags = append(qd.Tags, a.Categories...)
	var out []ScoredTag
	seen := map[string]bool{}
	for _, tp := range t.topics {
		if tp.Rule.Match(qd) && topical(tp, qd, &headline, halves) && !seen[tp.Tag.Slug] && !t.aliases.Blocked(tp.Tag.Name) {
			seen[tp.Tag.Slug] = true
			out = append(out, ScoredTag{Tag: tp.Tag, Name: tp.Tag.Name, Type: TypeTopic, Score: 1})
		}
	}
	for _, tg := range tags {
		if !seen[tg.Tag.Slug] {
			seen[tg.Tag.Slug] = true
			out = append(out, tg)
		}
	}
	if len(out) > MaxTags {
		out = out[:MaxTags]
	}
	res.Tags = out
	return res
}

// mention is one occurrence of a candidate.
type mention struct {
	Start, End int
	demonym    bool
}

type candidate struct {
	name     string
	typ      EntityType
	mentions []mention
}

var typeOf = map[ner.Type]EntityType{ner.PER: TypePerson, ner.ORG: TypeOrganization, ner.LOC: TypePlace, ner.MISC: TypeOther}

// honorifics are dropped from the front of person mentions.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "sir": true, "president": true, "prof": true,
	"gen": true, "general": true, "senator": true, "sen": true, "rep": true, "gov": true, "minister": true,
}

// resolve turns recognised mentions into canonical candidates and fills
// res.Entities.
func (t *Tagger) resolve(doc string, from int, found []ner.Entity, res *Result) []*candidate {
	type raw struct {
		e     ner.Entity
		name  string
		typ   EntityType
		known bool
		dem   string // country, for demonyms
	}
	rs := make([]raw, 0, len(found))
	// Work titles start after the headline (a title-case headline is not
	// one): from is where the body starts.
	works := workTitles(doc, from)
	// "Islamic Republic Of Iran", "Bank Of England": a state's or an
	// institution's name ends in a place, a work's seldom does.
	works = slices.DeleteFunc(works, func(w [2]int) bool {
		f := strings.Fields(doc[w[0]:w[1]])
		e, ok := t.aliases.lookup(cleanName(f[len(f)-1]))
		return ok && e.typ == TypePlace
	})
	inWorks := workWords(doc, works)
	for _, e := range found {
		if overlaps(works, e.Start, e.End) && !covers(works, e.Start, e.End) {
			continue // "The Hitchhiker" of "The Hitchhiker's Guide To The Galaxy"
		}
		name := cleanName(e.Text)
		c, known := t.aliases.lookup(name)
		if !known && fromWork(name, inWorks) {
			continue // "Hitchhiker's" in a headline, "The Guide": the work, by its words
		}
		typ := typeOf[e.Type]
		r := raw{e: e, name: name, typ: typ}
		if known && (!c.ifNamed || t.aliases.named(doc, c.name)) {
			r.name, r.known = c.name, true
			if c.typ != "" {
				r.typ = c.typ
			}
		} else if typ == TypePerson {
			// "Mr Witkoff" → "Witkoff".
			f := strings.Fields(name)
			for len(f) > 1 && honorifics[strings.ToLower(strings.TrimSuffix(f[0], "."))] {
				f = f[1:]
			}
			if len(f) < len(strings.Fields(name)) {
				r.name = strings.Join(f, " ")
				// The entity starts at the name, not at the title.
				if i := strings.Index(r.e.Text, f[0]); i > 0 {
					r.e.Start += i
					r.e.Text = r.e.Text[i:]
				}
				if c, ok := t.aliases.lookup(r.name); ok {
					r.name, r.known = c.name, true
				}
			}
		}
		if e.Type == ner.MISC || e.Type == ner.LOC {
			if country, ok := t.aliases.Demonym(name); ok {
				r.dem = country
			}
		}
		rs = append(rs, r)
	}
	// Partial person names resolve to the longest full name in the
	// article ending (or starting) with them: "Putin" → "Vladimir Putin".
	full := map[string]string{} // last or first word → full name
	inBody := map[string]bool{} // names mentioned after the headline
	for _, r := range rs {
		if r.e.Start >= from {
			inBody[r.name] = true
		}
	}
	// The body's names first, then the headline's for the words no body
	// name has: "Faultless Federer has no equal" is about the body's Roger
	// Federer.
	claim := func(headline bool, skip map[string]string) {
		for _, r := range rs {
			f := strings.Fields(r.name)
			if r.typ != TypePerson || (r.e.Start < from) != headline || len(f) < 2 {
				continue
			}
			for _, part := range []string{f[len(f)-1], f[0]} {
				if _, body := skip[part]; body {
					continue
				}
				if old, ok := full[part]; !ok || len(r.name) > len(old) {
					full[part] = r.name
				}
			}
		}
	}
	claim(false, nil)
	claim(true, maps.Clone(full))
	byKey := map[string]*candidate{}
	var order []*candidate
	add := func(name string, typ EntityType, m mention) {
		k := aliasKey(name)
		c := byKey[k]
		if c == nil {
			c = &candidate{name: name, typ: typ}
			byKey[k] = c
			order = append(order, c)
		}
		if len(name) > len(c.name) {
			c.name = name
		}
		c.mentions = append(c.mentions, m)
	}
	for i := range rs {
		r := &rs[i]
		if f := strings.Fields(r.name); r.typ == TypePerson && !r.known && len(f) > 1 && r.e.Start < from && !inBody[r.name] {
			// A headline's "Faultless Federer" is the body's "Roger Federer".
			if full, ok := full[f[len(f)-1]]; ok && full != r.name {
				r.name = full
				continue
			}
		}
		if !strings.Contains(r.name, " ") && !r.known {
			if f, ok := full[r.name]; ok {
				r.name, r.typ = f, TypePerson
				if c, ok := t.aliases.lookup(f); ok {
					r.name = c.name
				}
			}
		}
	}
	// Demonyms count towards their country only when the article names
	// the country itself, or uses the demonym often.
	demCount := map[string]int{}
	for _, r := range rs {
		if r.dem != "" {
			demCount[r.dem]++
		}
	}
	for _, r := range rs {
		if r.dem == "" {
			add(r.name, r.typ, mention{Start: r.e.Start, End: r.e.End})
		}
	}
	for _, r := range rs {
		if r.dem == "" {
			continue
		}
		country, _ := t.aliases.Canonical(r.dem)
		if byKey[aliasKey(country)] != nil || demCount[r.dem] >= 3 {
			add(country, TypePlace, mention{Start: r.e.Start, End: r.e.End, demonym: true})
		}
		r.name, r.typ = country, TypePlace
	}
	for _, r := range rs {
		canon := r.name
		typ := r.typ
		if c := byKey[aliasKey(canon)]; c != nil {
			canon, typ = c.name, c.typ
		}
		if r.dem != "" {
			canon, typ = r.e.Text, TypeOther
			if c := byKey[aliasKey(r.name)]; c != nil {
				canon, typ = c.name, TypeOther
			}
		}
		res.Entities = append(res.Entities, Entity{Start: r.e.Start, End: r.e.End, Text: r.e.Text, Type: typ, Canonical: canon})
	}
	return order
}

// cleanName trims quotes and punctuation around a mention and joins its
// whitespace.
func cleanName(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' })
	s = strings.TrimSuffix(s, "'s")
	s = strings.TrimSuffix(s, "’s")
	return strings.Join(strings.Fields(s), " ")
}

// section picks the feed's section, else the URL path's, else the classifier's.
func (t *Tagger) section(a Article, title, body string) section.Result {
	if s := Section(a.Categories); s != "" {
		return section.Result{Name: s, Confidence: 1}
	}
	if u, err := url.Parse(a.URL); err == nil && a.URL != "" {
		if s := URLSection(u.Path); s != "" {
			return section.Result{Name: s, Confidence: 0.9}
		}
	}
	return t.sections.Classify(title + "\n\n" + body)
}

// language returns the article's language: the given one's primary code,
// else whatlanggo's guess when it is reliable, else "en".
func language(given, doc string) string {
	if given != "" {
		l, _, _ := strings.Cut(strings.ToLower(given), "-")
		l, _, _ = strings.Cut(l, "_")
		return l
	}
	sample := doc
	if len(sample) > 1500 {
		sample = sample[:1500]
	}
	// Most news is English: a stop-word count settles it without the
	// slower trigram detector.
	words := strings.Fields(strings.ToLower(sample))
	stop := 0
	for _, w := range words {
		if englishStop[strings.Trim(w, ".,;:!?\"'()")] {
			stop++
		}
	}
	if len(words) > 0 && stop*100 >= len(words)*12 {
		return "en"
	}
	info := whatlanggo.Detect(strings.ToValidUTF8(sample, ""))
	if info.Lang == whatlanggo.Eng || !info.IsReliable() && len(strings.Fields(sample)) < 30 {
		return "en"
	}
	if !info.IsReliable() {
		return "en"
	}
	return info.Lang.Iso6391()
}

var englishStop = map[string]bool{
	"the": true, "of": true, "and": true, "to": true, "that": true, "for": true, "with": true, "was": true,
	"is": true, "by": true, "from": true, "has": true, "have": true, "are": true, "said": true, "his": true,
	"her": true, "will": true, "this": true, "it": true, "he": true, "were": true, "been": true, "would": true, "which": true,
}

// isBinary reports text that is not UTF-8 or is mostly control characters.
func isBinary(s string) bool {
	if !utf8.ValidString(s) {
		bad := 0
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				bad++
			}
			i += size
		}
		if bad*20 > len(s) {
			return true
		}
	}
	ctrl := 0
	for _, r := range s {
		if r < 32 && r != '\n' && r != '\r' && r != '\t' {
			ctrl++
		}
	}
	return ctrl*20 > utf8.RuneCountInString(s)
}

// Captions, credits and boilerplate: no tag comes from inside them. Each
// pattern runs only when one of its trigger words (lower case) is in the
// text, which keeps the cost per article low.
type boilerplateRe struct {
	triggers []string
	re       *regexp.Regexp
	sentence bool // widen the match to its whole sentence
}

// boilerplateRes is compiled on first use, not at every command's start.
var boilerplateRes = sync.OnceValue(func() []boilerplateRe {
	return []boilerplateRe{
		{[]string{"(ap", "(afp", "(reuters", "(epa", "(getty", "(photo", "(image", "(picture", "(credit", "( ap", "( afp", "( photo"},
			regexp.MustCompile(`\(\s*(?:AP|AFP|Reuters|EPA|Getty|Photo|Image|Picture|Credit)\b[^()\n]{0,120}\)`), false},
		{[]string{"photo", "image", "picture", "credit", "caption", "video", "illustration"},
			regexp.MustCompile(`(?i)\b(?:photo(?:graph)?|image|picture|credit|caption|video|illustration)s?\s*(?:credit)?\s*:[^\n]{0,80}?(?:$|[.!?](?:\s|$)|\n)`), false},
		{[]string{"photo", "image", "picture"},
			regexp.MustCompile(`(?i)\b(?:photo|image|picture)s?\s+(?:by|courtesy of)\s[^\n.]{0,60}`), false},
		{[]string{"©", "getty", "/"},
			regexp.MustCompile(`(?i)©[^\n.]{0,60}|\bGetty Images\b[^\n.]{0,30}|\b[\w.]+\s*/\s*(?:AFP|Reuters|AP|EPA|Getty Images|Sputnik)\b`), false},
		{[]string{"advertisement", "to follow", "read more", "related article"},
			regexp.MustCompile(`(?i)\b(?:advertisement|to follow|read more|related articles?)\b`), false},
		{[]string{"free for", "subscribe", "sign up"},
			regexp.MustCompile(`(?i)\bfree for \d+ months?|\bsubscribe now|\bsign up for our newsletter`), true},
	}
})

// boilerplate returns the byte ranges of captions and credits in doc.
func boilerplate(doc string) [][2]int {
	lower := strings.ToLower(doc) // for the triggers only: offsets may differ
	var out [][2]int
	for _, b := range boilerplateRes() {
		hit := false
		for _, t := range b.triggers {
			if strings.Contains(lower, t) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, m := range b.re.FindAllStringIndex(doc, -1) {
			if b.sentence {
				start := max(m[0]-200, 0) + strings.LastIndexAny(doc[max(m[0]-200, 0):m[0]], ".!?\n") + 1
				end := len(doc)
				if i := strings.IndexAny(doc[m[1]:], ".!?\n"); i >= 0 {
					end = m[1] + i + 1
				}
				m = []int{start, end}
			}
			out = append(out, [2]int{m[0], m[1]})
		}
	}
	return out
}

func overlaps(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if start < s[1] && s[0] < end {
			return true
		}
	}
	return false
}

// maskText blanks the masked ranges of text (which starts at offset off
// of the document).
func maskText(text string, masked [][2]int, off int) string {
	if len(masked) == 0 {
		return text
	}
	b := []byte(text)
	for _, m := range masked {
		for i := max(m[0]-off, 0); i < min(m[1]-off, len(b)); i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// isTitleCase reports whether a headline capitalises most of its words,
// as many publishers style headlines: then capitals mark no names.
func isTitleCase(title string) bool {
	var words, upper int
	for _, w := range strings.Fields(title) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if len([]rune(w)) < 4 {
			continue // short function words are lower case in either style
		}
		words++
		if r := []rune(w)[0]; unicode.IsUpper(r) {
			upper++
		}
	}
	// Sentence case keeps its verbs and common nouns low ("Putin and
	// Erdogan discuss Ukraine"): one is enough to tell.
	return words >= 3 && upper == words
}

// topical reports whether a topic whose rule matches the whole article is
// what it is about: the rule matches the headline (with the article's
// tags and metadata), or each half of the body on its own.
func topical(tp Topic, doc, headline *query.Doc, halves [2]*query.Doc) bool {
	h := *headline
	h.Tags = doc.Tags
	if tp.Rule.Match(&h) {
		return true
	}
	for _, half := range halves {
		d := *half
		d.Tags = doc.Tags
		if !tp.Rule.Match(&d) {
			return false
		}
	}
	return true
}

// adjective reports whether a name is one word shaped like an adjective of
// place or kind ("European", "Western", "Islamic", "Japanese").
func adjective(name string) bool {
	if strings.Contains(name, " ") {
		return false
	}
	for _, suf := range []string{"ean", "ian", "an", "ese", "ish", "ic", "ern"} {
		if strings.HasSuffix(name, suf) && len(name) > len(suf)+2 {
			return true
		}
	}
	return false
}

// generic are one-word names that say what kind of body, not which one:
// capitalised in "the Department said", they are no subject of their own.
var generic = map[string]bool{
	"Department": true, "Ministry": true, "Council": true, "Committee": true, "Agency": true,
	"Office": true, "Board": true, "Court": true, "Group": true, "Company": true, "Corporation": true,
	"Government": true, "Administration": true, "Commission": true, "Authority": true, "Bank": true,
	"Union": true, "Party": true, "Association": true, "Institute": true, "University": true,
	"Story": true, "Channel": true, "Division": true, "Unit": true, "Fund": true, "Trust": true,
}
