#!/usr/bin/env bash
# Packaging check: pack the package, install the tarball into a throw-away ESM project and a
# throw-away CommonJS project, load every subpath from both, then run publint and
# @arethetypeswrong/cli. Run after `npm run build`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"

# Subpaths come from the exports map, so a new subpath is checked without editing this script.
subpaths=$(node -e '
  const e = require("./package.json").exports;
  for (const k of Object.keys(e)) if (k !== "./package.json") console.log(k === "." ? "" : k.slice(1));
')
# Optional peer dependencies that some subpaths need at import time.
peers=$(node -e '
  const p = require("./package.json");
  const names = Object.keys(p.peerDependencies ?? {});
  console.log(names.map((n) => `${n}@${p.devDependencies?.[n] ?? p.peerDependencies[n]}`).join(" "));
')

for kind in esm cjs; do
  dir="$work/$kind"
  mkdir -p "$dir"
  if [ "$kind" = esm ]; then type=module; else type=commonjs; fi
  printf '{"name":"pack-check-%s","version":"0.0.0","private":true,"type":"%s","allowScripts":{"better-sqlite3":true}}\n' "$kind" "$type" > "$dir/package.json"
  (cd "$dir" && npm install --silent --no-audit --no-fund "$work/$tarball" $peers >/dev/null)
  if [ "$kind" = esm ]; then script="$dir/check.mjs"; else script="$dir/check.cjs"; fi
  node -e '
    const [kind, file, ...subs] = process.argv.slice(1);
    const lines = [];
    for (const s of ["", ...subs.filter(Boolean)]) {
      const spec = "@smartpass/oneroster" + s;
      if (kind === "esm") lines.push(`{ const m = await import(${JSON.stringify(spec)}); if (Object.keys(m).length === 0) throw new Error("no exports: ${spec}"); console.log("import ok", ${JSON.stringify(spec)}, Object.keys(m).length); }`);
      else lines.push(`{ const m = require(${JSON.stringify(spec)}); if (Object.keys(m).length === 0) throw new Error("no exports: ${spec}"); console.log("require ok", ${JSON.stringify(spec)}, Object.keys(m).length); }`);
    }
    require("fs").writeFileSync(file, kind === "esm" ? lines.join("\n") : `"use strict";\n${lines.join("\n")}`);
  ' "$kind" "$script" $subpaths
  (cd "$dir" && node "$(basename "$script")")
done

# The bin must start and answer --help from the installed package when there is one.
if node -e 'process.exit(require("./package.json").bin ? 0 : 1)'; then
  (cd "$work/esm" && npx --no-install oneroster --help >/dev/null) && echo "bin ok"
fi

npx --no-install publint --strict "$work/$tarball"
npx --no-install attw --profile esm-only "$work/$tarball"
echo "pack check ok"
