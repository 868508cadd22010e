package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/fetch"
	"github.com/taglines/taglines/ingest"
	"github.com/taglines/taglines/poll"
)

type pollCmd struct {
	PollConfig `embed:""`

	Once bool `help:"Poll the sources that are due once, print what happened as JSON, and exit."`
}

func (c *pollCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	log := m.logger(cfg)
	return withStore(ctx, cfg, func(store taglines.Store) error {
		poller := m.poller(store, &c.PollConfig, log)
		if !c.Once {
			return poller.Run(ctx)
		}
		r, err := poller.RunOnce(ctx)
		if err != nil {
			return err
		}
		return writeJSON(m.Stdout, r)
	})
}

// poller wires the ingestion pipeline to a store; hc nil means m.HTTPClient.
func (m *Main) poller(store taglines.Store, cfg *PollConfig, log *slog.Logger) *poll.Poller {
	return m.pollerWith(store, cfg, log, m.HTTPClient, false)
}

// pollerWith wires the pipeline with a given HTTP client (nil: the guarded
// default); skipPages stores feed text instead of fetching pages.
func (m *Main) pollerWith(store taglines.Store, cfg *PollConfig, log *slog.Logger, hc *http.Client, skipPages bool) *poll.Poller {
	if hc == nil {
		hc = cfg.httpClient()
	}
	opts := cfg.fetchOptions()
	opts.Now = m.now
	fetcher := fetch.New(hc, opts)
	tagger, rules, err := tagging(context.Background(), store, m.tagger(log))
	if err != nil {
		log.Error("tag rules not applied", "err", err)
	}
	ing := ingest.New(store, fetcher, ingest.Options{
		Logger: log, Now: m.now, SkipPages: skipPages, Tagger: tagger, TagRules: rules, Dedup: deduper(store, log, m.now, cfg.DedupCache),
	})
	popts := cfg.pollOptions()
	popts.Logger, popts.Now, popts.Owner = log, m.now, poll.OwnerName()
	if cfg.RefineInterval > 0 {
		popts.Refine = ing.Refine
	}
	return poll.New(store, ing, popts)
}

// owner names this process in source leases, for operators reading them.
type statsCmd struct{}

func (c *statsCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		st, err := store.Stats(ctx)
		if err != nil {
			return err
		}
		return writeJSON(m.Stdout, st)
	})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// tagger loads the entity, section and topic models once per process; if
// they cannot be loaded (a broken build), ingestion goes on with the
// feeds' own tags and says so.
func (m *Main) tagger(log *slog.Logger) *enrich.Tagger {
	m.taggerOnce.Do(func() {
		t, err := enrich.NewTagger(enrich.Options{})
		if err != nil {
			log.Error("tagger unavailable: articles get their feeds' tags only", "err", err)
			return
		}
		m.taggerVal = t
	})
	return m.taggerVal
}

// canonical is the alias lookup of the pages and the API: the operators'
// rules, read from the store at each lookup (a handful of rows, and a rule
// set by another process shows at once), then the shipped alias table.
func (m *Main) canonical(store taglines.Store, log *slog.Logger) taglines.Canonicalizer {
	t := m.tagger(log)
	return func(name string) (string, bool) {
		if stored, err := store.TagRules(context.Background()); err == nil && len(stored) > 0 {
			// Topics are not aliases: NewTagRules leaves them out.
			if rules, err := enrich.NewTagRules(stored, nil); err == nil {
				if c, ok := rules.Canonical(name); ok {
					return c, true
				}
			}
		}
		if t == nil {
			return name, false
		}
		return t.Aliases().Canonical(name)
	}
}

// dedupIndexer is a Store that persists the dedup stage's index.
type dedupIndexer interface {
	DedupIndex() dedup.Index
}

// deduper returns the dedup stage over the store's persisted index, or
// over one in memory (decisions still stored, the index rebuilt from
// empty at each start) for a store that has none.
func deduper(store taglines.Store, log *slog.Logger, now func() time.Time, cache time.Duration) *dedup.Deduper {
	return dedupOver(dedupIndexOf(store, log, now, cache), store, now)
}

// dedupIndexOf returns the store's dedup index, with a cache of cache's
// span of recent stories over it (none if 0), or one in memory if the
// store keeps none.
func dedupIndexOf(store taglines.Store, log *slog.Logger, now func() time.Time, cache time.Duration) dedup.Index {
	s, ok := unwrap(store).(dedupIndexer)
	if !ok {
		log.Warn("this store does not persist the dedup index: it lives in memory for this run")
		return dedup.NewMemIndex()
	}
	idx := s.DedupIndex()
	if sh, ok := idx.(dedup.Shared); ok && cache > 0 {
		return dedup.NewCache(sh, cache, now)
	}
	return idx
}

// unwrap returns the database's own store under a read cache, for the
// interfaces a store offers besides taglines.Store.
func unwrap(store taglines.Store) taglines.Store {
	if u, ok := store.(interface{ Unwrap() taglines.Store }); ok {
		return u.Unwrap()
	}
	return store
}

// dedupOver returns a Deduper over idx, the index of store.
func dedupOver(idx dedup.Index, store taglines.Store, now func() time.Time) *dedup.Deduper {
	opts := dedup.Options{Now: now}
	if l, ok := unwrap(store).(interface {
		DedupLock(context.Context) (func(), error)
	}); ok {
		// Pollers on several machines share this index: decide in turn.
		opts.Lock = l.DedupLock
	}
	return dedup.New(idx, opts)
}

// tagging loads the operators' tag rules: aliases, merges and blocks are
// taught to the tagger's alias table and returned as rules over tags;
// their topics join the tagger's (the returned Tagger; base is unchanged
// but its alias table, and may be nil).
func tagging(ctx context.Context, store taglines.Store, base *enrich.Tagger) (*enrich.Tagger, *enrich.TagRules, error) {
	stored, err := store.TagRules(ctx)
	if err != nil {
		return base, nil, err
	}
	var aliases *enrich.Aliases
	if base != nil {
		aliases = base.Aliases()
	}
	rules, err := enrich.NewTagRules(stored, aliases)
	if err != nil {
		return base, nil, err
	}
	topics, err := enrich.Topics(stored)
	if err != nil {
		return base, rules, err
	}
	if base == nil {
		return nil, rules, nil
	}
	return base.WithTopics(topics), rules, nil
}
