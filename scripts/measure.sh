#!/usr/bin/env bash
# Runs a command and reports its wall time and the peak memory of its whole
# process tree (Go, the Node.js process jsii starts, the Go linker), sampled
# from /proc every 100 ms. GNU time reports only the largest single child, which
# misses the Node.js process.
#
#   scripts/measure.sh make synth
set -euo pipefail

"$@" &
root=$!
start=$(date +%s.%N)
peak=0

tree_rss_kb() {
  local pids=("$root") i=0 total=0
  while (( i < ${#pids[@]} )); do
    local children
    children=$(cat "/proc/${pids[i]}/task/"*/children 2>/dev/null || true)
    for c in $children; do pids+=("$c"); done
    i=$((i + 1))
  done
  for p in "${pids[@]}"; do
    local kb
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

while kill -0 "$root" 2>/dev/null; do
  rss=$(tree_rss_kb)
  (( rss > peak )) && peak=$rss
  sleep 0.1
done
status=0
wait "$root" || status=$?
end=$(date +%s.%N)

awk -v s="$start" -v e="$end" -v p="$peak" 'BEGIN { printf "wall %.1f s, peak memory of the process tree %.0f MiB\n", e - s, p / 1024 }' >&2
exit "$status"
