// Package id makes the identifiers of stored records: 26 characters, lowercase Crockford
// base32, a millisecond timestamp followed by 80 random bits. They sort by creation time as
// plain strings, identically on SQLite and PostgreSQL, and reveal nothing guessable. Within
// one millisecond, the identifiers a process makes still increase (the random part of the
// next one is the last one's plus a random step), so records made in a row sort in that
// order: an audit trail reads in the order things happened.
package id

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// New returns a fresh identifier.
func New() string { return At(time.Now()) }

// At returns a fresh identifier whose time part is t.
func At(t time.Time) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	binary.BigEndian.PutUint64(b[:8], ms<<16)
	rnd := next(ms)
	copy(b[6:], rnd[:])
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

// last is the random part last given, and its millisecond.
var last struct {
	sync.Mutex
	ms  uint64
	rnd [10]byte
}

// next is the random part of an identifier of millisecond ms: fresh, or in the millisecond
// of the last one, that one's plus a random step of 1 to 2³².
func next(ms uint64) [10]byte {
	last.Lock()
	defer last.Unlock()
	if ms == last.ms {
		var step [4]byte
		rand.Read(step[:])
		carry := uint64(binary.BigEndian.Uint32(step[:])) + 1
		for i := 9; i >= 0 && carry > 0; i-- {
			sum := uint64(last.rnd[i]) + carry
			last.rnd[i], carry = byte(sum), sum>>8
		}
		if carry == 0 {
			return last.rnd
		}
	}
	last.ms = ms
	rand.Read(last.rnd[:]) // never fails (crypto/rand panics on a broken system source)
	return last.rnd
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
