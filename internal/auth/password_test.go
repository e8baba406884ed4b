package auth

import (
	"strings"
	"testing"
)

func TestHashAndCheckPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with the expected parameters", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	cases := []struct {
		name, hash, pw string
		want           bool
	}{
		{"right password", h, "correct horse battery", true},
		{"wrong password", h, "correct horse battery!", false},
		{"empty hash", "", "correct horse battery", false},
		{"malformed hash", "$argon2id$v=19$m=0,t=0,p=0$x$y", "correct horse battery", false},
		{"other algorithm", "$2a$10$abcdefghijklmnopqrstuv", "correct horse battery", false},
	}
	for _, tc := range cases {
		if got := CheckPassword(tc.hash, tc.pw); got != tc.want {
			t.Errorf("%s: CheckPassword = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPasswordRules(t *testing.T) {
	if err := CheckPasswordRules("short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	if err := CheckPasswordRules(strings.Repeat("a", 257)); err == nil {
		t.Error("a 257-byte password was accepted")
	}
	if err := CheckPasswordRules("douze-carac!"); err != nil {
		t.Errorf("a 12-character password was refused: %v", err)
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("HashPassword accepted a short password")
	}
}

func TestTokens(t *testing.T) {
	a, ha := NewToken()
	b, _ := NewToken()
	if a == b || len(a) < 40 || HashToken(a) != ha || len(ha) != 64 {
		t.Errorf("tokens %q %q hash %q", a, b, ha)
	}
}
