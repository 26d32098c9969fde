#!/usr/bin/env bash
# The engine at scale, for `make bench`: peak RSS and CPU time of
# `koiisim run` on the engine benchmark's populations (honest nodes and 1%
# faulty ones) at 101,000 nodes x 1,000 rounds and at 1,010,000 nodes x
# 100 rounds, measured with /usr/bin/time, once each (each takes minutes).
# Prints each figure beside its target (docs: README, Performance).
set -euo pipefail
GO=${GO:-go}
BIN=${BIN:-bin/koiisim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$GO" build -o "$BIN" ./cmd/koiisim
scenario() { # scenario HONEST: the benchmark's populations with HONEST honest nodes
	cat > "$work/bench-$1.yaml" <<YAML
name: bench-$1
description: The engine benchmark's populations (sim.benchConfig) at $1 honest nodes.
rounds: 1000
task:
  total_bounty: 20100
populations:
  - name: honest
    count: $1
    stake: {dist: uniform, min: 2, max: 50}
    behaviour: honest
    submit_delay: {dist: uniform, min: 0, max: 300}
    audit_delay: {dist: uniform, min: 0, max: 599}
  - name: faulty
    count: $(($1 / 100))
    stake: {dist: uniform, min: 2, max: 50}
    behaviour: faulty
    submit_delay: {dist: uniform, min: 0, max: 300}
    audit_delay: {dist: uniform, min: 0, max: 599}
YAML
}
measure() { # measure HONEST ROUNDS TARGET_MB: one run's peak RSS and times
	scenario "$1"
	/usr/bin/time -f '%M %U %S %e' -o "$work/time" "$BIN" run "$work/bench-$1.yaml" -q --rounds "$2" --out "$work/out" >/dev/null
	rm -rf "$work/out"
	read -r kb user sys wall < "$work/time"
	awk -v n="$1" -v r="$2" -v kb="$kb" -v u="$user" -v s="$sys" -v w="$wall" -v t="$3" 'BEGIN {
		mb = kb / 1024
		printf "  %d nodes x %d rounds: peak RSS %d MB (target %d MB: %s), CPU %.0f s, wall %.0f s\n",
			n + n / 100, r, mb, t, (mb <= t ? "met" : "missed"), u + s, w
	}'
}
echo "koiisim run at scale (/usr/bin/time -f '%M %U %S %e' $BIN run bench-N.yaml -q --rounds R):"
measure 100000 1000 200
measure 1000000 100 2048
