// Command train builds the section classifier of enrich/section from the
// BBC News data set and writes it gzipped:
//
//	go run ./enrich/section/train -data ../shared/data -out enrich/section/model.bin.gz
//
// Four fifths of each section train it; the held-out fifth (see
// section.ReadBBC) is only scored. The output is deterministic.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/taglines/taglines/enrich/section"
)

func main() {
	data := flag.String("data", "../shared/data", "folder of the shared data sets")
	out := flag.String("out", "enrich/section/model.bin.gz", "model file to write")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		log.Fatal(err)
	}
}

func run(data, out string) error {
	p := filepath.Join(data, "sections", "bbc", "bbc-dev.zip")
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	train, test, err := section.ReadBBC(f, st.Size())
	if err != nil {
		return err
	}
	k, err := section.Train(train, section.TrainOptions{})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err := k.Write(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	correct := 0
	for _, d := range test {
		if k.Classify(d.Text).Name == d.Section {
			correct++
		}
	}
	fmt.Printf("wrote %s (%d bytes); %d training, %d held-out articles; held-out accuracy %.4f\n",
		out, buf.Len(), len(train), len(test), float64(correct)/float64(len(test)))
	return nil
}
