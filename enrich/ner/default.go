package ner

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"sync"
)

//go:embed model.bin.gz
var defaultModel []byte

var loadDefault = sync.OnceValues(LoadShipped)

// LoadShipped decodes the shipped model afresh on every call; Default
// shares one. It exists to measure load time.
func LoadShipped() (*Model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(defaultModel))
	if err != nil {
		return nil, fmt.Errorf("ner: default model: %w", err)
	}
	m, err := Load(zr)
	if err != nil {
		return nil, fmt.Errorf("ner: default model: %w", err)
	}
	return m, nil
}

// Default returns the model shipped in model.bin.gz, loaded on the first
// call and shared afterwards (a Model is immutable).
func Default() (*Model, error) { return loadDefault() }
