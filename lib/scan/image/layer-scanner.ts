// Scans one layer stream: decompress → tar (in-stream) → per-file sniffing → detectors, opening
// nested archives to a bounded depth. Raw secrets leave this file only as fingerprint + mask.
import zlib from "node:zlib";
import type { Readable } from "node:stream";
import type { AttributionHint, DetectFn, DetectorMatch, Severity } from "../types";
import { fingerprint, mask } from "../fingerprint";
import { decompressStream, type DecompressLimits, type DecompressStats } from "./decompress";
import type { ScanLimits } from "./limits";
import { normaliseLayerPath } from "./paths";
import { isClassFile, SNIFF_BYTES, SURE_BYTES, sniffContent, surelyBinary, type ContentKind } from "./sniff";
import { TarParser, type TarEntry, type TarEntrySink } from "./tar";
import { readZipDirectory, readZipEntry, zipEntryHead } from "./zip";

export type { DetectFn } from "../types";

/** A detector hit with the secret already reduced to fingerprint + mask. */
export interface LayerHit {
  detector: string;
  provider: string;
  severity: Severity;
  fingerprint: string;
  masked: string;
  hints: AttributionHint[];
  /** display path, "/app/lib.jar!/config.properties" for nested content */
  path: string;
  /** normalised path of the top-level file in the layer, for whiteout tracking */
  fsPath: string;
  line: number;
}

export interface LayerScanResult {
  hits: LayerHit[];
  filesScanned: number;
  /** uncompressed bytes of the layer tar read */
  bytesScanned: number;
  compression: DecompressStats["compression"];
  /** why the layer scan ended early, if it did */
  error: string | null;
  /** non-fatal observations (skipped oversized files, neutralised paths, nested archive issues) */
  notices: string[];
}

export interface LayerScanOptions {
  limits: ScanLimits;
  /** null: walk paths only (whiteout tracking for a layer already scanned) */
  detect: DetectFn | null;
  /** every top-level entry, normalised, in order */
  onEntry?: (path: string, isDirectory: boolean) => void;
  onBytes?: (uncompressed: number) => void;
}

/** Converts matches to hits immediately so the raw values go out of scope here. */
export function toHits(matches: DetectorMatch[], path: string, fsPath: string): LayerHit[] {
  return matches.map((m) => ({
    detector: m.detector,
    provider: m.provider,
    severity: m.severity,
    fingerprint: fingerprint(m.secret),
    masked: mask(m.secret),
    hints: m.hints,
    path,
    fsPath,
    line: m.line,
  }));
}

const MAX_NOTICES = 50;
/** detectBytes' answer for the many texts without a live keyword hit (never mutated) */
const NO_MATCHES: DetectorMatch[] = [];

/** one text handed to detectors: below V8's 128 KiB large-object threshold for strings */
const SLICE_BYTES = 112 * 1024;
/** consecutive slices share at least this much: longer than any match (PEM blocks, lines ≤ 4 KiB) */
const SLICE_OVERLAP = 16 * 1024;
/** how far back from a slice's nominal start to look for a line start */
const LINE_SEARCH = 4096;

function hasHighChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

/** at most this many output bytes of nested gunzips in flight on the thread pool at once */
const MAX_INFLIGHT_BYTES = 48 * 1024 * 1024;
const MAX_INFLIGHT_JOBS = 32;

class ScanState {
  /** hits with the layer-order index of the top-level file they came from */
  hits: { seq: number; hit: LayerHit }[] = [];
  /** layer-order index of the top-level file whose content is being scanned */
  seq = 0;
  filesScanned = 0;
  nestedBytes = 0;
  /** output bytes reserved by nested gunzips still running on the thread pool */
  private inflightBytes = 0;
  private inflight = new Set<Promise<void>>();
  notices: string[] = [];
  absolutePaths = 0;
  escapedPaths = 0;
  /** compressed package documentation files left unexpanded (see ScanLimits.expandPackageDocs) */
  packageDocsSkipped = 0;
  constructor(
    readonly limits: ScanLimits,
    readonly detect: DetectFn,
  ) {}

  notice(msg: string): void {
    if (this.notices.length < MAX_NOTICES) this.notices.push(msg);
    else if (this.notices.length === MAX_NOTICES) this.notices.push("further notices omitted");
  }

  scanText(buf: Buffer, path: string, fsPath: string): void {
    if (buf.length === 0) return;
    this.filesScanned++;
    // Large files are scanned in overlapping slices (a file up to SLICE_BYTES is one slice) so
    // that every string stays below V8's large-object size: big one-byte strings in the old
    // generation forced a full GC every few MB of text (~10% of a scan). Any match up to
    // SLICE_OVERLAP long lies wholly inside one slice; slices start at a line start when one is
    // near, so line-based rules see whole lines.
    let seen: Set<string> | undefined;
    let linesBefore = 0;
    let counted = 0;
    for (let start = 0; ; ) {
      const end = Math.min(buf.length, start + SLICE_BYTES);
      const matches = this.detectBytes(start === 0 && end === buf.length ? buf : buf.subarray(start, end), path);
      if (matches === null) return;
      if (matches.length) {
        // lines before this slice, counted only when a slice has something to report
        for (let i = buf.indexOf(10, counted); i !== -1 && i < start; i = buf.indexOf(10, i + 1)) linesBefore++;
        counted = start;
        for (const h of toHits(matches, path, fsPath)) {
          h.line += linesBefore;
          const key = `${h.detector}\0${h.fingerprint}\0${h.line}`;
          seen ??= new Set();
          if (seen.has(key)) continue; // found again in the overlap
          seen.add(key);
          this.hits.push({ seq: this.seq, hit: h });
        }
      }
      if (end === buf.length) return;
      let next = end - SLICE_OVERLAP;
      const nl = buf.subarray(next - LINE_SEARCH, next).lastIndexOf(10);
      if (nl !== -1) next = next - LINE_SEARCH + nl + 1;
      start = next;
    }
  }

  /** Detectors over one text; null when they failed (recorded as a notice). */
  private detectBytes(buf: Buffer, path: string): DetectorMatch[] | null {
    try {
      // files without a live keyword hit are never turned into strings (82% of the text bytes
      // of the benchmark image: most hits there are "://" without credentials, AKIA in base64)
      if (this.detect.gate && !this.detect.gate(buf, path)) return NO_MATCHES;
      // Decode as latin1 first: byte-for-char, several times faster than UTF-8 on non-ASCII
      // text, and it yields one-byte strings that regexes scan faster. ASCII secrets are
      // identical either way; if a match contains a non-ASCII char, rescan as UTF-8 so the
      // fingerprint covers the secret exactly as it appears.
      const matches = this.detect(buf.toString("latin1"), { source: "file", path }, buf);
      if (matches.some((m) => hasHighChar(m.secret))) return this.detect(buf.toString("utf8"), { source: "file", path });
      return matches;
    } catch (e) {
      // a detector bug must not end the layer; the message never contains file content
      this.notice(`detector failure on ${path}: ${e instanceof Error ? e.name : "error"}`);
      return null;
    }
  }

  get busy(): boolean {
    return this.inflight.size > 0 && (this.inflight.size >= MAX_INFLIGHT_JOBS || this.inflightBytes >= MAX_INFLIGHT_BYTES / 2);
  }

  /** Resolves when at least one in-flight gunzip has finished (or none is running). */
  async settleOne(): Promise<void> {
    if (this.inflight.size) await Promise.race(this.inflight);
  }

  async settleAll(): Promise<void> {
    while (this.inflight.size) await Promise.race(this.inflight);
  }

  /**
   * Top-level .gz files (man pages, changelogs, logs …) are inflated on libuv's thread pool so
   * the main thread keeps scanning meanwhile; their content is then scanned on the main thread
   * exactly as a synchronous inflate would be, tagged with the file's layer order. Output bytes
   * in flight are capped; past the cap the inflate runs synchronously.
   */
  private gunzipAsync(buf: Buffer, budget: number, chunkSize: number, done: (out: Buffer | null, err: unknown) => void): boolean {
    if (this.inflight.size >= MAX_INFLIGHT_JOBS || this.inflightBytes + chunkSize > MAX_INFLIGHT_BYTES) return false;
    const seq = this.seq;
    this.inflightBytes += chunkSize;
    const job: Promise<void> = new Promise<void>((resolve) => {
      // a copy: `buf` may be a view into a layer chunk that is reused before the inflate ends
      zlib.gunzip(Buffer.from(buf), { maxOutputLength: budget, chunkSize }, (err, out) => {
        this.inflightBytes -= chunkSize;
        this.inflight.delete(job);
        const prevSeq = this.seq;
        this.seq = seq;
        try {
          done(err ? null : out, err);
        } finally {
          this.seq = prevSeq;
          resolve();
        }
      });
    });
    this.inflight.add(job);
    return true;
  }

  /** Content fully in memory (from a nested archive): classify and scan. */
  scanBuffer(buf: Buffer, path: string, fsPath: string, depth: number): void {
    const kind = sniffContent(buf, path);
    switch (kind) {
      case "text":
        this.scanText(buf.length > this.limits.maxFileBytes ? buf.subarray(0, this.limits.maxFileBytes) : buf, path, fsPath);
        return;
      case "zip":
      case "gzip":
      case "tar":
        if (depth >= this.limits.maxNestedDepth) {
          this.notice(`${path}: nested archive beyond depth ${this.limits.maxNestedDepth} not opened`);
          return;
        }
        this.openArchive(kind, buf, path, fsPath, depth);
        return;
      default:
        return;
    }
  }

  /** Opens a nested archive held in memory; its entries are at depth + 1. */
  openArchive(kind: ContentKind, buf: Buffer, path: string, fsPath: string, depth: number): void {
    try {
      if (kind === "zip") {
        const entries = readZipDirectory(buf, this.limits.maxZipEntries);
        for (const e of entries) {
          if (e.isDirectory) continue;
          const budget = this.limits.maxNestedTotalBytes - this.nestedBytes;
          if (budget <= 0) {
            this.notice(`${path}: nested-archive byte budget exhausted`);
            return;
          }
          const inner = `${path}!/${normaliseLayerPath(e.name).path}`;
          // Most of a jar is Java classes: a member named .class whose first 4 bytes are the class
          // magic is dropped after a table-free partial decode (~2x cheaper than the 263 bytes below,
          // which only a tar needs — "ustar" at 257 — and a .class starting 0xCAFEBABE is taken for
          // a class file).
          if (e.name.endsWith(".class") && isClassFile(zipEntryHead(buf, e, 4))) continue;
          // A member whose first bytes already make it a binary is dropped without inflating it, as
          // sniffing it would drop it: decoding 263 bytes costs a fraction of a zlib inflate's set-up.
          const head = zipEntryHead(buf, e, SURE_BYTES);
          if (head && surelyBinary(head, head.length < SURE_BYTES, inner)) continue;
          const r = readZipEntry(buf, e, Math.min(budget, Math.max(this.limits.maxFileBytes, this.limits.maxNestedExpandBytes)));
          if (!r) continue;
          this.nestedBytes += r.data.length;
          if (r.truncated && r.data.length === 0) {
            this.notice(`${path}!/${e.name}: entry larger than the cap, skipped`);
            continue;
          }
          this.scanBuffer(r.data, inner, fsPath, depth + 1);
        }
      } else if (kind === "gzip") {
        const budget = Math.min(this.limits.maxNestedExpandBytes, this.limits.maxNestedTotalBytes - this.nestedBytes);
        if (budget <= 0) {
          this.notice(`${path}: nested-archive byte budget exhausted`);
          return;
        }
        // Size the output chunk from the gzip trailer's ISIZE (untrusted, so clamped to the
        // budget): one output buffer instead of 16 KiB pieces concatenated at the end — ~30% less
        // CPU on /usr/share/doc-style .gz files. A wrong ISIZE only changes the chunking.
        const isize = buf.length >= 18 ? buf.readUInt32LE(buf.length - 4) : 0;
        const chunkSize = Math.max(64 * 1024, Math.min(isize + 1024, budget + 1));
        const inflated = (out: Buffer | null, e: unknown): void => {
          if (!out) {
            const code = (e as { code?: string }).code;
            if (code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) this.notice(`${path}: expands beyond ${budget} bytes, skipped`);
            else this.notice(`${path}: nested archive not readable (${e instanceof Error ? e.message : "error"})`);
            return;
          }
          this.nestedBytes += out.length;
          const inner = path.replace(/\.tgz$/i, ".tar").replace(/\.gz$/i, "");
          const innerName = inner.slice(inner.lastIndexOf("/") + 1) || "content";
          try {
            // a gzip holds one file; if that file is a tar its entries are already one level down
            if (sniffContent(out, innerName) === "tar") this.walkTarBuffer(out, path, fsPath, depth + 1);
            else this.scanBuffer(out, `${path}!/${innerName}`, fsPath, depth + 1);
          } catch (err) {
            this.notice(`${path}: nested archive not readable (${err instanceof Error ? err.message : "error"})`);
          }
        };
        // only a layer's own .gz files go to the thread pool: their content then scans in one
        // synchronous batch, so hits keep the layer's file order
        if (depth === 0 && this.gunzipAsync(buf, budget, chunkSize, inflated)) return;
        let out: Buffer;
        try {
          out = zlib.gunzipSync(buf, { maxOutputLength: budget, chunkSize });
        } catch (e) {
          inflated(null, e);
          return;
        }
        inflated(out, null);
      } else if (kind === "tar") {
        this.walkTarBuffer(buf, path, fsPath, depth + 1);
      }
    } catch (e) {
      this.notice(`${path}: nested archive not readable (${e instanceof Error ? e.message : "error"})`);
    }
  }

  private walkTarBuffer(buf: Buffer, path: string, fsPath: string, depth: number): void {
    const p = new TarParser(
      { entry: (e) => (e.type === "file" ? new FileSink(this, `${path}!/${normaliseLayerPath(e.name).path}`, fsPath, depth, e.size) : null) },
      { maxEntries: this.limits.maxEntries, maxMetaHeaderBytes: this.limits.maxMetaHeaderBytes },
    );
    p.write(buf);
    p.end();
  }
}

/** where distributions' package managers put compressed man pages, info pages and changelogs */
const PACKAGE_DOCS = /^usr\/share\/(doc|man|info)\//;

/** Receives one file's data from the tar parser, deciding early what to keep. */
class FileSink implements TarEntrySink {
  private chunks: Buffer[] = [];
  /** chunks[0..owned) are copies; the rest are views into the current layer chunk */
  private owned = 0;
  private len = 0;
  /**
   * A kept file that outlives the layer chunk it started in is copied once into this buffer,
   * sized from the tar header (capped as the kept bytes are), instead of a copy per chunk joined
   * again at the end: on the benchmark image 121 MB of per-chunk copies, then 166 MB of joins.
   */
  private acc: Buffer | null = null;
  /** bytes of the entry seen so far (kept or not) */
  private received = 0;
  private kind: ContentKind | null = null;
  private skip = false;
  private truncated = false;
  private nestedTar: TarParser | null = null;

  constructor(
    private readonly st: ScanState,
    private readonly path: string,
    private readonly fsPath: string,
    private readonly depth: number,
    private readonly size: number,
    /** layer-order index (top-level files only) */
    private readonly seq = 0,
  ) {
    if (size === 0) this.skip = true;
    // the tar stream is sequential: until the next top-level header, hits belong to this file
    // (thread-pool callbacks that run in between set and restore their own index)
    if (depth === 0) st.seq = seq;
  }

  data(chunk: Buffer): void {
    if (this.skip) return;
    this.received += chunk.length;
    if (this.nestedTar) {
      this.feedNested(chunk);
      return;
    }
    if (this.kind === null) {
      this.append(chunk);
      if (this.len >= SNIFF_BYTES || this.len >= this.size) this.decide();
    } else this.keep(chunk);
    // the layer's chunks are reused once the parser is done with them (decompress reuseChunks):
    // what this entry still needs after this write must be a copy
    if (this.received < this.size) this.own();
  }


  private own(): void {
    if (this.acc) return; // everything kept is already in it
    const kind = this.kind;
    if (kind === "text" || kind === "zip" || kind === "gzip") {
      // decided, and kept beyond this chunk: from now on bytes go straight into one buffer
      const cap = kind === "text" ? Math.min(this.size, this.st.limits.maxFileBytes) : this.size;
      const acc = Buffer.allocUnsafe(Math.max(cap, this.len));
      let at = 0;
      for (const c of this.chunks) {
        acc.set(c, at);
        at += c.length;
      }
      this.acc = acc;
      this.chunks = [];
      this.owned = 0;
      return;
    }
    for (let i = this.owned; i < this.chunks.length; i++) this.chunks[i] = Buffer.from(this.chunks[i] as Buffer);
    this.owned = this.chunks.length;
  }

  /**
   * Appends kept bytes: into the accumulator once there is one, else as a chunk (most files
   * arrive in one piece: a one-element array instead of push()'s default capacity).
   */
  private append(c: Buffer): void {
    if (this.acc) this.acc.set(c, this.len);
    else if (this.chunks.length === 0) this.chunks = [c];
    else this.chunks.push(c);
    this.len += c.length;
  }

  private decide(): void {
    const head = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.len);
    const kind = sniffContent(head, this.path);
    this.kind = kind;
    const lim = this.st.limits;
    if (kind === "binary" || kind === "zstd") return this.drop();
    if (kind === "gzip" && this.depth === 0 && !lim.expandPackageDocs && PACKAGE_DOCS.test(this.fsPath)) {
      this.st.packageDocsSkipped++;
      return this.drop();
    }
    if (kind === "zip" || kind === "gzip" || kind === "tar") {
      if (this.depth >= lim.maxNestedDepth) {
        this.st.notice(`${this.path}: nested archive beyond depth ${lim.maxNestedDepth} not opened`);
        return this.drop();
      }
      if (kind === "tar") {
        // an uncompressed tar streams straight into a nested parser: no buffering
        const chunks = this.chunks;
        this.chunks = [];
        this.owned = 0;
        this.len = 0;
        this.nestedTar = new TarParser(
          {
            entry: (e: TarEntry) =>
              e.type === "file" ? new FileSink(this.st, `${this.path}!/${normaliseLayerPath(e.name).path}`, this.fsPath, this.depth + 1, e.size) : null,
          },
          { maxEntries: lim.maxEntries, maxMetaHeaderBytes: lim.maxMetaHeaderBytes },
        );
        for (const c of chunks) this.feedNested(c);
        return;
      }
      if (this.size > lim.maxNestedArchiveBytes) {
        this.st.notice(`${this.path}: nested archive of ${this.size} bytes exceeds the ${lim.maxNestedArchiveBytes}-byte cap, not opened`);
        return this.drop();
      }
      return; // keep buffering the whole (bounded) archive
    }
    // text: keep up to the per-file cap
    if (this.len > lim.maxFileBytes) {
      const all = Buffer.concat(this.chunks, this.len).subarray(0, lim.maxFileBytes);
      this.chunks = [all];
      this.owned = 1;
      this.len = all.length;
      this.truncated = true;
    }
  }

  private keep(chunk: Buffer): void {
    if (this.kind === "text") {
      const room = this.st.limits.maxFileBytes - this.len;
      if (room <= 0) {
        this.truncated = true;
        return;
      }
      const c = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (c.length < chunk.length) this.truncated = true;
      this.append(c);
      return;
    }
    // zip/gzip: never more than the header's size (the tar parser hands over exactly that)
    this.append(chunk);
  }

  private feedNested(chunk: Buffer): void {
    try {
      this.nestedTar?.write(chunk);
    } catch (e) {
      this.st.notice(`${this.path}: nested tar not readable (${e instanceof Error ? e.message : "error"})`);
      this.nestedTar = null;
      this.drop();
    }
  }

  private drop(): void {
    this.skip = true;
    this.chunks = [];
    this.owned = 0;
    this.len = 0;
    this.acc = null;
  }

  end(): void {
    if (this.skip) return;
    if (this.nestedTar) {
      try {
        this.nestedTar.end();
      } catch (e) {
        this.st.notice(`${this.path}: nested tar not readable (${e instanceof Error ? e.message : "error"})`);
      }
      this.nestedTar = null;
      return;
    }
    if (this.kind === null) this.decide();
    if (this.skip) return;
    const buf = this.acc ? this.acc.subarray(0, this.len) : this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.len);
    this.chunks = [];
    this.acc = null;
    if (this.kind === "text") {
      if (this.truncated) this.st.notice(`${this.path}: larger than ${this.st.limits.maxFileBytes} bytes, scanned up to the cap`);
      this.st.scanText(buf, this.path, this.fsPath);
    } else if (this.kind === "zip" || this.kind === "gzip") {
      if (buf.length < this.size) return; // truncated by the end of the stream; parsing would fail
      this.st.openArchive(this.kind, buf, this.path, this.fsPath, this.depth);
    }
  }
}

/**
 * How a layer blob is decompressed under `limits`, for a consumer that keeps no view into a chunk
 * once it asks for the next one: the tar parser, and FileSink, which copies what outlives a write.
 * The benchmark's floor decompresses the same way.
 */
export function layerDecompressLimits(limits: ScanLimits): DecompressLimits {
  return {
    maxBytes: limits.maxLayerBytes,
    maxRatio: limits.maxRatio,
    ratioGraceBytes: limits.ratioGraceBytes,
    maxZstdWindow: limits.maxZstdWindow,
    gunzip: limits.gunzipOnWorker ? "worker" : "inline",
    reuseChunks: true,
  };
}

/**
 * Scans one layer blob stream. Never throws for bad content: a layer that cannot be read to
 * the end reports `error` and keeps whatever it found before the failure.
 */
export async function scanLayerStream(blob: Readable | AsyncIterable<Buffer>, opts: LayerScanOptions): Promise<LayerScanResult> {
  const { limits } = opts;
  const detect: DetectFn = opts.detect ?? (() => []);
  const st = new ScanState(limits, detect);
  const walkOnly = opts.detect === null;
  const stats: DecompressStats = { compression: "none", compressedBytes: 0, uncompressedBytes: 0 };
  let error: string | null = null;
  let fileSeq = 0;

  const parser = new TarParser(
    {
      entry: (e: TarEntry) => {
        const n = normaliseLayerPath(e.name);
        if (n.absolute) st.absolutePaths++;
        if (n.escaped) st.escapedPaths++;
        if (n.path === "") return null;
        opts.onEntry?.(n.path, e.type === "directory");
        if (walkOnly || e.type !== "file") return null; // links, devices, fifos: metadata only, never followed
        return new FileSink(st, `/${n.path}`, n.path, 0, e.size, ++fileSeq);
      },
    },
    { maxEntries: limits.maxEntries, maxMetaHeaderBytes: limits.maxMetaHeaderBytes },
  );

  try {
    for await (const chunk of decompressStream(blob, layerDecompressLimits(limits), stats)) {
      parser.write(chunk);
      opts.onBytes?.(chunk.length);
      if (st.busy) await st.settleOne();
    }
    parser.end();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  // nested .gz files still inflating: their content is part of this layer, even after an error
  await st.settleAll();
  // thread-pool inflates finish out of order: restore the layer's file order (stable sort)
  const hits = st.hits.sort((a, b) => a.seq - b.seq).map((h) => h.hit);
  if (st.absolutePaths) st.notice(`${st.absolutePaths} entries had absolute paths (treated as relative to the root)`);
  if (st.packageDocsSkipped) {
    st.notice(`${st.packageDocsSkipped} compressed package documentation files under /usr/share/{doc,man,info} not expanded (expandPackageDocs is off)`);
  }
  if (st.escapedPaths) st.notice(`${st.escapedPaths} entries had "../" climbing above the root (clamped; nothing is written to disk)`);
  return {
    hits,
    filesScanned: st.filesScanned,
    bytesScanned: stats.uncompressedBytes,
    compression: stats.compression,
    error,
    notices: st.notices,
  };
}
