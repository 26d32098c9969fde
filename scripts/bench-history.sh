#!/usr/bin/env bash
# The cost of run --history, for `make bench`: the time of 10,100 nodes x
# 1,000 rounds with and without the history output (BenchmarkHistory10kx1k
# runs both in each iteration; three iterations, medians), then the
# peak RSS of `koiisim run --history` at 1,000 and 2,000 rounds, and
# without --history at 1,000, side by side, three times each (medians).
# Prints the ratios; exits 1 when time grows past 1.3x or memory past
# 1.1x from 1,000 to 2,000 rounds.
set -euo pipefail
GO=${GO:-go}
BIN=${BIN:-bin/koiisim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$GO" test -run '^$' -bench 'BenchmarkHistory10kx1k' -benchtime 1x -count 3 ./sim | tee "$work/bench.txt"
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
field() { # field BENCH UNIT: the value before UNIT on BENCH's lines
	awk -v b="$1" -v u="$2" '$1 ~ b {for (i = 2; i < NF; i++) if ($(i+1) == u) print $i}' "$work/bench.txt" | median
}
off_s=$(field History10kx1k off-s/op); on_s=$(field History10kx1k on-s/op)
off_cpu=$(field History10kx1k off-cpu-s/op); on_cpu=$(field History10kx1k on-cpu-s/op)
wall_ratio=$(field History10kx1k wall-ratio); cpu_ratio=$(field History10kx1k cpu-ratio)

"$GO" build -o "$BIN" ./cmd/koiisim
cat > "$work/bench-10k.yaml" <<'YAML'
name: bench-10k
description: The engine benchmark's populations (BenchmarkRun10kx1k) as a scenario, funded for 2,010 rounds.
rounds: 1000
task:
  total_bounty: 20100
populations:
  - name: honest
    count: 10000
    stake: {dist: uniform, min: 2, max: 50}
    behaviour: honest
    submit_delay: {dist: uniform, min: 0, max: 300}
    audit_delay: {dist: uniform, min: 0, max: 599}
  - name: faulty
    count: 100
    stake: {dist: uniform, min: 2, max: 50}
    behaviour: faulty
    submit_delay: {dist: uniform, min: 0, max: 300}
    audit_delay: {dist: uniform, min: 0, max: 599}
YAML
rss() { # rss ROUNDS [FLAGS]: peak resident set of one run, in MB
	local rounds=$1
	shift
	/usr/bin/time -f '%M' -o "$work/rss" "$BIN" run "$work/bench-10k.yaml" -q --rounds "$rounds" --out "$work/out" "$@" >/dev/null
	echo $(($(cat "$work/rss") / 1024))
}
plain=(); h1k=(); h2k=()
for _ in 1 2 3; do
	plain+=("$(rss 1000)")
	h1k+=("$(rss 1000 --history)")
	h2k+=("$(rss 2000 --history)")
done
plain_mb=$(printf '%s\n' "${plain[@]}" | median)
h1k_mb=$(printf '%s\n' "${h1k[@]}" | median)
h2k_mb=$(printf '%s\n' "${h2k[@]}" | median)

awk -v on="$on_s" -v off="$off_s" -v onc="$on_cpu" -v offc="$off_cpu" -v wr="$wall_ratio" -v cr="$cpu_ratio" \
	-v p="$plain_mb" -v a="$h1k_mb" -v b="$h2k_mb" 'BEGIN {
	printf "\nhistory output, 10,100 nodes x 1,000 rounds (medians of 3 side-by-side pairs):\n"
	printf "  wall time  without %.2f s, with %.2f s: %.3fx\n", off, on, wr
	printf "  CPU time   without %.2f s, with %.2f s: %.3fx\n", offc, onc, cr
	printf "  peak RSS   without 1,000 rounds %d MB; with: 1,000 rounds %d MB, 2,000 rounds %d MB: %.3fx\n", p, a, b, b/a
	bad = 0
	if (cr > 1.3) { print "FAIL: the history output costs more than 1.3x the CPU time"; bad = 1 }
	if (b/a > 1.1) { print "FAIL: peak memory grows from 1,000 to 2,000 rounds"; bad = 1 }
	exit bad
}'
