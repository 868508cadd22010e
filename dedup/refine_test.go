package dedup

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	wordsA = []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"}
	wordsB = []string{"golf", "hotel", "india", "juliet", "kilo", "lima"}
)

func TestMergeStories(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	docs := []Document{
		{ID: 1, Text: strings.Join(wordsA, " "), Published: t0},
		{ID: 2, Text: strings.Join(wordsB, " "), Published: t0.Add(time.Minute)},
		// Half of each: it joins one story and brings it near the other.
		{ID: 3, Text: strings.Join(append(wordsA[:3:3], wordsB[:3]...), " "), Published: t0.Add(2 * time.Minute)},
	}
	for _, tc := range []struct {
		name  string
		merge float64
		want  []Result // Refine's
	}{
		{"apart", 0.9, nil},
		{"merged", 0.25, []Result{{ID: 2, Cluster: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idx := NewMemIndex()
			d := New(idx, Options{ClusterThreshold: 0.3, MergeThreshold: tc.merge})
			r := process(t, d, docs...)
			if r[0].Cluster != 1 || r[1].Cluster != 2 || r[2].Cluster != 1 {
				t.Fatalf("setup: %+v", r)
			}
			got, err := d.Refine(ctx, t0, time.Time{})
			if err != nil || len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
				t.Fatalf("Refine = %+v, %v; want %+v", got, err, tc.want)
			}
			e, _ := idx.Entry(ctx, 2)
			c1, err1 := idx.Cluster(ctx, 1)
			_, err2 := idx.Cluster(ctx, 2)
			if tc.want != nil {
				if e.Cluster != 1 || err1 != nil || c1.Size != 3 || err2 == nil {
					t.Errorf("after merge: entry 2 in %d, story 1 %+v (%v), story 2 err %v", e.Cluster, c1, err1, err2)
				}
			} else if e.Cluster != 2 || c1.Size != 2 || err2 != nil {
				t.Errorf("apart: entry 2 in %d, story 1 size %d, story 2 err %v", e.Cluster, c1.Size, err2)
			}
		})
	}
}

// primedDeduper returns a Deduper on a new MemIndex that has learnt a
// background corpus, so that words shared by five articles are not as
// common as words at all.
func primedDeduper(t *testing.T) (*MemIndex, *Deduper) {
	t.Helper()
	idx := NewMemIndex()
	d := New(idx, Options{ClusterThreshold: 0.2})
	for i := range 50 {
		if err := d.Learn(t.Context(), Document{Text: fmt.Sprintf("filler%d other%d", i, i)}); err != nil {
			t.Fatal(err)
		}
	}
	return idx, d
}

func TestRefine(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	idx, d := primedDeduper(t)
	var docs []Document
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }
	for i := range 5 {
		docs = append(docs, Document{ID: int64(i + 1), Text: strings.Join(wordsA, " "), Published: at(i)})
	}
	// Mostly B, but no B story exists yet: it joins A's.
	early := Document{ID: 6, Text: strings.Join(append(wordsA[:3:3], wordsB...), " "), Published: at(5)}
	docs = append(docs, early)
	for i := range 3 {
		docs = append(docs, Document{ID: int64(7 + i), Text: strings.Join(wordsB[:5], " "), Published: at(6 + i)})
	}
	r := process(t, d, docs...)
	if r[5].Cluster != 1 {
		t.Fatalf("setup: the early article joined story %d, want 1", r[5].Cluster)
	}
	if r[6].Cluster != 7 || r[8].Cluster != 7 {
		t.Fatalf("setup: B articles in stories %d, %d, want 7", r[6].Cluster, r[8].Cluster)
	}

	var recorded []Result
	moved, err := d.RefineRecorded(ctx, t0, time.Time{}, func(ctx context.Context, rs []Result) error {
		recorded = append(recorded, rs...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Result{{ID: 6, Cluster: 7}}; !reflect.DeepEqual(moved, want) || !reflect.DeepEqual(recorded, want) {
		t.Fatalf("Refine moved %+v and recorded %+v, want %+v", moved, recorded, want)
	}
	e, _ := idx.Entry(ctx, 6)
	a, _ := idx.Cluster(ctx, 1)
	b, _ := idx.Cluster(ctx, 7)
	if e.Cluster != 7 || a.Size != 5 || b.Size != 4 {
		t.Errorf("after Refine: article 6 in %d, story 1 size %d, story 7 size %d", e.Cluster, a.Size, b.Size)
	}
	// Nothing left to improve: a second pass moves nothing.
	if moved, err := d.Refine(ctx, t0, time.Time{}); err != nil || len(moved) != 0 {
		t.Errorf("second Refine = %+v, %v; want nothing moved", moved, err)
	}
	// Outside the window nothing is reconsidered.
	if moved, err := d.Refine(ctx, at(100), time.Time{}); err != nil || len(moved) != 0 {
		t.Errorf("Refine of an empty window = %+v, %v", moved, err)
	}
}

// The article a story is named after leaves it: the story takes the name
// of its earliest other article, and every move is reported.
func TestRefineRenames(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	idx, d := primedDeduper(t)
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }
	docs := []Document{{ID: 1, Text: strings.Join(append(wordsA[:3:3], wordsB...), " "), Published: at(0)}}
	for i := range 5 {
		docs = append(docs, Document{ID: int64(2 + i), Text: strings.Join(wordsA, " "), Published: at(1 + i)})
	}
	for i := range 3 {
		docs = append(docs, Document{ID: int64(7 + i), Text: strings.Join(wordsB[:5], " "), Published: at(6 + i)})
	}
	r := process(t, d, docs...)
	if r[5].Cluster != 1 || r[6].Cluster != 7 {
		t.Fatalf("setup: A articles in story %d, B articles in %d; want 1 and 7", r[5].Cluster, r[6].Cluster)
	}
	moved, err := d.Refine(ctx, t0, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]int64{1: 7, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2}
	got := map[int64]int64{}
	for _, m := range moved {
		got[m.ID] = m.Cluster
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Refine moved %v, want %v", got, want)
	}
	for id, story := range want {
		if e, _ := idx.Entry(ctx, id); e.Cluster != story {
			t.Errorf("article %d in story %d, want %d", id, e.Cluster, story)
		}
	}
	if _, err := idx.Cluster(ctx, 1); err == nil {
		t.Errorf("story 1 still exists after article 1 left it")
	}
	if c, err := idx.Cluster(ctx, 2); err != nil || c.Size != 5 {
		t.Errorf("story 2 = %+v, %v; want the 5 A articles", c, err)
	}
	// Splitting article 1 off again starts story 1 anew.
	if res, err := d.Split(ctx, 1, SplitStory); err != nil || res.Cluster != 1 {
		t.Errorf("Split(1) = %+v, %v; want story 1", res, err)
	}
}

// An article an operator split off stays where the operator put it: Refine
// neither moves it back nor merges its story with the one it left.
func TestRefineKeepsSplits(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	idx := NewMemIndex()
	d := New(idx, Options{ClusterThreshold: 0.2, MergeThreshold: 0.2})
	var docs []Document
	for i := range 4 {
		docs = append(docs, Document{ID: int64(i + 1), Text: strings.Join(wordsA, " "), Published: t0.Add(time.Duration(i) * time.Minute)})
	}
	r := process(t, d, docs...)
	if r[3].Cluster != 1 {
		t.Fatalf("setup: article 4 in story %d, want 1", r[3].Cluster)
	}
	if res, err := d.Split(ctx, 4, SplitStory); err != nil || res.Cluster != 4 {
		t.Fatalf("Split(4) = %+v, %v", res, err)
	}
	for range 2 {
		if moved, err := d.Refine(ctx, t0, time.Time{}); err != nil || len(moved) != 0 {
			t.Fatalf("Refine after a split = %+v, %v; want nothing moved", moved, err)
		}
	}
	if e, _ := idx.Entry(ctx, 4); e.Cluster != 4 || !e.Pinned {
		t.Errorf("article 4 after Refine: story %d, pinned %v; want its own story, pinned", e.Cluster, e.Pinned)
	}
}
