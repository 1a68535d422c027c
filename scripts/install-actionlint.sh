#!/usr/bin/env bash
# Builds actionlint, the GitHub Actions workflow checker `make lint-workflows`
# runs, from the pinned version on the Go module proxy into .tools/, and prints
# the path of the binary. The build runs only when the binary of this version
# is missing.
#
#   scripts/install-actionlint.sh v1.7.12   prints .tools/actionlint-v1.7.12
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:?usage: scripts/install-actionlint.sh <version>}"
bin=".tools/actionlint-${version}"

if [[ ! -x "$bin" ]]; then
  echo "building actionlint ${version} into .tools/ (once)" >&2
  mkdir -p .tools
  # Build into a scratch folder and rename, so an interrupted build never
  # leaves a binary under the name that marks it as installed.
  work="$(mktemp -d .tools.tmp.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  GOBIN="$PWD/$work" go install "github.com/rhysd/actionlint/cmd/actionlint@${version}" >&2
  mv "$work/actionlint" "$bin"
fi

echo "$bin"
