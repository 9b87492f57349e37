// Findings read models: the filterable queue and a finding's page. Only masked previews and a
// fingerprint prefix ever leave this module — never a raw value (none is stored anyway).
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { notFound } from "@/lib/errors";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import { isRecord, toLocationView, type LocationView, type Page } from "./accounts";
import type { FindingListQuery } from "./query";

export interface FindingRow {
  id: string;
  accountId: string;
  accountNamespace: string | null;
  detector: string;
  provider: string;
  severity: string;
  status: string;
  statusReason: string | null;
  masked: string;
  fingerprintPrefix: string;
  liveness: string;
  /** last liveness check (lib/liveness) and its short reason; null = never checked */
  livenessCheckedAt: Date | null;
  livenessReason: string | null;
  inLatest: boolean;
  deletedOnly: boolean;
  locationCount: number;
  assigneeId: string | null;
  assigneeEmail: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

export function findingWhere(orgId: string, userId: string | undefined, q: Partial<FindingListQuery>): Prisma.FindingWhereInput {
  const w: Prisma.FindingWhereInput = { orgId };
  const and: Prisma.FindingWhereInput[] = [];
  if (q.status?.length) w.status = { in: [...q.status] };
  if (q.severity?.length) w.severity = { in: [...q.severity] };
  if (q.detector) w.detector = q.detector;
  if (q.provider) w.provider = q.provider;
  if (q.liveness?.length) w.liveness = { in: [...q.liveness] };
  if (q.deleted !== undefined) w.deletedOnly = q.deleted;
  if (q.inLatest !== undefined) w.inLatest = q.inLatest;
  if (q.accountId) w.accountId = q.accountId;
  if (q.assignee === "none") w.assigneeId = null;
  else if (q.assignee === "me") w.assigneeId = userId ?? "__nobody__";
  else if (q.assignee) w.assigneeId = q.assignee;
  if (q.firstSeenSince) w.firstSeenAt = { gte: q.firstSeenSince };
  if (q.resolvedSince || q.resolvedUntil) {
    w.resolvedAt = { ...(q.resolvedSince ? { gte: q.resolvedSince } : {}), ...(q.resolvedUntil ? { lte: q.resolvedUntil } : {}) };
  }
  if (q.q) {
    and.push({
      OR: [
        { detector: { contains: q.q, mode: "insensitive" } },
        { provider: { contains: q.q, mode: "insensitive" } },
        { masked: { contains: q.q } },
      ],
    });
  }
  if (and.length) w.AND = and;
  return w;
}

export function findingOrder(q: Pick<FindingListQuery, "sort" | "dir">): Prisma.FindingOrderByWithRelationInput[] {
  const flip = (d: "asc" | "desc") => (d === "asc" ? "desc" : "asc");
  if (q.sort === "severity") {
    // severity enum sorts critical → low: "asc" means most severe first, then most recently seen.
    // Matches index (orgId, severity, lastSeenAt DESC, id) forwards or backwards.
    const dir = q.dir ?? "asc";
    return [{ severity: dir }, { lastSeenAt: flip(dir) }, { id: dir }];
  }
  const dir = q.dir ?? "desc";
  // (orgId, lastSeenAt DESC, id) and (orgId, firstSeenAt, id)
  return q.sort === "lastSeenAt" ? [{ lastSeenAt: dir }, { id: flip(dir) }] : [{ firstSeenAt: dir }, { id: dir }];
}

const ROLLUP_KEYS = new Set(["status", "severity", "detector", "provider", "liveness", "deleted"]);

/**
 * A text search (q) resolved against the rollup: the detector and provider names that contain q
 * (case-insensitive, like findingWhere's ILIKE), so the findings query compares names for
 * equality instead of running ILIKE on every row, plus the number of findings that match on the
 * masked preview alone (through its trigram index). Same matches as findingWhere's q filter.
 */
interface TextSearch {
  named: Prisma.FindingWhereInput[];
  byName: number;
  maskedOnly: number;
  text: string;
}

async function resolveText(
  db: Db,
  orgId: string,
  userId: string | undefined,
  q: Partial<FindingListQuery>,
  rollupWhere: Prisma.FindingRollupWhereInput,
): Promise<TextSearch> {
  const text = q.q!;
  const like = { contains: text, mode: "insensitive" as const };
  const names = await db.findingRollup.findMany({
    where: { orgId, OR: [{ detector: like }, { provider: like }] },
    select: { detector: true, provider: true },
    distinct: ["detector", "provider"],
  });
  const lower = text.toLowerCase();
  const detectors = [...new Set(names.map((r) => r.detector).filter((d) => d.toLowerCase().includes(lower)))];
  const providers = [...new Set(names.map((r) => r.provider).filter((p) => p.toLowerCase().includes(lower)))];
  const named: Prisma.FindingWhereInput[] = [
    ...(detectors.length ? [{ detector: { in: detectors } }] : []),
    ...(providers.length ? [{ provider: { in: providers } }] : []),
  ];
  const rollupNamed: Prisma.FindingRollupWhereInput[] = [
    ...(detectors.length ? [{ detector: { in: detectors } }] : []),
    ...(providers.length ? [{ provider: { in: providers } }] : []),
  ];
  const [byName, maskedOnly] = await Promise.all([
    rollupNamed.length ? rollupSum(db, { ...rollupWhere, OR: rollupNamed }) : 0,
    db.finding.count({
      where: { ...findingWhere(orgId, userId, { ...q, q: undefined }), masked: { contains: text }, ...(named.length ? { NOT: { OR: named } } : {}) },
    }),
  ]);
  return { named, byName, maskedOnly, text };
}

async function rollupSum(db: Db, w: Prisma.FindingRollupWhereInput): Promise<number> {
  return (await db.findingRollup.aggregate({ _sum: { n: true }, where: w }))._sum.n ?? 0;
}

function rollupWhereOf(orgId: string, q: Partial<FindingListQuery>): Prisma.FindingRollupWhereInput {
  return {
    orgId,
    ...(q.status?.length ? { status: { in: [...q.status] } } : {}),
    ...(q.severity?.length ? { severity: { in: [...q.severity] } } : {}),
    ...(q.detector ? { detector: q.detector } : {}),
    ...(q.provider ? { provider: q.provider } : {}),
    ...(q.liveness?.length ? { liveness: { in: [...q.liveness] } } : {}),
    ...(q.deleted !== undefined ? { deletedOnly: q.deleted } : {}),
  };
}

const usedFilters = (q: Partial<FindingListQuery>) =>
  Object.entries(q).filter(([k, v]) => v !== undefined && !["sort", "dir", "page", "pageSize"].includes(k)).map(([k]) => k);

/**
 * Exact total for a filter. Filters on the rollup's dimensions only are answered from
 * FindingRollup (a few hundred rows), with a text search's name matches counted there too; any
 * other filter counts the findings themselves.
 */
async function countFindings(db: Db, orgId: string, where: Prisma.FindingWhereInput, q: Partial<FindingListQuery>, text: TextSearch | null): Promise<number> {
  const used = usedFilters(q);
  if (used.every((k) => ROLLUP_KEYS.has(k))) return rollupSum(db, rollupWhereOf(orgId, q));
  if (text && used.every((k) => k === "q" || ROLLUP_KEYS.has(k))) return text.byName + text.maskedOnly;
  return db.finding.count({ where });
}

const rowSelect = {
  id: true,
  accountId: true,
  detector: true,
  provider: true,
  severity: true,
  status: true,
  statusReason: true,
  masked: true,
  fingerprint: true,
  liveness: true,
  livenessCheckedAt: true,
  livenessReason: true,
  inLatest: true,
  deletedOnly: true,
  locationCount: true,
  assigneeId: true,
  firstSeenAt: true,
  lastSeenAt: true,
  resolvedAt: true,
} satisfies Prisma.FindingSelect;

type RawRow = Prisma.FindingGetPayload<{ select: typeof rowSelect }>;

export async function listFindings(
  db: Db,
  scope: OrgScope & { userId?: string },
  q: FindingListQuery,
): Promise<Page<FindingRow>> {
  const orgId = requireOrgId(scope);
  let where = findingWhere(orgId, scope.userId, q);
  const text = q.q ? await resolveText(db, orgId, scope.userId, q, rollupWhereOf(orgId, q)) : null;
  if (text) {
    // equality on the matching names, and the masked arm only when something matches there alone
    const arms = [...text.named, ...(text.maskedOnly ? [{ masked: { contains: text.text } }] : [])];
    where = { ...findingWhere(orgId, scope.userId, { ...q, q: undefined }), ...(arms.length ? { OR: arms } : { id: { in: [] } }) };
  }
  const [total, rows] = await Promise.all([
    countFindings(db, orgId, where, q, text),
    db.finding.findMany({
      where,
      orderBy: findingOrder(q),
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
      select: rowSelect,
    }),
  ]);
  return {
    items: await decorate(db, orgId, rows),
    total,
    page: q.page,
    pageSize: q.pageSize,
    pageCount: Math.max(1, Math.ceil(total / q.pageSize)),
  };
}

/** For CSV export: the same filters, up to `limit` rows, no count. */
export async function exportFindings(
  db: Db,
  scope: OrgScope & { userId?: string },
  q: FindingListQuery,
  limit = 10_000,
): Promise<FindingRow[]> {
  const orgId = requireOrgId(scope);
  const rows = await db.finding.findMany({
    where: findingWhere(orgId, scope.userId, q),
    orderBy: findingOrder(q),
    take: limit,
    select: rowSelect,
  });
  return decorate(db, orgId, rows);
}

async function decorate(db: Db, orgId: string, rows: RawRow[]): Promise<FindingRow[]> {
  const accountIds = [...new Set(rows.map((r) => r.accountId))];
  const userIds = [...new Set(rows.map((r) => r.assigneeId).filter((x): x is string => !!x))];
  const [accounts, users] = await Promise.all([
    accountIds.length
      ? db.hubAccount.findMany({ where: { orgId, id: { in: accountIds } }, select: { id: true, namespace: true } })
      : [],
    userIds.length
      ? db.user.findMany({ where: { id: { in: userIds }, memberships: { some: { orgId } } }, select: { id: true, email: true } })
      : [],
  ]);
  const ns = new Map(accounts.map((a) => [a.id, a.namespace]));
  const em = new Map(users.map((u) => [u.id, u.email]));
  return rows.map(({ fingerprint, ...r }) => ({
    ...r,
    severity: r.severity as string,
    status: r.status as string,
    fingerprintPrefix: fingerprint.slice(0, 12),
    accountNamespace: ns.get(r.accountId) ?? null,
    assigneeEmail: r.assigneeId ? (em.get(r.assigneeId) ?? null) : null,
  }));
}

export interface FindingDetail extends FindingRow {
  locations: LocationView[];
  comments: Array<{ id: string; body: string; authorEmail: string | null; createdAt: Date }>;
  history: Array<{ at: Date; action: string; actor: string | null; details: Record<string, unknown> }>;
}

export async function getFindingDetail(db: Db, scope: OrgScope, findingId: string): Promise<FindingDetail> {
  const orgId = requireOrgId(scope);
  const f = await db.finding.findFirst({ where: { id: findingId, orgId }, select: rowSelect });
  if (!f) throw notFound("Finding not found");
  const [row] = await decorate(db, orgId, [f]);
  const [locations, comments, history] = await Promise.all([
    db.findingLocation.findMany({
      where: { orgId, findingId },
      orderBy: [{ deleted: "asc" }, { lastSeenAt: "desc" }],
      take: 500,
    }),
    db.comment.findMany({ where: { orgId, targetType: "finding", targetId: findingId }, orderBy: { createdAt: "asc" }, take: 500 }),
    db.auditLog.findMany({
      where: { orgId, targetType: "finding", targetId: findingId },
      orderBy: { createdAt: "desc" },
      take: 200,
    }),
  ]);
  const authors = comments.length
    ? await db.user.findMany({ where: { id: { in: [...new Set(comments.map((c) => c.authorId))] } }, select: { id: true, email: true } })
    : [];
  const em = new Map(authors.map((u) => [u.id, u.email]));
  return {
    ...row!,
    locations: locations.map(toLocationView),
    comments: comments.map((c) => ({ id: c.id, body: c.body, authorEmail: em.get(c.authorId) ?? null, createdAt: c.createdAt })),
    history: history.map((h) => ({
      at: h.createdAt,
      action: h.action,
      actor: h.actorEmail,
      details: isRecord(h.details) ? h.details : {},
    })),
  };
}

/** Distinct detectors and providers, for filter dropdowns. */
export async function findingFacets(db: Db, scope: OrgScope): Promise<{ detectors: string[]; providers: string[] }> {
  const orgId = requireOrgId(scope);
  const rows = await db.findingRollup.findMany({
    where: { orgId, n: { gt: 0 } },
    select: { detector: true, provider: true },
    distinct: ["detector", "provider"],
  });
  const sorted = (xs: string[]) => [...new Set(xs)].sort().slice(0, 200);
  return { detectors: sorted(rows.map((r) => r.detector)), providers: sorted(rows.map((r) => r.provider)) };
}

/** Members of the organisation, for assignment and case owners. */
export async function listMembers(db: Db, scope: OrgScope): Promise<Array<{ userId: string; email: string; name: string | null; role: string }>> {
  const orgId = requireOrgId(scope);
  const ms = await db.membership.findMany({
    where: { orgId },
    include: { user: { select: { email: true, name: true } } },
    orderBy: { createdAt: "asc" },
    take: 1000,
  });
  return ms.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role }));
}
