// The shared cache of public image scans (ImageScan) on PGlite and PostgreSQL with the real
// migrations: only complete scans by the current scanner version with default limits are reused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCachedImageScan, saveImageScan } from "@/lib/scan-store";
import { SCANNER_VERSION, type ImageScanResult } from "@/lib/scan";
import { freshDb, testDbKinds } from "../helpers/jobs-db";

const digest = (c: string) => `sha256:${c.repeat(64)}`;

function result(d: string, over: Partial<ImageScanResult> = {}): ImageScanResult {
  return {
    image: `acme/app@${d}`,
    digest: d,
    platforms: ["linux/amd64"],
    findings: [],
    stats: { layers: 1, filesScanned: 3, bytesScanned: 1024, durationMs: 5 },
    errors: [],
    notices: [],
    scannerVersion: SCANNER_VERSION,
    ...over,
  };
}

describe.each(testDbKinds)("image scan cache (%s)", (_kind, pgUrl) => {
  let h: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    h = await freshDb(pgUrl);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("reuses a complete scan by this scanner version", async () => {
    await saveImageScan(h.prisma, "acme/app:1", result(digest("a")));
    expect((await findCachedImageScan(h.prisma, digest("a")))?.stats.filesScanned).toBe(3);
  });

  it("does not reuse scans by another scanner version, with custom limits, or from before versions were recorded", async () => {
    await saveImageScan(h.prisma, "acme/app:2", result(digest("b"), { scannerVersion: "2026.01.01-1" }));
    await saveImageScan(h.prisma, "acme/app:3", result(digest("c"), { scannerVersion: `${SCANNER_VERSION}+custom-limits` }));
    const { scannerVersion: _v, ...unversioned } = result(digest("d"));
    await saveImageScan(h.prisma, "acme/app:4", unversioned);
    for (const c of ["b", "c", "d"]) expect(await findCachedImageScan(h.prisma, digest(c))).toBeNull();
    // a re-scan by the current version replaces the stale row and is then reused
    await saveImageScan(h.prisma, "acme/app:2", result(digest("b")));
    expect(await findCachedImageScan(h.prisma, digest("b"))).not.toBeNull();
  });

  it("never caches a partial scan", async () => {
    await saveImageScan(h.prisma, "acme/app:5", result(digest("e"), { errors: [{ layerDigest: digest("f"), platform: "linux/amd64", message: "truncated" }] }));
    expect(await findCachedImageScan(h.prisma, digest("e"))).toBeNull();
    expect(await h.prisma.imageScan.count({ where: { digest: digest("e") } })).toBe(0);
  });
});
