#!/usr/bin/env bash
# Prints the Go package names of the AWS provider submodules that this
# module's Go code imports, tests included, one per line and sorted:
#
#   scripts/list-aws-submodules.sh
#
# scripts/generate-bindings.sh keeps only these submodules in the AWS jsii
# assembly, and CI adds a hash of the list to the key of the cached .gen/.
# go list -e reads the import lines without loading the imported packages, so
# it works before .gen/aws exists. It covers every package of this module
# (bench/reference is a module of its own) on this machine's GOOS and GOARCH;
# no file here has build constraints. The package jsii only embeds the
# tarball and is no provider submodule.
set -euo pipefail
cd "$(dirname "$0")/.."

aws_module=github.com/cdktf/cdktf-provider-aws-go/aws/v19
submodules="$(go list -e -f '{{join .Imports "\n"}}
{{join .TestImports "\n"}}
{{join .XTestImports "\n"}}' ./... |
  sed -n "s|^$aws_module/\([^/]*\)\$|\1|p" | grep -vx jsii | LC_ALL=C sort -u)"
if [[ -z "$submodules" ]]; then
  echo "error: go list found no imports of $aws_module/..." >&2
  exit 1
fi
printf '%s\n' "$submodules"
