package civicgrid

import "math"

// PoissonTail returns the one-sided p-value P(X ≥ k) for X a Poisson
// variable of mean lambda: the chance of k or more events where lambda
// are expected. It is exact to floating point (the terms are summed in
// logs), down to p-values far below what a float64 holds as a difference
// from 1; use LogPoissonTail for a score of very small ones.
func PoissonTail(k int64, lambda float64) float64 { return math.Exp(LogPoissonTail(k, lambda)) }

// LogPoissonTail returns ln P(X ≥ k) for X a Poisson variable of mean
// lambda (0 for k ≤ 0; −Inf when lambda ≤ 0 and k > 0).
func LogPoissonTail(k int64, lambda float64) float64 {
	switch {
	case k <= 0:
		return 0
	case lambda <= 0 || math.IsNaN(lambda):
		return math.Inf(-1)
	}
	if float64(k) > lambda {
		// The upper tail's terms shrink from the first on (the ratio of
		// term i+1 to term i is lambda/(i+1) < 1): add them, largest
		// first, until they no longer change the sum.
		sum := logPoissonTerm(k, lambda)
		for i := k + 1; i < k+1_000_000; i++ {
			t := logPoissonTerm(i, lambda)
			sum = logAddExp(sum, t)
			if t < sum-40 { // e^-40 ≈ 4e-18: below a float64's precision
				break
			}
		}
		return sum
	}
	// At or below the mean the tail is large: 1 − P(X < k), the lower
	// tail's k terms summed the same way.
	lower := math.Inf(-1)
	for i := int64(0); i < k; i++ {
		lower = logAddExp(lower, logPoissonTerm(i, lambda))
	}
	return math.Log1p(-math.Exp(lower))
}

// logPoissonTerm is ln P(X = i) = −λ + i ln λ − ln i!.
func logPoissonTerm(i int64, lambda float64) float64 {
	lg, _ := math.Lgamma(float64(i) + 1)
	return -lambda + float64(i)*math.Log(lambda) - lg
}

// logAddExp is ln(e^a + e^b) without overflow or underflow.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// HotspotScore is −log10 of a p-value given as its natural log: 2 for p =
// 0.01, 0 for p = 1; the larger, the less likely by chance.
func HotspotScore(logP float64) float64 {
	if logP >= 0 {
		return 0
	}
	return -logP / math.Ln10
}
