// `npm run bench` — image scanner throughput on ≥500 MB of real-world files (copied from
// node_modules and /usr/share, text and binary as found), packed in-process as gzip tar layers
// (cached in the OS temp dir). In one run, each in its own child process (peak RSS from
// process.resourceUsage().maxRSS):
//   floor      the same blobs decompressed and untarred, no detection, gunzip on a worker thread
//              as the scanner does; floor-inline: gunzip with Node's zlib stream on the main
//              thread. Ratios use whichever floor is faster in the run.
//   scanner    scanImage over the same blobs (real detectors, default limits); scanner-inline:
//              the same with gunzipOnWorker off (the A/B for the worker)
//   scanner-x4 the corpus's layers four times over (~2.4 GB image): peak RSS stays bounded
//   scanner-expand-docs  the same with expandPackageDocs (also inflating the compressed man
//              pages and changelogs under /usr/share/{doc,man,info}, ~300 MB more data here)
//   secretlint the peer (@secretlint/node + preset-recommend) on the extracted files of a
//              deterministic subset (every 40th file), throughput per MB linted
// plus scanner-nodetect (the scanner with a no-op detector: its own overhead) and a zstd row (one layer recompressed with the zstd CLI, if installed) for fzstd's cost.
// The ratio rows (floor, floor-inline, scanner, scanner-nodetect, scanner-inline and the
// *-cli, *-verified and *-steady rows) run in interleaved rounds (--rounds N, default 3) and report the
// median run.
// The *-steady rows (floor, floor-inline, scanner) run the same work twice in one process and time
// the second pass: the throughput of a long-running job runner, without JIT warm-up.
// The *-cli rows (floor, floor-inline, scanner) do the same work in a process set up as the CLI's
// scan-image sets itself up (tuneV8ForOneShotScan: its V8 settings, applied the same way).
// The *-verified rows (floor, scanner) read each blob through the registry client's digest check
// (lib/hub DigestVerifier: SHA-256 of every compressed byte on the main thread), as production
// scans do; the other rows read blobs unverified.
// Options: --min-mb N (corpus size, default 520), --rebuild, --rounds N, --only floor,scanner,…,
// --node-flags "…" (extra Node/V8 flags for every child alike, e.g. GC settings).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { createHash } from "node:crypto";
import { pipeline as pipe } from "node:stream";
import { DigestVerifier } from "../../lib/hub/digest";
import { decompressStream, type DecompressStats } from "../../lib/scan/image/decompress";
import { DEFAULT_LIMITS } from "../../lib/scan/image/limits";
import { layerDecompressLimits } from "../../lib/scan/image/layer-scanner";
import { scanImage } from "../../lib/scan/image/scan-image";
import { ONE_SHOT_V8_FLAGS, tuneV8ForOneShotScan } from "../../lib/scan/image/one-shot-v8";
import { TarParser } from "../../lib/scan/image/tar";
import type { Descriptor, RegistryReader } from "../../lib/hub/types";

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), "../..");
const CACHE = path.join(os.tmpdir(), "stowaway-scan-bench-v1");
const MB = 1e6;
const SECRETLINT_THIN = 4;

interface Meta {
  files: number;
  uncompressedBytes: number;
  /** digest: the blob's real sha256, for the *-verified rows (added to older caches on first use) */
  layers: Array<{ file: string; uncompressed: number; compressed: number; files: number; digest?: string }>;
  zstdLayer: { file: string; uncompressed: number; compressed: number } | null;
  subset: { dir: string; files: string[]; bytes: number; every: number };
  sources: string[];
}

// ---------------------------------------------------------------- corpus ---------------------

function* walk(dir: string): Generator<{ abs: string; size: number }> {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const abs = path.join(dir, n);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      continue;
    }
    if (st.isDirectory()) yield* walk(abs);
    else if (st.isFile() && st.size > 0 && st.size <= 64 * 1024 * 1024) yield { abs, size: st.size };
  }
}

function octal(n: number, len: number): string {
  return n.toString(8).padStart(len - 1, "0") + "\0";
}

function header(name: string, size: number, type = "0"): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 99), 0, "utf8");
  h.write(octal(0o644, 8), 100, "latin1");
  h.write(octal(0, 8), 108, "latin1");
  h.write(octal(0, 8), 116, "latin1");
  h.write(octal(size, 12), 124, "latin1");
  h.write(octal(1704067200, 12), 136, "latin1");
  h.write(type, 156, "latin1");
  h.write("ustar\0", 257, "latin1");
  h.write("00", 263, "latin1");
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i] ?? 0;
  h.write(octal(sum, 7) + " ", 148, "latin1");
  return h;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`, "utf8");
}

function* tarEntries(files: Array<{ abs: string; rel: string }>): Generator<Buffer> {
  for (const f of files) {
    let data: Buffer;
    try {
      data = fs.readFileSync(f.abs);
    } catch {
      continue;
    }
    if (Buffer.byteLength(f.rel) > 99) {
      const pax = paxRecord("path", f.rel);
      yield Buffer.concat([header("PaxHeader", pax.length, "x"), pax, pad(pax.length)]);
    }
    yield Buffer.concat([header(f.rel, data.length), data, pad(data.length)]);
  }
  yield Buffer.alloc(1024);
}

async function buildCorpus(minMb: number): Promise<Meta> {
  fs.rmSync(CACHE, { recursive: true, force: true });
  fs.mkdirSync(CACHE, { recursive: true });
  const sources = [path.join(ROOT, "node_modules"), "/usr/share"];
  // interleave both roots so every layer mixes JavaScript packages with system data
  const target = minMb * MB;
  const picked: Array<{ abs: string; rel: string; size: number }> = [];
  let total = 0;
  const its = sources.map((s) => walk(s));
  const quota = [0.6, 0.4];
  const taken = [0, 0];
  while (total < target) {
    let progressed = false;
    for (let i = 0; i < its.length; i++) {
      if ((taken[i] ?? 0) > target * (quota[i] ?? 0.5) && its.some((_, j) => j !== i && (taken[j] ?? 0) <= target * (quota[j] ?? 0.5))) continue;
      const r = its[i]!.next();
      if (r.done) continue;
      progressed = true;
      const rel = `${i === 0 ? "app/node_modules" : "usr/share"}/${path.relative(sources[i]!, r.value.abs)}`;
      picked.push({ abs: r.value.abs, rel, size: r.value.size });
      total += r.value.size;
      taken[i] = (taken[i] ?? 0) + r.value.size;
      if (total >= target) break;
    }
    if (!progressed) break;
  }
  const LAYER = 100 * MB;
  const groups: (typeof picked)[] = [];
  let cur: typeof picked = [];
  let curBytes = 0;
  for (const f of picked) {
    cur.push(f);
    curBytes += f.size;
    if (curBytes >= LAYER) {
      groups.push(cur);
      cur = [];
      curBytes = 0;
    }
  }
  if (cur.length) groups.push(cur);

  const layers: Meta["layers"] = [];
  let zstdLayer: Meta["zstdLayer"] = null;
  for (const [i, g] of groups.entries()) {
    const file = path.join(CACHE, `layer-${i}.tar.gz`);
    let uncompressed = 0;
    const src = Readable.from(
      (function* () {
        for (const b of tarEntries(g)) {
          uncompressed += b.length;
          yield b;
        }
      })(),
    );
    const rawTar = i === 0 && hasZstd() ? path.join(CACHE, "layer-0.tar") : null;
    if (rawTar) {
      await pipeline(src, fs.createWriteStream(rawTar));
      await pipeline(fs.createReadStream(rawTar), zlib.createGzip({ level: 6 }), fs.createWriteStream(file));
      execFileSync("zstd", ["-q", "-3", "-f", rawTar, "-o", path.join(CACHE, "layer-0.tar.zst")]);
      zstdLayer = { file: path.join(CACHE, "layer-0.tar.zst"), uncompressed, compressed: fs.statSync(path.join(CACHE, "layer-0.tar.zst")).size };
      fs.rmSync(rawTar);
    } else {
      await pipeline(src, zlib.createGzip({ level: 6 }), fs.createWriteStream(file));
    }
    layers.push({ file, uncompressed, compressed: fs.statSync(file).size, files: g.length });
    process.stderr.write(`  layer ${i}: ${g.length} files, ${(uncompressed / MB).toFixed(0)} MB\n`);
  }

  // secretlint subset: every Nth file (deterministic), extracted to disk (the peer needs files)
  const every = 10;
  const subsetDir = path.join(CACHE, "secretlint-subset");
  const subsetFiles: string[] = [];
  let subsetBytes = 0;
  picked.forEach((f, i) => {
    if (i % every !== 0) return;
    const dest = path.join(subsetDir, f.rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(f.abs, dest);
    subsetFiles.push(dest);
    subsetBytes += f.size;
  });
  const meta: Meta = {
    files: picked.length,
    uncompressedBytes: layers.reduce((a, l) => a + l.uncompressed, 0),
    layers,
    zstdLayer,
    subset: { dir: subsetDir, files: subsetFiles, bytes: subsetBytes, every },
    sources,
  };
  fs.writeFileSync(path.join(CACHE, "meta.json"), JSON.stringify(meta));
  return meta;
}

function hasZstd(): boolean {
  try {
    execFileSync("zstd", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- children -------------------

interface ChildResult {
  mode: string;
  bytes: number;
  ms: number;
  maxRssMb: number;
  /** user + system CPU of the child (all threads): robust when the machine is shared */
  cpuMs?: number;
  extra?: Record<string, unknown>;
}

/** A layer blob from the corpus; `verified`: through the digest check, as the registry client reads it. */
function openLayerBlob(layer: { file: string; digest?: string }, verified: boolean): Readable {
  const raw = fs.createReadStream(layer.file, { highWaterMark: 256 * 1024 });
  if (!verified) return raw;
  const digest = layer.digest as string;
  return pipe(raw, new DigestVerifier(digest, `blob ${digest}`), () => undefined) as unknown as Readable;
}

/** `verified`: real digests, blobs read through the digest check (else placeholder digests, raw reads) */
function fileRegistry(files: Array<{ file: string; digest?: string }>, verified = false): RegistryReader {
  const layers: Descriptor[] = files.map((l, i) => ({
    mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
    digest: verified ? (l.digest as string) : `sha256:${String(i).padStart(64, "0")}`,
    size: 0,
  }));
  const byDigest = new Map(layers.map((d, i) => [d.digest, files[i]!]));
  return {
    async headManifest() {
      return null;
    },
    async resolveImage(repository, reference) {
      return {
        repository,
        reference,
        digest: `sha256:${"b".repeat(64)}`,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        platforms: [
          {
            platform: { os: "linux", architecture: "amd64" },
            manifestDigest: `sha256:${"b".repeat(64)}`,
            manifestMediaType: "application/vnd.oci.image.manifest.v1+json",
            config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${"c".repeat(64)}`, size: 2 },
            layers,
          },
        ],
      };
    },
    async getConfig() {
      return { config: { Env: ["PATH=/usr/bin"] }, history: [] };
    },
    async openBlob(_r, digest) {
      return openLayerBlob(byDigest.get(digest)!, verified);
    },
    rateLimit() {
      return { pullLimit: null, pullRemaining: null, pullWindowSeconds: null, apiLimit: null, apiRemaining: null, apiResetAt: null, updatedAt: 0 };
    },
  };
}

/** `verified`: blobs read through the digest check, as in fileRegistry */
async function floor(layers: Array<{ file: string; digest?: string }>, gunzip: "worker" | "inline" = "worker", verified = false): Promise<{ bytes: number; entries: number }> {
  let bytes = 0;
  let entries = 0;
  for (const layer of layers) {
    const stats: DecompressStats = { compression: "none", compressedBytes: 0, uncompressedBytes: 0 };
    const p = new TarParser({ entry: () => (entries++, null) }, { maxEntries: DEFAULT_LIMITS.maxEntries, maxMetaHeaderBytes: DEFAULT_LIMITS.maxMetaHeaderBytes });
    // decompressed exactly as the scanner decompresses a layer (the tar parser keeps no view into a chunk)
    const limits = layerDecompressLimits({ ...DEFAULT_LIMITS, gunzipOnWorker: gunzip === "worker" });
    for await (const c of decompressStream(openLayerBlob(layer, verified), limits, stats)) p.write(c);
    p.end();
    bytes += stats.uncompressedBytes;
  }
  return { bytes, entries };
}

async function child(mode: string, meta: Meta): Promise<ChildResult> {
  // The floor's code is loaded before timing (static imports above); so is the scanner's: scanImage
  // imports its detectors lazily, and loading modules is not scanning. Building the detection
  // engine on first use stays inside the cold rows' timing.
  await import("../../lib/scan/detectors");
  if (mode.endsWith("-cli")) {
    // the same work in a process set up as the CLI's scan-image sets itself up (its V8 settings,
    // applied the same way), floor and scanner alike
    tuneV8ForOneShotScan();
    return { ...(await child(mode.slice(0, -"-cli".length), meta)), mode };
  }
  if (mode.endsWith("-steady")) {
    // steady state, as in a long-running job runner: one untimed pass over the whole corpus
    // (JIT compilation, engine set-up, worker start), then the timed pass in the same process
    const base = mode.slice(0, -"-steady".length);
    await child(base, meta);
    const c0 = process.cpuUsage();
    const r = await child(base, meta);
    const cu = process.cpuUsage(c0);
    const ru = process.resourceUsage();
    return { ...r, mode, maxRssMb: ru.maxRSS / 1024, cpuMs: (cu.user + cu.system) / 1000 };
  }
  const t0 = performance.now();
  let bytes = 0;
  let extra: Record<string, unknown> | undefined;
  if (mode === "floor" || mode === "floor-inline") {
    const r = await floor(meta.layers, mode === "floor" ? "worker" : "inline");
    bytes = r.bytes;
    extra = { entries: r.entries };
  } else if (mode === "floor-zstd" || mode === "scanner-zstd") {
    if (!meta.zstdLayer) return { mode, bytes: 0, ms: 0, maxRssMb: 0, extra: { skipped: "zstd CLI not installed" } };
    if (mode === "floor-zstd") bytes = (await floor([meta.zstdLayer])).bytes;
    else {
      const r = await scanImage("bench/corpus:zstd", { registry: fileRegistry([meta.zstdLayer]) });
      bytes = r.stats.bytesScanned;
    }
  } else if (mode === "scanner-nodetect") {
    // the scanner's own plumbing (sniffing, nested archives, text decoding) without detectors
    const r = await scanImage("bench/corpus:latest", { registry: fileRegistry(meta.layers), detect: () => [] });
    bytes = r.stats.bytesScanned;
  } else if (mode === "scanner-x4") {
    // memory bound: the corpus's layers four times over (distinct digests), a ~2.4 GB image
    const r = await scanImage("bench/corpus:x4", { registry: fileRegistry([...meta.layers, ...meta.layers, ...meta.layers, ...meta.layers]) });
    bytes = r.stats.bytesScanned;
    extra = { layers: r.stats.layers, findings: r.findings.length };
  } else if (mode === "scanner-expand-docs") {
    // also inflating the compressed man pages and changelogs under /usr/share/{doc,man,info}
    const r = await scanImage("bench/corpus:latest", { registry: fileRegistry(meta.layers), limits: { expandPackageDocs: true } });
    bytes = r.stats.bytesScanned;
    extra = { filesScanned: r.stats.filesScanned, findings: r.findings.length };
  } else if (mode === "scanner-inline") {
    // gunzip on the scanning thread (Node's zlib stream), as before the worker
    const r = await scanImage("bench/corpus:latest", { registry: fileRegistry(meta.layers), limits: { gunzipOnWorker: false } });
    bytes = r.stats.bytesScanned;
  } else if (mode === "floor-verified") {
    const r = await floor(meta.layers, "worker", true);
    bytes = r.bytes;
  } else if (mode === "scanner-verified") {
    const r = await scanImage("bench/corpus:latest", { registry: fileRegistry(meta.layers, true) });
    bytes = r.stats.bytesScanned;
    extra = { errors: r.errors };
  } else if (mode === "scanner") {
    const r = await scanImage("bench/corpus:latest", { registry: fileRegistry(meta.layers) });
    bytes = r.stats.bytesScanned;
    extra = {
      filesScanned: r.stats.filesScanned,
      errors: r.errors,
      notices: (r.notices ?? []).length,
      findings: r.findings.map((f) => ({ detector: f.detector, severity: f.severity, path: f.path, line: f.line, masked: f.masked, locations: f.locations.length })),
    };
  } else if (mode === "secretlint") {
    const { createEngine } = await import("@secretlint/node");
    const engine = await createEngine({
      cwd: meta.subset.dir,
      formatter: "json",
      color: false,
      maskSecrets: true,
      configFileJSON: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] },
    });
    let messages = 0;
    const BATCH = 500;
    // every SECRETLINT_THIN-th file of the extracted subset: secretlint is slow enough that the
    // full subset would dominate the run; MB/s is per MB actually linted
    const files = meta.subset.files.filter((_, i) => i % SECRETLINT_THIN === 0);
    for (let i = 0; i < files.length; i += BATCH) {
      const r = await engine.executeOnFiles({ filePathList: files.slice(i, i + BATCH) });
      try {
        const parsed = JSON.parse(r.output) as Array<{ messages: unknown[] }>;
        for (const f of parsed) messages += f.messages.length;
      } catch {
        /* formatter output is informational */
      }
    }
    bytes = files.reduce((a, f) => a + fs.statSync(f).size, 0);
    extra = { files: files.length, messages };
  } else throw new Error(`unknown mode ${mode}`);
  const ms = performance.now() - t0;
  const ru = process.resourceUsage();
  return { mode, bytes, ms, maxRssMb: ru.maxRSS / 1024, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000, extra };
}

function runChild(mode: string, nodeFlags: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeFlags, "--import", "tsx", SELF, "--child", mode], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("close", (code) => {
      if (code !== 0) return reject(new Error(`child ${mode} exited ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop() as string) as ChildResult);
    });
  });
}

// ---------------------------------------------------------------- main -----------------------

async function main() {
  const args = process.argv.slice(2);
  const ci = args.indexOf("--child");
  if (ci >= 0) {
    const meta = JSON.parse(fs.readFileSync(path.join(CACHE, "meta.json"), "utf8")) as Meta;
    const r = await child(args[ci + 1] as string, meta);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const mi = args.indexOf("--min-mb");
  const minMb = mi >= 0 ? Number(args[mi + 1]) : 520;
  const oi = args.indexOf("--only");
  const only = oi >= 0 ? (args[oi + 1] as string).split(",") : null;
  let meta: Meta | null = null;
  try {
    meta = JSON.parse(fs.readFileSync(path.join(CACHE, "meta.json"), "utf8")) as Meta;
    if (args.includes("--rebuild") || meta.uncompressedBytes < minMb * MB * 0.98) meta = null;
  } catch {
    meta = null;
  }
  if (!meta) {
    process.stderr.write(`building a ${minMb} MB corpus in ${CACHE} …\n`);
    meta = await buildCorpus(minMb);
  }
  // extra Node/V8 flags for every child alike, floor and scanner (e.g. GC settings under study)
  const fi = args.indexOf("--node-flags");
  const nodeFlags = fi >= 0 ? (args[fi + 1] as string).split(/\s+/).filter(Boolean) : [];
  const cpu = os.cpus();
  console.log("machine:", `${cpu[0]?.model ?? "?"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${os.platform()} ${os.release()}`);
  if (nodeFlags.length) console.log(`node flags for every child: ${nodeFlags.join(" ")}`);
  console.log(
    `corpus: ${meta.files} files, ${(meta.uncompressedBytes / MB).toFixed(0)} MB uncompressed in ${meta.layers.length} gzip layers (${(meta.layers.reduce((a, l) => a + l.compressed, 0) / MB).toFixed(0)} MB compressed), from ${meta.sources.join(" + ")}`,
  );
  // warm the page cache so the first child does not pay for disk reads the others don't (and
  // give caches built before the *-verified rows their blobs' digests)
  let addedDigests = false;
  for (const l of meta.layers) {
    const b = fs.readFileSync(l.file);
    if (!l.digest) {
      l.digest = `sha256:${createHash("sha256").update(b).digest("hex")}`;
      addedDigests = true;
    }
  }
  if (addedDigests) fs.writeFileSync(path.join(CACHE, "meta.json"), JSON.stringify(meta, null, 2));

  const ri = args.indexOf("--rounds");
  const rounds = Math.max(1, ri >= 0 ? Number(args[ri + 1]) : 3);
  // The rows the ratios are computed from run in `rounds` interleaved rounds (floor, scanner,
  // floor, scanner …) and report the median run: this VM's speed drifts by ±25% within minutes,
  // so one run of each, minutes apart, could compare two different machines.
  const ROUND_MODES = ["floor", "floor-inline", "scanner-nodetect", "scanner", "scanner-inline", "floor-cli", "floor-inline-cli", "scanner-cli", "floor-verified", "scanner-verified", "floor-steady", "floor-inline-steady", "scanner-steady"];
  const modes = [...ROUND_MODES, "scanner-expand-docs", "scanner-x4", "secretlint", "floor-zstd", "scanner-zstd"].filter((m) => !only || only.includes(m));
  const runs = new Map<string, ChildResult[]>();
  const runOnce = async (m: string, label: string) => {
    process.stderr.write(`running ${m}${label} …\n`);
    const r = await runChild(m, nodeFlags);
    runs.set(m, [...(runs.get(m) ?? []), r]);
    process.stderr.write(`  ${m}: ${(r.bytes / MB).toFixed(0)} MB in ${(r.ms / 1000).toFixed(1)} s wall, ${((r.cpuMs ?? 0) / 1000).toFixed(1)} s CPU, peak RSS ${r.maxRssMb.toFixed(0)} MB\n`);
  };
  const rounded = modes.filter((m) => ROUND_MODES.includes(m));
  for (let i = 0; i < rounds; i++) for (const m of rounded) await runOnce(m, rounds > 1 ? ` (round ${i + 1}/${rounds})` : "");
  for (const m of modes.filter((x) => !ROUND_MODES.includes(x))) await runOnce(m, "");
  const spread = new Map<string, string>();
  const results: ChildResult[] = modes.map((m) => {
    const rs = [...(runs.get(m) ?? [])].sort((a, b) => a.ms - b.ms);
    if (rs.length > 1) spread.set(m, ` (${rs.length} runs: ${rs.map((r) => (r.ms / 1000).toFixed(1)).join(", ")} s)`);
    // peak RSS: the highest of the runs, not the median run's
    return { ...(rs[(rs.length - 1) >> 1] as ChildResult), maxRssMb: Math.max(...rs.map((r) => r.maxRssMb)) };
  });
  const rate = (r: ChildResult) => r.bytes / MB / (r.ms / 1000);
  const cpuRate = (r: ChildResult) => r.bytes / MB / ((r.cpuMs ?? r.ms) / 1000);
  console.log("\n| run | data | wall time | MB/s (wall) | CPU time | MB per CPU-second | peak RSS |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    if (r.extra?.skipped) {
      console.log(`| ${r.mode} | skipped: ${String(r.extra.skipped)} | | | | | |`);
      continue;
    }
    const data = r.mode === "secretlint" ? `${(r.bytes / MB).toFixed(1)} MB subset (every ${meta.subset.every * SECRETLINT_THIN}th file, ${String(r.extra?.files)} files)` : `${(r.bytes / MB).toFixed(0)} MB`;
    console.log(
      `| ${r.mode} | ${data} | ${(r.ms / 1000).toFixed(1)} s${spread.get(r.mode) ?? ""} | ${rate(r).toFixed(1)} | ${((r.cpuMs ?? 0) / 1000).toFixed(1)} s | ${cpuRate(r).toFixed(1)} | ${r.maxRssMb.toFixed(0)} MB |`,
    );
  }
  const get = (m: string) => results.find((r) => r.mode === m && !r.extra?.skipped);
  // the floor is the faster of the two ways to inflate: the scanner is compared with the best
  if (rounds > 1) console.log(`\nrows with several runs: the median run (by wall time) of ${rounds} interleaved rounds (CPU time is that run's); peak RSS is the highest of the runs`);
  const fastest = (ms: string[]) => ms.map(get).filter((r): r is ChildResult => !!r).sort((a, b) => rate(b) - rate(a))[0];
  const fl = fastest(["floor", "floor-inline"]);
  if (fl) console.log(`\nfloor used for the ratios: ${fl.mode} (${rate(fl).toFixed(1)} MB/s)`);
  const sc = get("scanner");
  const sl = get("secretlint");
  if (fl && sc) console.log(`scanner / floor (fresh process, first scan): ${((rate(sc) / rate(fl)) * 100).toFixed(0)}% wall, ${((cpuRate(sc) / cpuRate(fl)) * 100).toFixed(0)}% per CPU-second (goal ≥ 70%)`);
  const flc = fastest(["floor-cli", "floor-inline-cli"]);
  const scc = get("scanner-cli");
  if (flc && scc) {
    console.log(
      `scanner / floor with the CLI's V8 settings (${ONE_SHOT_V8_FLAGS.join(" ")}) in both, blobs unverified like the plain rows (vs ${flc.mode}): ${((rate(scc) / rate(flc)) * 100).toFixed(0)}% wall, ${((cpuRate(scc) / cpuRate(flc)) * 100).toFixed(0)}% per CPU-second`,
    );
  }
  const fls = fastest(["floor-steady", "floor-inline-steady"]);
  const scs = get("scanner-steady");
  if (fls && scs) {
    console.log(
      `scanner / floor (steady state: second pass in the same process, vs ${fls.mode}): ${((rate(scs) / rate(fls)) * 100).toFixed(0)}% wall, ${((cpuRate(scs) / cpuRate(fls)) * 100).toFixed(0)}% per CPU-second`,
    );
  }
  // The same ratios round by round: a round's floor and scanner runs are seconds apart, so each
  // pair shares the VM's speed of the moment (the medians above may come from different rounds).
  const paired = (floors: readonly string[], scanner: string): number[] => {
    const out: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const f = floors.map((m) => runs.get(m)?.[i]).filter((r): r is ChildResult => !!r && !r.extra?.skipped);
      const s = runs.get(scanner)?.[i];
      if (f.length && s) out.push(rate(s) / Math.max(...f.map(rate)));
    }
    return out;
  };
  for (const [label, floors, scanner] of [
    ["first scan", ["floor", "floor-inline"], "scanner"],
    ["first scan, with the CLI's V8 settings", ["floor-cli", "floor-inline-cli"], "scanner-cli"],
    ["steady state", ["floor-steady", "floor-inline-steady"], "scanner-steady"],
    ["digest-checked", ["floor-verified"], "scanner-verified"],
  ] as const) {
    const p = paired(floors, scanner);
    if (p.length > 1) {
      const sorted = [...p].sort((a, b) => a - b);
      console.log(`scanner / floor round by round (${label}): ${p.map((x) => `${(x * 100).toFixed(0)}%`).join(", ")}; median ${((sorted[(sorted.length - 1) >> 1] as number) * 100).toFixed(0)}%`);
    }
  }
  const fv = get("floor-verified");
  const sv = get("scanner-verified");
  if (fv && sv) {
    console.log(
      `with the registry client's digest check (SHA-256 on the main thread), scanner-verified / floor-verified: ${((rate(sv) / rate(fv)) * 100).toFixed(0)}% wall; scanner ${sc ? `${rate(sc).toFixed(1)} MB/s unverified, ` : ""}${rate(sv).toFixed(1)} MB/s verified`,
    );
    const errs = (sv.extra?.errors ?? []) as unknown[];
    if (errs.length) console.log(`scanner-verified layer errors: ${JSON.stringify(errs)}`);
  }
  const sx = get("scanner-expand-docs");
  if (fl && sx) console.log(`scanner --expand-package-docs / floor: ${((rate(sx) / rate(fl)) * 100).toFixed(0)}% wall, ${((cpuRate(sx) / cpuRate(fl)) * 100).toFixed(0)}% per CPU-second`);
  if (sc && sl) console.log(`scanner / secretlint: ${(rate(sc) / rate(sl)).toFixed(1)}× wall, ${(cpuRate(sc) / cpuRate(sl)).toFixed(1)}× per CPU-second (goal ≥ 10×; secretlint measured on the subset, per MB)`);
  if (sl) console.log(`secretlint reported ${String(sl.extra?.messages)} messages on the subset`);
  const fz = get("floor-zstd");
  const sz = get("scanner-zstd");
  if (fz && sz) console.log(`zstd layer (fzstd, pure JS): floor ${rate(fz).toFixed(1)} MB/s, scanner ${rate(sz).toFixed(1)} MB/s`);
  if (sc) {
    const f = (sc.extra?.findings ?? []) as Array<{ detector: string; severity: string; path: string; line: number; masked: string; locations: number }>;
    console.log(`\nscanner: ${String(sc.extra?.filesScanned)} text files scanned, ${f.length} findings on the real-world corpus (review for false positives):`);
    for (const x of f) console.log(`  ${x.severity.padEnd(8)} ${x.detector.padEnd(28)} ${x.path}:${x.line}  ${x.masked}${x.locations > 1 ? `  (+${x.locations - 1} more)` : ""}`);
    const errs = (sc.extra?.errors ?? []) as unknown[];
    if (errs.length) console.log(`scanner layer errors: ${JSON.stringify(errs)}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
