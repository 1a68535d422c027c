#!/usr/bin/env bash
# Prints the provider submodules that this module's Go code imports, tests
# included, for each provider whose jsii assembly set-up cuts down to what
# the app uses (AWS and Kubernetes). One "<provider> <submodule>" line each,
# sorted, with the submodule as its Go package name:
#
#   scripts/list-submodules.sh
#   aws kmskey
#   kubernetes storageclassv1
#
# scripts/generate-bindings.sh keeps only these submodules in the providers'
# jsii assemblies, and CI adds a hash of the output to the key of the cached
# .gen/. go list -e reads the import lines without loading the imported
# packages, so it works before .gen/ exists. It covers every package of this
# module (bench/reference is a module of its own) on this machine's GOOS and
# GOARCH; no file here has build constraints. The package jsii only embeds
# the tarball and is no provider submodule.
set -euo pipefail
cd "$(dirname "$0")/.."

providers=(
  aws=github.com/cdktf/cdktf-provider-aws-go/aws/v19
  kubernetes=github.com/cdktf/cdktf-provider-kubernetes-go/kubernetes/v11
)

imports="$(go list -e -f '{{join .Imports "\n"}}
{{join .TestImports "\n"}}
{{join .XTestImports "\n"}}' ./...)"

for provider in "${providers[@]}"; do
  name="${provider%%=*}"
  module="${provider#*=}"
  submodules="$(sed -n "s|^$module/\([^/]*\)\$|\1|p" <<<"$imports" | grep -vx jsii | LC_ALL=C sort -u || true)"
  if [[ -z "$submodules" ]]; then
    echo "error: go list found no imports of $module/..." >&2
    exit 1
  fi
  sed "s/^/$name /" <<<"$submodules"
done
