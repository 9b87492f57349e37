// Read model of job runs for the Jobs page and the account page's live progress. Org-scoped:
// installation-wide runs (scheduled ticks, orgId null) are never listed to an organisation.
// Progress = images scanned / total, counted from the runs a run fanned out (children for an
// account scan; grandchildren for a discovery run).
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import { requireOrgId, type OrgScope } from "@/lib/db/scope";
import { invalidInput } from "@/lib/errors";

export const ZListRunsQuery = z.object({
  accountId: z.string().min(1).max(64).optional(),
  status: z.enum(["queued", "running", "completed", "failed", "cancelled"]).optional(),
  functionId: z.enum(["org-discovery", "account-scan", "image-scan"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.date().optional(),
});
export type ListRunsQuery = z.input<typeof ZListRunsQuery>;

export interface RunProgress {
  imagesTotal: number;
  imagesScanned: number;
  imagesFailed: number;
  accountsTotal: number;
  accountsDone: number;
}

export interface JobRunView {
  id: string;
  functionId: string;
  label: string;
  status: string;
  attempt: number;
  maxAttempts: number;
  accountId: string | null;
  target: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  parentRunId: string | null;
  progress: RunProgress;
  details: Record<string, unknown>;
  /** true while this run or anything it fanned out is still queued or running */
  active: boolean;
}

const LABELS: Record<string, string> = {
  "org-discovery": "Discovery",
  "account-scan": "Account scan",
  "image-scan": "Image scan",
};

type Row = {
  id: string;
  functionId: string;
  status: string;
  attempt: number;
  maxAttempts: number;
  payload: unknown;
  progress: unknown;
  error: string | null;
  parentRunId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

const ACTIVE = new Set(["queued", "running"]);

export async function listJobRuns(db: PrismaClient, scope: OrgScope, query: ListRunsQuery = {}): Promise<JobRunView[]> {
  const orgId = requireOrgId(scope);
  const parsed = ZListRunsQuery.safeParse(query);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const q = parsed.data;
  const functionIds = q.functionId ? [q.functionId] : ["org-discovery", "account-scan", "image-scan"];
  const where = {
    orgId,
    ...(q.status ? { status: q.status } : {}),
    functionId: { in: functionIds },
    ...(q.before ? { createdAt: { lt: q.before } } : {}),
  };
  if (q.accountId) {
    // Prisma's JSON-path filter cannot use an index; payload->>'accountId' matches the
    // expression index JobRun_orgId_accountId_createdAt_idx.
    const ids = await db.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "JobRun"
      WHERE "orgId" = ${orgId} AND payload ->> 'accountId' = ${q.accountId} AND "functionId" = ANY(${functionIds})
        ${q.status ? Prisma.sql`AND status = ${q.status}` : Prisma.empty}
        ${q.before ? Prisma.sql`AND "createdAt" < ${q.before}` : Prisma.empty}
      ORDER BY "createdAt" DESC LIMIT ${q.limit}`;
    if (!ids.length) return [];
    const rows: Row[] = await db.jobRun.findMany({ where: { ...where, id: { in: ids.map((r) => r.id) } }, orderBy: { createdAt: "desc" } });
    return decorate(db, orgId, rows);
  }
  const rows: Row[] = await db.jobRun.findMany({ where, orderBy: { createdAt: "desc" }, take: q.limit });
  return decorate(db, orgId, rows);
}

export async function getJobRun(db: PrismaClient, scope: OrgScope, id: string): Promise<JobRunView | null> {
  const orgId = requireOrgId(scope);
  const row = await db.jobRun.findFirst({ where: { id, orgId } });
  if (!row) return null;
  return (await decorate(db, orgId, [row]))[0] ?? null;
}

async function decorate(db: PrismaClient, orgId: string, rows: Row[]): Promise<JobRunView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const children = await db.jobRun.findMany({
    where: { orgId, parentRunId: { in: ids } },
    select: { id: true, parentRunId: true, functionId: true, status: true },
  });
  const accountChildIds = children.filter((c) => c.functionId === "account-scan").map((c) => c.id);
  const grandchildren = accountChildIds.length
    ? await db.jobRun.findMany({
        where: { orgId, parentRunId: { in: accountChildIds } },
        select: { parentRunId: true, functionId: true, status: true },
      })
    : [];
  const parentOfAccountRun = new Map(children.filter((c) => c.functionId === "account-scan").map((c) => [c.id, c.parentRunId!]));

  const progress = new Map<string, RunProgress & { activeKids: number }>();
  const p = (id: string) => {
    let v = progress.get(id);
    if (!v) progress.set(id, (v = { imagesTotal: 0, imagesScanned: 0, imagesFailed: 0, accountsTotal: 0, accountsDone: 0, activeKids: 0 }));
    return v;
  };
  const countImage = (target: string, status: string) => {
    const v = p(target);
    v.imagesTotal++;
    if (status === "completed") v.imagesScanned++;
    if (status === "failed") v.imagesFailed++;
    if (ACTIVE.has(status)) v.activeKids++;
  };
  for (const c of children) {
    if (c.functionId === "image-scan") countImage(c.parentRunId!, c.status);
    if (c.functionId === "account-scan") {
      const v = p(c.parentRunId!);
      v.accountsTotal++;
      if (!ACTIVE.has(c.status)) v.accountsDone++;
      else v.activeKids++;
    }
  }
  for (const g of grandchildren) {
    const top = parentOfAccountRun.get(g.parentRunId!);
    if (top && g.functionId === "image-scan") countImage(top, g.status);
  }

  const accountIds = [...new Set(rows.map((r) => str(r.payload, "accountId")).filter((x): x is string => !!x))];
  const accounts = accountIds.length
    ? await db.hubAccount.findMany({ where: { orgId, id: { in: accountIds } }, select: { id: true, namespace: true } })
    : [];
  const ns = new Map(accounts.map((a) => [a.id, a.namespace]));

  return rows.map((r) => {
    const pr = progress.get(r.id) ?? { imagesTotal: 0, imagesScanned: 0, imagesFailed: 0, accountsTotal: 0, accountsDone: 0, activeKids: 0 };
    const details = r.progress && typeof r.progress === "object" ? { ...(r.progress as Record<string, unknown>) } : {};
    if (r.functionId === "image-scan") {
      // an image scan is its own single unit of progress
      pr.imagesTotal = 1;
      pr.imagesScanned = r.status === "completed" ? 1 : 0;
      pr.imagesFailed = r.status === "failed" ? 1 : 0;
    }
    const accountId = str(r.payload, "accountId");
    const repository = str(r.payload, "repository");
    const tag = str(r.payload, "tag");
    const target = r.functionId === "image-scan" && repository ? `${repository}${tag ? `:${tag}` : ""}` : accountId ? (ns.get(accountId) ?? null) : null;
    const end = r.finishedAt ?? (ACTIVE.has(r.status) ? null : null);
    const { activeKids, ...progressOut } = pr;
    return {
      id: r.id,
      functionId: r.functionId,
      label: LABELS[r.functionId] ?? r.functionId,
      status: r.status,
      attempt: r.attempt,
      maxAttempts: r.maxAttempts,
      accountId: accountId ?? null,
      target,
      createdAt: r.createdAt.toISOString(),
      startedAt: r.startedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      durationMs: r.startedAt && end ? end.getTime() - r.startedAt.getTime() : null,
      error: r.error,
      parentRunId: r.parentRunId,
      progress: progressOut,
      details: pick(details, ["repositories", "tags", "imagesTotal", "candidates", "accountsToScan"]),
      active: ACTIVE.has(r.status) || activeKids > 0,
    };
  });
}

function str(obj: unknown, key: string): string | null {
  if (!obj || typeof obj !== "object") return null;
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === "string" && v ? v : null;
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}
