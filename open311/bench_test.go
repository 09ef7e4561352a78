package open311_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkPostRequestsJSON reports problems through POST requests.json
// over loopback: 16 goroutines per CPU on keep-alive connections, each
// request authenticated by its api_key and committed durably (the store's
// default FULL synchronous, with group commit) before it is answered. The
// city is the LA lattice with a 1 cm duplicate radius and every report at
// a new place, so each request opens a new case.
func BenchmarkPostRequestsJSON(b *testing.B) {
	e := newEnv(b, envOptions{categories: laCategories, cells: laGrid})
	target := e.url("requests.json")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 512}}
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
			i := n.Add(1)
			form := url.Values{"api_key": {e.key}, "service_code": {fmt.Sprintf("LA%03d", 1+i%12)},
				"lat":         {strconv.FormatFloat(33.75+float64(i%50000)*1e-5, 'f', 6, 64)},
				"long":        {strconv.FormatFloat(-118.60+float64(i/50000)*1e-4, 'f', 6, 64)},
				"description": {"Bulky items left on the sidewalk"}, "email": {"resident@example.com"}}
			t0 := time.Now()
			if err := postForm(client, target, form); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "requests/s")
	if len(latencies) > 0 {
		slices.Sort(latencies)
		b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// postForm sends one report and expects a new case.
func postForm(client *http.Client, target string, form url.Values) error {
	resp, err := client.PostForm(target, form)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"service_notice":null`) {
		return fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	return nil
}
