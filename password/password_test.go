package password_test

import (
	"strings"
	"testing"

	"civicgrid/password"
)

func TestHashVerify(t *testing.T) {
	h := password.New(password.Params{Memory: 1024, Time: 1, Threads: 1})
	hash, err := h.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q is not in PHC form", hash)
	}
	other, _ := h.Hash("correct horse")
	if other == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name, hash, pw string
		want           bool
	}{
		{"right password", hash, "correct horse", true},
		{"wrong password", hash, "correct horse!", false},
		{"empty password", hash, "", false},
		{"not a hash", "plain", "correct horse", false},
		{"bcrypt hash", "$2a$10$abcdefghijklmnopqrstuv", "correct horse", false},
		{"truncated", hash[:len(hash)-10], "correct horse", false},
		{"zero threads", strings.Replace(hash, "p=1", "p=0", 1), "correct horse", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.Verify(tt.hash, tt.pw); got != tt.want {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}
