package config

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The README's configuration table is the documentation of Options: same variables, same
// order, same defaults and help.
func TestREADMEListsEveryOption(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start, end := strings.Index(readme, "<!-- config-table"), strings.Index(readme, "<!-- /config-table -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no config-table block")
	}
	var want strings.Builder
	want.WriteString("| variable | default | meaning |\n|---|---|---|\n")
	for _, o := range Options {
		def := " "
		if o.Default != "" {
			def = " `" + o.Default + "` "
		}
		fmt.Fprintf(&want, "| `%s` |%s| %s |\n", o.Name, def, o.Help)
	}
	block := readme[start:end]
	got := block[strings.Index(block, "\n")+1:]
	if got != want.String() {
		t.Errorf("README.md's configuration table is out of date; replace it with:\n%s", want.String())
	}
}
