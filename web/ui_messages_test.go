package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestMessages checks the catalogue: every key a template names with T or
// Tf is in it, and every entry has both languages.
func TestMessages(t *testing.T) {
	key := regexp.MustCompile(`\.Tf? "([a-z0-9_.]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := templateFS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range key.FindAllSubmatch(data, -1) {
			if _, ok := messages[string(m[1])]; !ok {
				t.Errorf("%s uses %q, which the catalogue lacks", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, m := range messages {
		if m.zh == "" || m.en == "" {
			t.Errorf("message %q lacks a language: %+v", k, m)
		}
	}
	for _, k := range fieldProblems {
		if _, ok := messages[k]; !ok {
			t.Errorf("field problem message %q is not in the catalogue", k)
		}
	}
}

// TestPagesParse checks that every page parses with the layout, as
// NewServer requires at startup.
func TestPagesParse(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{assets: a}
	pages, err := parsePages(s.templateFuncs())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range pageNames {
		if pages[name] == nil || pages[name].Lookup("layout") == nil {
			t.Errorf("page %s has no layout", name)
		}
	}
}
