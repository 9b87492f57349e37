#!/usr/bin/env node
// `npm run bench`: the image-scanner benchmark (tests/bench/scan.bench.ts) through tsx.
// Extra arguments pass through, e.g. `npm run bench -- --only floor,scanner --min-mb 600`.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "tests/bench/scan.bench.ts"), ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
process.exit(r.status ?? 1);
