// CISO overview read model: one round of aggregate queries, all scoped by organisation and
// served by the (orgId, …) indexes. Every figure carries the list filter that reproduces it, so
// the page can link each number to the accounts or findings list behind it.
import type { Db } from "@/lib/db/client";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import { computeOrgPosture } from "@/lib/risk/store";
import { RISK_TIERS, SEVERITIES, SHADOW_STATUSES, TIER_RANGE, type RiskTier, type SeverityName } from "./tiers";

export type ListFilter = Record<string, string | number | boolean | readonly string[]>;

export interface Figure {
  value: number;
  /** which list shows the rows behind the number */
  list: "accounts" | "findings";
  filter: ListFilter;
}

export interface TrendPoint {
  day: string; // YYYY-MM-DD
  score: number;
  openCritical: number;
  openFindings: number;
  liveSecrets: number;
  shadowAccounts: number;
  mttrHours: number | null;
}

export interface TopAccount {
  id: string;
  namespace: string;
  status: string;
  risk: number;
  confidence: number;
  openFindings: number;
  criticalFindings: number;
  pullCount: number;
  lastPushAt: Date | null;
}

export interface Overview {
  range: { from: Date; to: Date };
  exposure: { score: number | null; asOf: string | null; previous: number | null; parts: unknown };
  trend: TrendPoint[];
  shadowByTier: Array<{ tier: RiskTier } & Figure>;
  shadowTotal: Figure;
  toReview: Figure;
  openBySeverity: Array<{ severity: SeverityName } & Figure>;
  openByProvider: Array<{ provider: string } & Figure>;
  openTotal: Figure;
  secrets: { live: Figure; unverified: Figure; revoked: Figure };
  mttr: { hours: number | null; resolved: Figure };
  topAccounts: TopAccount[];
  newThisWeek: { accounts: Figure; findings: Figure };
}

const DAY = 86_400_000;

export function defaultRange(now = new Date()): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - 30 * DAY), to: now };
}

export async function getOverview(
  db: Db,
  scope: OrgScope,
  opts: { from?: Date | undefined; to?: Date | undefined; now?: Date } = {},
): Promise<Overview> {
  const orgId = requireOrgId(scope);
  const now = opts.now ?? new Date();
  const def = defaultRange(now);
  // a bare date as "to" (date picker) means the whole of that day
  const to = opts.to && opts.to.getTime() % DAY === 0 ? new Date(opts.to.getTime() + DAY - 1) : opts.to;
  const range = { from: opts.from ?? def.from, to: to ?? def.to };
  const weekAgo = new Date(now.getTime() - 7 * DAY);
  const shadow = [...SHADOW_STATUSES];

  const [tierRows, sevRows, providerRows, secretRows, mttrRows, snapshots, latest, top, newAccounts, newFindings, toReview] =
    await Promise.all([
      db.$queryRaw<Array<{ tier: RiskTier; n: number }>>`
        SELECT CASE WHEN risk >= ${TIER_RANGE.critical.min} THEN 'critical'
                    WHEN risk >= ${TIER_RANGE.high.min} THEN 'high'
                    WHEN risk >= ${TIER_RANGE.medium.min} THEN 'medium'
                    ELSE 'low' END AS tier, count(*)::int AS n
        FROM "HubAccount"
        WHERE "orgId" = ${orgId} AND status::text = ANY(${shadow})
        GROUP BY 1`,
      db.finding.groupBy({ by: ["severity"], where: { orgId, status: "open" }, _count: { _all: true } }),
      db.$queryRaw<Array<{ provider: string; n: number }>>`
        SELECT provider, count(*)::int AS n FROM "Finding"
        WHERE "orgId" = ${orgId} AND status = 'open'
        GROUP BY provider ORDER BY n DESC, provider LIMIT 12`,
      db.$queryRaw<Array<{ live: number; unverified: number; revoked: number }>>`
        SELECT count(*) FILTER (WHERE status = 'open' AND liveness = 'live')::int AS live,
               count(*) FILTER (WHERE status = 'open' AND liveness <> 'live')::int AS unverified,
               count(*) FILTER (WHERE status = 'revoked')::int AS revoked
        FROM "Finding" WHERE "orgId" = ${orgId} AND status IN ('open', 'revoked')`,
      db.$queryRaw<Array<{ hours: number | null; n: number }>>`
        SELECT (avg(extract(epoch FROM ("resolvedAt" - "firstSeenAt"))) / 3600)::float8 AS hours, count(*)::int AS n
        FROM "Finding"
        WHERE "orgId" = ${orgId} AND status = 'revoked' AND "resolvedAt" IS NOT NULL
          AND "resolvedAt" >= ${range.from} AND "resolvedAt" <= ${range.to}`,
      db.postureSnapshot.findMany({
        where: { orgId, day: { gte: startOfDay(range.from), lte: range.to } },
        orderBy: { day: "asc" },
        take: 400,
      }),
      db.postureSnapshot.findMany({ where: { orgId }, orderBy: { day: "desc" }, take: 2 }),
      db.hubAccount.findMany({
        where: { orgId, status: { notIn: ["dismissed", "offboarded"] }, risk: { gt: 0 } },
        orderBy: [{ risk: "desc" }, { namespace: "asc" }],
        take: 10,
        select: { id: true, namespace: true, status: true, risk: true, confidence: true, pullCount: true, lastPushAt: true },
      }),
      db.hubAccount.count({ where: { orgId, discoveredAt: { gte: weekAgo } } }),
      db.finding.count({ where: { orgId, firstSeenAt: { gte: weekAgo } } }),
      db.hubAccount.count({ where: { orgId, status: "review" } }),
    ]);
  // No snapshot yet (fresh organisation, jobs not run today): compute the posture live.
  const live = latest.length ? null : await computeOrgPosture(db, { orgId });

  const topIds = top.map((a) => a.id);
  const topCounts = topIds.length
    ? await db.$queryRaw<Array<{ accountId: string; open: number; critical: number }>>`
        SELECT "accountId", count(*)::int AS open, count(*) FILTER (WHERE severity = 'critical')::int AS critical
        FROM "Finding" WHERE "orgId" = ${orgId} AND status = 'open' AND "accountId" = ANY(${topIds})
        GROUP BY "accountId"`
    : [];
  const countsBy = new Map(topCounts.map((r) => [r.accountId, r]));

  const tierMap = new Map(tierRows.map((r) => [r.tier, Number(r.n)]));
  const sevMap = new Map(sevRows.map((r) => [r.severity as SeverityName, r._count._all]));
  const secrets = secretRows[0] ?? { live: 0, unverified: 0, revoked: 0 };
  const mttr = mttrRows[0] ?? { hours: null, n: 0 };
  const weekIso = weekAgo.toISOString();
  const fromIso = range.from.toISOString();

  return {
    range,
    exposure: {
      score: latest[0]?.score ?? live?.score ?? null,
      asOf: latest[0] ? isoDay(latest[0].day) : live ? "now" : null,
      previous: latest[1]?.score ?? null,
      parts: latest[0]?.parts ?? live?.parts ?? [],
    },
    trend: snapshots.map((s) => ({
      day: isoDay(s.day),
      score: s.score,
      openCritical: s.openCritical,
      openFindings: s.openFindings,
      liveSecrets: s.liveSecrets,
      shadowAccounts: s.shadowAccounts,
      mttrHours: s.mttrHours,
    })),
    shadowByTier: RISK_TIERS.map((tier) => ({
      tier,
      value: tierMap.get(tier) ?? 0,
      list: "accounts" as const,
      filter: { status: shadow, tier: [tier] },
    })),
    shadowTotal: {
      value: [...tierMap.values()].reduce((a, b) => a + b, 0),
      list: "accounts",
      filter: { status: shadow },
    },
    toReview: { value: toReview, list: "accounts", filter: { status: ["review"] } },
    openBySeverity: SEVERITIES.map((severity) => ({
      severity,
      value: sevMap.get(severity) ?? 0,
      list: "findings" as const,
      filter: { status: ["open"], severity: [severity] },
    })),
    openByProvider: providerRows.map((r) => ({
      provider: r.provider,
      value: Number(r.n),
      list: "findings" as const,
      filter: { status: ["open"], provider: r.provider },
    })),
    openTotal: {
      value: [...sevMap.values()].reduce((a, b) => a + b, 0),
      list: "findings",
      filter: { status: ["open"] },
    },
    secrets: {
      live: { value: Number(secrets.live), list: "findings", filter: { status: ["open"], liveness: ["live"] } },
      unverified: {
        value: Number(secrets.unverified),
        list: "findings",
        filter: { status: ["open"], liveness: ["unknown", "revoked"] },
      },
      revoked: { value: Number(secrets.revoked), list: "findings", filter: { status: ["revoked"] } },
    },
    mttr: {
      hours: mttr.hours === null ? null : Number(mttr.hours),
      resolved: { value: Number(mttr.n), list: "findings", filter: { status: ["revoked"], resolvedSince: fromIso } },
    },
    topAccounts: top.map((a) => ({
      id: a.id,
      namespace: a.namespace,
      status: a.status,
      risk: a.risk,
      confidence: a.confidence,
      pullCount: Number(a.pullCount),
      lastPushAt: a.lastPushAt,
      openFindings: countsBy.get(a.id)?.open ?? 0,
      criticalFindings: countsBy.get(a.id)?.critical ?? 0,
    })),
    newThisWeek: {
      accounts: { value: newAccounts, list: "accounts", filter: { discoveredSince: weekIso } },
      findings: { value: newFindings, list: "findings", filter: { firstSeenSince: weekIso } },
    },
  };
}

function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
