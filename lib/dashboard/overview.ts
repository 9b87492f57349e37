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
  /** open: confirmed live / rejected by the provider (lib/liveness) / not checked or inconclusive; revoked: closed as revoked */
  secrets: { live: Figure; rejected: Figure; unverified: Figure; revoked: Figure };
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
  // "this week" = since UTC midnight seven days ago, so day rollups and list filters agree exactly
  const weekStart = startOfDay(new Date(now.getTime() - 7 * DAY));
  const shadow = [...SHADOW_STATUSES];

  const today = startOfDay(now);
  const recent = new Date(today.getTime() - 2 * DAY);
  // Five queries (PGlite runs them one after another, so their number matters more than size).
  const [accountRows, rollup, dailyRows, snapshotRows, top] = await Promise.all([
    db.$queryRaw<Array<{ tier: RiskTier | null; shadow: number; review: number; fresh: number }>>`
      SELECT CASE WHEN status::text = ANY(${shadow}) THEN
                CASE WHEN risk >= ${TIER_RANGE.critical.min} THEN 'critical'
                     WHEN risk >= ${TIER_RANGE.high.min} THEN 'high'
                     WHEN risk >= ${TIER_RANGE.medium.min} THEN 'medium'
                     ELSE 'low' END END AS tier,
             count(*) FILTER (WHERE status::text = ANY(${shadow}))::int AS shadow,
             count(*) FILTER (WHERE status = 'review')::int AS review,
             count(*) FILTER (WHERE "discoveredAt" >= ${weekStart})::int AS fresh
      FROM "HubAccount" WHERE "orgId" = ${orgId}
      GROUP BY 1`,
    // exact counts from the trigger-maintained rollup: a few hundred rows, not every finding
    db.findingRollup.findMany({
      where: { orgId, n: { gt: 0 }, status: { in: ["open", "revoked"] } },
      select: { status: true, severity: true, provider: true, liveness: true, n: true },
    }),
    db.$queryRaw<Array<{ mttr_n: number | null; mttr_h: number | null; fresh: number | null }>>`
      SELECT sum(n) FILTER (WHERE kind = 'resolved:revoked')::int AS mttr_n,
             sum(hours) FILTER (WHERE kind = 'resolved:revoked')::float8 AS mttr_h,
             sum(n) FILTER (WHERE kind = 'first_seen' AND day >= ${weekStart}::date)::int AS fresh
      FROM "FindingDaily"
      WHERE "orgId" = ${orgId}
        AND ((kind = 'resolved:revoked' AND day >= ${startOfDay(range.from)}::date AND day <= ${range.to}::date)
          OR (kind = 'first_seen' AND day >= ${weekStart}::date))`,
    db.postureSnapshot.findMany({
      where: { orgId, OR: [{ day: { gte: startOfDay(range.from), lte: range.to } }, { day: { gte: recent } }] },
      orderBy: { day: "asc" },
      take: 800,
    }),
    db.$queryRaw<Array<TopAccount & { pullCount: bigint | number }>>`
      SELECT a.id, a.namespace, a.status::text AS status, a.risk, a.confidence, a."pullCount", a."lastPushAt",
             coalesce(c.open, 0)::int AS "openFindings", coalesce(c.critical, 0)::int AS "criticalFindings"
      FROM (SELECT id, namespace, status, risk, confidence, "pullCount", "lastPushAt" FROM "HubAccount"
            WHERE "orgId" = ${orgId} AND status NOT IN ('dismissed', 'offboarded') AND risk > 0
            ORDER BY risk DESC, namespace ASC LIMIT 10) a
      LEFT JOIN LATERAL (
        SELECT count(*) AS open, count(*) FILTER (WHERE f.severity = 'critical') AS critical
        FROM "Finding" f WHERE f."orgId" = ${orgId} AND f."accountId" = a.id AND f.status = 'open') c ON true
      ORDER BY a.risk DESC, a.namespace ASC`,
  ]);
  const snapshots = snapshotRows.filter((s) => s.day >= startOfDay(range.from) && s.day <= range.to);
  let latest = snapshotRows.filter((s) => s.day >= recent).reverse().slice(0, 2);
  if (latest.length < 2) latest = await db.postureSnapshot.findMany({ where: { orgId }, orderBy: { day: "desc" }, take: 2 });
  // No snapshot yet (fresh organisation, jobs not run today): compute the posture live.
  const live = latest.length ? null : await computeOrgPosture(db, { orgId });

  const tierMap = new Map<RiskTier, number>();
  let toReview = 0;
  let newAccounts = 0;
  for (const r of accountRows) {
    if (r.tier) tierMap.set(r.tier, (tierMap.get(r.tier) ?? 0) + Number(r.shadow));
    toReview += Number(r.review);
    newAccounts += Number(r.fresh);
  }
  const sevMap = new Map<SeverityName, number>();
  const provMap = new Map<string, number>();
  const secrets = { live: 0, rejected: 0, unverified: 0, revoked: 0 };
  for (const r of rollup) {
    if (r.status === "revoked") {
      secrets.revoked += r.n;
      continue;
    }
    sevMap.set(r.severity as SeverityName, (sevMap.get(r.severity as SeverityName) ?? 0) + r.n);
    provMap.set(r.provider, (provMap.get(r.provider) ?? 0) + r.n);
    if (r.liveness === "live") secrets.live += r.n;
    else if (r.liveness === "revoked") secrets.rejected += r.n;
    else secrets.unverified += r.n;
  }
  const providerRows = [...provMap.entries()]
    .map(([provider, n]) => ({ provider, n }))
    .sort((a, b) => b.n - a.n || a.provider.localeCompare(b.provider))
    .slice(0, 12);
  const mttrN = Number(dailyRows[0]?.mttr_n ?? 0);
  const mttr = { hours: mttrN ? Number(dailyRows[0]?.mttr_h ?? 0) / mttrN : null, n: mttrN };
  const newFindings = Number(dailyRows[0]?.fresh ?? 0);
  const weekIso = weekStart.toISOString();
  const fromIso = startOfDay(range.from).toISOString();

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
      rejected: { value: Number(secrets.rejected), list: "findings", filter: { status: ["open"], liveness: ["revoked"] } },
      unverified: {
        value: Number(secrets.unverified),
        list: "findings",
        filter: { status: ["open"], liveness: ["unknown"] },
      },
      revoked: { value: Number(secrets.revoked), list: "findings", filter: { status: ["revoked"] } },
    },
    mttr: {
      hours: mttr.hours === null ? null : Number(mttr.hours),
      resolved: {
        value: mttr.n,
        list: "findings",
        filter: { status: ["revoked"], resolvedSince: fromIso, resolvedUntil: endOfDay(range.to).toISOString() },
      },
    },
    topAccounts: top.map((a) => ({
      id: a.id,
      namespace: a.namespace,
      status: a.status,
      risk: Number(a.risk),
      confidence: Number(a.confidence),
      pullCount: Number(a.pullCount),
      lastPushAt: a.lastPushAt,
      openFindings: Number(a.openFindings),
      criticalFindings: Number(a.criticalFindings),
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

function endOfDay(d: Date): Date {
  return new Date(startOfDay(d).getTime() + DAY - 1);
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
