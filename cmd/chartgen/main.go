// Command chartgen sizes LLM deployments and writes Helm values for the llm-model chart. All logic is in
// internal/cli; main only runs it and turns the error into an exit code.
package main

import (
	"fmt"
	"os"

	"github.com/llm-charts/llm-charts/internal/cli"
)

func main() {
	err := cli.Run(os.Args[1:], cli.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr})
	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
	}
	os.Exit(cli.ExitCode(err))
}
