package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"civicgrid/web"
)

// BenchmarkCreateCaseHTTP opens cases through the API over loopback:
// 16 goroutines per CPU on keep-alive connections, durable commits (the
// store's default FULL synchronous, with group commit). It reports the
// rate, looking every token up (the default) and with token lookups
// cached; then, with the cache, the cost of a per-token rate limit that
// never refuses and of an Idempotency-Key on every request (a read and two
// more durable writes each).
func BenchmarkCreateCaseHTTP(b *testing.B) {
	unlimited := web.RateLimit{PerKey: web.Limit{Rate: 1e9, Burst: 1e9}}
	for _, bc := range []struct {
		name        string
		ttl         time.Duration
		rateLimit   web.RateLimit
		idempotency bool
	}{
		{"token_lookup", 0, web.RateLimit{}, false},
		{"token_cache", 30 * time.Second, web.RateLimit{}, false},
		{"token_cache+rate_limit", 30 * time.Second, unlimited, false},
		{"token_cache+idempotency_key", 30 * time.Second, web.RateLimit{}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchmarkCreateCase(b, newEnv(b, func(c *web.Config) { c.TokenTTL, c.RateLimit = bc.ttl, bc.rateLimit }), bc.idempotency)
		})
	}
}

func benchmarkCreateCase(b *testing.B, e *env, idempotency bool) {
	bodies := make([][]byte, len(cellCodes))
	for i := range bodies {
		lat, lon := cellCenter(i)
		bodies[i], _ = json.Marshal(map[string]any{"category_code": catGarbage, "lat": lat, "lon": lon,
			"description": "暴露垃圾，约两平方米", "address": "湖滨路 12 号", "source": "hotline", "distinct": true})
	}
	url := e.srv.URL + "/api/v1/cases"
	auth := "Bearer " + e.tokens["operator"]
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	defer client.CloseIdleConnections()
	var (
		n         atomic.Int64
		mu        sync.Mutex
		latencies []time.Duration
	)
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			t0 := time.Now()
			i := n.Add(1)
			key := ""
			if idempotency {
				key = "bench-" + strconv.FormatInt(i, 10)
			}
			if err := post(client, url, auth, key, bodies[i%int64(len(bodies))]); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "cases/s")
	if len(latencies) > 0 {
		slices.Sort(latencies)
		b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// post sends one report, with the Idempotency-Key key unless it is "", and
// expects 201.
func post(client *http.Client, url, auth, key string, body []byte) error {
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", auth)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("status %d: %s", resp.StatusCode, data)
	}
	return nil
}
