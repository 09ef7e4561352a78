package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigAndEvaluate: configs are validated with one-line errors and
// used by the next command; a month is shown live, published, then shown
// frozen; publishing twice fails.
func TestConfigAndEvaluate(t *testing.T) {
	data, _ := smallDemo(t, 300)

	write := func(name, body string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct{ kind, body, want string }{
		{"evaluation", `{"version":1,"kinds":[{"kind":"unit","items":[{"metric":"rate_closed","weight":0.5}]}]}`, "weights add up to 0.5"},
		{"stats", `{"definitions_version":3,"exclude":{"closed":["suspended"]}}`, `"closed" is not a rate`},
		{"stats", `{"definitions_version":3,"colour":1}`, "unknown field"},
	} {
		r := civicgrid(t, "", "config", "set", "--data", data, tc.kind, write("c.json", tc.body))
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("config set %s %s: exit %d, stderr %q", tc.kind, tc.body, r.code, r.stderr)
		}
	}
	if r := civicgrid(t, "", "config", "set", "--data", data, "colours", "x.json"); r.code != 2 {
		t.Errorf("unknown config: exit %d", r.code)
	}
	mustRun(t, "config", "set", "--data", data, "stats", write("s.json", `{"definitions_version":3,"exclude":{"rate_closed":["suspended"]}}`))
	if r := mustRun(t, "metrics", "--data", data); !strings.Contains(r.stdout, "version 3") || !strings.Contains(r.stdout, "结案数 / (应结案数 − 挂账数)") {
		t.Errorf("metrics after config set:\n%s", r.stdout[:min(400, len(r.stdout))])
	}

	r := mustRun(t, "evaluate", "show", "--data", data, "--kind", "unit", "--month", "2026-04")
	if !strings.Contains(r.stdout, "live (not published); definitions v3, scheme v1") || !strings.Contains(r.stdout, "rate_closed") {
		t.Errorf("show live:\n%s", r.stdout)
	}
	r = mustRun(t, "evaluate", "publish", "--data", data, "--month", "2026-04")
	if !strings.Contains(r.stdout, "published 2026-04 unit: revision 1") || !strings.Contains(r.stdout, "published 2026-04 dispatcher") {
		t.Errorf("publish:\n%s", r.stdout)
	}
	if r := civicgrid(t, "", "evaluate", "publish", "--data", data, "--month", "2026-04"); r.code != 1 || !strings.Contains(r.stderr, "already published") {
		t.Errorf("publish twice: exit %d %s", r.code, r.stderr)
	}
	r = mustRun(t, "evaluate", "show", "--data", data, "--kind", "street", "--month", "2026-04")
	if !strings.Contains(r.stdout, "published, revision 1") {
		t.Errorf("show published:\n%s", r.stdout)
	}
}
