package experiment

import "github.com/koiisim/koiisim/metrics"

// draws is what the designs take from their stream, sim.NamedStream.
type draws interface {
	IntN(n int) int
	Perm(n int) []int
	Float64() float64
}

// morrisUnit draws r one-at-a-time trajectories over k dimensions on
// Morris's grid of metrics.MorrisLevels levels (Morris 1991): each
// starts at a random point of the levels at most 1 − Δ, then moves each
// dimension once, in a random order, up by Δ = metrics.MorrisDelta, so
// point j+1 of a trajectory differs from point j in one coordinate. A
// trajectory's k+1 points are consecutive.
func morrisUnit(r, k int, rng draws) [][]float64 {
	p := float64(metrics.MorrisLevels)
	starts := int(p / 2) // levels 0, 1/(p−1), ... up to 1 − Δ
	out := make([][]float64, 0, r*(k+1))
	for range r {
		x := make([]float64, k)
		for d := range x {
			x[d] = float64(rng.IntN(starts)) / (p - 1)
		}
		out = append(out, append([]float64(nil), x...))
		for _, d := range rng.Perm(k) {
			x[d] += metrics.MorrisDelta
			out = append(out, append([]float64(nil), x...))
		}
	}
	return out
}

// saltelliUnit draws n base samples of Saltelli's scheme over k
// dimensions (Saltelli 2002; 2010): two independent uniform rows a and
// b, then for each dimension i, a with its coordinate i taken from b.
// Base sample j is points j(k+2) .. j(k+2)+k+1: a, b, ab_1 .. ab_k, so a
// sample's points stay together (reports.SobolIndices reads them so).
// The rows are pseudo-random, not a quasi-random sequence: the bootstrap
// intervals account for the noise.
func saltelliUnit(n, k int, rng draws) [][]float64 {
	out := make([][]float64, 0, n*(k+2))
	for range n {
		a, b := make([]float64, k), make([]float64, k)
		for d := range a {
			a[d] = rng.Float64()
		}
		for d := range b {
			b[d] = rng.Float64()
		}
		out = append(out, a, b)
		for i := range k {
			ab := append([]float64(nil), a...)
			ab[i] = b[i]
			out = append(out, ab)
		}
	}
	return out
}
