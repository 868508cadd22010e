package main

import "errors"

type dedupCmd struct{}

func (c *dedupCmd) Run() error { return errors.New("dedup: not built yet") }
