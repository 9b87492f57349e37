// Accounts read models: the server-paginated list and the account page. Org-scoped throughout;
// another organisation's account id is simply not found.
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { notFound } from "@/lib/errors";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import type { AccountListQuery } from "./query";
import { TIER_RANGE, tierOf, type RiskTier } from "./tiers";

export interface AccountRow {
  id: string;
  namespace: string;
  accountType: string;
  status: string;
  confidence: number;
  risk: number;
  tier: RiskTier;
  pullCount: number;
  repoCount: number;
  lastPushAt: Date | null;
  discoveredAt: Date;
  lastScannedAt: Date | null;
  scanState: string;
  openFindings: number;
  criticalFindings: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export function accountWhere(orgId: string, q: Partial<AccountListQuery>): Prisma.HubAccountWhereInput {
  const and: Prisma.HubAccountWhereInput[] = [{ orgId }];
  if (q.status?.length) and.push({ status: { in: [...q.status] } });
  if (q.tier?.length) {
    and.push({ OR: q.tier.map((t) => ({ risk: { gte: TIER_RANGE[t].min, lte: TIER_RANGE[t].max } })) });
  }
  if (q.riskMin !== undefined) and.push({ risk: { gte: q.riskMin } });
  if (q.riskMax !== undefined) and.push({ risk: { lte: q.riskMax } });
  if (q.confidenceMin !== undefined) and.push({ confidence: { gte: q.confidenceMin } });
  if (q.pushedSince) and.push({ lastPushAt: { gte: q.pushedSince } });
  if (q.discoveredSince) and.push({ discoveredAt: { gte: q.discoveredSince } });
  if (q.pullsMin !== undefined) and.push({ pullCount: { gte: BigInt(q.pullsMin) } });
  if (q.q) and.push({ namespace: { contains: q.q.toLowerCase(), mode: "insensitive" } });
  return and.length === 1 ? and[0]! : { AND: and };
}

function accountOrder(q: Pick<AccountListQuery, "sort" | "dir">): Prisma.HubAccountOrderByWithRelationInput[] {
  const dir = q.dir;
  const primary: Prisma.HubAccountOrderByWithRelationInput =
    q.sort === "lastPushAt"
      ? { lastPushAt: { sort: dir, nulls: "last" } }
      : ({ [q.sort]: dir } as Prisma.HubAccountOrderByWithRelationInput);
  // a stable tiebreaker keeps pages from overlapping
  return [primary, { namespace: "asc" }, { id: "asc" }];
}

export async function listAccounts(db: Db, scope: OrgScope, q: AccountListQuery): Promise<Page<AccountRow>> {
  const orgId = requireOrgId(scope);
  const where = accountWhere(orgId, q);
  const [total, rows] = await Promise.all([
    db.hubAccount.count({ where }),
    db.hubAccount.findMany({
      where,
      orderBy: accountOrder(q),
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
      select: {
        id: true,
        namespace: true,
        accountType: true,
        status: true,
        confidence: true,
        risk: true,
        pullCount: true,
        repoCount: true,
        lastPushAt: true,
        discoveredAt: true,
        lastScannedAt: true,
        scanState: true,
      },
    }),
  ]);
  const counts = await openCounts(db, orgId, rows.map((r) => r.id));
  return {
    items: rows.map((r) => ({
      ...r,
      status: r.status as string,
      pullCount: Number(r.pullCount),
      tier: tierOf(r.risk),
      openFindings: counts.get(r.id)?.open ?? 0,
      criticalFindings: counts.get(r.id)?.critical ?? 0,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    pageCount: Math.max(1, Math.ceil(total / q.pageSize)),
  };
}

/** For CSV export: the same filters and order, up to `limit` rows, no count. */
export async function exportAccounts(db: Db, scope: OrgScope, q: AccountListQuery, limit = 10_000): Promise<AccountRow[]> {
  const page = await listAccounts(db, scope, { ...q, page: 1, pageSize: limit });
  return page.items;
}

async function openCounts(db: Db, orgId: string, ids: string[]) {
  if (!ids.length) return new Map<string, { open: number; critical: number }>();
  const rows = await db.$queryRaw<Array<{ accountId: string; open: number; critical: number }>>`
    SELECT "accountId", count(*)::int AS open, count(*) FILTER (WHERE severity = 'critical')::int AS critical
    FROM "Finding" WHERE "orgId" = ${orgId} AND "accountId" = ANY(${ids}) AND status = 'open'
    GROUP BY "accountId"`;
  return new Map(rows.map((r) => [r.accountId, { open: Number(r.open), critical: Number(r.critical) }]));
}

// ─── Account page ─────────────────────────────────────────────────────────────

export interface EvidenceItem {
  type: string;
  weight: number;
  value: string;
  source: string;
  detail: string;
}

export interface TimelineEvent {
  at: Date;
  kind: "discovered" | "scanned" | "audit" | "comment";
  action: string;
  actor: string | null;
  detail: string | null;
}

export interface LocationView {
  id: string;
  repository: string;
  tag: string | null;
  imageDigest: string;
  platform: string;
  layerDigest: string | null;
  source: string;
  path: string | null;
  line: number | null;
  deleted: boolean;
  lastSeenAt: Date;
}

export interface AccountFindingView {
  id: string;
  detector: string;
  provider: string;
  severity: string;
  status: string;
  statusReason: string | null;
  masked: string;
  fingerprintPrefix: string;
  liveness: string;
  inLatest: boolean;
  deletedOnly: boolean;
  assigneeId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  locationCount: number;
  locations: LocationView[];
}

export interface CaseView {
  id: string;
  status: string;
  ownerId: string | null;
  ownerEmail: string | null;
  dueDate: Date | null;
  checklist: ChecklistItemView[];
  createdAt: Date;
  closedAt: Date | null;
}

export interface ChecklistItemView {
  key: string;
  label: string;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
  findingId?: string;
  note?: string;
  requestedAt?: string;
  runId?: string;
}

export interface AccountDetail {
  account: AccountRow & {
    profile: Record<string, unknown>;
    dismissReason: string | null;
    claimedAt: Date | null;
    lastDiscoveredAt: Date;
  };
  evidence: EvidenceItem[];
  riskParts: Record<string, unknown>;
  repositories: Array<{
    id: string;
    name: string;
    description: string | null;
    pullCount: number;
    lastUpdated: Date | null;
    images: Array<{
      id: string;
      tag: string;
      digest: string | null;
      pushedAt: Date | null;
      scanState: string;
      scanError: string | null;
      lastScannedAt: Date | null;
      isLatest: boolean;
    }>;
  }>;
  findings: AccountFindingView[];
  findingsTruncated: boolean;
  cases: CaseView[];
  timeline: TimelineEvent[];
}

const FINDINGS_ON_PAGE = 100;
const LOCATIONS_PER_FINDING = 25;

/**
 * Findings of an account: first seen there, or with a location there (a secret reused across
 * accounts). A UNION of two index scans — an OR over a relation would scan every finding.
 */
export async function accountFindingIds(db: Db, orgId: string, accountId: string, limit: number): Promise<[string[], number]> {
  const rows = await db.$queryRaw<Array<{ id: string; total: number }>>`
    WITH ids AS (
      SELECT id FROM "Finding" WHERE "orgId" = ${orgId} AND "accountId" = ${accountId}
      UNION
      SELECT "findingId" FROM "FindingLocation" WHERE "orgId" = ${orgId} AND "accountId" = ${accountId}
    )
    SELECT f.id, count(*) OVER ()::int AS total
    FROM "Finding" f JOIN ids ON ids.id = f.id
    WHERE f."orgId" = ${orgId}
    ORDER BY f.status, f.severity, f."lastSeenAt" DESC, f.id
    LIMIT ${limit}`;
  return [rows.map((r) => r.id), Number(rows[0]?.total ?? 0)];
}

export async function getAccountDetail(db: Db, scope: OrgScope, accountId: string): Promise<AccountDetail> {
  const orgId = requireOrgId(scope);
  const a = await db.hubAccount.findFirst({ where: { id: accountId, orgId } });
  if (!a) throw notFound("Account not found");

  const [ids, findingCount] = await accountFindingIds(db, orgId, accountId, FINDINGS_ON_PAGE);
  const [repos, findings, cases, counts] = await Promise.all([
    db.hubRepository.findMany({
      where: { orgId, accountId },
      orderBy: [{ pullCount: "desc" }, { name: "asc" }],
      take: 200,
      include: {
        images: {
          where: { orgId },
          orderBy: [{ isLatest: "desc" }, { pushedAt: { sort: "desc", nulls: "last" } }],
          take: 50,
        },
      },
    }),
    db.finding.findMany({
      where: { orgId, id: { in: ids } },
      orderBy: [{ status: "asc" }, { severity: "asc" }, { lastSeenAt: "desc" }, { id: "asc" }],
      include: {
        locations: {
          where: { orgId },
          orderBy: [{ deleted: "asc" }, { lastSeenAt: "desc" }],
          take: LOCATIONS_PER_FINDING,
        },
      },
    }),
    db.offboardingCase.findMany({ where: { orgId, accountId }, orderBy: { createdAt: "desc" }, take: 20 }),
    openCounts(db, orgId, [accountId]),
  ]);

  const userIds = [...new Set(cases.map((c) => c.ownerId).filter((x): x is string => !!x))];
  const owners = userIds.length
    ? await db.user.findMany({
        where: { id: { in: userIds }, memberships: { some: { orgId } } },
        select: { id: true, email: true },
      })
    : [];
  const ownerEmail = new Map(owners.map((u) => [u.id, u.email]));

  const timeline = await accountTimeline(db, orgId, a, cases.map((c) => c.id));

  return {
    account: {
      id: a.id,
      namespace: a.namespace,
      accountType: a.accountType,
      status: a.status,
      confidence: a.confidence,
      risk: a.risk,
      tier: tierOf(a.risk),
      pullCount: Number(a.pullCount),
      repoCount: a.repoCount,
      lastPushAt: a.lastPushAt,
      discoveredAt: a.discoveredAt,
      lastDiscoveredAt: a.lastDiscoveredAt,
      lastScannedAt: a.lastScannedAt,
      scanState: a.scanState,
      openFindings: counts.get(a.id)?.open ?? 0,
      criticalFindings: counts.get(a.id)?.critical ?? 0,
      profile: isRecord(a.profile) ? a.profile : {},
      dismissReason: a.dismissReason,
      claimedAt: a.claimedAt,
    },
    evidence: parseEvidence(a.evidence),
    riskParts: isRecord(a.riskParts) ? a.riskParts : {},
    repositories: repos.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      pullCount: Number(r.pullCount),
      lastUpdated: r.lastUpdated,
      images: r.images.map((i) => ({
        id: i.id,
        tag: i.tag,
        digest: i.digest,
        pushedAt: i.pushedAt,
        scanState: i.scanState,
        scanError: i.scanError,
        lastScannedAt: i.lastScannedAt,
        isLatest: i.isLatest,
      })),
    })),
    findings: findings.map((f) => ({
      id: f.id,
      detector: f.detector,
      provider: f.provider,
      severity: f.severity,
      status: f.status,
      statusReason: f.statusReason,
      masked: f.masked,
      fingerprintPrefix: f.fingerprint.slice(0, 12),
      liveness: f.liveness,
      inLatest: f.inLatest,
      deletedOnly: f.deletedOnly,
      assigneeId: f.assigneeId,
      firstSeenAt: f.firstSeenAt,
      lastSeenAt: f.lastSeenAt,
      locationCount: f.locationCount,
      locations: f.locations.map(toLocationView),
    })),
    findingsTruncated: findingCount > findings.length,
    cases: cases.map((c) => ({
      id: c.id,
      status: c.status,
      ownerId: c.ownerId,
      ownerEmail: c.ownerId ? (ownerEmail.get(c.ownerId) ?? null) : null,
      dueDate: c.dueDate,
      checklist: parseChecklist(c.checklist),
      createdAt: c.createdAt,
      closedAt: c.closedAt,
    })),
    timeline,
  };
}

export function toLocationView(l: {
  id: string;
  repository: string;
  tag: string | null;
  imageDigest: string;
  platform: string;
  layerDigest: string | null;
  source: string;
  path: string | null;
  line: number | null;
  deleted: boolean;
  lastSeenAt: Date;
}): LocationView {
  return {
    id: l.id,
    repository: l.repository,
    tag: l.tag,
    imageDigest: l.imageDigest,
    platform: l.platform,
    layerDigest: l.layerDigest,
    source: l.source,
    path: l.path,
    line: l.line,
    deleted: l.deleted,
    lastSeenAt: l.lastSeenAt,
  };
}

async function accountTimeline(
  db: Db,
  orgId: string,
  a: { id: string; discoveredAt: Date; lastScannedAt: Date | null },
  caseIds: string[],
): Promise<TimelineEvent[]> {
  const targets: Prisma.AuditLogWhereInput[] = [{ targetType: "account", targetId: a.id }];
  if (caseIds.length) targets.push({ targetType: "offboarding_case", targetId: { in: caseIds } });
  const [audits, comments] = await Promise.all([
    db.auditLog.findMany({
      where: { orgId, OR: targets, action: { not: "comment.add" } },
      orderBy: { createdAt: "desc" },
      take: 200,
    }),
    db.comment.findMany({
      where: { orgId, targetType: "account", targetId: a.id },
      orderBy: { createdAt: "desc" },
      take: 200,
    }),
  ]);
  const authorIds = [...new Set(comments.map((c) => c.authorId))];
  const authors = authorIds.length
    ? await db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, email: true } })
    : [];
  const emailOf = new Map(authors.map((u) => [u.id, u.email]));

  const events: TimelineEvent[] = [
    { at: a.discoveredAt, kind: "discovered", action: "discovered", actor: null, detail: null },
  ];
  if (a.lastScannedAt) events.push({ at: a.lastScannedAt, kind: "scanned", action: "last scanned", actor: null, detail: null });
  for (const e of audits) {
    events.push({ at: e.createdAt, kind: "audit", action: e.action, actor: e.actorEmail, detail: auditDetail(e.details) });
  }
  for (const c of comments) {
    events.push({ at: c.createdAt, kind: "comment", action: "comment", actor: emailOf.get(c.authorId) ?? null, detail: c.body });
  }
  return events.sort((x, y) => y.at.getTime() - x.at.getTime());
}

function auditDetail(details: unknown): string | null {
  if (!isRecord(details)) return null;
  const parts: string[] = [];
  // "step" holds internal keys (revoke:<id>); the label says the same for people
  for (const k of ["label", "reason", "from", "to", "status", "note"]) {
    const v = details[k];
    if (typeof v === "string" && v) parts.push(`${k}: ${v}`);
  }
  return parts.length ? parts.join(" · ") : null;
}

export function parseEvidence(raw: unknown): EvidenceItem[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(isRecord)
    .map((e) => ({
      type: str(e.type),
      weight: typeof e.weight === "number" ? e.weight : Number(e.weight) || 0,
      value: str(e.value),
      source: str(e.source),
      detail: str(e.detail),
    }))
    .sort((x, y) => y.weight - x.weight);
}

export function parseChecklist(raw: unknown): ChecklistItemView[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((i) => ({
    key: str(i.key),
    label: str(i.label),
    done: i.done === true,
    doneAt: typeof i.doneAt === "string" ? i.doneAt : null,
    doneBy: typeof i.doneBy === "string" ? i.doneBy : null,
    ...(typeof i.findingId === "string" ? { findingId: i.findingId } : {}),
    ...(typeof i.note === "string" ? { note: i.note } : {}),
    ...(typeof i.requestedAt === "string" ? { requestedAt: i.requestedAt } : {}),
    ...(typeof i.runId === "string" ? { runId: i.runId } : {}),
  }));
}

function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
