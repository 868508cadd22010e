package main

import "errors"

type benchTagCmd struct{}

func (c *benchTagCmd) Run() error { return errors.New("bench tag: not built yet") }
