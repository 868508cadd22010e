package main

import "errors"

type benchIngestCmd struct{}

func (c *benchIngestCmd) Run() error { return errors.New("bench ingest: not built yet") }
