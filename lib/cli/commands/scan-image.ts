// `stowaway scan-image <namespace/repo[:tag|@digest]> [--registry-url URL] [--platform os/arch|all]
//   [--format json|table|sarif] [--expand-package-docs]`
// Exit 0 when the scan completed (with or without findings, and even if some layers failed —
// those are listed under `errors`), 2 when the image could not be scanned at all or on bad input.
import { parseArgs } from "node:util";
import { createRegistryReader } from "../../hub";
import { scanImage, tuneV8ForOneShotScan, type ScanProgress } from "../../scan";
import type { ImageScanResult, ScanFinding } from "../../scan/types";

const USAGE = `usage: stowaway scan-image <namespace/repo[:tag|@digest]> [options]

Scans every layer and the config of an image (all platforms by default) for secrets. Raw secret
values are never printed: each finding carries a SHA-256 fingerprint and a masked preview.

options:
  --registry-url URL          registry base (default $STOWAWAY_REGISTRY_URL or https://registry-1.docker.io)
  --platform os/arch|all      one platform, e.g. linux/arm64 (default all)
  --format json|table|sarif   output format (default json)
  --expand-package-docs       also expand the compressed man/info pages and changelogs that
                              package managers install under /usr/share/{doc,man,info}

Credentials: STOWAWAY_HUB_USERNAME + STOWAWAY_HUB_TOKEN (optional) authenticate registry pulls.
Exit status: 0 scan completed (findings or not; failed layers are listed in "errors"), 2 error.
`;

function fail(msg: string): number {
  process.stderr.write(`stowaway scan-image: ${msg}\n`);
  return 2;
}

function registryUrl(v: string | undefined): string | Error {
  const raw = v || process.env.STOWAWAY_REGISTRY_URL || "https://registry-1.docker.io";
  try {
    const u = new URL(raw);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    return raw.replace(/\/+$/, "");
  } catch {
    return new Error(`registry URL must be an absolute http(s) URL`);
  }
}

/** JSON shape of the CLI (stable): the contract fields first, then all locations and errors. */
export function toJson(r: ImageScanResult) {
  return {
    image: r.image,
    digest: r.digest,
    platforms: r.platforms,
    findings: r.findings.map((f) => ({
      detector: f.detector,
      severity: f.severity,
      source: f.source,
      path: f.path,
      line: f.line,
      layerDigest: f.layerDigest,
      platform: f.platform,
      deleted: f.deleted,
      fingerprint: f.fingerprint,
      masked: f.masked,
      locations: f.locations,
    })),
    stats: r.stats,
    errors: r.errors,
  };
}

const short = (d: string | null) => (d ? d.replace(/^sha256:/, "").slice(0, 12) : "-");

function where(f: { source: string; path: string | null; line: number | null }): string {
  if (f.source === "file") return `${f.path}${f.line ? `:${f.line}` : ""}`;
  if (f.source === "history") return `history[${f.line}]`;
  return `${f.source}${f.path ? ` ${f.path}` : ""}`;
}

export function toTable(r: ImageScanResult): string {
  const lines: string[] = [];
  lines.push(`${r.image}  ${r.digest}`);
  lines.push(`platforms: ${r.platforms.join(", ")}`);
  lines.push(
    `${r.stats.layers} layers, ${r.stats.filesScanned} files, ${(r.stats.bytesScanned / 1e6).toFixed(1)} MB scanned in ${(r.stats.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push("");
  if (r.findings.length === 0) lines.push("no secrets found");
  else {
    const rows = r.findings.map((f) => [
      f.severity,
      f.detector,
      where(f),
      short(f.layerDigest),
      f.platform,
      f.deleted ? "deleted" : "present",
      f.masked,
      f.locations.length > 1 ? `+${f.locations.length - 1}` : "",
    ]);
    const head = ["SEVERITY", "DETECTOR", "WHERE", "LAYER", "PLATFORM", "STATUS", "PREVIEW", "MORE"];
    const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length))));
    const fmt = (row: string[]) =>
      row
        .map((c, i) => {
          const w = widths[i] ?? 10;
          return (c.length > w ? `${c.slice(0, w - 1)}…` : c).padEnd(w);
        })
        .join("  ")
        .trimEnd();
    lines.push(fmt(head), ...rows.map(fmt));
    lines.push("", `${r.findings.length} distinct secrets (fingerprints); ${r.findings.filter((f) => !f.deleted).length} still present in the final image`);
  }
  if (r.errors.length) {
    lines.push("", "layers not fully scanned:");
    for (const e of r.errors) lines.push(`  ${short(e.layerDigest)} ${e.platform ?? ""}: ${e.message}`);
  }
  return `${lines.join("\n")}\n`;
}

const LEVEL: Record<ScanFinding["severity"], "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };

/** Minimal SARIF 2.1.0: one rule per detector, one result per location of each finding. */
export function toSarif(r: ImageScanResult) {
  const ruleIds = [...new Set(r.findings.map((f) => f.detector))];
  const results = r.findings.flatMap((f) =>
    f.locations.map((l) => ({
      ruleId: f.detector,
      ruleIndex: ruleIds.indexOf(f.detector),
      level: LEVEL[f.severity],
      message: {
        text: `${f.severity} ${f.provider} secret ${f.masked} (${l.deleted ? "deleted in a later layer but still in the image blob" : "present"}) in ${where(l)} [${l.platform}]`,
      },
      locations: [
        l.source === "file" && l.path
          ? {
              physicalLocation: {
                artifactLocation: { uri: l.path.replace(/^\//, "").replace(/!\//g, "/"), uriBaseId: "IMAGEROOT" },
                ...(l.line ? { region: { startLine: l.line } } : {}),
              },
              logicalLocations: [{ name: l.layerDigest ?? "config", kind: "module" }],
            }
          : { logicalLocations: [{ name: where(l), kind: "member" }] },
      ],
      partialFingerprints: { "secretSha256/v1": f.fingerprint },
      properties: { layerDigest: l.layerDigest, platform: l.platform, deleted: l.deleted, source: l.source },
    })),
  );
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "stowaway",
            informationUri: "https://github.com/stowaway",
            rules: ruleIds.map((id) => {
              const f = r.findings.find((x) => x.detector === id) as ScanFinding;
              return { id, shortDescription: { text: `${f.provider} secret (${id})` }, defaultConfiguration: { level: LEVEL[f.severity] } };
            }),
          },
        },
        originalUriBaseIds: { IMAGEROOT: { uri: `oci://${r.image}/` } },
        results,
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: r.errors.map((e) => ({ level: "warning", message: { text: `${e.layerDigest ?? ""}: ${e.message}` } })) }],
      },
    ],
  };
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "registry-url": { type: "string" },
        platform: { type: "string" },
        format: { type: "string" },
        "expand-package-docs": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    return fail(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) return fail(`expected exactly one image reference\n\n${USAGE}`);
  const format = values.format ?? "json";
  if (format !== "json" && format !== "table" && format !== "sarif") return fail("--format must be json, table or sarif");
  const url = registryUrl(values["registry-url"]);
  if (url instanceof Error) return fail(url.message);
  const username = process.env.STOWAWAY_HUB_USERNAME;
  const token = process.env.STOWAWAY_HUB_TOKEN;

  const registry = createRegistryReader({ registryUrl: url, ...(username && token ? { credentials: { username, token } } : {}) });
  const tty = Boolean(process.stderr.isTTY);
  const onProgress = tty
    ? (p: ScanProgress) => {
        const mb = (p.bytes / 1e6).toFixed(0);
        process.stderr.write(`\r\x1b[K${p.platform} layer ${p.layerIndex + 1}/${p.layerCount} ${short(p.layerDigest)} ${p.phase === "done" ? "done" : `${mb} MB`}`);
      }
    : undefined;
  // this process runs one scan and exits: cheaper JIT compiles for it (see one-shot-v8.ts)
  tuneV8ForOneShotScan();
  let result: ImageScanResult;
  try {
    result = await scanImage(positionals[0] as string, {
      registry,
      platform: values.platform ?? "all",
      onProgress,
      ...(values["expand-package-docs"] ? { limits: { expandPackageDocs: true } } : {}),
    });
  } finally {
    if (tty) process.stderr.write("\r\x1b[K");
  }
  const out = format === "json" ? `${JSON.stringify(toJson(result), null, 2)}\n` : format === "sarif" ? `${JSON.stringify(toSarif(result), null, 2)}\n` : toTable(result);
  process.stdout.write(out);
  return 0;
}
