package ingest

import (
	"context"
	"fmt"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich"
)

// Reextract fetches the pages of stored articles again and re-applies
// extraction with their source's current rules and learnt boilerplate,
// then tagging, a page of articles per transaction: what an operator runs
// after changing a source's rules. Articles whose page cannot be fetched
// or read keep their text. sourceID, if not 0, keeps one source; fromID
// resumes after that article. progress may be nil.
func (in *Ingester) Reextract(ctx context.Context, sourceID, fromID int64, progress RetagProgress) (int, error) {
	const page = 50
	sources := map[int64]*taglines.Source{}
	extraction := map[int64]*pageExtraction{}
	sectionMaps := map[int64]enrich.SectionMap{}
	done, after := 0, fromID
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		arts, err := in.store.ScanArticles(ctx, after, page, sourceID)
		if err != nil {
			return done, err
		}
		if len(arts) == 0 {
			return done, nil
		}
		for _, a := range arts {
			src, ok := sources[a.SourceID]
			if !ok {
				if src, err = in.store.Source(ctx, a.SourceID); err != nil {
					return done, fmt.Errorf("article %d: %w", a.ID, err)
				}
				sources[a.SourceID] = src
				px, err := in.sourceExtraction(ctx, src, true)
				if err != nil {
					return done, fmt.Errorf("source %d: %w", src.ID, err)
				}
				extraction[a.SourceID] = px
				if sectionMaps[a.SourceID], err = sourceSectionMap(src); err != nil {
					return done, fmt.Errorf("source %d: %w", src.ID, err)
				}
			}
			px := extraction[a.SourceID]
			fresh := *a
			fresh.Text = ""
			if err := in.fromPage(ctx, &fresh, px, a.URL); err != nil || fresh.Text == "" {
				in.opts.Logger.Debug("reextract: page kept as stored", "article", a.ID, "err", err)
			} else {
				if px.boilerplate != nil {
					fresh.Text = px.boilerplate.Clean(fresh.Text)
				}
				a.Text = fresh.Text
			}
			if a.SectionConfidence < 1 {
				a.Section, a.SectionConfidence = taglines.DefaultSection, 0
			}
			tagArticle(in.opts.Tagger, in.opts.TagRules, a, src.Name(), nil, sectionMaps[a.SourceID])
		}
		if _, err := in.store.UpdateArticles(ctx, arts); err != nil {
			return done, err
		}
		done += len(arts)
		after = arts[len(arts)-1].ID
		if progress != nil {
			progress(done, after)
		}
	}
}
