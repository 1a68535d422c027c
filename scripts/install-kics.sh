#!/usr/bin/env bash
# Builds KICS, the infrastructure-as-code scanner `make scan` runs, from the
# pinned version on the Go module proxy into .tools/, and prints the folder of
# its query assets, which ship inside the module.
#
# The build takes a few minutes on two cores, so it runs only when the binary
# of this version is missing.
#
#   scripts/install-kics.sh v2.2.0   prints the assets folder
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:?usage: scripts/install-kics.sh <version>}"
module="github.com/Checkmarx/kics/v2"
bin=".tools/kics-${version}"

if [[ ! -x "$bin" ]]; then
  echo "building KICS ${version} into .tools/ (a few minutes, once)" >&2
  work="$(mktemp -d .tools.tmp.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  GOBIN="$PWD/$work" GOFLAGS=-mod=mod go install "${module}/cmd/console@${version}" >&2
  mkdir -p .tools
  mv "$work/console" "$bin"
fi

# The module cache escapes capital letters in module paths as "!" plus the
# lower-case letter.
assets="$(go env GOMODCACHE)/github.com/!checkmarx/kics/v2@${version}/assets"
if [[ ! -d "$assets/queries" ]]; then
  GOFLAGS=-mod=mod go mod download "${module}@${version}" >&2
fi
echo "$assets"
