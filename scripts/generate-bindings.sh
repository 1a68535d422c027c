#!/usr/bin/env bash
# Generates the Go bindings of the helm and kubernetes CDKTF providers into
# .gen/ from the pinned npm packages, which carry the jsii assembly the
# published Go modules are built from. The Go module proxy these machines use
# does not serve those modules, so go.mod points at .gen/ with replace
# directives.
#
# Generation takes about half a minute, so it runs only when .gen/ is missing
# or was generated from other versions than the ones installed now.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules/jsii-pacmak ]]; then
  echo "error: node_modules/jsii-pacmak is missing; run 'make setup' (npm ci) first" >&2
  exit 1
fi

version() { node -p "require('./node_modules/$1/package.json').version"; }
wanted="jsii-pacmak $(version jsii-pacmak)
@cdktf/provider-helm $(version @cdktf/provider-helm)
@cdktf/provider-kubernetes $(version @cdktf/provider-kubernetes)"

if [[ -f .gen/VERSIONS && "$(cat .gen/VERSIONS)" == "$wanted" && -d .gen/helm && -d .gen/kubernetes ]]; then
  exit 0
fi

echo "generating helm and kubernetes Go bindings into .gen/ (about 30 s)"
work="$(mktemp -d .gen.tmp.XXXXXX)"
trap 'rm -rf "$work"' EXIT

for provider in helm kubernetes; do
  npx --no-install jsii-pacmak --targets go --code-only \
    --outdir "$work/$provider" "node_modules/@cdktf/provider-$provider"
done

# Replace .gen/ only once both bindings exist, so an interrupted run never
# leaves a half-generated module that go.mod points at.
rm -rf .gen
mkdir .gen
mv "$work/helm/go/helm" .gen/helm
mv "$work/kubernetes/go/kubernetes" .gen/kubernetes
printf '%s\n' "$wanted" > .gen/VERSIONS
