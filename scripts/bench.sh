#!/usr/bin/env bash
# Measures synth speed as whole processes, the way `make synth` and the cdktf
# CLI run the app. It builds the reference app (bench/reference, stock
# provider modules) and the platform app, then runs cmd/synthbench, which
# prints medians and ranges of wall time and peak memory and the ratios to
# the reference app. Compile time is not measured: both apps run as binaries.
#
#   scripts/bench.sh            # 5 measured rounds
#   ROUNDS=9 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT

echo "building the reference app, the platform app and synthbench" >&2
(cd bench/reference && go build -o "$bin/reference" .)
go build -o "$bin/platform" .
go build -o "$bin/synthbench" ./cmd/synthbench

"$bin/synthbench" -reference "$bin/reference" -platform "$bin/platform" -rounds "${ROUNDS:-5}"
