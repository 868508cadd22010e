package sqlite

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/taglines/taglines/query"
	"github.com/taglines/taglines/sqldb"
)

// queries is the shared logic, embedded unexported in Store so that its
// methods are Store's.
type queries = sqldb.Queries

// statements is the SQLite text of what sqldb.Queries runs. Lists bind as
// JSON arrays that json_each expands, one placeholder whatever their
// length.
var statements = sqldb.SQL{
	Dialect: dialect,
	Strings: func(s []string) any {
		if s == nil {
			return "[]"
		}
		b, _ := json.Marshal(s) // a []string always marshals
		return string(b)
	},
	Param:  func(int) string { return "?" },
	Past:   int64(math.MinInt64),
	Future: int64(math.MaxInt64),

	AddSource: `INSERT INTO sources (url, title, site_url, created_at, next_poll_at, folder, rules, prefer_feed, sections)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
	SourceByID:   `SELECT ` + sqldb.SourceColumns + `, ` + articleCount + ` FROM sources s WHERE s.id = ?`,
	SourceByURL:  `SELECT ` + sqldb.SourceColumns + `, ` + articleCount + ` FROM sources s WHERE s.url = ?`,
	Sources:      `SELECT ` + sqldb.SourceColumns + `, ` + articleCount + ` FROM sources s ORDER BY s.id`,
	RemoveSource: `DELETE FROM sources WHERE id = ?`,
	// RETURNING takes no table qualifiers, nor an alias on UPDATE.
	ReleaseClaims: `UPDATE sources SET claimed_by = NULL, claim_expires_at = NULL WHERE claimed_by = ?1`,
	ReleaseClaim:  `UPDATE sources SET claimed_by = NULL, claim_expires_at = NULL WHERE claimed_by = ?1 AND id = ?2`,
	ClaimOwners:   `SELECT DISTINCT claimed_by FROM sources WHERE claimed_by IS NOT NULL AND claim_expires_at > ?1 ORDER BY claimed_by`,
	ClaimSources: `
		UPDATE sources SET claimed_by = ?1, claim_expires_at = ?2
		WHERE id IN (
			SELECT id FROM sources
			WHERE next_poll_at <= ?3 AND (claim_expires_at IS NULL OR claim_expires_at <= ?3)
			ORDER BY next_poll_at, id
			LIMIT ?4)
		RETURNING id, url, title, site_url, created_at, etag, last_modified,
			last_attempt_at, last_success_at, status, http_status, last_error,
			consecutive_failures, next_poll_at, items_per_day, folder, rules, prefer_feed, refused_items, warning, sections`,
	RecordFetch: `
		UPDATE sources SET
			last_attempt_at = ?1,
			last_success_at = CASE WHEN ?2 THEN last_success_at ELSE ?1 END,
			status = ?3,
			http_status = ?4,
			last_error = CASE WHEN ?2 THEN ?5 ELSE '' END,
			consecutive_failures = CASE WHEN ?2 THEN consecutive_failures + 1 ELSE 0 END,
			etag = COALESCE(NULLIF(?6, ''), etag),
			last_modified = COALESCE(NULLIF(?7, ''), last_modified),
			title = COALESCE(NULLIF(?8, ''), title),
			site_url = COALESCE(NULLIF(?9, ''), site_url),
			next_poll_at = ?10,
			items_per_day = CASE WHEN ?12 >= 0 THEN ?12 ELSE items_per_day END,
			refused_items = CASE WHEN ?13 >= 0 THEN ?13 ELSE refused_items END,
			warning = CASE WHEN ?13 >= 0 THEN ?14 ELSE warning END,
			claimed_by = NULL,
			claim_expires_at = NULL
		WHERE id = ?11`,
	UpdateSource: `UPDATE sources SET title = ?, site_url = ?, folder = ?, rules = ?, prefer_feed = ?, sections = ? WHERE id = ?`,
	SourceState:  `SELECT data FROM source_state WHERE source_id = ? AND key = ?`,
	SetSourceState: `
		INSERT INTO source_state (source_id, key, data, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (source_id, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,

	KnownURLs: `SELECT url FROM articles WHERE source_id = ? AND url IN (SELECT value FROM json_each(?))`,
	Article:   `SELECT ` + sqldb.ArticleColumns + ` FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?`,
	ScanArticles: `SELECT ` + sqldb.ArticleColumns + ` FROM articles a JOIN sources s ON s.id = a.source_id
		WHERE a.id > ?1 AND (?2 = 0 OR a.source_id = ?2) ORDER BY a.id LIMIT ?3`,
	ArticlesByID: `SELECT ` + sqldb.ArticleColumns + ` FROM articles a JOIN sources s ON s.id = a.source_id
		WHERE a.id IN (SELECT value FROM json_each(?))`,
	Tags: `
		SELECT at.article_id, t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id IN (SELECT value FROM json_each(?))
		ORDER BY at.article_id, at.position`,
	Versions: `SELECT duplicate_of, count(*) FROM articles
		WHERE duplicate_of IN (SELECT value FROM json_each(?)) GROUP BY duplicate_of`,
	StorySources: `SELECT cluster_id, count(DISTINCT source_id) FROM articles
		WHERE cluster_id IN (SELECT value FROM json_each(?)) GROUP BY cluster_id`,

	Tag: `SELECT slug, name FROM tags WHERE slug = ?`,
	TopTags: `
		SELECT t.slug, t.name, c.n FROM (
			SELECT tag_id, COUNT(*) AS n FROM article_tags INDEXED BY article_tags_recent
			WHERE published_at >= ? GROUP BY tag_id
		) c JOIN tags t ON t.id = c.tag_id
		ORDER BY c.n DESC, t.slug
		LIMIT ?`,
	CoTags: `
		SELECT t.slug, t.name, COUNT(*) AS n
		FROM article_tags b
		JOIN article_tags o ON o.article_id = b.article_id AND o.tag_id != b.tag_id
		JOIN tags t ON t.id = o.tag_id
		WHERE b.tag_id = (SELECT id FROM tags WHERE slug = ?) AND b.published_at >= ?
		GROUP BY o.tag_id
		ORDER BY n DESC, t.slug
		LIMIT ?`,
	Tagged: `SELECT COUNT(DISTINCT article_id) FROM article_tags WHERE published_at >= ? AND published_at < ?`,
	TagCounts: `
		SELECT t.slug, COUNT(*) FROM article_tags a JOIN tags t ON t.id = a.tag_id
		WHERE a.published_at >= ? AND a.published_at < ? AND t.slug IN (SELECT value FROM json_each(?))
		GROUP BY t.slug`,
	SectionCounts: `
		SELECT section, COUNT(*) FROM articles
		WHERE published_at >= ? AND NOT superseded AND section <> ''
		GROUP BY section ORDER BY COUNT(*) DESC, section`,
	SetTagRule: `INSERT INTO tag_rules (kind, name, target, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, name) DO UPDATE SET target = excluded.target`,
	DeleteTagRule: `DELETE FROM tag_rules WHERE kind = ? AND name = ?`,

	SearchTerms: `SELECT rowid, title, body FROM search WHERE rowid IN (SELECT value FROM json_each(?))`,
	Rule: sqldb.RuleSQL{
		Text: func(n query.Node, arg func(any) string) (string, bool) {
			e, ok := fts(n)
			if !ok {
				return "", false
			}
			return `a.id IN (SELECT rowid FROM search WHERE search MATCH ` + arg(e) + `)`, true
		},
		Section: `a.section = %s COLLATE NOCASE`,
		Sources: func(ids []int64, _ func(any) string) string {
			if len(ids) == 0 {
				return `FALSE`
			}
			list := make([]string, len(ids))
			for i, id := range ids {
				list[i] = strconv.FormatInt(id, 10)
			}
			// Integers the store gave, not input: safe to inline.
			return `a.source_id IN (` + strings.Join(list, ",") + `)`
		},
	},
}

// articleCount is the extra column that Source, SourceByURL and Sources add.
const articleCount = `(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id)`
