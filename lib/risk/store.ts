// Recomputes and stores risk: HubAccount.risk/riskParts and the daily PostureSnapshot.
// Called after scans, triage (status changes) and evidence changes. Every query is org-scoped.
import type { PrismaClient } from "@/lib/db/generated/client";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import { scoreAccount, scorePosture, type AccountRisk, type AccountStatusName, type Posture, type SeverityName } from "./score";

/** Accounts whose risk counts towards posture (inventory and shadow, not noise). */
const COUNTED: AccountStatusName[] = ["review", "likely", "confirmed", "sanctioned", "offboarding", "offboarded"];
const SHADOW: AccountStatusName[] = ["likely", "confirmed", "offboarding"];

export async function computeAccountRisk(db: PrismaClient, scope: OrgScope, accountId: string, now = new Date()): Promise<AccountRisk | null> {
  return (await computeAccountsRisk(db, scope, [accountId], now)).get(accountId) ?? null;
}

/**
 * Risk of several accounts with four queries in all (a bulk triage of a page of findings touches
 * up to 25 accounts; one round of queries per account made it the slowest click). Accounts not
 * in the organisation are absent from the map.
 */
export async function computeAccountsRisk(
  db: PrismaClient,
  scope: OrgScope,
  accountIds: Iterable<string>,
  now = new Date(),
): Promise<Map<string, AccountRisk>> {
  const orgId = requireOrgId(scope);
  const ids = [...new Set(accountIds)];
  const out = new Map<string, AccountRisk>();
  if (!ids.length) return out;
  const [accounts, locations, latestImages] = await Promise.all([
    db.hubAccount.findMany({
      where: { orgId, id: { in: ids } },
      select: { id: true, status: true, confidence: true, pullCount: true, lastPushAt: true },
    }),
    db.findingLocation.findMany({ where: { orgId, accountId: { in: ids } }, select: { accountId: true, findingId: true, imageDigest: true } }),
    db.hubImage.findMany({
      where: { orgId, isLatest: true, repository: { accountId: { in: ids }, orgId } },
      select: { digest: true, repository: { select: { accountId: true } } },
    }),
  ]);
  const findingIds = [...new Set(locations.map((l) => l.findingId))];
  const findings = findingIds.length
    ? await db.finding.findMany({ where: { orgId, id: { in: findingIds } }, select: { id: true, severity: true, status: true, liveness: true } })
    : [];
  const findingById = new Map(findings.map((f) => [f.id, f]));
  // per account: finding → digests it was seen in there; the account's latest-tag digests
  const byAccount = new Map<string, Map<string, Set<string>>>();
  for (const l of locations) {
    const m = byAccount.get(l.accountId) ?? new Map<string, Set<string>>();
    const s = m.get(l.findingId) ?? new Set<string>();
    s.add(l.imageDigest);
    m.set(l.findingId, s);
    byAccount.set(l.accountId, m);
  }
  const latestByAccount = new Map<string, Set<string>>();
  for (const i of latestImages) {
    if (!i.digest) continue;
    const s = latestByAccount.get(i.repository.accountId) ?? new Set<string>();
    s.add(i.digest);
    latestByAccount.set(i.repository.accountId, s);
  }
  for (const account of accounts) {
    const latest = latestByAccount.get(account.id) ?? new Set<string>();
    const seen = byAccount.get(account.id) ?? new Map<string, Set<string>>();
    out.set(
      account.id,
      scoreAccount({
        status: account.status as AccountStatusName,
        confidence: account.confidence,
        pullCount: Number(account.pullCount),
        lastPushAt: account.lastPushAt,
        now,
        findings: [...seen.entries()].flatMap(([findingId, digests]) => {
          const f = findingById.get(findingId);
          if (!f) return [];
          return [
            {
              severity: f.severity as SeverityName,
              status: f.status,
              liveness: f.liveness,
              images: digests.size,
              inLatest: [...digests].some((d) => latest.has(d)),
            },
          ];
        }),
      }),
    );
  }
  return out;
}

/** Recomputes and stores one account's risk; returns it (null: no such account in this org). */
export async function recomputeAccountRisk(db: PrismaClient, scope: OrgScope, accountId: string, now = new Date()): Promise<AccountRisk | null> {
  return (await recomputeAccountsRisk(db, scope, [accountId], now)).get(accountId) ?? null;
}

/** Recomputes and stores several accounts' risk in one read round and one UPDATE. */
export async function recomputeAccountsRisk(
  db: PrismaClient,
  scope: OrgScope,
  accountIds: Iterable<string>,
  now = new Date(),
): Promise<Map<string, AccountRisk>> {
  const orgId = requireOrgId(scope);
  const risks = await computeAccountsRisk(db, scope, accountIds, now);
  if (!risks.size) return risks;
  const ids = [...risks.keys()];
  const scores = ids.map((id) => risks.get(id)!.score);
  const parts = ids.map((id) => JSON.stringify(risks.get(id)!.parts));
  await db.$executeRaw`
    UPDATE "HubAccount" AS a SET risk = v.risk, "riskParts" = v.parts::jsonb, "updatedAt" = now()
    FROM unnest(${ids}::text[], ${scores}::int[], ${parts}::text[]) AS v(id, risk, parts)
    WHERE a."orgId" = ${orgId} AND a.id = v.id`;
  return risks;
}

/** Recomputes every account of the organisation (after bulk triage or a weights change). */
export async function recomputeAllAccountRisk(db: PrismaClient, scope: OrgScope, now = new Date()): Promise<number> {
  const orgId = requireOrgId(scope);
  const ids = await db.hubAccount.findMany({ where: { orgId }, select: { id: true } });
  // in slices, so one organisation's thousands of accounts never load all locations at once
  for (let i = 0; i < ids.length; i += 200) await recomputeAccountsRisk(db, scope, ids.slice(i, i + 200).map((a) => a.id), now);
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
