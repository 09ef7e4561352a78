package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
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
// cached.
func BenchmarkCreateCaseHTTP(b *testing.B) {
	for _, bc := range []struct {
		name string
		ttl  time.Duration
	}{{"token_lookup", 0}, {"token_cache", 30 * time.Second}} {
		b.Run(bc.name, func(b *testing.B) {
			benchmarkCreateCase(b, newEnv(b, func(c *web.Config) { c.TokenTTL = bc.ttl }))
		})
	}
}

func benchmarkCreateCase(b *testing.B, e *env) {
	bodies := make([][]byte, len(cellCodes))
	for i := range bodies {
		lat, lon := cellCenter(i)
		bodies[i], _ = json.Marshal(map[string]any{"category_code": catGarbage, "lat": lat, "lon": lon,
			"description": "暴露垃圾，约两平方米", "address": "湖滨路 12 号", "source": "hotline"})
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
			if err := post(client, url, auth, bodies[n.Add(1)%int64(len(bodies))]); err != nil {
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

// post sends one report and expects 201.
func post(client *http.Client, url, auth string, body []byte) error {
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", auth)
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
