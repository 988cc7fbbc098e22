#!/usr/bin/env bash
# Runs the hold model in Takt, C++, SimPy and salabim, and the 5-station line in Takt, C++
# and SimPy, in one go; prints events (parts) per CPU-second with Takt's ratios to each,
# as Markdown tables (docs/performance.md).
#
#   Benchmarks/peers/compare.sh                 # 64 and 10,000 pending
#   EVENTS=2000000 RUNS=1 Benchmarks/peers/compare.sh   # quicker
#
# Installs SimPy and salabim with pip into Benchmarks/peers/.venv and builds the C++
# baseline with g++ -O2 into Benchmarks/peers/build (both git-ignored). Each native figure
# is the median of RUNS runs; Python figures use EVENTS/10 events (they are ~15x slower).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
EVENTS=${EVENTS:-10000000}
PY_EVENTS=${PY_EVENTS:-$((EVENTS / 10))}
RUNS=${RUNS:-3}
PENDING=${PENDING:-"64 10000"}

"$root/scripts/install-deps"
(cd "$root" && swift build -c release --product takt >/dev/null)
mkdir -p build
g++ -O2 -std=c++17 -o build/hold hold.cpp
g++ -O2 -std=c++17 -o build/line line.cpp
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install -q simpy salabim

last() { tail -1 | sed 's/^events\/s: //'; }
last_parts() { tail -1 | sed 's/^parts\/s: //'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
millions() { awk -v a="$1" 'BEGIN {printf "%.2f M", a / 1e6}'; }

echo "| pending | Takt | C++ | SimPy | salabim | Takt / C++ | Takt / SimPy | Takt / salabim |"
echo "|---|---|---|---|---|---|---|---|"
for pending in $PENDING; do
  takt=$(for _ in $(seq "$RUNS"); do "$root/.build/release/takt" bench hold --pending "$pending" --events "$EVENTS" | last; done | median)
  cpp=$(for _ in $(seq "$RUNS"); do build/hold "$pending" "$EVENTS" | last; done | median)
  simpy=$(.venv/bin/python hold_simpy.py "$pending" "$PY_EVENTS" | last)
  salabim=$(.venv/bin/python hold_salabim.py "$pending" "$PY_EVENTS" | last)
  echo "| $pending | $(millions "$takt") | $(millions "$cpp") | $(millions "$simpy") | $(millions "$salabim") | $(ratio "$takt" "$cpp") | $(ratio "$takt" "$simpy") | $(ratio "$takt" "$salabim") |"
done
echo
echo "events per CPU-second; Takt generator taus2 (GSL), C++ std::mt19937_64; $(uname -m), $(nproc) cores"
echo
PARTS=${PARTS:-2000000}
echo "| 5-station line | Takt | C++ | SimPy | Takt / C++ | Takt / SimPy |"
echo "|---|---|---|---|---|---|"
takt=$(for _ in $(seq "$RUNS"); do "$root/.build/release/takt" bench line --parts "$PARTS" | last_parts; done | median)
cpp=$(for _ in $(seq "$RUNS"); do build/line "$PARTS" | last_parts; done | median)
simpy=$(.venv/bin/python line_simpy.py "$((PARTS / 20))" | last_parts)
echo "| parts/s | $(millions "$takt") | $(millions "$cpp") | $(millions "$simpy") | $(ratio "$takt" "$cpp") | $(ratio "$takt" "$simpy") |"
full=$(for _ in $(seq "$RUNS"); do "$root/.build/release/takt" bench line --full --parts "$PARTS" | last_parts; done | median)
echo
echo "| Takt line, every feature on | parts/s | / plain line |"
echo "|---|---|---|"
echo "| failures, setups, breaks, energy, measurement | $(millions "$full") | $(ratio "$full" "$takt") |"
