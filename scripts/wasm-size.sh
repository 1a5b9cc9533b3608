#!/usr/bin/env bash
# Prints the release wasm + JS sizes (raw, gzip -9, brotli -q 11) and fails when the
# brotli total exceeds the budget (KYNANGSO_WASM_BUDGET_BROTLI_KB, default 350).
set -euo pipefail
cd "$(dirname "$0")/.."
pkg="${LEPTOS_SITE_ROOT:-target/site}/pkg"
budget_kb="${KYNANGSO_WASM_BUDGET_BROTLI_KB:-350}"
node - "$pkg" "$budget_kb" <<'JS'
const fs = require("fs"), zlib = require("zlib"), path = require("path");
const [pkg, budget] = process.argv.slice(2);
const files = ["kynangso_bg.wasm", "kynangso.wasm", "kynangso.js"].map(f => path.join(pkg, f)).filter(fs.existsSync);
if (files.length < 2) { console.error(`wasm or JS missing in ${pkg}`); process.exit(1); }
let total = { raw: 0, gz: 0, br: 0 };
for (const f of files) {
  const b = fs.readFileSync(f);
  const s = { raw: b.length, gz: zlib.gzipSync(b, { level: 9 }).length,
    br: zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
  for (const k in total) total[k] += s[k];
  console.log(`${path.basename(f).padEnd(20)} raw ${(s.raw / 1024).toFixed(1)} KB  gzip ${(s.gz / 1024).toFixed(1)} KB  brotli ${(s.br / 1024).toFixed(1)} KB`);
}
console.log(`${"total".padEnd(20)} raw ${(total.raw / 1024).toFixed(1)} KB  gzip ${(total.gz / 1024).toFixed(1)} KB  brotli ${(total.br / 1024).toFixed(1)} KB (budget ${budget} KB brotli)`);
if (total.br / 1024 > Number(budget)) { console.error("over the wasm size budget"); process.exit(1); }
JS
