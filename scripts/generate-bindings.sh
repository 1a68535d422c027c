#!/usr/bin/env bash
# Prepares the provider Go bindings that go.mod points at with replace
# directives, all in .gen/:
#
#   .gen/helm, .gen/kubernetes  generated with jsii-pacmak from the pinned npm
#       packages, which carry the jsii assembly the published Go modules are
#       built from. The Go module proxy these machines use does not serve those
#       modules.
#   .gen/aws  a copy of the pinned github.com/cdktf/cdktf-provider-aws-go
#       module from the Go module cache (hardlinked when the cache is on the
#       same file system).
#   .gen/tfstackjs  internal/tfstack/js, this repository's own TypeScript
#       stack class, compiled with jsii into a jsii library, and its Go
#       bindings generated with jsii-pacmak.
#
# In the three providers, the embedded jsii package tarball is repacked by
# scripts/repack-provider.sh so that Node.js loads the provider's lazy entry
# point: a synth then loads only the resource modules it uses. The AWS and
# Kubernetes tarballs also keep only the submodules that this module's Go
# code imports, tests included, and the types they reference (listed in
# .gen/submodules by scripts/list-submodules.sh). The Go code is the
# upstream code, unchanged.
#
# Preparation takes about 40 seconds, so it runs only when .gen/ is missing
# or was prepared from other inputs than the ones pinned now (.gen/VERSIONS),
# which include the imported submodules: a new import prepares .gen/ again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules/jsii-pacmak ]]; then
  echo "error: node_modules/jsii-pacmak is missing; run 'make setup' (npm ci) first" >&2
  exit 1
fi

aws_module=github.com/cdktf/cdktf-provider-aws-go/aws/v19
aws_version="$(go mod edit -json | node -e '
  const mod = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const req = (mod.Require || []).find((r) => r.Path === process.argv[1]);
  if (!req) { console.error(`error: go.mod requires no ${process.argv[1]}`); process.exit(1); }
  process.stdout.write(req.Version);
' "$aws_module")"

# The Makefile runs this script again whenever a Go file or package folder
# is newer than .gen/VERSIONS, so a new import prepares .gen/ again.
submodules="$(scripts/list-submodules.sh)"

version() { node -p "require('./node_modules/$1/package.json').version"; }
tfstack_sources=(internal/tfstack/js/package.json internal/tfstack/js/index.ts internal/tfstack/js/README.md)
wanted="jsii-pacmak $(version jsii-pacmak)
jsii $(version jsii)
tfstack js $(cat "${tfstack_sources[@]}" | sha256sum | cut -c1-16)
@cdktf/provider-helm $(version @cdktf/provider-helm)
@cdktf/provider-kubernetes $(version @cdktf/provider-kubernetes)
$aws_module $aws_version
repack-provider.sh $(sha256sum scripts/repack-provider.sh | cut -c1-16)
submodules $(wc -l <<<"$submodules") $(sha256sum <<<"$submodules" | cut -c1-16)"

if [[ -f .gen/VERSIONS && "$(cat .gen/VERSIONS)" == "$wanted" && -d .gen/helm && -d .gen/kubernetes && -d .gen/aws && -d .gen/tfstackjs ]]; then
  exit 0
fi

echo "preparing the provider Go bindings in .gen/ (about 40 s)"
work="$(mktemp -d .gen.tmp.XXXXXX)"
trap 'rm -rf "$work"' EXIT

for provider in helm kubernetes; do
  npx --no-install jsii-pacmak --targets go --code-only \
    --outdir "$work/$provider" "node_modules/@cdktf/provider-$provider"
done

# jsii compiles in place and resolves cdktf and constructs from the
# repository's node_modules, which the work folder sits beside.
mkdir "$work/tfstack-src"
cp "${tfstack_sources[@]}" "$work/tfstack-src/"
(cd "$work/tfstack-src" && npx --no-install jsii --silence-warnings reserved-word)
npx --no-install jsii-pacmak --targets go --code-only --outdir "$work/tfstack" "$work/tfstack-src"

# go mod download checks the module against go.sum, which therefore keeps
# the module's lines although the replace directive makes the build use
# .gen/aws.
cache_dir="$(go mod download -json "$aws_module@$aws_version" | node -e '
  const info = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (info.Error || !info.Dir) { console.error(`error: go mod download: ${info.Error}`); process.exit(1); }
  process.stdout.write(info.Dir);
')"
if [[ "$(stat -c %d "$cache_dir")" == "$(stat -c %d "$work")" ]]; then
  cp -al "$cache_dir" "$work/aws"
else
  cp -a "$cache_dir" "$work/aws"
fi
# The module cache makes its folders read-only. Only the folders are made
# writable: the files may be hardlinks, whose mode is shared with the cache.
find "$work/aws" -type d -exec chmod u+w {} +

printf '%s\n' "$submodules" > "$work/submodules"
for provider in aws kubernetes; do
  awk -v provider="$provider" '$1 == provider { print $2 }' "$work/submodules" > "$work/$provider-submodules"
done
for tarball in "$work"/helm/go/helm/jsii/*.tgz; do
  scripts/repack-provider.sh "$tarball"
done
for tarball in "$work"/kubernetes/go/kubernetes/jsii/*.tgz; do
  scripts/repack-provider.sh "$tarball" "$work/kubernetes-submodules"
done
for tarball in "$work"/aws/jsii/*.tgz; do
  scripts/repack-provider.sh "$tarball" "$work/aws-submodules"
done

# Replace .gen/ only once every binding exists, so an interrupted run never
# leaves a half-prepared module that go.mod points at.
rm -rf .gen
mkdir .gen
mv "$work/helm/go/helm" .gen/helm
mv "$work/kubernetes/go/kubernetes" .gen/kubernetes
mv "$work/aws" .gen/aws
mv "$work/tfstack/go/tfstackjs" .gen/tfstackjs
mv "$work/submodules" .gen/submodules
printf '%s\n' "$wanted" > .gen/VERSIONS
