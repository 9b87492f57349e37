// Storing scan findings on PGlite and PostgreSQL with the real migrations: images of one
// organisation are stored concurrently (the image-scan job runs two per organisation), and the
// same secret is often in several of them — every finding's derived location count must still
// equal its stored locations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/db/generated/client";
import { storeImageFindings } from "@/lib/scan-store";
import { SCANNER_VERSION, type ImageScanResult, type ScanFinding } from "@/lib/scan";
import { freshDb, testDbKinds } from "../helpers/jobs-db";

const hex = (n: number, width = 64) => n.toString(16).padStart(width, "0");

/** an image whose findings are `secrets` (shared across images), each seen at `perImage` paths */
function image(i: number, secrets: number, perImage: number): ImageScanResult {
  const digest = `sha256:${hex(1000 + i)}`;
  const findings: ScanFinding[] = Array.from({ length: secrets }, (_, s) => {
    const locations = Array.from({ length: perImage }, (_, p) => ({
      source: "file" as const,
      path: `/app/${i}/${s}/config-${p}.env`,
      line: p + 1,
      layerDigest: `sha256:${hex(i * 100 + p)}`,
      platform: "linux/amd64",
      deleted: p % 2 === 1,
    }));
    return { detector: "generic-secret", provider: "generic", severity: "high", fingerprint: hex(s), masked: "ab****yz", hints: [], ...(locations[0] as (typeof locations)[number]), locations };
  });
  return { image: `acme/app@${digest}`, digest, platforms: ["linux/amd64"], findings, stats: { layers: 1, filesScanned: 1, bytesScanned: 1, durationMs: 1 }, errors: [], scannerVersion: SCANNER_VERSION };
}

/**
 * `db`, except that counting hub images — the query a finding's summary refresh makes between
 * reading its locations and writing their count — first waits `ms`, inside a transaction too.
 */
function slowImageCounts(db: PrismaClient, ms: number): PrismaClient {
  const wrap = <T extends object>(client: T): T =>
    new Proxy(client, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop === "hubImage") {
          const delegate = value as { count(...a: unknown[]): Promise<number> };
          return new Proxy(delegate, {
            get: (t, p, r) => (p === "count" ? async (...a: unknown[]) => (await new Promise((ok) => setTimeout(ok, ms)), t.count(...a)) : Reflect.get(t, p, r)),
          });
        }
        if (prop === "$transaction") {
          const tx = value as (fn: (c: unknown) => Promise<unknown>, o?: unknown) => Promise<unknown>;
          return (fn: (c: unknown) => Promise<unknown>, o?: unknown) => tx.call(target, (c) => fn(wrap(c as object)), o);
        }
        return value;
      },
    });
  return wrap(db);
}

describe.each(testDbKinds)("storing scan findings (%s)", (_kind, pgUrl) => {
  let h: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    h = await freshDb(pgUrl);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("keeps every finding's location count exact while images sharing its secret are stored at once", async () => {
    const org = await h.prisma.organization.create({ data: { slug: "acme-store", name: "Acme" }, select: { id: true } });
    const account = await h.prisma.hubAccount.create({ data: { orgId: org.id, namespace: "acme" }, select: { id: true } });
    const IMAGES = 16;
    const SECRETS = 3;
    const PER_IMAGE = 2;
    const AT_ONCE = 8;
    // eight stores at a time, twice over (the second pass must change nothing: stores are idempotent)
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < IMAGES; i += AT_ONCE) {
        await Promise.all(
          Array.from({ length: AT_ONCE }, (_, k) => {
            const img = image(i + k, SECRETS, PER_IMAGE);
            return storeImageFindings(h.prisma, { orgId: org.id }, { accountId: account.id, repository: "acme/app", tag: `v${i + k}`, digest: img.digest }, img);
          }),
        );
      }
    }
    const findings = await h.prisma.finding.findMany({ where: { orgId: org.id }, select: { locationCount: true, deletedOnly: true, _count: { select: { locations: true } } } });
    expect(findings).toHaveLength(SECRETS);
    for (const f of findings) {
      expect(f._count.locations).toBe(IMAGES * PER_IMAGE);
      expect(f.locationCount).toBe(f._count.locations);
      expect(f.deletedOnly).toBe(false);
    }
  });

  it("does not let a slow summary refresh overwrite a later one with its older count", async () => {
    // store A reads the finding's locations, then stalls; store B adds locations and refreshes
    // meanwhile; A's write must not put back the count it read before B's locations existed
    const org = await h.prisma.organization.create({ data: { slug: "acme-race", name: "Acme" }, select: { id: true } });
    const account = await h.prisma.hubAccount.create({ data: { orgId: org.id, namespace: "acme-race" }, select: { id: true } });
    const store = (db: PrismaClient, i: number) => {
      const img = image(100 + i, 1, 2);
      return storeImageFindings(db, { orgId: org.id }, { accountId: account.id, repository: "acme-race/app", tag: `v${i}`, digest: img.digest }, img);
    };
    await store(h.prisma, 0);
    const slow = store(slowImageCounts(h.prisma, 400), 1);
    await new Promise((ok) => setTimeout(ok, 100));
    await store(h.prisma, 2);
    await slow;
    const [f] = await h.prisma.finding.findMany({ where: { orgId: org.id }, select: { locationCount: true, _count: { select: { locations: true } } } });
    expect(f?._count.locations).toBe(6);
    expect(f?.locationCount).toBe(6);
  });
});
