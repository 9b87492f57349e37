// SECURITY-CRITICAL: persistence of sealed values and of verification results.
//
// Where sealed values live: beside the shared scan cache of a public digest (SealedSecret keyed by
// digest + fingerprint), because a second organisation that reuses a cached scan never runs the
// detectors and so never sees a raw value. An organisation reaches a sealed value only through its
// own finding (orgId + finding id) and that finding's own locations (orgId) — the same digests
// and fingerprints it already holds. Results (liveness, checked-at, reason, audit) stay per org.
import type { PrismaClient } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/audit";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import type { SealedCapture } from "./capture";
import { open, SealError, type Keyring, type SecretMaterial } from "./seal";
import type { Liveness, VerifyOutcome } from "./types";
import { unknown } from "./types";
import { hasVerifier, VERIFIABLE_DETECTORS } from "./verifiers";
import type { VerifierClient } from "./verify";

/** Stores the sealed values of one scanned digest. Idempotent (first seal of a pair wins). */
export async function saveSealedSecrets(db: PrismaClient, digest: string, sealed: readonly SealedCapture[]): Promise<number> {
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error("invalid digest");
  if (sealed.length === 0) return 0;
  const r = await db.sealedSecret.createMany({
    data: sealed.map((s) => ({
      digest,
      fingerprint: s.fingerprint,
      detector: s.detector,
      keyVersion: s.keyVersion,
      iv: s.iv,
      authTag: s.authTag,
      ciphertext: s.ciphertext,
    })),
    skipDuplicates: true,
  });
  return r.count;
}

/** The sealed value behind one of this organisation's findings, opened; null when none is held. */
export async function loadFindingSecret(
  db: PrismaClient,
  scope: OrgScope,
  findingId: string,
  ring: Keyring,
): Promise<{ material: SecretMaterial | null; reason: string | null }> {
  const orgId = requireOrgId(scope);
  const f = await db.finding.findFirst({ where: { id: findingId, orgId }, select: { fingerprint: true, detector: true } });
  if (!f) return { material: null, reason: "finding not found" };
  const locs = await db.findingLocation.findMany({ where: { orgId, findingId }, select: { imageDigest: true }, distinct: ["imageDigest"] });
  if (locs.length === 0) return { material: null, reason: "no location" };
  const rows = await db.sealedSecret.findMany({
    where: { fingerprint: f.fingerprint, digest: { in: locs.map((l) => l.imageDigest) } },
    orderBy: { createdAt: "desc" },
    take: 5,
  });
  if (rows.length === 0) return { material: null, reason: "no sealed value (scanned before verification existed)" };
  let lastError: SealError | null = null;
  for (const row of rows) {
    try {
      return { material: open(ring, { fingerprint: f.fingerprint, detector: row.detector }, row), reason: null };
    } catch (e) {
      if (!(e instanceof SealError)) throw e;
      lastError = e;
    }
  }
  return { material: null, reason: lastError?.kind === "unknown-key" ? "sealed with another encryption key" : "sealed value unreadable" };
}

export type VerifyReason = "scan" | "daily" | "manual";

export interface SelectOptions {
  reason: VerifyReason;
  digest?: string;
  findingId?: string;
  now: Date;
  limit?: number;
}

/**
 * Findings to check: one finding on request; after a scan, the open findings of that digest not
 * checked in the last hour; daily, every open finding plus those an analyst marked revoked that
 * no check has confirmed yet ("rescan confirms").
 */
export async function selectFindingsToVerify(db: PrismaClient, scope: OrgScope, o: SelectOptions): Promise<string[]> {
  const orgId = requireOrgId(scope);
  const take = Math.min(o.limit ?? 500, 2000);
  const detector = { in: [...VERIFIABLE_DETECTORS] };
  if (o.findingId) {
    const f = await db.finding.findFirst({ where: { id: o.findingId, orgId, detector }, select: { id: true } });
    return f ? [f.id] : [];
  }
  if (o.reason === "scan" && o.digest) {
    const locs = await db.findingLocation.findMany({ where: { orgId, imageDigest: o.digest }, select: { findingId: true }, distinct: ["findingId"] });
    if (locs.length === 0) return [];
    const recent = new Date(o.now.getTime() - 3_600_000);
    const rows = await db.finding.findMany({
      where: {
        orgId,
        id: { in: locs.map((l) => l.findingId) },
        detector,
        status: "open",
        OR: [{ livenessCheckedAt: null }, { livenessCheckedAt: { lt: recent } }],
      },
      select: { id: true },
      orderBy: { id: "asc" },
      take,
    });
    return rows.map((r) => r.id);
  }
  const dayAgo = new Date(o.now.getTime() - 20 * 3_600_000);
  const rows = await db.finding.findMany({
    where: {
      orgId,
      detector,
      OR: [{ status: "open" }, { status: "revoked", liveness: { not: "revoked" } }],
      AND: [{ OR: [{ livenessCheckedAt: null }, { livenessCheckedAt: { lt: dayAgo } }] }],
    },
    select: { id: true },
    orderBy: [{ livenessCheckedAt: { sort: "asc", nulls: "first" } }, { id: "asc" }],
    take,
  });
  return rows.map((r) => r.id);
}

export interface VerifyResult {
  findingId: string;
  accountId: string;
  before: Liveness;
  after: Liveness;
  reason: string;
}

/**
 * Checks one finding and stores the result. An inconclusive check ("unknown") keeps the last
 * conclusive liveness and only records when and why; a live→revoked (or revoked→live) flip is
 * written to the audit log, where the account timeline shows it.
 */
export async function verifyFinding(
  db: PrismaClient,
  scope: OrgScope,
  findingId: string,
  deps: { ring: Keyring; client: VerifierClient; now: Date; signal?: AbortSignal },
): Promise<VerifyResult | null> {
  const orgId = requireOrgId(scope);
  const f = await db.finding.findFirst({
    where: { id: findingId, orgId },
    select: { id: true, accountId: true, detector: true, provider: true, masked: true, liveness: true },
  });
  if (!f) return null;
  const before = asLiveness(f.liveness);
  let outcome: VerifyOutcome;
  if (!hasVerifier(f.detector)) {
    outcome = unknown("no verifier for this detector");
  } else {
    const { material, reason } = await loadFindingSecret(db, scope, f.id, deps.ring);
    outcome = material ? await deps.client.verify(f.detector, material, deps.signal) : unknown(reason ?? "no sealed value");
  }
  const after: Liveness = outcome.liveness === "unknown" ? before : outcome.liveness;
  const reason = outcome.reason.slice(0, 200);
  await db.$transaction(async (tx) => {
    const n = await tx.finding.updateMany({
      where: { id: f.id, orgId },
      data: { liveness: after, livenessCheckedAt: deps.now, livenessReason: outcome.liveness === "unknown" && before !== "unknown" ? `last check inconclusive: ${reason}` : reason },
    });
    if (n.count !== 1) return;
    if (before !== after && before !== "unknown") {
      await recordAudit(tx, { orgId, userId: "", userEmail: "" }, {
        action: after === "revoked" ? "finding.liveness_revoked" : "finding.liveness_live",
        targetType: "account",
        targetId: f.accountId,
        details: {
          findingId: f.id,
          label: `${f.provider} ${f.masked}: ${after === "revoked" ? "no longer accepted by the provider" : "accepted by the provider again"}`,
          from: before,
          to: after,
          note: reason,
        },
      });
    }
  });
  return { findingId: f.id, accountId: f.accountId, before, after, reason };
}

function asLiveness(v: string): Liveness {
  return v === "live" || v === "revoked" ? v : "unknown";
}

/**
 * Installation-wide hygiene (like the scan cache itself): forgets sealed values that no finding of
 * any organisation points at any more (its images were deleted from tracking, its organisation
 * was deleted). Rows younger than a day are kept: a scan seals before it stores its findings.
 */
export async function purgeOrphanedSeals(db: PrismaClient, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 24 * 3_600_000);
  return db.$executeRaw`
    DELETE FROM "SealedSecret" s
    WHERE s."createdAt" < ${cutoff}
      AND NOT EXISTS (
        SELECT 1 FROM "FindingLocation" l JOIN "Finding" f ON f."id" = l."findingId" AND f."orgId" = l."orgId"
        WHERE l."imageDigest" = s."digest" AND f."fingerprint" = s."fingerprint"
      )`;
}
