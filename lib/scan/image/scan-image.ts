// Scans one image reference: every selected platform's config, then its layers in order as
// streams, tracking whiteouts/overwrites across layers. Layer failures are recorded and the scan
// goes on; only a failure to resolve the image at all rejects.
import { AppError } from "../../errors";
import type { PlatformImage, RegistryReader, ImageConfig, Platform } from "../../hub/types";
import type { FindingLocationOut, FindingSource, ImageScanResult, ScanError } from "../types";
import { aggregateFindings, type LocatedHit } from "./aggregate";
import { holdGcBallast } from "./gc-ballast";
import { LayerHistory, type FileRecord } from "./history";
import { scanLayerStream, toHits, type DetectFn, type LayerScanResult } from "./layer-scanner";
import { resolveLimits, type ScanLimits } from "./limits";
import { SCANNER_VERSION } from "../version";

export interface ScanProgress {
  platform: string;
  layerIndex: number;
  layerCount: number;
  layerDigest: string;
  /** uncompressed bytes read so far in this layer */
  bytes: number;
  phase: "start" | "bytes" | "done";
}

export interface ScanImageOptions {
  registry: RegistryReader;
  /** "all" (default) or "os/arch[/variant]" */
  platform?: string;
  /** detector entry point; defaults to the built-in detector set */
  detect?: DetectFn;
  limits?: Partial<ScanLimits>;
  onProgress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
}

export interface ParsedImageRef {
  repository: string;
  reference: string;
}

const REF_RE = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?([a-z0-9][a-z0-9._/-]{0,254})(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** "ns/repo", "ns/repo:tag", "ns/repo@sha256:…" (a bare "repo" is an official image). */
export function parseImageRef(ref: string): ParsedImageRef {
  const m = REF_RE.exec(ref.trim());
  if (!m || m[1]?.endsWith("/") || m[1]?.includes("//")) {
    throw new AppError("INVALID_INPUT", `invalid image reference ${JSON.stringify(ref.slice(0, 200))}: expected namespace/repo[:tag|@digest]`);
  }
  const name = m[1] as string;
  const repository = name.includes("/") ? name : `library/${name}`;
  return { repository, reference: m[3] ?? m[2] ?? "latest" };
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

let builtinDetect: DetectFn | null = null;
async function defaultDetect(): Promise<DetectFn> {
  if (!builtinDetect) {
    const mod = (await import("../detectors")) as { scanText: DetectFn };
    builtinDetect = mod.scanText;
  }
  return builtinDetect;
}

function isNonDistributable(mediaType: string): boolean {
  return /foreign|nondistributable/i.test(mediaType);
}

interface PendingHit {
  hit: Omit<LocatedHit, "location">;
  location: Omit<FindingLocationOut, "deleted">;
  record: FileRecord | null;
}

/** Config sources: one detector call per entry; `line` is the 1-based index of the entry. */
function scanConfig(config: ImageConfig, platform: string, detect: DetectFn, out: PendingHit[]): number {
  let files = 0;
  const run = (text: string, source: FindingSource, path: string | null, line: number) => {
    if (!text) return;
    files++;
    for (const h of toHits(detect(text, { source }), path ?? "", "")) {
      out.push({
        hit: { detector: h.detector, provider: h.provider, severity: h.severity, fingerprint: h.fingerprint, masked: h.masked, hints: h.hints },
        location: { source, path, line, layerDigest: null, platform },
        record: null,
      });
    }
  };
  const c = config.config ?? {};
  (c.Env ?? []).forEach((e, i) => {
    const eq = e.indexOf("=");
    run(e, "env", eq > 0 ? e.slice(0, eq) : e, i + 1);
  });
  Object.entries(c.Labels ?? {}).forEach(([k, v], i) => run(`${k}=${v}`, "label", k, i + 1));
  const argv = (v: string[] | string | null | undefined) => (Array.isArray(v) ? v.join(" ") : (v ?? ""));
  run(argv(c.Entrypoint), "cmd", "Entrypoint", 1);
  run(argv(c.Cmd), "cmd", "Cmd", 1);
  (config.history ?? []).forEach((h, i) => run(h.created_by ?? "", "history", null, i + 1));
  return files;
}

export async function scanImage(ref: string, opts: ScanImageOptions): Promise<ImageScanResult> {
  const started = Date.now();
  holdGcBallast();
  const { repository, reference } = parseImageRef(ref);
  const limits = resolveLimits(opts.limits);
  const detect = opts.detect ?? (await defaultDetect());
  const registry = opts.registry;
  const signal = opts.signal;

  const resolved = await registry.resolveImage(repository, reference, { platform: opts.platform ?? "all", signal });
  if (resolved.platforms.length === 0) {
    throw new AppError("NOT_FOUND", `no image for platform ${opts.platform ?? "all"} in ${repository}:${reference}`);
  }

  const errors: ScanError[] = [];
  const extraNotices: ScanError[] = [];
  const pending: PendingHit[] = [];
  const layerCache = new Map<string, LayerScanResult>();
  let filesScanned = 0;
  let bytesScanned = 0;

  const scanPlatform = async (p: PlatformImage) => {
    const platform = formatPlatform(p.platform);
    try {
      const config = await registry.getConfig(repository, p.config, { signal });
      filesScanned += scanConfig(config, platform, detect, pending);
    } catch (e) {
      errors.push({ layerDigest: p.config.digest, platform, message: `config: ${e instanceof Error ? e.message : String(e)}` });
    }

    const history = new LayerHistory();
    for (const [i, layer] of p.layers.entries()) {
      signal?.throwIfAborted();
      history.beginLayer(i);
      if (isNonDistributable(layer.mediaType)) {
        // foreign layers (Windows base images) live off-Hub and are not the publisher's content
        extraNotices.push({ layerDigest: layer.digest, platform, message: "non-distributable (foreign) layer not downloaded" });
        continue;
      }
      const progress = (phase: ScanProgress["phase"], bytes: number) =>
        opts.onProgress?.({ platform, layerIndex: i, layerCount: p.layers.length, layerDigest: layer.digest, bytes, phase });
      let result = layerCache.get(layer.digest);
      if (result && history.hasLive) {
        // shared with an already-scanned platform: its findings are known, but whiteouts in it may
        // hide this platform's earlier files, so walk its paths (no detection)
        try {
          const blob = await registry.openBlob(repository, layer.digest, { signal });
          await scanLayerStream(blob, { limits, detect: null, onEntry: (path, dir) => history.onEntry(path, dir) });
        } catch {
          /* the error was recorded when the layer was first scanned */
        }
      }
      if (!result) {
        progress("start", 0);
        let seen = 0;
        let lastReport = 0;
        try {
          const blob = await registry.openBlob(repository, layer.digest, { signal });
          result = await scanLayerStream(blob, {
            limits,
            detect,
            onEntry: (path, dir) => history.onEntry(path, dir),
            onBytes: (n) => {
              seen += n;
              if (seen - lastReport >= 16 * 1024 * 1024) {
                lastReport = seen;
                progress("bytes", seen);
              }
            },
          });
        } catch (e) {
          if (signal?.aborted) throw e;
          result = { hits: [], filesScanned: 0, bytesScanned: 0, compression: "none", error: e instanceof Error ? e.message : String(e), notices: [] };
        }
        layerCache.set(layer.digest, result);
        filesScanned += result.filesScanned;
        bytesScanned += result.bytesScanned;
        if (result.error) errors.push({ layerDigest: layer.digest, platform, message: result.error });
        progress("done", seen);
      }
      for (const h of result.hits) {
        pending.push({
          hit: { detector: h.detector, provider: h.provider, severity: h.severity, fingerprint: h.fingerprint, masked: h.masked, hints: h.hints },
          location: { source: "file", path: h.path, line: h.line, layerDigest: layer.digest, platform },
          record: history.add(h.fsPath, i),
        });
      }
    }
  };

  // Platforms one after another: layers of one platform must be walked in order, and running
  // several platforms at once would multiply peak memory.
  for (const p of resolved.platforms) await scanPlatform(p);

  const located: LocatedHit[] = pending.map((p) => ({ ...p.hit, location: { ...p.location, deleted: p.record?.deleted ?? false } }));
  const notices = [
    ...extraNotices,
    ...[...layerCache.entries()].flatMap(([digest, r]) => r.notices.map((message) => ({ layerDigest: digest, platform: null, message }))),
  ];

  return {
    image: reference.startsWith("sha256:") ? `${repository}@${reference}` : `${repository}:${reference}`,
    digest: resolved.digest,
    platforms: resolved.platforms.map((p) => formatPlatform(p.platform)),
    findings: aggregateFindings(located),
    stats: { layers: layerCache.size, filesScanned, bytesScanned, durationMs: Date.now() - started },
    errors,
    notices,
    // a scan with non-default limits is not the standard scan of this digest (never cache-reused)
    scannerVersion: opts.limits && Object.keys(opts.limits).length > 0 ? `${SCANNER_VERSION}+custom-limits` : SCANNER_VERSION,
  };
}
