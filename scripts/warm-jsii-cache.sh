#!/usr/bin/env bash
# Makes sure the jsii package cache contains a complete entry for every jsii
# package the platform loads, and fills it with cmd/jsiiwarmup if not.
#
# The kernel (@jsii/kernel 1.111.0, bundled with jsii-runtime-go v1.111.0)
# keys an entry by package name, version and the SHA-256 of the tarball
# followed by "\0<name>\0<version>". Entries live under
# $JSII_RUNTIME_PACKAGE_CACHE_ROOT or ~/.cache/aws/jsii/package-cache, and
# the file .jsii-runtime-package-cache marks an entry complete once the
# tarball is unpacked. This script
# computes those paths and checks the markers, so a warm cache costs no
# Node.js start. With JSII_RUNTIME_PACKAGE_CACHE=disabled there is nothing
# to warm.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${JSII_RUNTIME_PACKAGE_CACHE:-enabled}" != enabled ]]; then
  exit 0
fi
root="${JSII_RUNTIME_PACKAGE_CACHE_ROOT:-$HOME/.cache/aws/jsii/package-cache}"

# The marker paths depend only on the tarballs, so they are computed once per
# preparation of .gen/ (hashing the tarballs takes a moment).
markers=.gen/jsii-cache-markers
if [[ ! -f "$markers" || "$markers" -ot .gen/VERSIONS ]]; then
  # go mod download, unlike go list -m, also fetches a module that is not
  # in the module cache yet.
  module_dir() {
    go mod download -json "$1" | node -e '
      const info = JSON.parse(require("fs").readFileSync(0, "utf8"));
      if (info.Error || !info.Dir) { console.error(`error: go mod download: ${info.Error}`); process.exit(1); }
      process.stdout.write(info.Dir);
    '
  }
  for tarball in \
    "$(module_dir github.com/aws/constructs-go/constructs/v10)"/jsii/*.tgz \
    "$(module_dir github.com/hashicorp/terraform-cdk-go/cdktf)"/jsii/*.tgz \
    .gen/aws/jsii/*.tgz .gen/helm/jsii/*.tgz .gen/kubernetes/jsii/*.tgz .gen/tfstackjs/jsii/*.tgz; do
    read -r name version < <(tar -xzOf "$tarball" package/package.json |
      node -e 'const p = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(p.name, p.version)')
    digest="$({ cat "$tarball"; printf '\0%s\0%s' "$name" "$version"; } | sha256sum | cut -d' ' -f1)"
    echo "$name/$version/$digest/.jsii-runtime-package-cache"
  done > "$markers.tmp"
  mv "$markers.tmp" "$markers"
fi

missing() {
  while read -r marker; do
    [[ -f "$root/$marker" ]] || echo "$marker"
  done < "$markers"
}

if [[ -z "$(missing)" ]]; then
  exit 0
fi
echo "loading the jsii packages once to fill the jsii package cache in $root"
go run ./cmd/jsiiwarmup
if [[ -n "$(missing)" ]]; then
  echo "error: the jsii package cache in $root still lacks:" >&2
  missing | sed 's/^/  /' >&2
  exit 1
fi
