package metrics

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Wilson is the Wilson score interval (docs/model.md §14.1) of a proportion, k successes in n
// trials, at level Confidence (Wilson 1927). Unlike the normal
// approximation it stays inside [0, 1] and is not empty at k = 0 or
// k = n: 0 of 1,000 gives [0, 0.0038], which certifies "below 1% with
// 95% confidence". NaN for n = 0.
func Wilson(k, n float64) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	z := mathext.NormalQuantile(1 - (1-Confidence)/2)
	p := k / n
	d := 1 + z*z/n
	centre := (p + z*z/(2*n)) / d
	half := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / d
	lo, hi = math.Max(0, centre-half), math.Min(1, centre+half)
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}

// ClopperPearson is the exact (conservative) binomial interval of k
// successes in n trials at level Confidence, from the quantiles of the
// beta distribution (Clopper and Pearson 1934). NaN for n = 0.
func ClopperPearson(k, n float64) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	a := (1 - Confidence) / 2
	lo, hi = 0, 1
	if k > 0 {
		lo = mathext.InvRegIncBeta(k, n-k+1, a)
	}
	if k < n {
		hi = mathext.InvRegIncBeta(k+1, n-k, 1-a)
	}
	return lo, hi
}

// proportions are the rates that count successes among trials, by
// metric name: the count and the number of trials it is out of. Their
// interval is the binomial one over the trials pooled across
// replicates; every other metric's is Student's t over replicates.
var proportions = map[string][2]string{
	"false_slash_rate":      {"false_slashes", "valid"},
	"missed_detection_rate": {"missed_detections", "invalid"},
	"unpaid_rate":           {"cycles_unpaid", "cycles_started"},
}

// proportionParts returns the paths of a rate's count and trials, for a
// path such as "honest.false_slash_rate".
func proportionParts(path string) (k, n string, ok bool) {
	i := len(path) - 1
	for i >= 0 && path[i] != '.' {
		i--
	}
	parts, ok := proportions[path[i+1:]]
	if !ok || i < 0 {
		return "", "", false
	}
	return path[:i+1] + parts[0], path[:i+1] + parts[1], true
}

// ProportionEstimate is a rate over replicates as a proportion: the
// pooled successes over the pooled trials with its Wilson interval,
// available from a single run. values returns a path's value in each
// replicate (NaN where undefined). ok is false when path is not a
// proportion or its counts are not at hand.
func ProportionEstimate(path string, values func(string) ([]float64, bool)) (Estimate, bool) {
	kp, np, ok := proportionParts(path)
	if !ok {
		return Estimate{}, false
	}
	ks, ok1 := values(kp)
	ns, ok2 := values(np)
	rates, ok3 := values(path)
	if !ok1 || !ok2 || !ok3 {
		return Estimate{}, false
	}
	var k, n float64
	for i := range ns {
		if !math.IsNaN(ns[i]) && !math.IsNaN(ks[i]) && ns[i] > 0 {
			k += ks[i]
			n += ns[i]
		}
	}
	e := Summarize(rates)
	if n == 0 {
		return e, true
	}
	e.Mean = k / n
	e.Lo, e.Hi = Wilson(k, n)
	e.Trials = int(n)
	return e, true
}
