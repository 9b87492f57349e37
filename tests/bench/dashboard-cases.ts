// The endpoints bench:dashboard measures: every route under app/api/v1/orgs/[orgSlug]/ that the
// dashboard pages call (reads and the triage/claim/offboard workflows), plus GET /api/v1/orgs
// (the org switcher), each paired with the in-process call of the same read model or workflow.
// Organisation configuration (identity writes, invites, members, leaving) and job retries are
// admin settings, not dashboards: their GETs are measured, their writes are not.
import { getAccountDetail, exportAccounts, listAccounts } from "@/lib/dashboard/accounts";
import { accountsTable, findingsTable, overviewTable, type OverviewTable } from "@/lib/dashboard/exports";
import { toCsv } from "@/lib/dashboard/csv";
import { exportFindings, findingFacets, getFindingDetail, listFindings, listMembers as listAssignees } from "@/lib/dashboard/findings";
import { getOverview } from "@/lib/dashboard/overview";
import { AccountListQuery, FindingListQuery, parseQuery } from "@/lib/dashboard/query";
import { claimAccount, triageAccounts } from "@/lib/accounts/workflows";
import { closeCase, openOffboardingCase, requestCaseRescan, setCaseStep, updateCase, verifyCaseRescan } from "@/lib/accounts/offboarding";
import { addComment, assignFindings, listComments, setFindingStatus } from "@/lib/findings/workflows";
import { listAudit } from "@/lib/audit";
import { listIdentity } from "@/lib/identity";
import { listInvites, listMembers, listMyOrganizations } from "@/lib/org";
import { listJobRuns } from "@/lib/jobs/runs";
import type { OrgContext } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";

export interface HttpCall {
  method: "GET" | "POST" | "PATCH";
  path: string;
  body?: unknown;
}

export interface BenchCase {
  name: string;
  kind: "read" | "write" | "csv";
  /** i = 0,1,2… over warm-up and measured calls; one-shot writes use it to pick a fresh target. */
  http: (i: number) => HttpCall;
  inproc: (db: Db, i: number) => Promise<unknown>;
  /** sees each successful HTTP response body (the offboard case collects the cases it opened) */
  onHttpBody?: (body: unknown) => void;
}

/** Ids the cases need, looked up once after the data is generated. */
export interface Fixtures {
  ctx: OrgContext;
  topAccountId: string;
  someFindingId: string;
  /** findings toggled open ↔ revoked (one, and a page of 25 for the bulk action) */
  toggleFindingId: string;
  bulkFindingIds: string[];
  /** an account an analyst confirms / dismisses back and forth */
  triageAccountId: string;
  otherMemberId: string;
  /** fresh accounts for one-shot claims and offboardings, distinct per phase */
  claimPool: string[];
  offboardPool: string[];
  /** the case ticked/updated/rescanned/verified repeatedly; cases opened by the offboard case */
  caseId: string;
  openedCases: string[];
}

const DAY = 86_400_000;

export function benchCases(slug: string, fx: Fixtures): BenchCase[] {
  const org = `/api/v1/orgs/${slug}`;
  const ctx = fx.ctx;
  const aq = (p: Record<string, string>) => parseQuery(AccountListQuery, new URLSearchParams(p));
  const fq = (p: Record<string, string>) => parseQuery(FindingListQuery, new URLSearchParams(p));
  const qs = (p: Record<string, string>) => (Object.keys(p).length ? `?${new URLSearchParams(p)}` : "");
  const from90 = new Date(Date.now() - 90 * DAY).toISOString().slice(0, 10);
  const get = (path: string): ((i: number) => HttpCall) => () => ({ method: "GET", path });
  const pick = (pool: string[], i: number) => {
    const v = pool[i];
    if (!v) throw new Error(`bench pool exhausted at ${i} (raise the pool size)`);
    return v;
  };

  const accountLists: Array<[string, Record<string, string>]> = [
    ["default (risk desc, page 1)", {}],
    ["shadow + tier filter", { status: "likely,confirmed,offboarding", tier: "critical,high" }],
    ["status review, confidence desc", { status: "review", sort: "confidence" }],
    ["sort by pulls, page 100", { sort: "pullCount", page: "100" }],
    ["sort by last push, confidence ≥ 0.5", { sort: "lastPushAt", confidenceMin: "0.5" }],
    ["sort by namespace asc, 100 per page", { sort: "namespace", dir: "asc", pageSize: "100" }],
    ["pushed in 30 days, pulls ≥ 1000", { pushedSince: new Date(Date.now() - 30 * DAY).toISOString(), pullsMin: "1000" }],
    ["discovered this week", { discoveredSince: new Date(Date.now() - 7 * DAY).toISOString(), sort: "discoveredAt" }],
    ["search by name", { q: "team-12" }],
  ];
  const findingLists: Array<[string, Record<string, string>]> = [
    ["default (severity, page 1)", {}],
    ["open critical", { status: "open", severity: "critical" }],
    ["status revoked", { status: "revoked" }],
    ["detector + deleted", { detector: "aws-access-key", deleted: "true" }],
    ["provider + liveness live", { provider: "stripe", liveness: "live", status: "open" }],
    ["in latest = false", { inLatest: "false" }],
    ["assignee = me", { assignee: "me", status: "open" }],
    ["unassigned", { assignee: "none", status: "open" }],
    ["assignee = another member", { assignee: fx.otherMemberId }],
    ["one account", { accountId: fx.topAccountId }],
    ["first seen this week", { firstSeenSince: new Date(Date.now() - 7 * DAY).toISOString(), sort: "firstSeenAt" }],
    ["resolved in 30 days (MTTR link)", { status: "revoked", resolvedSince: new Date(Date.now() - 30 * DAY).toISOString() }],
    ["search text", { q: "openai" }],
    ["last seen desc, page 200", { sort: "lastSeenAt", page: "200" }],
    ["first seen asc, page 1000", { sort: "firstSeenAt", dir: "asc", page: "1000" }],
  ];
  const overviewTables: OverviewTable[] = ["top-accounts", "shadow-by-tier", "open-by-severity", "open-by-provider", "secrets", "trend"];

  const reads: BenchCase[] = [
    { name: "my organisations", kind: "read", http: get("/api/v1/orgs"), inproc: (db) => listMyOrganizations(db, ctx.userId) },
    { name: "overview (default 30 days)", kind: "read", http: get(`${org}/overview`), inproc: (db) => getOverview(db, ctx) },
    {
      name: "overview (90-day trend)",
      kind: "read",
      http: get(`${org}/overview?from=${from90}`),
      inproc: (db) => getOverview(db, ctx, { from: new Date(from90) }),
    },
    ...accountLists.map(([label, p]): BenchCase => ({
      name: `accounts: ${label}`,
      kind: "read",
      http: get(`${org}/accounts${qs(p)}`),
      inproc: (db) => listAccounts(db, ctx, aq(p)),
    })),
    {
      name: "account detail (riskiest account)",
      kind: "read",
      http: get(`${org}/accounts/${fx.topAccountId}`),
      inproc: (db) => getAccountDetail(db, ctx, fx.topAccountId),
    },
    {
      name: "account scan progress (jobs?accountId)",
      kind: "read",
      http: get(`${org}/jobs?accountId=${fx.topAccountId}`),
      inproc: (db) => listJobRuns(db, ctx, { accountId: fx.topAccountId }),
    },
    {
      name: "account comments",
      kind: "read",
      http: get(`${org}/comments?targetType=account&targetId=${fx.topAccountId}`),
      inproc: (db) => listComments(db, ctx, { targetType: "account", targetId: fx.topAccountId }),
    },
    ...findingLists.map(([label, p]): BenchCase => ({
      name: `findings: ${label}`,
      kind: "read",
      http: get(`${org}/findings${qs(p)}`),
      inproc: (db) => listFindings(db, ctx, fq(p)),
    })),
    {
      name: "finding detail",
      kind: "read",
      http: get(`${org}/findings/${fx.someFindingId}`),
      inproc: (db) => getFindingDetail(db, ctx, fx.someFindingId),
    },
    {
      name: "finding comments",
      kind: "read",
      http: get(`${org}/comments?targetType=finding&targetId=${fx.someFindingId}`),
      inproc: (db) => listComments(db, ctx, { targetType: "finding", targetId: fx.someFindingId }),
    },
    {
      name: "findings facets + members (filter dropdowns)",
      kind: "read",
      http: get(`${org}/findings/facets`),
      inproc: (db) => Promise.all([findingFacets(db, ctx), listAssignees(db, ctx)]),
    },
    { name: "jobs (latest 50 runs)", kind: "read", http: get(`${org}/jobs`), inproc: (db) => listJobRuns(db, ctx, {}) },
    { name: "audit log (latest 100)", kind: "read", http: get(`${org}/audit`), inproc: (db) => listAudit(db, ctx, {}) },
    { name: "members", kind: "read", http: get(`${org}/members`), inproc: (db) => listMembers(db, ctx) },
    { name: "invites", kind: "read", http: get(`${org}/invites`), inproc: (db) => listInvites(db, ctx) },
    { name: "identity (all kinds)", kind: "read", http: get(`${org}/identity`), inproc: (db) => listIdentity(db, ctx) },
    {
      name: "identity (domains)",
      kind: "read",
      http: get(`${org}/identity/domain`),
      inproc: (db) => listIdentity(db, ctx, "domain"),
    },
  ];

  const csv: BenchCase[] = [
    ...overviewTables.map((t): BenchCase => ({
      name: `CSV overview/${t}`,
      kind: "csv",
      http: get(`${org}/overview/export?table=${t}`),
      inproc: async (db) => {
        const x = overviewTable(await getOverview(db, ctx), t);
        return toCsv(x.header, x.rows);
      },
    })),
    {
      name: "CSV accounts: shadow (≈1,900 rows)",
      kind: "csv",
      http: get(`${org}/accounts/export?status=likely,confirmed,offboarding`),
      inproc: async (db) => {
        const x = accountsTable(await exportAccounts(db, ctx, aq({ status: "likely,confirmed,offboarding" })));
        return toCsv(x.header, x.rows);
      },
    },
    {
      name: "CSV findings: open critical (10,000-row cap)",
      kind: "csv",
      http: get(`${org}/findings/export?status=open&severity=critical`),
      inproc: async (db) => {
        const x = findingsTable(await exportFindings(db, ctx, fq({ status: "open", severity: "critical" })));
        return toCsv(x.header, x.rows);
      },
    },
  ];

  const noRescan = async () => ({ runId: null });
  const writes: BenchCase[] = [
    {
      name: "finding status (open ↔ revoked, 1 finding)",
      kind: "write",
      http: (i) => ({ method: "POST", path: `${org}/findings/status`, body: { findingIds: [fx.toggleFindingId], status: i % 2 ? "open" : "revoked" } }),
      inproc: (db, i) => setFindingStatus(db, ctx, { findingIds: [fx.toggleFindingId], status: i % 2 ? "open" : "revoked" }),
    },
    {
      name: "finding status bulk (25 findings)",
      kind: "write",
      http: (i) => ({
        method: "POST",
        path: `${org}/findings/status`,
        body: i % 2 ? { findingIds: fx.bulkFindingIds, status: "open" } : { findingIds: fx.bulkFindingIds, status: "accepted_risk", reason: "bench" },
      }),
      inproc: (db, i) =>
        setFindingStatus(db, ctx, i % 2 ? { findingIds: fx.bulkFindingIds, status: "open" } : { findingIds: fx.bulkFindingIds, status: "accepted_risk", reason: "bench" }),
    },
    {
      name: "finding assign (member ↔ nobody, 25 findings)",
      kind: "write",
      http: (i) => ({ method: "POST", path: `${org}/findings/assign`, body: { findingIds: fx.bulkFindingIds, assigneeId: i % 2 ? null : fx.otherMemberId } }),
      inproc: (db, i) => assignFindings(db, ctx, { findingIds: fx.bulkFindingIds, assigneeId: i % 2 ? null : fx.otherMemberId }),
    },
    {
      name: "account triage (confirm ↔ dismiss)",
      kind: "write",
      http: (i) => ({
        method: "POST",
        path: `${org}/accounts/triage`,
        body: i % 2 ? { accountIds: [fx.triageAccountId], decision: "dismiss", reason: "not ours (bench)" } : { accountIds: [fx.triageAccountId], decision: "confirm" },
      }),
      inproc: (db, i) =>
        triageAccounts(
          db,
          ctx,
          i % 2 ? { accountIds: [fx.triageAccountId], decision: "dismiss", reason: "not ours (bench)" } : { accountIds: [fx.triageAccountId], decision: "confirm" },
        ),
    },
    {
      name: "comment on a finding",
      kind: "write",
      http: (i) => ({ method: "POST", path: `${org}/comments`, body: { targetType: "finding", targetId: fx.someFindingId, body: `bench comment ${i}` } }),
      inproc: (db, i) => addComment(db, ctx, { targetType: "finding", targetId: fx.someFindingId, body: `bench comment ${i}` }),
    },
    {
      name: "claim an account (fresh account each call)",
      kind: "write",
      http: (i) => ({ method: "POST", path: `${org}/accounts/${pick(fx.claimPool, i)}/claim`, body: { note: "bench" } }),
      inproc: (db, i) => claimAccount(db, ctx, { accountId: pick(fx.claimPool, i), note: "bench" }),
    },
    {
      name: "open an offboarding case (fresh account each call)",
      kind: "write",
      http: (i) => ({ method: "POST", path: `${org}/accounts/${pick(fx.offboardPool, i)}/offboard`, body: { note: "bench" } }),
      onHttpBody: (b) => fx.openedCases.push((b as { id: string }).id),
      inproc: async (db, i) => {
        const c = await openOffboardingCase(db, ctx, { accountId: pick(fx.offboardPool, i), note: "bench" });
        fx.openedCases.push(c.id);
        return c;
      },
    },
    {
      name: "case: owner and due date",
      kind: "write",
      http: (i) => ({ method: "PATCH", path: `${org}/cases/${fx.caseId}`, body: { ownerId: i % 2 ? fx.otherMemberId : ctx.userId, dueDate: new Date(Date.now() + (7 + (i % 5)) * DAY).toISOString() } }),
      inproc: (db, i) => updateCase(db, ctx, { caseId: fx.caseId, ownerId: i % 2 ? fx.otherMemberId : ctx.userId, dueDate: new Date(Date.now() + (7 + (i % 5)) * DAY) }),
    },
    {
      name: "case: tick / untick a step",
      kind: "write",
      http: (i) => ({ method: "POST", path: `${org}/cases/${fx.caseId}/steps`, body: { key: "contact_owner", done: i % 2 === 0 } }),
      inproc: (db, i) => setCaseStep(db, ctx, { caseId: fx.caseId, key: "contact_owner", done: i % 2 === 0 }),
    },
    {
      name: "case: request rescan",
      kind: "write",
      http: () => ({ method: "POST", path: `${org}/cases/${fx.caseId}/rescan` }),
      // in-process peer without the jobs client (the app queues a JobRun; this measures the case update)
      inproc: (db) => requestCaseRescan(db, ctx, { caseId: fx.caseId }, noRescan),
    },
    {
      name: "case: check rescan result",
      kind: "write",
      http: () => ({ method: "POST", path: `${org}/cases/${fx.caseId}/verify` }),
      inproc: (db) => verifyCaseRescan(db, ctx, { caseId: fx.caseId }),
    },
    {
      name: "case: close as cancelled (one case each call)",
      kind: "write",
      http: (i) => ({ method: "POST", path: `${org}/cases/${pick(fx.openedCases, i)}/close`, body: { outcome: "cancelled", reason: "bench" } }),
      inproc: (db, i) => closeCase(db, ctx, { caseId: pick(fx.openedCases, i), outcome: "cancelled", reason: "bench" }),
    },
  ];
  return [...reads, ...csv, ...writes];
}
