// SECURITY-CRITICAL: persists scan results. Only fingerprints and masked previews reach the
// database (ImageScanResult never carries raw values). Findings are per organisation, upserted on
// (orgId, fingerprint); every place a secret was seen is a FindingLocation upserted on a stable
// location key, so storing the same scan twice (a retried or resumed job) changes nothing.
// ImageScan is a cache of public digests shared across organisations: content only, no statuses.
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/db/generated/client";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import type { FindingLocationOut, ImageScanResult } from "@/lib/scan/types";
import { SCANNER_VERSION } from "@/lib/scan/version";

export interface ImageTarget {
  accountId: string;
  /** "namespace/repo" */
  repository: string;
  tag: string | null;
  digest: string;
}

export function locationKey(t: ImageTarget, l: FindingLocationOut): string {
  const parts = [t.accountId, t.repository, t.tag ?? "", t.digest, l.platform, l.layerDigest ?? "", l.source, l.path ?? "", l.line ?? "", l.deleted ? "1" : "0"];
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/**
 * The cached scan of a public digest, or null. Failed scans are not reused, nor scans by another
 * scanner version (new detectors must see old images again) or with non-default limits.
 */
export async function findCachedImageScan(db: PrismaClient, digest: string): Promise<ImageScanResult | null> {
  const row = await db.imageScan.findUnique({ where: { digest } });
  if (!row || row.status !== "completed") return null;
  const result = row.result as unknown as ImageScanResult;
  return result.scannerVersion === SCANNER_VERSION ? result : null;
}

/** Caches a complete scan (a partial one, with layer errors, is not shared). */
export async function saveImageScan(db: PrismaClient, imageRef: string, result: ImageScanResult): Promise<void> {
  if (result.errors.length > 0) return;
  const data = { imageRef, status: "completed", result: JSON.parse(JSON.stringify(result)) as never, error: null, scannedAt: new Date() };
  await db.imageScan.upsert({ where: { digest: result.digest }, create: { digest: result.digest, ...data }, update: data });
}

export interface StoreResult {
  findings: number;
  newFindings: number;
  locations: number;
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

/** Stores an image's findings for one organisation. Idempotent. */
export async function storeImageFindings(db: PrismaClient, scope: OrgScope, target: ImageTarget, result: ImageScanResult): Promise<StoreResult> {
  const orgId = requireOrgId(scope);
  const account = await db.hubAccount.findFirst({ where: { id: target.accountId, orgId }, select: { id: true } });
  if (!account) throw new Error("account not found in this organisation");
  const now = new Date();
  let newFindings = 0;
  let locations = 0;
  for (const sf of result.findings) {
    const finding = await upsertFinding(db, orgId, target.accountId, sf, now);
    if (finding.created) newFindings++;
    const locs = sf.locations.length ? sf.locations : [sf];
    const rows = locs.map((l) => ({
      orgId,
      findingId: finding.id,
      accountId: target.accountId,
      repository: target.repository,
      tag: target.tag,
      imageDigest: target.digest,
      platform: l.platform,
      layerDigest: l.layerDigest,
      source: l.source,
      path: l.path,
      line: l.line,
      deleted: l.deleted,
      locationKey: locationKey(target, l),
    }));
    await db.findingLocation.createMany({ data: rows, skipDuplicates: true });
    await db.findingLocation.updateMany({
      where: { orgId, findingId: finding.id, locationKey: { in: rows.map((r) => r.locationKey) } },
      data: { lastSeenAt: now },
    });
    locations += rows.length;
    await refreshFindingSummary(db, orgId, finding.id);
  }
  return { findings: result.findings.length, newFindings, locations };
}

async function upsertFinding(
  db: PrismaClient,
  orgId: string,
  accountId: string,
  sf: ImageScanResult["findings"][number],
  now: Date,
): Promise<{ id: string; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const existing = await db.finding.findUnique({ where: { orgId_fingerprint: { orgId, fingerprint: sf.fingerprint } }, select: { id: true } });
    if (existing) {
      await db.finding.updateMany({ where: { id: existing.id, orgId }, data: { lastSeenAt: now } });
      return { id: existing.id, created: false };
    }
    try {
      const created = await db.finding.create({
        data: {
          orgId,
          accountId,
          detector: sf.detector,
          provider: sf.provider,
          severity: sf.severity,
          fingerprint: sf.fingerprint,
          masked: sf.masked,
          firstSeenAt: now,
          lastSeenAt: now,
        },
        select: { id: true },
      });
      return { id: created.id, created: true };
    } catch (e) {
      // a concurrent scan of another image created it first: read it on the next pass
      if (!isUniqueViolation(e) || attempt >= 2) throw e;
    }
  }
}

/**
 * Derived columns the lists filter on: location count, deleted-only, present in a latest tag.
 * Two image scans of one organisation store findings at the same time (the image-scan job runs two
 * per organisation) and one secret is often in both images: read-then-write without a lock let an
 * earlier count overwrite a later one, leaving a finding whose location count lagged its
 * locations (the crash-restart integration test caught it). The finding's row lock orders the
 * refreshes; each one reads after taking it, so the last write counts every location committed.
 */
export async function refreshFindingSummary(db: PrismaClient, orgId: string, findingId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM "Finding" WHERE "id" = ${findingId} AND "orgId" = ${orgId} FOR UPDATE`;
    const locs = await tx.findingLocation.findMany({ where: { orgId, findingId }, select: { deleted: true, imageDigest: true } });
    const digests = [...new Set(locs.map((l) => l.imageDigest))];
    const inLatest = digests.length
      ? (await tx.hubImage.count({ where: { orgId, isLatest: true, digest: { in: digests } } })) > 0
      : false;
    await tx.finding.updateMany({
      where: { id: findingId, orgId },
      data: { locationCount: locs.length, deletedOnly: locs.length > 0 && locs.every((l) => l.deleted), inLatest },
    });
  });
}

export type ImageScanState = "pending" | "scanning" | "scanned" | "failed" | "gone";

export async function setImageScanState(
  db: PrismaClient,
  scope: OrgScope,
  imageId: string,
  state: ImageScanState,
  error: string | null = null,
): Promise<void> {
  const orgId = requireOrgId(scope);
  await db.hubImage.updateMany({
    where: { id: imageId, orgId },
    data: { scanState: state, scanError: error, ...(state === "scanned" ? { lastScannedAt: new Date() } : {}) },
  });
}
