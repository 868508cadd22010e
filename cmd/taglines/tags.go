package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/enrich/ner"
	"github.com/taglines/taglines/ingest"
)

type tagsCmd struct {
	List  tagsListCmd  `cmd:"" help:"List the operators' tag rules."`
	Alias tagsAliasCmd `cmd:"" help:"NAME is another spelling of TARGET (e.g. Kiev Kyiv); stored articles are retagged."`
	Merge tagsMergeCmd `cmd:"" help:"Fold tag NAME into tag TARGET; stored articles are retagged."`
	Block tagsBlockCmd `cmd:"" help:"NAME is never a tag; stored articles are retagged."`
	Drop  tagsDropCmd  `cmd:"" help:"Remove a rule (KIND alias, merge or block, and NAME); stored articles are retagged."`
	Learn tagsLearnCmd `cmd:"" help:"Let the most complete frequent form of each name win across the corpus (Putin → VladimirPutin): add merge rules and retag."`
	Topic tagsTopicCmd `cmd:"" help:"Define a topic (a saved search): TAG is given to articles that RULE matches, in the language of search (AND, OR, NOT, \"phrases\", word*, NEAR/n, title:, tag:, source:, section:, lang:, after:, before:); stored articles are retagged."`
}

type tagsLearnCmd struct {
	DryRun     bool `help:"Print the merges without storing them."`
	retagFlags `embed:""`
}

// Run learns merge rules from the stored tags' counts.
func (c *tagsLearnCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		counts, err := store.TopTags(ctx, time.Time{}, 100_000)
		if err != nil {
			return err
		}
		existing, err := store.TagRules(ctx)
		if err != nil {
			return err
		}
		have := map[string]bool{}
		for _, r := range existing {
			have[taglines.TagSlug(r.Name)] = true
		}
		var added int
		m0, err := ner.Default()
		if err != nil {
			return err
		}
		for _, r := range enrich.CompleteForms(counts, enrich.PersonName(m0)) {
			if have[taglines.TagSlug(r.Name)] {
				continue // an operator's rule for this name stands
			}
			fmt.Fprintf(m.Stdout, "merge #%s into #%s\n", r.Name, r.Target)
			if c.DryRun {
				continue
			}
			if err := store.SetTagRule(ctx, r); err != nil {
				return err
			}
			added++
		}
		if added == 0 || c.NoRetag {
			return nil
		}
		return m.retag(ctx, cfg, store, 0, 0)
	})
}

type tagsListCmd struct{}

func (c *tagsListCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		rules, err := store.TagRules(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tNAME\tTARGET")
		for _, r := range rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Kind, r.Name, r.Target)
		}
		return tw.Flush()
	})
}

// retagFlags are shared by the commands that change tagging.
type retagFlags struct {
	NoRetag bool `help:"Only store the rule; run 'taglines retag' later."`
}

// tagsPair is the NAME TARGET of an alias or a merge.
type tagsPair struct {
	Name       string `arg:""`
	Target     string `arg:""`
	retagFlags `embed:""`
}

func (c *tagsPair) set(ctx context.Context, m *Main, cfg *Config, kind taglines.TagRuleKind) error {
	return m.changeTagging(ctx, cfg, c.NoRetag, func(store taglines.Store) error {
		return store.SetTagRule(ctx, taglines.TagRule{Kind: kind, Name: c.Name, Target: c.Target})
	})
}

type tagsAliasCmd struct {
	tagsPair `embed:""`
}

func (c *tagsAliasCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return c.set(ctx, m, cfg, taglines.TagAlias)
}

type tagsMergeCmd struct {
	tagsPair `embed:""`
}

func (c *tagsMergeCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return c.set(ctx, m, cfg, taglines.TagMerge)
}

type tagsTopicCmd struct {
	tagsPair `embed:""`
}

// Run checks the rule before storing it: a malformed rule is refused with
// the position of its fault and changes nothing.
func (c *tagsTopicCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	if _, err := enrich.NewTopic(c.Name, c.Target); err != nil {
		return err
	}
	return c.set(ctx, m, cfg, taglines.TagTopic)
}

type tagsBlockCmd struct {
	Name       string `arg:""`
	retagFlags `embed:""`
}

func (c *tagsBlockCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return m.changeTagging(ctx, cfg, c.NoRetag, func(store taglines.Store) error {
		return store.SetTagRule(ctx, taglines.TagRule{Kind: taglines.TagBlock, Name: c.Name})
	})
}

type tagsDropCmd struct {
	Kind       string `arg:"" enum:"alias,merge,block,topic"`
	Name       string `arg:""`
	retagFlags `embed:""`
}

func (c *tagsDropCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return m.changeTagging(ctx, cfg, c.NoRetag, func(store taglines.Store) error {
		return store.DeleteTagRule(ctx, taglines.TagRuleKind(c.Kind), c.Name)
	})
}

// changeTagging applies a rule change, then retags the stored articles
// so that the change shows on every page, not only on new articles.
func (m *Main) changeTagging(ctx context.Context, cfg *Config, noRetag bool, change func(taglines.Store) error) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		if err := change(store); err != nil {
			return err
		}
		if noRetag {
			return nil
		}
		return m.retag(ctx, cfg, store, 0, 0)
	})
}

type retagCmd struct {
	Source int64 `help:"Only this source's articles."`
	FromID int64 `help:"Resume after this article ID (printed by an interrupted run)."`
}

// Run re-applies tagging to stored articles.
func (c *retagCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		return m.retag(ctx, cfg, store, c.Source, c.FromID)
	})
}

func (m *Main) retag(ctx context.Context, cfg *Config, store taglines.Store, source, from int64) error {
	log := m.logger(cfg)
	tagger, rules, err := tagging(ctx, store, m.tagger(log))
	if err != nil {
		return err
	}
	st, err := store.Stats(ctx)
	if err != nil {
		return err
	}
	var last int64
	n, err := ingest.Retag(ctx, store, tagger, rules, source, from, func(done int, lastID int64) {
		last = lastID
		fmt.Fprintf(m.Stderr, "\rretag %s", progressBar(done, st.Articles))
	})
	fmt.Fprintln(m.Stderr)
	if err != nil {
		if errors.Is(err, context.Canceled) && last != 0 {
			return fmt.Errorf("retag interrupted after %d articles; resume with --from-id %d", n, last)
		}
		return err
	}
	fmt.Fprintf(m.Stdout, "retagged %d articles\n", n)
	return nil
}

// backgroundRetag returns a function that retags the stored articles in
// the background, one run at a time: a change during a run starts one more
// run after it, so the last change is always applied.
func (m *Main) backgroundRetag(ctx context.Context, store taglines.Store, log *slog.Logger) func() {
	var mu sync.Mutex
	running, again := false, false
	var run func()
	run = func() {
		tagger, rules, err := tagging(ctx, store, m.tagger(log))
		if err == nil {
			var n int
			n, err = ingest.Retag(ctx, store, tagger, rules, 0, 0, nil)
			log.Info("retag after a tag rule change", "articles", n)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("retag after a tag rule change", "err", err)
		}
		mu.Lock()
		if again && ctx.Err() == nil {
			again = false
			mu.Unlock()
			run()
			return
		}
		running = false
		mu.Unlock()
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if running {
			again = true
			return
		}
		running = true
		go run()
	}
}

// progressBar draws "[=====>    ]  45% 2250/5000" for a count out of a
// total (a total of 0 or less draws the count alone).
func progressBar(done, total int) string {
	if total <= 0 {
		return fmt.Sprintf("%d", done)
	}
	const width = 30
	done = min(done, total)
	filled := done * width / total
	bar := strings.Repeat("=", filled)
	if filled < width {
		bar += ">" + strings.Repeat(" ", width-filled-1)
	}
	return fmt.Sprintf("[%s] %3d%% %d/%d", bar, done*100/total, done, total)
}
