package main

import "errors"

type tagCmd struct{}

func (c *tagCmd) Run() error { return errors.New("tag: not built yet") }
