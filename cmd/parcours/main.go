// Command parcours runs the training pathways that French regions organise for the leaders
// of coordinated-care structures. See README.md; everything lives under internal/.
package main

import (
	"context"
	"os"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	"parcours/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}
