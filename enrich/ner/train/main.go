// Command train builds the entity model of enrich/ner from the shared data
// sets and writes it gzipped:
//
//	go run ./enrich/ner/train -data ../shared/data -out enrich/ner/model.bin.gz
//
// It trains on CoNLL-2003 eng.train and the first nine tenths of GMB (mapped
// to CoNLL's types), learns word case classes from the unlabelled Reuters-21578
// and BBC texts, and builds the gazetteer from gazetteer.txt and the
// Reuters-21578 lists, and uses the word clusters of clusters.txt.gz (built by
// ../clusters). eng.testa and the last tenth of GMB are only scored; -dev
// holds out the last tenth of both training parts instead, for tuning.
// The same inputs and flags give the same model byte for byte.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"flag"
	"fmt"
	"html"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/taglines/taglines/enrich/ner"
)

//go:embed gazetteer.txt
var gazetteerText string

func main() {
	data := flag.String("data", "../shared/data", "folder of the shared data sets")
	out := flag.String("out", "enrich/ner/model.bin.gz", "model file to write")
	epochs := flag.Int("epochs", 10, "training epochs")
	seed := flag.Uint64("seed", 1, "shuffle seed")
	minCount := flag.Int("min-count", 2, "drop features seen fewer times")
	useGMB := flag.Bool("gmb", true, "train on GMB's nine tenths too")
	clusters := flag.String("clusters", "enrich/ner/clusters.txt.gz", "word clusters written by ./enrich/ner/clusters (\"\" for none)")
	dev := flag.Bool("dev", false, "hold out the last tenth of eng.train and of GMB's training part, score on them and write nothing else: for tuning without touching eng.testa or GMB's held-out tenth")
	flag.Parse()
	if err := run(*data, *out, *clusters, *epochs, *seed, *minCount, *useGMB, *dev); err != nil {
		log.Fatal(err)
	}
}

func run(data, out, clustersPath string, epochs int, seed uint64, minCount int, useGMB, dev bool) error {
	start := time.Now()
	train, err := readCoNLL(filepath.Join(data, "ner", "conll2003", "eng.train"))
	if err != nil {
		return err
	}
	testa, err := readCoNLL(filepath.Join(data, "ner", "conll2003", "eng.testa"))
	if err != nil {
		return err
	}
	gmb, err := ner.ReadGMBZip(filepath.Join(data, "ner", "gmb", "ner_dataset.csv.zip"))
	if err != nil {
		return err
	}
	gmbTrain, gmbTest := ner.SplitGMB(gmb)
	evalName := [2]string{"eng.testa", "GMB held-out tenth"}
	if dev {
		cut := len(train) - len(train)/10
		train, testa = train[:cut:cut], train[cut:]
		gmbTrain, gmbTest = ner.SplitGMB(gmbTrain)
		evalName = [2]string{"dev: last tenth of eng.train", "dev: last tenth of GMB's training part"}
	}
	if useGMB {
		train = append(train, gmbTrain...)
	}
	texts, err := unlabelled(data)
	if err != nil {
		return err
	}
	gaz, err := gazetteer(filepath.Join(data, "corpus", "reuters21578"))
	if err != nil {
		return err
	}
	var clusters map[string]string
	if clustersPath != "" {
		if clusters, err = readClusters(clustersPath); err != nil {
			return err
		}
	}
	log.Printf("%d training sentences, %d unlabelled texts, %d gazetteer names, %d clustered words", len(train), len(texts), len(gaz), len(clusters))
	m, err := ner.Train(train, ner.TrainOptions{Epochs: epochs, Seed: seed, MinCount: minCount, Texts: texts, Gazetteer: gaz, Clusters: clusters, Logf: log.Printf})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err := m.Write(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("gzip model: %w", err)
	}
	if dev {
		log.Printf("dev run: model of %d bytes not written, in %s", buf.Len(), time.Since(start).Round(time.Second))
	} else {
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", out, err)
		}
		log.Printf("wrote %s (%d bytes) in %s", out, buf.Len(), time.Since(start).Round(time.Second))
	}
	for _, set := range []struct {
		name  string
		sents []ner.Sentence
	}{{evalName[0], testa}, {evalName[1], gmbTest}} {
		for _, d := range []string{"conll", "gmb"} {
			fmt.Printf("%s (domain %s):\n", set.name, d)
			ner.Evaluate(m.WithDomain(d), set.sents).Write(os.Stdout)
		}
	}
	return nil
}

func readClusters(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c, err := ner.ReadClusters(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func readCoNLL(path string) ([]ner.Sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := ner.ReadCoNLL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

var (
	reBody  = regexp.MustCompile(`(?s)<BODY>(.*?)</BODY>`)
	reTitle = regexp.MustCompile(`(?s)<TITLE>(.*?)</TITLE>`)
)

// unlabelled returns the Reuters-21578 bodies and the BBC articles.
func unlabelled(data string) ([]string, error) {
	var texts []string
	files, _ := filepath.Glob(filepath.Join(data, "corpus", "reuters21578", "reut2-*.sgm.gz"))
	slices.Sort(files)
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		b, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for _, m := range reBody.FindAllSubmatch(b, -1) {
			texts = append(texts, html.UnescapeString(string(m[1])))
		}
	}
	zr, err := zip.OpenReader(filepath.Join(data, "sections", "bbc", "bbc-dev.zip"))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".txt") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		texts = append(texts, string(b))
	}
	return texts, nil
}

// gazetteer reads gazetteer.txt and the Reuters-21578 category lists.
func gazetteer(reuters string) (map[string]string, error) {
	gaz := map[string]string{}
	addType := func(name, typ string) {
		name = strings.Join(strings.Fields(strings.ToLower(name)), " ")
		if name == "" {
			return
		}
		if old := gaz[name]; old == "" {
			gaz[name] = typ
		} else if !slices.Contains(strings.Split(old, ","), typ) {
			gaz[name] = old + "," + typ
		}
	}
	for _, line := range strings.Split(gazetteerText, "\n") {
		typ, names, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		for _, n := range strings.Split(names, "|") {
			addType(n, typ)
		}
	}
	for file, typ := range map[string]string{
		"all-people-strings.lc.txt":    "PER",
		"all-places-strings.lc.txt":    "LOC",
		"all-orgs-strings.lc.txt":      "ORG",
		"all-exchanges-strings.lc.txt": "ORG",
	} {
		f, err := os.Open(filepath.Join(reuters, file))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			name := strings.TrimSpace(sc.Text())
			if typ == "PER" {
				// Surnames joined by hyphens: keep the last part, as news writes it.
				parts := strings.Split(name, "-")
				name = parts[len(parts)-1]
				if len(name) < 3 {
					continue
				}
			} else {
				name = strings.ReplaceAll(name, "-", " ")
			}
			addType(name, typ)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	return gaz, nil
}
