package taglines

import (
	"context"
	"time"
)

// Store keeps sources, articles and tags. Implementations (sqlite, postgres)
// are safe for concurrent use by many goroutines and, for postgres, by many
// processes sharing one database. Errors wrap ErrNotFound, ErrConflict or
// ErrInvalid where those apply.
type Store interface {
	// AddSource stores a new source and sets its ID, CreatedAt and
	// NextPollAt. The source is due at s.NextPollAt or, if that is zero, at
	// once under any clock (the Unix epoch). Returns ErrConflict if a
	// source with the same URL exists.
	AddSource(ctx context.Context, s *Source) error
	// Source returns the source with the given ID, or ErrNotFound.
	Source(ctx context.Context, id int64) (*Source, error)
	// SourceByURL returns the source with the given feed URL, or ErrNotFound.
	SourceByURL(ctx context.Context, url string) (*Source, error)
	// Sources lists every source by ID, with its health and ArticleCount.
	Sources(ctx context.Context) ([]*Source, error)
	// UpdateSource writes the operator settings of s (Title, SiteURL,
	// Folder, Rules, PreferFeed) to the source with s.ID, or returns
	// ErrNotFound.
	UpdateSource(ctx context.Context, s *Source) error
	// SourceState returns the state a stage stored for a source under key,
	// or nil if there is none.
	SourceState(ctx context.Context, sourceID int64, key string) ([]byte, error)
	// SetSourceState stores a stage's state for a source under key,
	// replacing what was there. Returns ErrNotFound if the source is gone.
	SetSourceState(ctx context.Context, sourceID int64, key string, data []byte) error
	// RemoveSource deletes a source and its articles, or returns ErrNotFound.
	RemoveSource(ctx context.Context, id int64) error

	// ClaimDueSources leases up to limit sources whose NextPollAt is at or
	// before now and that no live lease holds, to owner until now+lease,
	// ordered by NextPollAt. Two concurrent callers never receive the same
	// source while its lease lasts; an expired lease (a crashed poller) lets
	// the source be claimed again.
	ClaimDueSources(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]*Source, error)
	// ReleaseClaims ends owner's leases on the sources ids (on all of its
	// sources if none are given) so that they can be claimed at once, and
	// returns how many it ended: a poller that stops releases what it
	// claimed and did not poll.
	ReleaseClaims(ctx context.Context, owner string, ids ...int64) (int64, error)
	// ClaimOwners returns the owners of the leases that last beyond now.
	ClaimOwners(ctx context.Context, now time.Time) ([]string, error)
	// RecordFetch writes the outcome of a poll to the source's health,
	// schedules its next poll and releases its lease, in one statement.
	// A successful result resets ConsecutiveFailures; a failed one
	// increments it. Returns ErrNotFound if the source is gone.
	RecordFetch(ctx context.Context, sourceID int64, r FetchResult) error

	// KnownURLs returns which of urls are already stored for the source, so
	// the poller fetches only new article pages.
	KnownURLs(ctx context.Context, sourceID int64, urls []string) (map[string]bool, error)
	// AddArticles stores articles with their tags in one transaction and
	// returns how many were new. An article whose (SourceID, URL) is already
	// stored is skipped, not updated; new ones get their ID set.
	AddArticles(ctx context.Context, articles []*Article) (inserted int, err error)
	// SetGroups records the dedup stage's decisions about stored articles
	// (their version group and story), in one transaction. Unknown
	// articles are ignored.
	SetGroups(ctx context.Context, groups []Group) error
	// UpdateArticles rewrites the Title, Text, Section, SectionConfidence
	// and Tags of stored articles (by ID; unknown IDs are skipped), in one
	// transaction, and returns how many it updated.
	UpdateArticles(ctx context.Context, articles []*Article) (int, error)
	// ScanArticles returns up to limit articles with an ID above afterID,
	// by ascending ID, with their tags: a resumable walk over the store.
	// sourceID, if not 0, keeps one source's articles.
	ScanArticles(ctx context.Context, afterID int64, limit int, sourceID int64) ([]*Article, error)
	// TagRules lists the operators' tag rules by kind and name.
	TagRules(ctx context.Context) ([]TagRule, error)
	// SetTagRule stores r, replacing the rule of the same kind and name.
	// Returns ErrInvalid if r does not validate.
	SetTagRule(ctx context.Context, r TagRule) error
	// DeleteTagRule removes a rule, or returns ErrNotFound.
	DeleteTagRule(ctx context.Context, kind TagRuleKind, name string) error
	// Article returns one article with its tags, or ErrNotFound.
	Article(ctx context.Context, id int64) (*Article, error)
	// Articles lists articles newest first (PublishedAt, then ID, both
	// descending), with their tags, SourceName, Versions and StorySources.
	Articles(ctx context.Context, q ArticleQuery) ([]*Article, error)
	// Tag resolves a tag slug or name, case-insensitively, or returns ErrNotFound.
	Tag(ctx context.Context, nameOrSlug string) (Tag, error)
	// SectionCounts returns the sections of the articles published at or
	// after since (versions folded: one per version group), largest first.
	SectionCounts(ctx context.Context, since time.Time) ([]SectionCount, error)
	// TopTags returns the tags carried by the most articles published at or
	// after since, most frequent first.
	TopTags(ctx context.Context, since time.Time, limit int) ([]TagCount, error)
	// CoTags returns the tags carried together with the tag slug by
	// articles published at or after since, with how many such articles
	// carry each, most first, at most limit; slug itself is left out.
	CoTags(ctx context.Context, slug string, since time.Time, limit int) ([]TagCount, error)
	// TagCounts counts, among the articles published in [since, until)
	// (a zero until means no upper bound), those carrying each of slugs,
	// and those carrying any tag at all.
	TagCounts(ctx context.Context, slugs []string, since, until time.Time) (counts map[string]int, tagged int, err error)
	// Search answers a search in the rule language of topics (package
	// query): by relevance or newest first, one entry per version group
	// unless AllVersions, with highlighted titles and passages. A rule
	// that does not parse or exceeds the search limits returns a
	// *query.SyntaxError, which wraps ErrInvalid.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
	// IndexSearch builds the search index of articles stored before it
	// existed, resumably, telling progress (if not nil) how far it got;
	// it returns at once when the index is complete. Writes keep the
	// index current themselves.
	IndexSearch(ctx context.Context, progress func(done, total int)) error
	// Stats counts sources, articles, tags and failing sources.
	Stats(ctx context.Context) (Stats, error)

	// Close releases the store's connections.
	Close() error
}
