package main

import "errors"

type benchExtractCmd struct{}

func (c *benchExtractCmd) Run() error { return errors.New("bench extract: not built yet") }
