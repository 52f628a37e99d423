#!/bin/sh
# Machine instructions per request over a real socket: the server runs under valgrind (V8
# single-threaded) while bench/drive.ts sends it 2,000 workload requests, then a fresh server
# gets 6,000; the difference over 4,000 leaves start-up out. Every cost a real request
# pays is in it (HTTP parser, socket calls, the Node bridge), none of the kernel's or of cache
# misses. About a minute per server. Run from the repository root or bench/, dist/ built.
#   sh bench/server-instructions.sh servers/hookflow.ts [sync|async]
set -e
cd "$(dirname "$0")"
server=$1
mode=${2:-sync}
[ -n "$server" ] || { echo "usage: server-instructions.sh servers/<server>.ts [sync|async]" >&2; exit 2; }
count() {
  out=$(mktemp)
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --smc-check=all-non-file \
    node --single-threaded --import tsx "$server" >"$out" 2>&1 &
  pid=$!
  port=
  for _ in $(seq 600); do
    port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] && break
    sleep 0.2
  done
  [ -n "$port" ] || { cat "$out" >&2; kill "$pid"; exit 1; }
  node --import tsx drive.ts "$port" "$mode" "$1" >/dev/null || { kill "$pid"; echo "bad answers from $server" >&2; exit 1; }
  # valgrind passes SIGTERM on; the bench servers exit on it, so the summary gets written.
  pkill -TERM -f -- "--single-threaded --import tsx $server" || true
  wait "$pid" || true
  sed -n 's/.*I *refs: *//p' "$out" | tr -d ','
  rm -f "$out"
}
small=$(count 2000)
large=$(count 6000)
for value in "$small" "$large"; do
  case "$value" in
    '' | *[!0-9]*) echo "no instruction count from valgrind for $server" >&2; exit 1 ;;
  esac
done
echo "$(( (large - small) / 4000 )) instructions per request ($server, $mode)"
