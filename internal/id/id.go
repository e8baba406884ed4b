// Package id makes the identifiers of stored records: 26 characters, lowercase Crockford
// base32, a millisecond timestamp followed by 80 random bits. They sort by creation time as
// plain strings, identically on SQLite and PostgreSQL, and reveal nothing guessable.
package id

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// New returns a fresh identifier.
func New() string { return At(time.Now()) }

// At returns a fresh identifier whose time part is t.
func At(t time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(t.UnixMilli())<<16)
	rand.Read(b[6:]) // never fails (crypto/rand panics on a broken system source)
	// 128 bits, of which the top 2 are zero (48-bit ms timestamp + 80 random bits) → 26 chars of 5 bits.
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	var out [26]byte
	for i := 25; i >= 0; i-- {
		out[i] = alphabet[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out[:])
}

// Valid reports whether s has the shape of an identifier made by this package.
func Valid(s string) bool {
	if len(s) != 26 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') || c == 'i' || c == 'l' || c == 'o' || c == 'u' {
			return false
		}
	}
	return true
}
