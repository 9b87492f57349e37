// Micro-benchmark of scanText over real-world text files (node_modules, /usr/share).
// Run: npx tsx lib/scan/detectors/bench-detectors.ts [--mb 200] [--show 40] [--utf8] [dirs…]
// Files are decoded as latin1 like the image scanner does (--utf8 to decode as UTF-8 instead).
// Prints MB/s and findings per detector (review them: on this corpus they are false positives or
// sample values shipped in packages), with masked previews only.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { mask } from "../fingerprint";
import { scanText } from "./index";

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const maxBytes = opt("--mb", 200) * 1024 * 1024;
const show = opt("--show", 40);
const utf8 = args.includes("--utf8");
const dirs = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && ["--mb", "--show"].includes(args[i - 1] ?? "")));
if (dirs.length === 0) dirs.push("/work/main/node_modules", "/usr/share");

const MAX_FILE = 4 * 1024 * 1024;
const files: { path: string; text: string; bytes: number }[] = [];
let total = 0;

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

// Collect candidate paths, then read a deterministic pseudo-random sample up to the budget, so the
// corpus mixes many packages and /usr/share trees instead of the first ones in sort order.
const candidates: { path: string; size: number }[] = [];
function walk(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e);
    let st;
    try {
      st = statSync(p, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (!st) continue;
    if (st.isDirectory()) walk(p);
    else if (st.isFile() && st.size > 0 && st.size <= MAX_FILE) candidates.push({ path: p, size: st.size });
  }
}
for (const d of dirs) walk(d);
const keyed = candidates.map((c) => ({ c, k: createHash("sha1").update(c.path).digest().readUInt32BE(0) }));
keyed.sort((a, b) => a.k - b.k);
for (const { c } of keyed) {
  if (total >= maxBytes) break;
  let buf: Buffer;
  try {
    buf = readFileSync(c.path);
  } catch {
    continue;
  }
  if (looksBinary(buf)) continue;
  files.push({ path: c.path, text: buf.toString(utf8 ? "utf8" : "latin1"), bytes: buf.length });
  total += buf.length;
}

// warm-up (JIT, engine construction)
scanText("warm up ghp_x password=abc", { source: "file", path: "/x" });
const perDetector = new Map<string, number>();
const samples: string[] = [];
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
for (const f of files) {
  const found = scanText(f.text, { source: "file", path: f.path });
  for (const m of found) {
    perDetector.set(m.detector, (perDetector.get(m.detector) ?? 0) + 1);
    if (samples.length < show) samples.push(`${m.detector.padEnd(28)} ${m.severity.padEnd(8)} ${f.path}:${m.line}  ${mask(m.secret)}`);
  }
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const cu = process.cpuUsage(c0);
const cpuSecs = (cu.user + cu.system) / 1e6;
const mb = total / 1024 / 1024;
// CPU time is reported besides wall time: on a shared machine wall time mostly measures the others.
console.log(`decoding: ${utf8 ? "utf8" : "latin1"}  files: ${files.length}  text: ${mb.toFixed(1)} MiB  wall: ${secs.toFixed(2)} s (${(mb / secs).toFixed(1)} MiB/s)  cpu: ${cpuSecs.toFixed(2)} s (${(mb / cpuSecs).toFixed(1)} MiB/s)`);
console.log(`findings: ${[...perDetector.values()].reduce((a, b) => a + b, 0)}`);
for (const [id, n] of [...perDetector.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${id.padEnd(34)} ${n}`);
console.log("\nsample findings (masked):");
for (const s of samples) console.log("  " + s);
