#!/usr/bin/env bash
# make test-report: draw real reports and open them in headless Chromium.
#
# It installs Debian's chromium when it is missing (CI runs as root on a
# fresh machine), writes a run report, a replicate-set report (run
# --replicates), a grid, an lhs and a sobol sweep report and a
# comparison, then lets reports/browsercheck screenshot each page, dump
# its DOM, read Chromium's net log and measure the layout at 1,400 px: a
# blank page, a missing figure, a network fetch, overlapping text in a
# figure or a table column off-screen fails. Screenshots stay in out/test-report/shots for a human to look at.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${CHROMIUM:-chromium}
if ! command -v "$chromium" > /dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-report: $chromium is not installed and this is not root: apt-get install chromium" >&2
    exit 1
  fi
  echo "== installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  for try in 1 2 3; do
    if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium > /dev/null; then
      break
    fi
    [ "$try" = 3 ] && { echo "test-report: apt-get install chromium failed" >&2; exit 1; }
    sleep 5
  done
fi
"$chromium" --version

bin=./bin/koiisim
out=out/test-report
rm -rf "$out"
mkdir -p "$out"

echo "== reports to check"
set -x
$bin run faulty-submitters --rounds 60 -q --out "$out/run" > /dev/null
$bin report "$out/run"
$bin run faulty-submitters --rounds 60 --replicates 3 -q --out "$out/replicates" > /dev/null
$bin report "$out/replicates"
$bin sweep faulty-submitters --rounds 40 --replicates 2 -q --out "$out/sweep" \
  --sweep rules.slash_fraction=0,0.05,0.1,0.2,0.4 --sweep rules.audit_sample=1,3,5 > /dev/null
$bin report "$out/sweep"
$bin sweep faulty-submitters --rounds 40 --replicates 2 -q --out "$out/sweep-lhs" \
  --sweep rules.slash_fraction=0:0.4 --sweep rules.audit_sample=1:5 --design lhs --points 8 > /dev/null
$bin report "$out/sweep-lhs"
$bin sweep faulty-submitters --rounds 30 --replicates 2 -q --out "$out/sweep-sobol" --design sobol --points 16 \
  --sweep rules.slash_fraction=0:0.7 --sweep rules.audit_sample=1:5 --sweep populations.faulty.behaviour.invalid=0.05:0.3 > /dev/null
$bin report "$out/sweep-sobol"
pages=("$out/run/report.html" "$out/replicates/report.html" "$out/sweep/report.html" "$out/sweep-lhs/report.html" "$out/sweep-sobol/report.html")
$bin compare "$out/run" "$out/replicates" --out "$out/compare/compare.html" > /dev/null
pages+=("$out/compare/compare.html")
set +x

echo "== headless Chromium"
go run ./reports/browsercheck -chromium "$chromium" -shots "$out/shots" "${pages[@]}"
