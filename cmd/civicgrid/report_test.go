package main_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReport writes each format of a report of a small demo city, and
// refuses a bad date, kind or file type in one line with exit code 2.
func TestReport(t *testing.T) {
	data, _ := smallDemo(t, 400)
	out := t.TempDir()

	r := mustRun(t, "report", "monthly", "--date", "2026-04-15", "--data", data)
	for _, want := range []string{"月报 2026-04", "分析与建议", "单位排名", "按期结案率"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the text report lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, tc := range []struct {
		args []string
		file string
		want string
	}{
		{[]string{"report", "weekly", "--date", "2026-04-15", "--lang", "en"}, "w.html", "<!doctype html>"},
		{[]string{"report", "daily", "--date", "2026-04-15"}, "d.xlsx", "PK"},
		{[]string{"report", "monthly", "--date", "2026-04-15", "--table", "cells"}, "m.csv", "\uFEFF名次,网格编码"},
		{[]string{"report", "monthly", "--date", "2026-04-15"}, "m.json", `"kind": "monthly"`},
	} {
		path := filepath.Join(out, tc.file)
		r := mustRun(t, append(tc.args, "--out", path, "--data", data)...)
		if !strings.Contains(r.stdout, "wrote "+path) {
			t.Errorf("%s: stdout %q", tc.file, r.stdout)
		}
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), tc.want) {
			t.Errorf("%s does not contain %q", tc.file, tc.want)
		}
	}
	if _, err := zip.OpenReader(filepath.Join(out, "d.xlsx")); err != nil {
		t.Errorf("the workbook is not a zip: %v", err)
	}
	html, _ := os.ReadFile(filepath.Join(out, "w.html"))
	if !strings.Contains(string(html), "Weekly report 2026-W16 (2026-04-13 – 2026-04-19)") {
		t.Errorf("the weekly report is not the week of 2026-04-15 in English")
	}

	for _, args := range [][]string{
		{"report", "monthly", "--date", "2026-02-30"},
		{"report", "monthly", "--out", filepath.Join(out, "x.pdf")},
		{"report", "yearly"},
		{"report", "monthly", "--lang", "fr"},
	} {
		r := civicgrid(t, "", append(args, "--data", data)...)
		if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "x.pdf")); err == nil {
		t.Error("a refused report wrote its file")
	}
}
