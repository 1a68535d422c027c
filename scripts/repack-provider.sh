#!/usr/bin/env bash
# Repacks a CDKTF provider's jsii package tarball so that Node.js loads it
# faster, without changing what any of its code does (step 3 removes the
# submodules the app does not use):
#
#   scripts/repack-provider.sh PACKAGE.tgz [SUBMODULES]
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
#    "symbolId" (TypeScript symbol name). It is written without indentation.
#    The kernel parses the whole assembly on every start (120 MB of JSON for
#    the AWS provider, 36 MB without these) but never reads these entries: in
#    @jsii/kernel 1.111.0, bundled with jsii-runtime-go v1.111.0, they appear
#    only in the assembly's JSON schema and in an unused spec helper.
# 3. Only with SUBMODULES, a file that lists the Go package names of the
#    provider submodules the app imports, one per line (vpc, kmskey). The
#    assembly then keeps only the types of those submodules and every type they
#    reference, however indirectly (base classes, interfaces, property,
#    parameter and return types), and the tarball keeps only the JavaScript
#    folders of the submodules that still have types. The kernel looks a type
#    up in the assembly when Go creates an object or calls a static method,
#    so Go code that uses a dropped type fails there with "Type '<fqn>' not
#    found". A kept folder must require no other folder of the package (the
#    script checks this), so the JavaScript code that remains can create
#    objects of kept types only. Requires the lazy entry point of step 1,
#    because lib/index.js requires every folder.
#
# The tarball is replaced through a new file, so a hardlink into the Go
# module cache is never written through. The output is deterministic (sorted
# names, fixed mtime, numeric owner, gzip without a name or time), so the
# same input always gives the same bytes. Running the script on its own
# output changes nothing.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ! -f "$1" ]]; then
  echo "usage: $0 PACKAGE.tgz [SUBMODULES]" >&2
  exit 2
fi
tarball="$1"
submodules="${2:-}"
if [[ -n "$submodules" && ! -f "$submodules" ]]; then
  echo "error: $submodules: no such file" >&2
  exit 2
fi

work="$(mktemp -d "$(dirname "$tarball")/.repack.XXXXXX")"
trap 'rm -rf "$work"' EXIT

tar -xzf "$tarball" -C "$work" --no-same-owner

changed="$(node - "$work/package" "$submodules" <<'JS'
const fs = require("fs");
const path = require("path");
const dir = process.argv[2];
const submodulesFile = process.argv[3];
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
if (submodulesFile) {
  if (pkg.main !== "lib/lazy-index.js") {
    console.error(`error: ${pkgFile}: dropping submodules needs the lazy entry point lib/lazy-index.js`);
    process.exit(1);
  }
  const unusedFolders = keepUsedSubmodules(assembly, fs.readFileSync(submodulesFile, "utf8"));
  for (const folder of unusedFolders) {
    fs.rmSync(path.join(dir, "lib", folder), { recursive: true });
    changed = true;
  }
  checkNoRequireAcrossFolders(path.join(dir, "lib"));
}
const compact = JSON.stringify(assembly);
if (compact !== text) {
  fs.writeFileSync(assemblyFile, compact);
  changed = true;
}
process.stdout.write(changed ? "yes" : "no");

// Removes from the assembly every type outside the closure of the listed
// submodules, and every submodule left without types. Returns the lib/
// folders of the removed submodules that still exist in the package.
function keepUsedSubmodules(assembly, list) {
  const prefix = assembly.name + ".";
  const submoduleOf = (fqn) => fqn.slice(prefix.length).split(".")[0];

  // A submodule's fully qualified name is the package name, a dot and the
  // namespace; its Go package name is the namespace in lower case.
  const byGoPackage = new Map();
  for (const fqn of Object.keys(assembly.submodules || {})) {
    byGoPackage.set(submoduleOf(fqn).toLowerCase(), submoduleOf(fqn));
  }
  const used = new Set();
  for (const name of list.split("\n").map((line) => line.trim()).filter(Boolean)) {
    if (!byGoPackage.has(name)) {
      console.error(`error: ${assembly.name} has no submodule for the Go package ${JSON.stringify(name)}`);
      process.exit(1);
    }
    used.add(byGoPackage.get(name));
  }

  // Types directly under the package name belong to no submodule and stay.
  const types = assembly.types || {};
  const keep = new Set();
  const pending = Object.keys(types).filter((fqn) => {
    const rest = fqn.slice(prefix.length);
    return !rest.includes(".") || used.has(submoduleOf(fqn));
  });
  while (pending.length > 0) {
    const fqn = pending.pop();
    if (keep.has(fqn) || !(fqn in types)) {
      continue;
    }
    keep.add(fqn);
    collectReferences(types[fqn], pending);
  }

  const usedSubmodules = new Set([...keep].map(submoduleOf));
  for (const fqn of Object.keys(types)) {
    if (!keep.has(fqn)) {
      delete types[fqn];
    }
  }
  for (const fqn of Object.keys(assembly.submodules || {})) {
    if (!usedSubmodules.has(submoduleOf(fqn))) {
      delete assembly.submodules[fqn];
    }
  }

  // lib/lazy-index.js maps each namespace to its folder with a getter.
  const lazyIndex = fs.readFileSync(path.join(dir, "lib", "lazy-index.js"), "utf8");
  const getter = /defineProperty\(exports, '([^']+)', \{ get: function \(\) \{ return require\('\.\/([^']+)'\); \} \}\)/g;
  const unused = [];
  for (const [, namespace, folder] of lazyIndex.matchAll(getter)) {
    if (!usedSubmodules.has(namespace) && fs.existsSync(path.join(dir, "lib", folder))) {
      unused.push(folder);
    }
  }
  return unused;
}

// Exits with an error when a file in a folder of lib/ requires a module
// outside that folder, other than a package: removing folders could then break
// a kept one, or let it create objects whose type the assembly no longer has.
function checkNoRequireAcrossFolders(lib) {
  for (const entry of fs.readdirSync(lib, { withFileTypes: true })) {
    if (!entry.isDirectory()) {
      continue;
    }
    for (const file of fs.readdirSync(path.join(lib, entry.name))) {
      if (!file.endsWith(".js")) {
        continue;
      }
      const source = fs.readFileSync(path.join(lib, entry.name, file), "utf8");
      for (const [, target] of source.matchAll(/require\("([^"]+)"\)/g)) {
        if (target.startsWith("../")) {
          console.error(`error: lib/${entry.name}/${file} requires ${target}, so its submodule cannot be kept alone`);
          process.exit(1);
        }
      }
    }
  }
}

// Pushes every fully qualified type name that a type definition refers to:
// type references anywhere inside it are objects with an "fqn" string, and
// a class's base class and interfaces are plain strings.
function collectReferences(node, out) {
  if (Array.isArray(node)) {
    node.forEach((item) => collectReferences(item, out));
  } else if (node !== null && typeof node === "object") {
    if (typeof node.fqn === "string") {
      out.push(node.fqn);
    }
    if (typeof node.base === "string") {
      out.push(node.base);
    }
    if (Array.isArray(node.interfaces)) {
      out.push(...node.interfaces.filter((name) => typeof name === "string"));
    }
    Object.values(node).forEach((value) => collectReferences(value, out));
  }
}
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
