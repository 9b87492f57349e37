// Recomputes and stores risk: HubAccount.risk/riskParts and the daily PostureSnapshot.
// Called after scans, triage (status changes) and evidence changes. Every query is org-scoped.
import type { PrismaClient } from "@/lib/db/generated/client";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import { scoreAccount, scorePosture, type AccountRisk, type AccountStatusName, type Posture, type SeverityName } from "./score";

/** Accounts whose risk counts towards posture (inventory and shadow, not noise). */
const COUNTED: AccountStatusName[] = ["review", "likely", "confirmed", "sanctioned", "offboarding", "offboarded"];
const SHADOW: AccountStatusName[] = ["likely", "confirmed", "offboarding"];

export async function computeAccountRisk(db: PrismaClient, scope: OrgScope, accountId: string, now = new Date()): Promise<AccountRisk | null> {
  const orgId = requireOrgId(scope);
  const account = await db.hubAccount.findFirst({
    where: { id: accountId, orgId },
    select: { id: true, status: true, confidence: true, pullCount: true, lastPushAt: true },
  });
  if (!account) return null;
  const locations = await db.findingLocation.findMany({
    where: { orgId, accountId },
    select: { findingId: true, imageDigest: true },
  });
  const byFinding = new Map<string, Set<string>>();
  for (const l of locations) {
    const s = byFinding.get(l.findingId) ?? new Set<string>();
    s.add(l.imageDigest);
    byFinding.set(l.findingId, s);
  }
  const findings = byFinding.size
    ? await db.finding.findMany({
        where: { orgId, id: { in: [...byFinding.keys()] } },
        select: { id: true, severity: true, status: true, liveness: true },
      })
    : [];
  const latestDigests = new Set(
    (
      await db.hubImage.findMany({
        where: { orgId, isLatest: true, repository: { accountId, orgId } },
        select: { digest: true },
      })
    )
      .map((i) => i.digest)
      .filter((d): d is string => !!d),
  );
  return scoreAccount({
    status: account.status as AccountStatusName,
    confidence: account.confidence,
    pullCount: Number(account.pullCount),
    lastPushAt: account.lastPushAt,
    now,
    findings: findings.map((f) => {
      const digests = byFinding.get(f.id) ?? new Set<string>();
      return {
        severity: f.severity as SeverityName,
        status: f.status,
        liveness: f.liveness,
        images: digests.size,
        inLatest: [...digests].some((d) => latestDigests.has(d)),
      };
    }),
  });
}

/** Recomputes and stores one account's risk; returns it (null: no such account in this org). */
export async function recomputeAccountRisk(db: PrismaClient, scope: OrgScope, accountId: string, now = new Date()): Promise<AccountRisk | null> {
  const risk = await computeAccountRisk(db, scope, accountId, now);
  if (!risk) return null;
  await db.hubAccount.updateMany({
    where: { id: accountId, orgId: requireOrgId(scope) },
    data: { risk: risk.score, riskParts: risk.parts as never },
  });
  return risk;
}

/** Recomputes every account of the organisation (after bulk triage or a weights change). */
export async function recomputeAllAccountRisk(db: PrismaClient, scope: OrgScope, now = new Date()): Promise<number> {
  const orgId = requireOrgId(scope);
  const ids = await db.hubAccount.findMany({ where: { orgId }, select: { id: true } });
  for (const a of ids) await recomputeAccountRisk(db, scope, a.id, now);
  return ids.length;
}

/**
 * The organisation's posture. Runs after every triage click, so it reads rollups, not findings:
 * open counts from FindingRollup and remediation hours from FindingDaily (both kept exact by
 * triggers on Finding), and only the five riskiest counted accounts (all the score uses).
 * Resolved = status other than open with resolvedAt set (the workflows set both together).
 */
export async function computeOrgPosture(db: PrismaClient, scope: OrgScope): Promise<Posture> {
  const orgId = requireOrgId(scope);
  const [top, shadowAccounts, open, resolved] = await Promise.all([
    db.hubAccount.findMany({ where: { orgId, status: { in: COUNTED } }, orderBy: { risk: "desc" }, take: 5, select: { risk: true } }),
    db.hubAccount.count({ where: { orgId, status: { in: SHADOW } } }),
    db.findingRollup.findMany({ where: { orgId, status: "open", n: { gt: 0 } }, select: { severity: true, liveness: true, n: true } }),
    db.findingDaily.aggregate({ where: { orgId, kind: { startsWith: "resolved:" } }, _sum: { n: true, hours: true } }),
  ]);
  const sum = (rows: typeof open) => rows.reduce((a, r) => a + r.n, 0);
  return scorePosture({
    accountRisks: top.map((a) => a.risk),
    openFindings: sum(open),
    openCritical: sum(open.filter((r) => r.severity === "critical")),
    liveSecrets: sum(open.filter((r) => r.liveness === "live")),
    shadowAccounts,
    remediationHours: { count: resolved._sum.n ?? 0, totalHours: resolved._sum.hours ?? 0 },
  });
}

/** UTC calendar day as a Date at midnight (PostureSnapshot.day is a DATE column). */
export function utcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** Computes the posture and upserts today's snapshot (one row per org per day; the last wins). */
export async function recomputeOrgPosture(db: PrismaClient, scope: OrgScope, now = new Date()): Promise<Posture> {
  const orgId = requireOrgId(scope);
  const p = await computeOrgPosture(db, scope);
  const day = utcDay(now);
  const data = {
    score: p.score,
    openCritical: p.openCritical,
    openFindings: p.openFindings,
    liveSecrets: p.liveSecrets,
    shadowAccounts: p.shadowAccounts,
    mttrHours: p.mttrHours,
    parts: p.parts as never,
  };
  await db.postureSnapshot.upsert({
    where: { orgId_day: { orgId, day } },
    create: { orgId, day, ...data },
    update: data,
  });
  return p;
}
