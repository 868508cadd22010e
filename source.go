package taglines

import "time"

// FetchStatus is the outcome of a source's most recent poll.
type FetchStatus string

// Fetch outcomes recorded on a Source.
const (
	// FetchNever: the source has not been polled yet.
	FetchNever FetchStatus = ""
	// FetchOK: the feed was fetched and parsed.
	FetchOK FetchStatus = "ok"
	// FetchNotModified: the server answered 304 to a conditional request.
	FetchNotModified FetchStatus = "not_modified"
	// FetchFailed: the request or the parse failed; Source.LastError says why.
	FetchFailed FetchStatus = "failed"
)

// Source is a publisher feed that taglines polls.
//
// URL is the feed's address and is unique in a Store. The fields from
// LastAttemptAt on are the source's health, written only by Store.RecordFetch.
type Source struct {
	ID        int64
	URL       string
	Title     string // the feed's own title, learnt on the first successful fetch
	SiteURL   string // the publisher's home page, from the feed
	CreatedAt time.Time

	// Operator settings, kept by AddSource and UpdateSource.
	Folder     string // the OPML folder the source came from or goes to
	Rules      string // extraction rules as JSON (see extract.ParseRules); "" for none
	PreferFeed bool   // use the feed's full text instead of fetching pages
	// Sections is the operator's section map for the source's articles:
	// comma-separated "label=Section" pairs that rename the source's own
	// feed categories or the sections given to its articles, and "*=Section"
	// for one section for all of them (see enrich.ParseSectionMap); "" for
	// none.
	Sections string

	// Conditional GET validators from the last successful response.
	ETag         string
	LastModified string

	LastAttemptAt       time.Time // zero if never polled
	LastSuccessAt       time.Time // zero if never fetched successfully
	Status              FetchStatus
	HTTPStatus          int
	LastError           string
	ConsecutiveFailures int
	NextPollAt          time.Time
	// ItemsPerDay is the publishing rate last seen in the feed; negative
	// when unknown. It drives adaptive polling.
	ItemsPerDay float64
	// RefusedItems counts the feed items the last successful fetch
	// refused, Warning says which and why ("" if none).
	RefusedItems int
	Warning      string
	ArticleCount int // filled by Store.Sources and Store.Source
}

// Failing reports whether the most recent poll of s failed.
func (s *Source) Failing() bool { return s.ConsecutiveFailures > 0 }

// Name is the name shown for the source: its feed title, else its URL.
func (s *Source) Name() string {
	if s.Title != "" {
		return s.Title
	}
	return s.URL
}

// FetchResult is what one poll of a source learnt, recorded atomically by
// Store.RecordFetch together with the release of the source's claim.
type FetchResult struct {
	At           time.Time
	Status       FetchStatus
	HTTPStatus   int
	Err          string // empty unless Status is FetchFailed
	ETag         string // new validators; empty keeps the stored ones
	LastModified string
	Title        string // empty keeps the stored title
	SiteURL      string
	NextPollAt   time.Time
	// ItemsPerDay is the rate seen in this fetch; negative keeps the
	// stored one (a 304 or a failure says nothing new about it).
	ItemsPerDay float64
	// RefusedItems and Warning report the feed items refused; recorded
	// with FetchOK only (a 304 or a failure keeps the stored ones).
	RefusedItems int
	Warning      string
}
