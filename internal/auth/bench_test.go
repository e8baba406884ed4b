package auth

import "testing"

// The cost of one password check: it bounds how many logins a core can verify per second.
func BenchmarkCheckPassword(b *testing.B) {
	h, _ := HashPassword("correct horse battery")
	b.ReportAllocs()
	for b.Loop() {
		if !CheckPassword(h, "correct horse battery") {
			b.Fatal("mismatch")
		}
	}
}
