import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addComment, assignFindings, listComments, setFindingStatus } from "@/lib/findings/workflows";
import { claimAccount, triageAccounts } from "@/lib/accounts/workflows";
import {
  closeCase,
  openOffboardingCase,
  requestCaseRescan,
  setCaseStep,
  updateCase,
  verifyCaseRescan,
} from "@/lib/accounts/offboarding";
import { getAccountDetail } from "@/lib/dashboard/accounts";
import { openWorld, type World } from "./dashboard-fixtures";

let w: World;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => {
  await w?.close();
});

const db = () => w.h.prisma;
const audits = (targetId: string) => db().auditLog.findMany({ where: { targetId }, orderBy: { createdAt: "asc" } });

describe("finding workflows", () => {
  it("changes status with a reason, audits it, and recomputes the account's risk", async () => {
    const before = await db().hubAccount.findFirstOrThrow({ where: { id: w.accountsA["acme-ml"]! } });
    const r = await setFindingStatus(db(), w.ctx("analyst"), {
      findingIds: [w.findingsA.openai!, w.findingsA.generic!],
      status: "accepted_risk",
      reason: "test key for a sandbox",
    });
    expect(r).toEqual({ updated: 2, unchanged: 0 });
    const f = await db().finding.findFirstOrThrow({ where: { id: w.findingsA.openai! } });
    expect(f).toMatchObject({ status: "accepted_risk", statusReason: "test key for a sandbox" });
    expect(f.resolvedAt).not.toBeNull();
    const a = await audits(w.findingsA.openai!);
    expect(a.map((x) => [x.action, x.actorEmail, (x.details as { to: string }).to])).toEqual([
      ["finding.status", "analyst@acme.test", "accepted_risk"],
    ]);
    // no open findings left on acme-ml → lib/risk scores it 0
    const after = await db().hubAccount.findFirstOrThrow({ where: { id: w.accountsA["acme-ml"]! } });
    expect(before.risk).toBeGreaterThan(0);
    expect(after.risk).toBe(0);
    // reopen for the following tests
    await setFindingStatus(db(), w.ctx("analyst"), { findingIds: [w.findingsA.openai!, w.findingsA.generic!], status: "open" });
    const reopened = await db().finding.findFirstOrThrow({ where: { id: w.findingsA.openai! } });
    expect(reopened.resolvedAt).toBeNull();
  });

  it("requires a reason for false positive and accepted risk", async () => {
    await expect(
      setFindingStatus(db(), w.ctx("analyst"), { findingIds: [w.findingsA.aws!], status: "false_positive" }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", issues: [{ path: "reason" }] });
  });

  it("viewers cannot triage; bad input is a clear error", async () => {
    await expect(
      setFindingStatus(db(), w.ctx("viewer"), { findingIds: [w.findingsA.aws!], status: "revoked" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setFindingStatus(db(), w.ctx("analyst"), { findingIds: [], status: "revoked" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(setFindingStatus(db(), w.ctx("analyst"), { findingIds: ["x"], status: "deleted" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });

  it("bulk actions that include another organisation's id change nothing", async () => {
    await expect(
      setFindingStatus(db(), w.ctx("admin"), { findingIds: [w.findingsA.aws!, w.findingsB.aws!], status: "revoked" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const mine = await db().finding.findFirstOrThrow({ where: { id: w.findingsA.aws! } });
    const theirs = await db().finding.findFirstOrThrow({ where: { id: w.findingsB.aws! } });
    expect(mine.status).toBe("open");
    expect(theirs.status).toBe("open");
    expect(await audits(w.findingsB.aws!)).toEqual([]);
  });

  it("assigns only to members of the same organisation", async () => {
    await expect(
      assignFindings(db(), w.ctx("analyst"), { findingIds: [w.findingsA.aws!], assigneeId: w.users.adminB.id }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", issues: [{ path: "assigneeId" }] });
    const r = await assignFindings(db(), w.ctx("analyst"), { findingIds: [w.findingsA.aws!, w.findingsA.gh!], assigneeId: w.users.analyst.id });
    expect(r.updated).toBe(2);
    const again = await assignFindings(db(), w.ctx("analyst"), { findingIds: [w.findingsA.aws!], assigneeId: w.users.analyst.id });
    expect(again).toEqual({ updated: 0, unchanged: 1 });
    const a = await audits(w.findingsA.gh!);
    expect(a.at(-1)).toMatchObject({ action: "finding.assign", details: { to: w.users.analyst.id, assignee: "analyst@acme.test" } });
    await expect(
      assignFindings(db(), w.ctx("analyst"), { findingIds: [w.findingsB.gh!], assigneeId: null }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("comments on findings and accounts of the organisation only", async () => {
    const c = await addComment(db(), w.ctx("analyst"), { targetType: "finding", targetId: w.findingsA.aws!, body: "Paged the owner" });
    expect(c.authorEmail).toBe("analyst@acme.test");
    const list = await listComments(db(), w.ctx("viewer"), { targetType: "finding", targetId: w.findingsA.aws! });
    expect(list.map((x) => x.body)).toEqual(["Paged the owner"]);
    await expect(
      addComment(db(), w.ctx("analyst"), { targetType: "finding", targetId: w.findingsB.aws!, body: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      addComment(db(), w.ctx("viewer"), { targetType: "account", targetId: w.accountsA["acme-ml"]!, body: "x" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      addComment(db(), w.ctx("analyst"), { targetType: "account", targetId: w.accountsA["acme-ml"]!, body: "   " }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(await db().comment.count({ where: { orgId: w.orgB.id } })).toBe(0);
    await expect(listComments(db(), w.ctx("viewer"), { targetType: "finding", targetId: w.findingsB.aws! })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("account triage and claim", () => {
  it("an analyst confirms and dismisses (with a reason that discovery can read)", async () => {
    await triageAccounts(db(), w.ctx("analyst"), { accountIds: [w.accountsA["acme-ml"]!], decision: "confirm" });
    expect((await db().hubAccount.findFirstOrThrow({ where: { id: w.accountsA["acme-ml"]! } })).status).toBe("confirmed");
    await expect(
      triageAccounts(db(), w.ctx("analyst"), { accountIds: [w.accountsA["acme-old"]!], decision: "dismiss" }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await triageAccounts(db(), w.ctx("analyst"), {
      accountIds: [w.accountsA["acme-old"]!],
      decision: "dismiss",
      reason: "belongs to Acme Plumbing, unrelated",
    });
    const old = await db().hubAccount.findFirstOrThrow({ where: { id: w.accountsA["acme-old"]! } });
    expect(old).toMatchObject({ status: "dismissed", dismissReason: "belongs to Acme Plumbing, unrelated", risk: 0 });
    const detail = await getAccountDetail(db(), { orgId: w.orgA.id }, w.accountsA["acme-old"]!);
    expect(detail.timeline.find((t) => t.action === "account.dismiss")?.detail).toContain("Acme Plumbing");
  });

  it("triage respects roles, organisation and state", async () => {
    await expect(
      triageAccounts(db(), w.ctx("viewer"), { accountIds: [w.accountsA["acme-ml"]!], decision: "confirm" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      triageAccounts(db(), w.ctx("analyst"), { accountIds: [w.accountsB["globex-ml"]!], decision: "confirm" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db().hubAccount.findFirstOrThrow({ where: { id: w.accountsB["globex-ml"]! } })).status).toBe("review");
    await expect(
      triageAccounts(db(), w.ctx("analyst"), { accountIds: [w.accountsA["acme-corp"]!], decision: "dismiss", reason: "nope" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("only admins claim; a claim makes the account sanctioned inventory", async () => {
    await expect(claimAccount(db(), w.ctx("analyst"), { accountId: w.accountsA["acme-intern"]! })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(claimAccount(db(), w.ctx("admin"), { accountId: w.accountsB["globex-intern"]! })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const r = await claimAccount(db(), w.ctx("admin"), { accountId: w.accountsA["acme-intern"]!, note: "team account" });
    expect(r.status).toBe("sanctioned");
    const a = await db().hubAccount.findFirstOrThrow({ where: { id: w.accountsA["acme-intern"]! } });
    expect(a.status).toBe("sanctioned");
    expect(a.claimedAt).not.toBeNull();
    const item = await db().identityItem.findFirstOrThrow({ where: { id: r.identityItemId } });
    expect(item).toMatchObject({ orgId: w.orgA.id, kind: "sanctioned_namespace", normalized: "acme-intern" });
    expect((await audits(a.id)).map((x) => x.action)).toContain("account.claim");
    await expect(claimAccount(db(), w.ctx("admin"), { accountId: a.id })).rejects.toMatchObject({ code: "CONFLICT" });
    // claimed with no open findings → risk 0 (stays monitored: status sanctioned, not deleted)
    expect(a.risk).toBe(0);
  });
});

describe("offboarding", () => {
  it("runs a case through the checklist to a verified rescan", async () => {
    const accountId = w.accountsA["acme-devops"]!;
    await expect(openOffboardingCase(db(), w.ctx("analyst"), { accountId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      openOffboardingCase(db(), w.ctx("admin"), { accountId, ownerId: w.users.adminB.id }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const due = new Date(Date.now() + 7 * 86_400_000);
    const c = await openOffboardingCase(db(), w.ctx("admin"), { accountId, ownerId: w.users.analyst.id, dueDate: due });
    // most severe first, then oldest first (gh was seen 10 days ago, aws 2 days ago)
    expect(c.checklist.map((i) => i.key)).toEqual([
      `revoke:${w.findingsA.gh}`,
      `revoke:${w.findingsA.aws}`,
      "contact_owner",
      "images_removed",
      "rescan_clean",
    ]);
    expect(c.checklist[0]!.label).not.toContain("acme-aws-value");
    expect((await db().hubAccount.findFirstOrThrow({ where: { id: accountId } })).status).toBe("offboarding");
    await expect(openOffboardingCase(db(), w.ctx("admin"), { accountId })).rejects.toMatchObject({ code: "CONFLICT" });
    // other org cannot touch the case
    await expect(
      setCaseStep(db(), w.ctxB(), { caseId: c.id, key: "contact_owner", done: true }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // the rescan step is not tickable by hand
    await expect(
      setCaseStep(db(), w.ctx("admin"), { caseId: c.id, key: "rescan_clean", done: true }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await updateCase(db(), w.ctx("admin"), { caseId: c.id, ownerId: w.users.admin.id });

    for (const key of [`revoke:${w.findingsA.aws}`, `revoke:${w.findingsA.gh}`, "contact_owner", "images_removed"]) {
      await setCaseStep(db(), w.ctx("admin"), { caseId: c.id, key, done: true, note: key.startsWith("revoke") ? "rotated in IAM" : undefined });
    }
    const aws = await db().finding.findFirstOrThrow({ where: { id: w.findingsA.aws! } });
    expect(aws).toMatchObject({ status: "revoked", statusReason: "rotated in IAM" });
    await expect(closeCase(db(), w.ctx("admin"), { caseId: c.id, outcome: "done" })).rejects.toMatchObject({ code: "CONFLICT" });

    expect((await verifyCaseRescan(db(), w.ctx("admin"), { caseId: c.id })).verdict.state).toBe("not_requested");
    const triggered: Array<{ accountId: string; orgId: string }> = [];
    const rq = await requestCaseRescan(db(), w.ctx("admin"), { caseId: c.id }, async (req) => {
      triggered.push(req);
      return { runId: "run_123" };
    });
    expect(triggered).toEqual([{ orgId: w.orgA.id, accountId, reason: `offboarding case ${c.id}` }]);
    expect(rq.checklist.find((i) => i.key === "rescan_clean")).toMatchObject({ runId: "run_123", done: false });

    // the scan has not run yet
    expect((await verifyCaseRescan(db(), w.ctx("admin"), { caseId: c.id })).verdict.state).toBe("pending");
    // a rescan that still sees a secret: dirty
    const later = new Date(Date.now() + 1000);
    await db().hubAccount.updateMany({ where: { id: accountId }, data: { lastScannedAt: later, scanState: "scanned" } });
    await db().findingLocation.updateMany({ where: { findingId: w.findingsA.gh! }, data: { lastSeenAt: later } });
    const dirty = await verifyCaseRescan(db(), w.ctx("admin"), { caseId: c.id });
    expect(dirty.verdict).toMatchObject({ state: "dirty", findings: 1 });
    // images deleted: the next rescan marks them gone and sees nothing
    const rq2 = await requestCaseRescan(db(), w.ctx("admin"), { caseId: c.id }, async () => ({ runId: "run_456" }));
    const requestedAt = new Date(rq2.checklist.find((i) => i.key === "rescan_clean")!.requestedAt!);
    await db().findingLocation.updateMany({ where: { findingId: w.findingsA.gh! }, data: { lastSeenAt: new Date(requestedAt.getTime() - 1) } });
    await db().hubImage.updateMany({ where: { repository: { accountId } }, data: { scanState: "gone" } });
    await db().hubAccount.updateMany({ where: { id: accountId }, data: { lastScannedAt: new Date(requestedAt.getTime() + 1000) } });
    const clean = await verifyCaseRescan(db(), w.ctx("admin"), { caseId: c.id });
    expect(clean.verdict).toMatchObject({ state: "clean", images: 2, goneImages: 2 });

    const done = await closeCase(db(), w.ctx("admin"), { caseId: c.id, outcome: "done" });
    expect(done.status).toBe("done");
    const a = await db().hubAccount.findFirstOrThrow({ where: { id: accountId } });
    expect(a.status).toBe("offboarded");
    // every step is in the audit log, in order
    const actions = (await audits(c.id)).map((x) => x.action);
    expect(actions[0]).toBe("case.open");
    expect(actions.filter((x) => x === "case.step")).toHaveLength(4);
    expect(actions).toEqual(
      expect.arrayContaining(["case.update", "case.rescan_requested", "case.rescan_verified", "case.done"]),
    );
    const detail = await getAccountDetail(db(), { orgId: w.orgA.id }, accountId);
    expect(detail.cases[0]).toMatchObject({ status: "done", ownerEmail: "admin@acme.test" });
    expect(detail.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(["case.open", "case.done", "account.offboarded"]));
    // closed cases are immutable
    await expect(setCaseStep(db(), w.ctx("admin"), { caseId: c.id, key: "contact_owner", done: false })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("a cancelled case returns the account to confirmed and needs a reason", async () => {
    const accountId = w.accountsA["acme-ml"]!;
    const c = await openOffboardingCase(db(), w.ctx("owner"), { accountId });
    await expect(closeCase(db(), w.ctx("owner"), { caseId: c.id, outcome: "cancelled" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await closeCase(db(), w.ctx("owner"), { caseId: c.id, outcome: "cancelled", reason: "owner transferred the images" });
    expect((await db().hubAccount.findFirstOrThrow({ where: { id: accountId } })).status).toBe("confirmed");
  });
});

describe("finding rollups", () => {
  it("stay equal to a direct count after inserts, workflow updates and deletes", async () => {
    const direct = await w.h.query<{ orgId: string; status: string; severity: string; provider: string; detector: string; liveness: string; deletedOnly: boolean; n: number }>(
      `SELECT "orgId", status::text, severity::text, provider, detector, liveness, "deletedOnly", count(*)::int AS n
       FROM "Finding" GROUP BY 1,2,3,4,5,6,7 ORDER BY 1,2,3,4,5,6,7`,
    );
    const rolled = await w.h.query<typeof direct[number]>(
      `SELECT "orgId", status::text, severity::text, provider, detector, liveness, "deletedOnly", n
       FROM "FindingRollup" WHERE n <> 0 ORDER BY 1,2,3,4,5,6,7`,
    );
    expect(rolled).toEqual(direct);
    const daily = await w.h.query<{ kind: string; n: number; hours: number }>(
      `SELECT kind, sum(n)::int AS n, round(sum(hours)::numeric, 3)::float8 AS hours FROM "FindingDaily" GROUP BY kind HAVING sum(n) <> 0 ORDER BY kind`,
    );
    const expected = await w.h.query<{ kind: string; n: number; hours: number }>(
      `SELECT kind, count(*)::int AS n, round(sum(h)::numeric, 3)::float8 AS hours FROM (
         SELECT 'first_seen' AS kind, 0::float8 AS h FROM "Finding"
         UNION ALL SELECT 'resolved:' || status::text, greatest(0, extract(epoch FROM ("resolvedAt" - "firstSeenAt")) / 3600)::float8
         FROM "Finding" WHERE "resolvedAt" IS NOT NULL AND status <> 'open') e GROUP BY kind ORDER BY kind`,
    );
    expect(daily).toEqual(expected);
    // deleting findings takes them out of the rollup too
    const before = await w.h.query<{ n: number }>(`SELECT coalesce(sum(n),0)::int AS n FROM "FindingRollup" WHERE "orgId" = $1`, [w.orgB.id]);
    await db().finding.deleteMany({ where: { orgId: w.orgB.id, severity: "low" } });
    const after = await w.h.query<{ n: number }>(`SELECT coalesce(sum(n),0)::int AS n FROM "FindingRollup" WHERE "orgId" = $1`, [w.orgB.id]);
    expect(after[0]!.n).toBe(before[0]!.n - 1);
  });
});
