#!/usr/bin/env bash
# Repacks a CDKTF provider's jsii package tarball so that Node.js loads it
# faster, without changing what any of its code does:
#
#   scripts/repack-provider.sh PACKAGE.tgz
#
# 1. package.json "main" becomes lib/lazy-index.js. The jsii kernel
#    require()s a package's main when it loads the package, and the
#    providers' lib/index.js requires every resource module up front (2,123
#    modules for the AWS provider). lib/lazy-index.js, which the providers
#    ship next to it, exports the same namespaces through getters that
#    require a module on first use. Skipped for a package without it.
# 2. The jsii assembly (.jsii) loses the entries that describe the source
#    rather than the API: "docs" (the documentation text of every type,
#    member and parameter), "locationInModule" (TypeScript file and line) and
#    "symbolId" (TypeScript symbol name); it is written without indentation.
#    The kernel parses the whole assembly on every start (120 MB of JSON for
#    the AWS provider, 36 MB without these) but never reads these entries: in
#    @jsii/kernel 1.111.0, bundled with jsii-runtime-go v1.111.0, they appear
#    only in the assembly's JSON schema and in an unused spec helper.
#
# The tarball is replaced through a new file, so a hardlink into the Go
# module cache is never written through. The output is deterministic (sorted
# names, fixed mtime, numeric owner, gzip without a name or time), so the
# same input always gives the same bytes. Running the script on its own
# output changes nothing.
set -euo pipefail

if [[ $# -ne 1 || ! -f "$1" ]]; then
  echo "usage: $0 PACKAGE.tgz" >&2
  exit 2
fi
tarball="$1"

work="$(mktemp -d "$(dirname "$tarball")/.repack.XXXXXX")"
trap 'rm -rf "$work"' EXIT

tar -xzf "$tarball" -C "$work" --no-same-owner

changed="$(node - "$work/package" <<'JS'
const fs = require("fs");
const path = require("path");
const dir = process.argv[2];
let changed = false;

const pkgFile = path.join(dir, "package.json");
const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
if (fs.existsSync(path.join(dir, "lib", "lazy-index.js")) && pkg.main !== "lib/lazy-index.js") {
  pkg.main = "lib/lazy-index.js";
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + "\n");
  changed = true;
}

// In a jsii assembly these keys are always spec fields: types, members and
// parameters are arrays or maps keyed by fully qualified names, so no type
// or member name can collide with them.
const sourceOnly = ["docs", "locationInModule", "symbolId"];
function dropSourceOnly(node) {
  if (Array.isArray(node)) {
    node.forEach(dropSourceOnly);
  } else if (node !== null && typeof node === "object") {
    for (const key of sourceOnly) {
      delete node[key];
    }
    Object.values(node).forEach(dropSourceOnly);
  }
}
const assemblyFile = path.join(dir, ".jsii");
const text = fs.readFileSync(assemblyFile, "utf8");
const assembly = JSON.parse(text);
if (assembly.schema !== "jsii/0.10.0") {
  console.error(`error: ${assemblyFile}: unsupported assembly schema ${JSON.stringify(assembly.schema)}`);
  process.exit(1);
}
dropSourceOnly(assembly);
const compact = JSON.stringify(assembly);
if (compact !== text) {
  fs.writeFileSync(assemblyFile, compact);
  changed = true;
}
process.stdout.write(changed ? "yes" : "no");
JS
)"
if [[ "$changed" != yes ]]; then
  exit 0
fi

# npm packs files only, with no directory entries, all dated 1985-10-26
# 08:15:00 UTC; the repacked tarball keeps that layout.
(cd "$work" && find package -type f | LC_ALL=C sort > files.txt)
tar -C "$work" --create --no-recursion --files-from="$work/files.txt" \
  --format=gnu --mtime=@499162500 --owner=0 --group=0 --numeric-owner \
  --mode=u+rw,go-w |
  gzip -n > "$work/repacked.tgz"

# rm first: writing over a hardlinked tarball would change the Go module
# cache's copy too.
rm -f "$tarball"
mv "$work/repacked.tgz" "$tarball"
