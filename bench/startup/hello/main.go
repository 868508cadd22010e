// Command hello is the yardstick of bench/startup: the start of a Go
// binary that does nothing but print.
package main

import "fmt"

func main() { fmt.Println("hello, world") }
