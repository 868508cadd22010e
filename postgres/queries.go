package postgres

import (
	"strconv"
	"time"

	"github.com/taglines/taglines/query"
	"github.com/taglines/taglines/sqldb"
)

// queries is the shared logic, embedded unexported in Store so that its
// methods are Store's.
type queries = sqldb.Queries

// statements is the PostgreSQL text of what sqldb.Queries runs. Lists bind
// as arrays, for = ANY.
var statements = sqldb.SQL{
	Dialect: dialect,
	Strings: func(s []string) any { return s },
	Param:   func(n int) string { return "$" + strconv.Itoa(n) },
	Past:    farPast,
	Future:  farFuture,

	AddSource: `INSERT INTO sources (url, title, site_url, created_at, next_poll_at, folder, rules, prefer_feed, sections)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
	SourceByID:   `SELECT ` + sqldb.SourceColumns + `, ` + articleCount + ` FROM sources s WHERE s.id = $1`,
	SourceByURL:  `SELECT ` + sqldb.SourceColumns + `, ` + articleCount + ` FROM sources s WHERE s.url = $1`,
	Sources:      `SELECT ` + sqldb.SourceColumns + `, ` + articleCount + ` FROM sources s ORDER BY s.id`,
	RemoveSource: `DELETE FROM sources WHERE id = $1`,
	// Sources that a concurrent claim is taking are skipped, not waited for.
	ReleaseClaims: `UPDATE sources SET claimed_by = NULL, claim_expires_at = NULL WHERE claimed_by = $1`,
	ReleaseClaim:  `UPDATE sources SET claimed_by = NULL, claim_expires_at = NULL WHERE claimed_by = $1 AND id = $2`,
	ClaimOwners:   `SELECT DISTINCT claimed_by FROM sources WHERE claimed_by IS NOT NULL AND claim_expires_at > $1 ORDER BY claimed_by`,
	ClaimSources: `
		UPDATE sources s SET claimed_by = $1, claim_expires_at = $2
		WHERE s.id IN (
			SELECT id FROM sources
			WHERE next_poll_at <= $3 AND (claim_expires_at IS NULL OR claim_expires_at <= $3)
			ORDER BY next_poll_at, id
			LIMIT $4
			FOR UPDATE SKIP LOCKED)
		RETURNING ` + sqldb.SourceColumns,
	RecordFetch: `
		UPDATE sources SET
			last_attempt_at = $1,
			last_success_at = CASE WHEN $2 THEN last_success_at ELSE $1 END,
			status = $3,
			http_status = $4,
			last_error = CASE WHEN $2 THEN $5 ELSE '' END,
			consecutive_failures = CASE WHEN $2 THEN consecutive_failures + 1 ELSE 0 END,
			etag = COALESCE(NULLIF($6, ''), etag),
			last_modified = COALESCE(NULLIF($7, ''), last_modified),
			title = COALESCE(NULLIF($8, ''), title),
			site_url = COALESCE(NULLIF($9, ''), site_url),
			next_poll_at = $10,
			items_per_day = CASE WHEN $12::double precision >= 0 THEN $12::double precision ELSE items_per_day END,
			refused_items = CASE WHEN $13 >= 0 THEN $13 ELSE refused_items END,
			warning = CASE WHEN $13 >= 0 THEN $14 ELSE warning END,
			claimed_by = NULL,
			claim_expires_at = NULL
		WHERE id = $11`,
	UpdateSource: `UPDATE sources SET title = $1, site_url = $2, folder = $3, rules = $4, prefer_feed = $5, sections = $6 WHERE id = $7`,
	SourceState:  `SELECT data FROM source_state WHERE source_id = $1 AND key = $2`,
	SetSourceState: `
		INSERT INTO source_state (source_id, key, data, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (source_id, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,

	KnownURLs: `SELECT url FROM articles WHERE source_id = $1 AND url = ANY($2)`,
	Article:   `SELECT ` + sqldb.ArticleColumns + ` FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = $1`,
	ScanArticles: `SELECT ` + sqldb.ArticleColumns + ` FROM articles a JOIN sources s ON s.id = a.source_id
		WHERE a.id > $1 AND ($2 = 0 OR a.source_id = $2) ORDER BY a.id LIMIT $3`,
	ArticlesByID: `SELECT ` + sqldb.ArticleColumns + ` FROM articles a JOIN sources s ON s.id = a.source_id
		WHERE a.id = ANY($1)`,
	Tags: `
		SELECT at.article_id, t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id = ANY($1)
		ORDER BY at.article_id, at.position`,
	Versions:     `SELECT duplicate_of, count(*) FROM articles WHERE duplicate_of = ANY($1) GROUP BY duplicate_of`,
	StorySources: `SELECT cluster_id, count(DISTINCT source_id) FROM articles WHERE cluster_id = ANY($1) GROUP BY cluster_id`,

	Tag: `SELECT slug, name FROM tags WHERE slug = $1`,
	TopTags: `
		SELECT t.slug, t.name, c.n FROM (
			SELECT tag_id, count(*) AS n FROM article_tags WHERE published_at >= $1 GROUP BY tag_id
		) c JOIN tags t ON t.id = c.tag_id
		ORDER BY c.n DESC, t.slug
		LIMIT $2`,
	CoTags: `
		SELECT t.slug, t.name, count(*) AS n
		FROM article_tags b
		JOIN article_tags o ON o.article_id = b.article_id AND o.tag_id <> b.tag_id
		JOIN tags t ON t.id = o.tag_id
		WHERE b.tag_id = (SELECT id FROM tags WHERE slug = $1) AND b.published_at >= $2
		GROUP BY t.slug, t.name
		ORDER BY n DESC, t.slug
		LIMIT $3`,
	Tagged: `SELECT count(DISTINCT article_id) FROM article_tags WHERE published_at >= $1 AND published_at < $2`,
	TagCounts: `
		SELECT t.slug, count(*) FROM article_tags a JOIN tags t ON t.id = a.tag_id
		WHERE a.published_at >= $1 AND a.published_at < $2 AND t.slug = ANY($3)
		GROUP BY t.slug`,
	SectionCounts: `
		SELECT section, count(*) FROM articles
		WHERE published_at >= $1 AND NOT superseded AND section <> ''
		GROUP BY section ORDER BY count(*) DESC, section`,
	SetTagRule: `INSERT INTO tag_rules (kind, name, target, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, name) DO UPDATE SET target = excluded.target`,
	DeleteTagRule: `DELETE FROM tag_rules WHERE kind = $1 AND name = $2`,

	SearchTerms: `SELECT article_id, title, body FROM search_docs WHERE article_id = ANY($1)`,
	Rule: sqldb.RuleSQL{
		Text: func(n query.Node, arg func(any) string) (string, bool) {
			return `a.id IN (SELECT article_id FROM search_docs WHERE tsv @@ ` + arg(tsquery(n)) + `::tsquery)`, true
		},
		// ASCII case folding, as SQLite's NOCASE does.
		Section: `lower(a.section COLLATE "C") = lower(%s COLLATE "C")`,
		Sources: func(ids []int64, arg func(any) string) string {
			return `a.source_id = ANY(` + arg(ids) + `::bigint[])`
		},
	},
}

// articleCount is the extra column that Source, SourceByURL and Sources add.
const articleCount = `(SELECT count(*) FROM articles a WHERE a.source_id = s.id)`

// farPast and farFuture stand for open bounds of a time window.
var (
	farPast   = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)
