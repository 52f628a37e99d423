#!/bin/sh
# Machine instructions per delivery (sync, or async with --async), counted by valgrind: the
# difference between 12,000 and 4,000 deliveries of bench/deliveries.ts, over 8,000. On a
# shared VM, CPU time drifts by tens of percent between minutes; this count moves by a few,
# so it can tell a change of 5% apart. Run from a tree with dist/ built; V8 runs single-
# threaded so that its JIT and GC do the same work each time. About a minute per count.
#   sh bench/instructions.sh [--async]
set -e
count() {
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --smc-check=all-non-file \
    node --single-threaded --import tsx bench/deliveries.ts --count="$1" "$2" 2>&1 |
    sed -n 's/.*I *refs: *//p' | tr -d ','
}
small=$(count 4000 "$1")
large=$(count 12000 "$1")
echo "$(( (large - small) / 8000 )) instructions per delivery ${1:-(sync)}"
