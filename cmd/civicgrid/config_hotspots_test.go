package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cg "civicgrid"
)

// TestConfigHotspots: config set hotspots validates as the API does (one
// line, exit 1, nothing stored) and stores through HotspotService;
// config show hotspots prints the settings in use, defaults filled in.
func TestConfigHotspots(t *testing.T) {
	data := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(t.TempDir(), "h.json")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	show := func() cg.HotspotConfig {
		t.Helper()
		r := mustRun(t, "config", "show", "--data", data, "hotspots")
		var cfg cg.HotspotConfig
		if err := json.Unmarshal([]byte(r.stdout), &cfg); err != nil {
			t.Fatalf("config show hotspots: %v\n%s", err, r.stdout)
		}
		return cfg
	}
	if got := show(); got != cg.DefaultHotspotConfig() {
		t.Errorf("before any set: %+v", got)
	}
	for _, tc := range []struct{ body, want string }{
		{`{"recurrence_days":400}`, "recurrence_days: from 1 to 366 days"},
		{`{"max_p":2,"baseline_weeks":60}`, "baseline_weeks: from 1 to 52 weeks; max_p: between 0 and 1"},
		{`{"recurrence_days":7,"colour":"red"}`, `unknown field "colour"`},
		{`{"recurrence_days":"seven"}`, "not a valid hotspot config"},
		{`not json`, "not a valid hotspot config"},
	} {
		r := civicgrid(t, "", "config", "set", "--data", data, "hotspots", write(tc.body))
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("config set hotspots %s: exit %d, stderr %q, want %q", tc.body, r.code, r.stderr, tc.want)
		}
	}
	if got := show(); got != cg.DefaultHotspotConfig() {
		t.Errorf("refused files changed the settings: %+v", got)
	}
	r := mustRun(t, "config", "set", "--data", data, "hotspots", write(`{"recurrence_days":14,"max_p":0.05}`))
	if !strings.Contains(r.stdout, "applies at once") {
		t.Errorf("config set hotspots: %q", r.stdout)
	}
	want := cg.DefaultHotspotConfig()
	want.RecurrenceDays, want.MaxP = 14, 0.05
	if got := show(); got != want {
		t.Errorf("after set: %+v, want %+v", got, want)
	}
	if r := civicgrid(t, "", "config", "show", "--data", data, "hotspot"); r.code != 2 || !strings.Contains(r.stderr, "stats|evaluation|hotspots") {
		t.Errorf("config show hotspot: exit %d %q", r.code, r.stderr)
	}
}
