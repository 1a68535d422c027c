#!/usr/bin/env bash
# Runs the synth benchmarks and prints each case as a multiple of the
# baseline case measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."

out="$(go test ./stacks -run '^$' -bench BenchmarkSynth -benchtime "${BENCHTIME:-3x}" -count "${COUNT:-1}")"
printf '%s\n' "$out"
printf '%s\n' "$out" | awk '
  /^BenchmarkSynth\// {
    split($1, parts, "/"); name = parts[2]; sub(/-[0-9]+$/, "", name)
    sum[name] += $3; n[name]++
    if (!(name in order)) { order[name] = ++count; names[count] = name }
  }
  END {
    base = sum["baseline_one_substrate"] / n["baseline_one_substrate"]
    printf "\n%-22s %12s %10s\n", "case", "ms/op", "x baseline"
    for (i = 1; i <= count; i++) {
      m = sum[names[i]] / n[names[i]]
      printf "%-22s %12.0f %10.1f\n", names[i], m / 1e6, m / base
    }
  }'
