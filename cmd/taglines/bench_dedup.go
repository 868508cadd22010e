package main

import "errors"

type benchDedupCmd struct{}

func (c *benchDedupCmd) Run() error { return errors.New("bench dedup: not built yet") }
