package main

import (
	_ "embed"
	"fmt"
	"io"
	"os"
)

// sample is the configuration printed.
//
//go:embed sample.conf
var sample string

func main() {
	os.Exit(run(os.Stdout, os.Stderr))
}

// run prints the sample; like 4.2.5's command, it ignores arguments.
func run(stdout, stderr io.Writer) int {
	if _, err := io.WriteString(stdout, sample); err != nil {
		fmt.Fprintf(stderr, "echo_supervisord_conf: %v\n", err)
		return 1
	}
	return 0
}
