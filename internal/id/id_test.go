package id

import (
	"sort"
	"testing"
	"time"
)

func TestNewIsValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		s := New()
		if !Valid(s) {
			t.Fatalf("New() = %q, not valid", s)
		}
		if seen[s] {
			t.Fatalf("duplicate id %q", s)
		}
		seen[s] = true
	}
}

func TestIdsSortByTime(t *testing.T) {
	base := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i := 0; i < 50; i++ {
		ids = append(ids, At(base.Add(time.Duration(i)*time.Millisecond)))
	}
	if !sort.StringsAreSorted(ids) {
		t.Fatalf("ids made at increasing times do not sort as strings: %v", ids)
	}
}

func TestValid(t *testing.T) {
	cases := map[string]bool{
		"01jd8x2v3k4m5n6p7q8r9s0t1v": true,
		"":                           false,
		"01JD8X2V3K4M5N6P7Q8R9S0T1V": false, // uppercase is not what we write
		"01jd8x2v3k4m5n6p7q8r9s0t1":  false, // 25 characters
		"01jd8x2v3k4m5n6p7q8r9s0t1u": false, // u is not in the alphabet
		"../../etc/passwd0000000000": false,
	}
	for s, want := range cases {
		if got := Valid(s); got != want {
			t.Errorf("Valid(%q) = %v, want %v", s, got, want)
		}
	}
}

// Identifiers made in a row within one millisecond sort in the order they were made.
func TestIdsOfOneMillisecondIncrease(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	prev := At(at)
	for i := 0; i < 10000; i++ {
		next := At(at)
		if next <= prev || next[:10] != prev[:10] {
			t.Fatalf("%s after %s", next, prev)
		}
		prev = next
	}
}
