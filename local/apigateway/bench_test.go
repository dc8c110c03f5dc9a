//go:build !lambdabinary

package apigateway_test

import (
	"io"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sparta-go/sparta/local/localtest"
)

const benchSighting = `{"dragonName": "Frank", "description": "New dragon", "family": "purple", "city": "Dallas", "country": "USA",
	"state": "TX", "neighborhood": "Downtown", "reportingPhoneNumber": "15555555555", "confirmationRequired": true}`

// latencies runs b.N requests one after another and reports p50 and p99.
func latencies(b *testing.B, s *stack, method, path, body string, want int) {
	client := &http.Client{}
	url := s.endpoint + "/restapis/" + s.apiID + "/v1/_user_request_" + path
	do := func() {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	do() // warm the function and the connection
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		do()
		d = append(d, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkProxyToWarmLambda: a request through the data plane to a warm
// function over the Lambda proxy integration (goal: p50 under 3 ms).
func BenchmarkProxyToWarmLambda(b *testing.B) {
	s := deploy(b)
	latencies(b, s, "GET", "/items/1?limit=1", "", 200)
}

// BenchmarkStartExecution: POST /dragons through the model, the workshop's
// mapping template and StartExecution.
func BenchmarkStartExecution(b *testing.B) {
	s := deploy(b)
	latencies(b, s, "POST", "/dragons", benchSighting, 200)
}

// BenchmarkProxyConcurrent16: requests per second through one route with
// 16 concurrent clients.
func BenchmarkProxyConcurrent16(b *testing.B) {
	s := deploy(b)
	url := s.endpoint + "/restapis/" + s.apiID + "/v1/_user_request_/items/1?limit=1"
	transport := &http.Transport{MaxIdleConnsPerHost: 16}
	client := &http.Client{Transport: transport}
	var failed atomic.Int64
	b.SetParallelism(max(1, 16/runtimeProcs()))
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				failed.Add(1)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				failed.Add(1)
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d requests failed", n)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }

// BenchmarkIAMToWarmLambda: a SigV4-signed request to an AWS_IAM method
// (signature verified, the role's policies evaluated) to a warm function;
// the client's signing is inside the measured time.
func BenchmarkIAMToWarmLambda(b *testing.B) {
	s := deploy(b)
	url := s.endpoint + "/restapis/" + s.apiID + "/v1/_user_request_/iam"
	do := func() {
		req, _ := http.NewRequest("GET", url, nil)
		localtest.SignAs(b, req, "execute-api", nil, "caller", "caller-secret", time.Now())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	do()
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		do()
		d = append(d, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, "p99-ms")
}
