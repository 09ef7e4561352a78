package web_test

import (
	"os"
	"testing"
)

// TestMain removes the full demo database the demo-scale tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	removeDemo()
	os.Exit(code)
}
